"""Re-encrypting every stored personal number with the current first key (`jixing rotate-keys`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, models, transaction

from jixing.people import crypto
from jixing.people.fields import EncryptedCharField

BATCH_SIZE = 500


@dataclass(frozen=True)
class FieldRotation:
    """One encrypted column: how many values it stores and how many were (or, checking, need to be)
    re-encrypted because they were not yet under the first key."""

    label: str
    stored: int
    stale: int


def encrypted_fields(
    candidates: Iterable[type[models.Model]] | None = None,
) -> list[tuple[type[models.Model], EncryptedCharField]]:
    """Every (model, field) whose column holds ciphertext, in a stable order."""
    found = []
    for model in candidates if candidates is not None else apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        found += [(model, f) for f in meta.local_concrete_fields if isinstance(f, EncryptedCharField)]
    return sorted(found, key=lambda item: (item[0]._meta.label, item[1].name))


def rotate_keys(
    *,
    check_only: bool = False,
    batch_size: int = BATCH_SIZE,
    candidates: Iterable[type[models.Model]] | None = None,
) -> list[FieldRotation]:
    """Re-encrypt, with the first of settings.ENCRYPTION_KEYS, every stored value made with another key.

    Reads the raw ciphertext (no model is loaded, no plain value kept), in primary-key order, one
    transaction per batch; each row is updated only if its ciphertext is still the one read, so a value
    written meanwhile (already under the first key) is left alone. Running it again changes nothing.
    With `check_only`, counts the values still needing an older key and changes nothing.

    Raises crypto.DecryptionError, naming the table and row, for a value no configured key opens; the
    batches before it stay committed, which is harmless since each holds the same plain values as before.
    """
    return [
        _rotate_column(model, field, check_only=check_only, batch_size=batch_size)
        for model, field in encrypted_fields(candidates)
    ]


def _rotate_column(
    model: type[models.Model], field: EncryptedCharField, *, check_only: bool, batch_size: int
) -> FieldRotation:
    qn = connection.ops.quote_name
    table, column, pk = qn(model._meta.db_table), qn(field.column), qn(model._meta.pk.column)
    select = f"SELECT {pk}, {column} FROM {table} WHERE {column} IS NOT NULL AND {column} <> ''"
    update = f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} = %s"
    label = f"{model._meta.label}.{field.name}"
    stored = stale = 0
    last = None
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            if last is None:
                cursor.execute(f"{select} ORDER BY {pk} LIMIT %s", [batch_size])
            else:
                cursor.execute(f"{select} AND {pk} > %s ORDER BY {pk} LIMIT %s", [last, batch_size])
            rows = cursor.fetchall()
            if not rows:
                break
            changes = []
            for key, token in rows:
                if crypto.is_current(token):
                    continue
                try:
                    changes.append((crypto.reencrypt(token), key, token))
                except crypto.DecryptionError as exc:
                    raise crypto.DecryptionError(f"{label}（主键 {key}）：{exc}") from None
            if changes and not check_only:
                cursor.executemany(update, changes)
            stored, stale, last = stored + len(rows), stale + len(changes), rows[-1][0]
    return FieldRotation(label, stored, stale)

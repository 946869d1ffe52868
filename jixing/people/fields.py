"""EncryptedCharField: a personal number stored encrypted, read back as the plain string.

    phone = EncryptedCharField("联系电话", max_length=20, blank=True)

- The column holds the Fernet token (a text column: a token is ~4/3 of 57 bytes plus the plain length);
  `max_length` limits the plain value, in forms and full_clean.
- The Python value is the plain string; empty stays empty (and None stays None with null=True), so that
  "not given" needs no decryption.
- Its value can never be used in a query: each encryption uses a new random IV, so equal values have
  different ciphertexts and `filter(phone=...)` could only ever return nothing. Only `isnull` and the
  comparison with "" (`exclude(phone="")`: empty is stored as empty) are allowed, every other lookup
  raises; to find rows by the value, keep a keyed hash beside it (the pattern of people.domain.identity).
- Serialised (backups, dumpdata) as a fresh token, never as the plain value: a backup archive holds no
  personal number in clear, and restoring it needs the same keys. Loading a token decrypts it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldError, ValidationError
from django.db import models
from django.db.models.lookups import Exact

from jixing.people import crypto


class EncryptedCharField(models.CharField):
    description = "加密存储的文本"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("unique") or kwargs.get("db_index") or kwargs.get("primary_key"):
            # Random IVs make an index on the ciphertext useless; say so where the field is declared.
            raise ValueError("EncryptedCharField cannot be unique or indexed: index a keyed hash beside it")
        super().__init__(*args, **kwargs)

    def get_internal_type(self) -> str:
        return "TextField"  # the token is longer than max_length, which applies to the plain value

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if not value:
            return value
        try:
            return crypto.decrypt(value)
        except crypto.DecryptionError as exc:
            raise crypto.DecryptionError(f"{self.model._meta.label}.{self.name}：{exc}") from None

    def to_python(self, value: Any) -> str | None:
        value = super().to_python(value)
        if value and crypto.looks_encrypted(value):
            # A token coming back from a backup or fixture (value_to_string below).
            try:
                return crypto.decrypt(value)
            except crypto.DecryptionError as exc:
                raise ValidationError(str(exc), code="undecryptable") from None
        return value

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        if not value:
            return value
        return crypto.encrypt(value)

    # None stays None (null in dumpdata), as Django's JSONField also returns its value unconverted.
    def value_to_string(self, obj: models.Model) -> str | None:  # type: ignore[override]
        value = self.value_from_object(obj)
        if not value:
            return value
        return crypto.encrypt(value)

    def get_lookup(self, lookup_name: str):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        if lookup_name == "exact":
            return _EmptyOnlyExact
        raise _not_queryable(self, lookup_name)

    def get_transform(self, lookup_name: str):
        raise FieldError(f"{self.model._meta.label}.{self.name} is encrypted: no '{lookup_name}' in queries")


def _not_queryable(field: EncryptedCharField, lookup_name: str) -> FieldError:
    return FieldError(
        f"{field.model._meta.label}.{field.name} is encrypted and cannot be queried with "
        f"'{lookup_name}': look rows up by a keyed hash (blind index) stored beside it"
    )


class _EmptyOnlyExact(Exact):
    """`field=""` only: whether a value was given at all, which the column shows without decryption."""

    prepare_rhs = False  # "" is stored as "", never encrypted

    def __init__(self, lhs: Any, rhs: Any) -> None:
        if rhs not in ("", None):  # None: Django turns `field=None` into isnull right after
            raise _not_queryable(lhs.output_field, "exact")
        super().__init__(lhs, rhs)

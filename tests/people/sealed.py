"""A throwaway model with encrypted columns, for tests of EncryptedCharField and `jixing rotate-keys`.

No model of the people app stores a whole number (the snapshot keeps masked forms only), so the tests
make one: registered in the app registry only while the context is open — `jixing rotate-keys` finds
models there — with its table created and dropped around it. Needs `django_db(transaction=True)`:
SQLite cannot change its schema inside the test's transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from django.db import connection, models

from jixing.people.fields import EncryptedCharField

TABLE = "test_people_sealedcontact"


@contextmanager
def sealed_contact_model() -> Iterator[type[models.Model]]:
    class SealedContact(models.Model):
        name = models.CharField(max_length=32, blank=True)
        phone = EncryptedCharField("联系电话", max_length=20, blank=True)
        id_number = EncryptedCharField("身份证号", max_length=18, blank=True, null=True)

        class Meta:
            app_label = "people"
            db_table = TABLE

        def __str__(self) -> str:
            return self.name

    with connection.schema_editor() as editor:
        editor.create_model(SealedContact)
    try:
        yield SealedContact
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(SealedContact)
        del apps.all_models["people"]["sealedcontact"]
        apps.clear_cache()


def raw_column(column: str) -> list[str | None]:
    """What the database holds, read past the ORM (no decryption)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name(column)} FROM {TABLE} ORDER BY id")
        return [row[0] for row in cursor.fetchall()]

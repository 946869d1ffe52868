"""`jixing rotate-keys`: every stored value moves to the first key, in batches, and can be checked."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from jixing.people import crypto
from jixing.people.domain.encryption import FieldRotation, rotate_keys
from tests.people.sealed import raw_column, sealed_contact_model

pytestmark = pytest.mark.django_db(transaction=True)

OLD, NEW = crypto.generate_key(), crypto.generate_key()
PHONES = [f"100{i:08d}" for i in range(5)]


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("rotate_keys", *args, stdout=out)
    return out.getvalue()


def test_rotate_keys_reencrypts_every_value_with_the_first_key():
    with sealed_contact_model() as Contact:
        with override_settings(ENCRYPTION_KEYS=[OLD]):
            Contact.objects.bulk_create([Contact(phone=p, id_number="14010019900101123X") for p in PHONES])
            Contact.objects.create(phone="")  # nothing to encrypt
        before = raw_column("phone")
        with override_settings(ENCRYPTION_KEYS=[NEW, OLD]):
            with pytest.raises(CommandError, match="还有 10 个值由旧密钥加密"):
                _run("--check")
            lines = _run("--batch-size", "2").splitlines()
            # Other apps' encrypted fields are listed too (empty here): only this model's lines are fixed.
            assert [line for line in lines if line.startswith("people.SealedContact.")] == [
                "people.SealedContact.id_number：共 5 个值，重新加密 5 个",
                "people.SealedContact.phone：共 5 个值，重新加密 5 个",
            ]
            assert re.fullmatch(r"合计：\d+ 个加密字段，共 10 个值，重新加密 10 个", lines[-2])
            assert lines[-1] == "所有值都已由第一个密钥加密：可以从 JIXING_ENCRYPTION_KEYS 中删去其余密钥"
            assert re.fullmatch(
                r"合计：\d+ 个加密字段，共 10 个值，仍由旧密钥加密 0 个", _run("--check").splitlines()[-2]
            )
        after = raw_column("phone")
        assert [a != b for a, b in zip(after, before, strict=True)] == [True] * 5 + [False]
        with override_settings(ENCRYPTION_KEYS=[NEW]):  # the old key dropped
            assert list(Contact.objects.order_by("id").values_list("phone", flat=True)) == [*PHONES, ""]


def test_rotate_keys_again_changes_nothing():
    with sealed_contact_model() as Contact, override_settings(ENCRYPTION_KEYS=[NEW, OLD]):
        Contact.objects.create(phone="10012345678")
        before = raw_column("phone")
        assert rotate_keys(candidates=[Contact]) == [
            FieldRotation("people.SealedContact.id_number", 0, 0),
            FieldRotation("people.SealedContact.phone", 1, 0),
        ]
        assert raw_column("phone") == before


def test_rotate_keys_names_the_row_no_key_opens():
    with sealed_contact_model() as Contact:
        with override_settings(ENCRYPTION_KEYS=[OLD]):
            contact = Contact.objects.create(phone="10012345678")
        with override_settings(ENCRYPTION_KEYS=[NEW]), pytest.raises(CommandError) as info:
            _run()
        assert str(info.value).startswith(f"people.SealedContact.phone（主键 {contact.pk}）：无法重新加密")
        assert "10012345678" not in str(info.value)

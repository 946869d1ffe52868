"""EncryptedCharField: plain in Python, ciphertext in the column, never in a query, tokens in backups."""

import io

import pytest
from django.core import serializers
from django.core.exceptions import FieldError

from jixing.people.fields import EncryptedCharField
from tests.people.sealed import raw_column, sealed_contact_model

pytestmark = pytest.mark.django_db(transaction=True)


def test_encrypted_field_round_trips_through_the_database():
    with sealed_contact_model() as Contact:
        contact = Contact.objects.create(phone="10012345678", id_number="14010019900101123X")
        Contact.objects.bulk_create([Contact(phone="10087654321")])
        assert list(Contact.objects.order_by("id").values_list("phone", "id_number")) == [
            ("10012345678", "14010019900101123X"),
            ("10087654321", None),
        ]
        Contact.objects.filter(pk=contact.pk).update(phone="10011112222")
        contact.refresh_from_db()
        assert contact.phone == "10011112222"


def test_encrypted_field_keeps_empty_and_null_as_they_are():
    with sealed_contact_model() as Contact:
        Contact.objects.create(phone="", id_number=None)
        assert raw_column("phone") == [""]
        assert raw_column("id_number") == [None]
        assert Contact.objects.filter(id_number__isnull=True).count() == 1
        assert Contact.objects.filter(id_number=None).count() == 1


def test_encrypted_field_refuses_lookups_on_its_value():
    with sealed_contact_model() as Contact:
        Contact.objects.create(phone="10012345678")
        Contact.objects.create(phone="")
        assert (Contact.objects.exclude(phone="").count(), Contact.objects.filter(phone="").count()) == (1, 1)
        with pytest.raises(FieldError, match="people.SealedContact.phone is encrypted"):
            Contact.objects.filter(phone="10012345678").exists()
        with pytest.raises(FieldError, match="is encrypted"):
            Contact.objects.filter(phone__startswith="100").exists()


def test_encrypted_field_serialises_as_ciphertext_and_loads_back():
    with sealed_contact_model() as Contact:
        Contact.objects.create(name="张三", phone="10012345678")
        dumped = serializers.serialize("jsonl", Contact.objects.all())
        assert "10012345678" not in dumped
        Contact.objects.all().delete()
        for item in serializers.deserialize("jsonl", io.StringIO(dumped)):
            item.save()
        assert Contact.objects.get().phone == "10012345678"


def test_encrypted_field_cannot_be_unique_or_indexed():
    with pytest.raises(ValueError, match="cannot be unique or indexed"):
        EncryptedCharField(max_length=18, unique=True)

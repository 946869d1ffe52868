"""Personal data (issue 5, item 3): whole numbers encrypted at rest, the snapshot holding masked forms and
keyed hashes only, one person still found across accounts (G.2) by an indexed hash, keys required."""

import base64
import os
import re
import secrets
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from django.db import connection

from jixing.nominations.domain.evaluation import evaluate_campaign
from jixing.people.domain.identity import person_key
from jixing.people.domain.imports import import_snapshot
from jixing.people.models import Learner
from tests.factories import make_campaign, make_nomination, make_small_province
from tests.files import LEARNER_HEADER, csv_file, id_number
from tests.people.sealed import raw_column, sealed_contact_model

FULL_ID = re.compile(r"\d{17}[\dXx]")
FULL_PHONE = re.compile(r"1\d{10}")
WANG_ID = id_number("14010019850505123")
ROWS = [
    ["u1", "王五", "10000000001", WANG_ID, "TY-QX-S1", "30000", "12000", "4500"],
    ["u2", "王五", "10000000002", WANG_ID, "TY-QX-S1-D1", "20000", "9000", ""],  # his second account
    ["u3", "赵六", "10000000003", "", "TY-QX-S1", "25000", "9500", ""],
    ["u4", "赵六", "10000000003", "", "TY-QX-S1", "100", "50", ""],  # same name and phone, no ID
]


def _import_rows():
    return import_snapshot(
        csv_file([LEARNER_HEADER, *ROWS]), name="基准积分", taken_at=datetime(2023, 1, 3, tzinfo=UTC)
    )


@pytest.mark.django_db(transaction=True)
def test_ciphertext_in_the_column_holds_no_plain_value():
    with sealed_contact_model() as Contact:
        Contact.objects.create(phone="10012345678", id_number="14010019900101123X")
        (phone,), (number,) = raw_column("phone"), raw_column("id_number")
        assert "10012345678" not in phone and "5678" not in phone
        assert "14010019900101123X" not in number and "1401" not in number
        assert Contact.objects.get().phone == "10012345678"


@pytest.mark.django_db
def test_snapshot_rows_store_no_full_id_or_phone():
    make_small_province()
    _import_rows()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_learner")
        columns = [c[0] for c in cursor.description]
        rows = cursor.fetchall()
    assert len(rows) == 4
    for row in rows:
        for column, value in zip(columns, row, strict=True):
            if column == "person_key":
                assert re.fullmatch(r"[0-9a-f]{32}", value)
                continue
            assert not FULL_ID.search(str(value)), column
            assert not FULL_PHONE.search(str(value)), column
    assert list(Learner.objects.order_by("account_id").values_list("phone_masked", "id_masked")) == [
        ("100****0001", f"1401**********{WANG_ID[-4:]}"),
        ("100****0002", f"1401**********{WANG_ID[-4:]}"),
        ("100****0003", ""),
        ("100****0003", ""),
    ]


@pytest.mark.django_db
def test_one_person_is_found_across_accounts_by_the_keyed_hash():
    tree = make_small_province()
    _import_rows()
    keys = dict(Learner.objects.values_list("account_id", "person_key"))
    assert keys["u1"] == keys["u2"] == person_key(id_number=WANG_ID, name="", phone="")
    assert keys["u3"] == keys["u4"] == person_key(id_number="", name="赵六", phone="10000000003")
    assert keys["u1"] != keys["u3"]
    # Read by account, never searched: no index on it (an 8-million-row import would pay for one).
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Learner._meta.db_table)
    assert not any(c["index"] and c["columns"] == ["person_key"] for c in constraints.values())

    # G.2 reads the hash: the person's later nomination under his second account fails.
    campaign = make_campaign()
    first, second = (
        make_nomination(campaign=campaign, recommending_org=tree["school"], category_number=number,
                        nominee_account=account, submitted_at=datetime(2023, 1, day, tzinfo=UTC))
        for number, account, day in ((1, "u1", 5), (2, "u2", 6))
    )  # fmt: skip
    evaluate_campaign(campaign)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.rule_results["G.2"]["outcome"], second.rule_results["G.2"]["outcome"]) == ("pass", "fail")


def _start(tmp_path, **env: str) -> subprocess.CompletedProcess:
    production = {
        "DJANGO_SETTINGS_MODULE": "jixing.settings",
        "JIXING_DATA_DIR": str(tmp_path),
        "JIXING_ENV": "production",
        "JIXING_SECRET_KEY": secrets.token_urlsafe(50),
        "JIXING_ALLOWED_HOSTS": "jixing.example.gov.cn",
        "JIXING_ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "JIXING_BLIND_INDEX_KEY": secrets.token_urlsafe(32),
        "JIXING_AUDIT_KEY": secrets.token_urlsafe(32),
    }
    settings = {k: v for k, v in {**production, **env}.items() if v is not None}
    base = {k: v for k, v in os.environ.items() if not k.startswith("JIXING_")}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**base, **settings},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_starts_with_both_keys(tmp_path):
    result = _start(tmp_path)
    assert (result.returncode, result.stderr) == (0, "")


@pytest.mark.parametrize("missing", ["JIXING_ENCRYPTION_KEYS", "JIXING_BLIND_INDEX_KEY"])
def test_production_refuses_to_start_without_a_personal_data_key(tmp_path, missing):
    result = _start(tmp_path, **{missing: None})
    assert result.returncode == 1
    assert (
        "JIXING_ENCRYPTION_KEYS and JIXING_BLIND_INDEX_KEY must be set when JIXING_ENV=production"
        in result.stderr
    )


def test_development_starts_without_keys_and_warns_on_every_command(tmp_path):
    # Nothing declared (make demo): keys derived from the development key, DEBUG off, people.W001 loud.
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        env={**{k: v for k, v in os.environ.items() if not k.startswith("JIXING_") and k != "DATABASE_URL"},
             "DJANGO_SETTINGS_MODULE": "jixing.settings", "JIXING_DATA_DIR": str(tmp_path)},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "people.W001" in result.stderr
    assert "个人信息加密密钥和盲索引密钥由 SECRET_KEY 派生，仅供开发使用" in result.stderr


def test_production_refuses_a_blind_index_key_equal_to_an_encryption_key(tmp_path):
    key = base64.urlsafe_b64encode(os.urandom(32)).decode()
    result = _start(tmp_path, JIXING_ENCRYPTION_KEYS=key, JIXING_BLIND_INDEX_KEY=key)
    assert result.returncode == 1
    assert "JIXING_BLIND_INDEX_KEY must be at least 32 random characters of its own" in result.stderr


def test_production_refuses_a_malformed_encryption_key_at_start_up(tmp_path):
    good = base64.urlsafe_b64encode(os.urandom(32)).decode()
    result = _start(tmp_path, JIXING_ENCRYPTION_KEYS=f"{good},secret-but-too-short")
    assert result.returncode == 1
    assert "JIXING_ENCRYPTION_KEYS 中第 2 个密钥格式不对" in result.stderr
    assert "secret-but-too-short" not in result.stderr

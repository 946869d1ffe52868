"""A snapshot import killed with SIGKILL halfway through writing leaves nothing that the next one keeps."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test import override_settings

from jixing.people.domain import imports
from jixing.people.domain.snapshots import storage
from jixing.people.models import Learner, Snapshot
from tests.factories import make_small_province
from tests.files import LEARNER_HEADER
from tests.processes import database_url

pytestmark = pytest.mark.django_db(transaction=True)
ROWS = 150_000


def _write(path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(LEARNER_HEADER)
        for n in range(rows):
            writer.writerow(
                [f"K{n:07d}", f"学员{n}", f"100{n:08d}", "", "TY-QX-S1", 20_000 - n % 999, 900, ""]
            )


def _rows_of(snapshot: Snapshot) -> int:
    if connection.vendor != "postgresql":
        return Learner.objects.filter(snapshot=snapshot).count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [storage.partition_name(snapshot)])
        if cursor.fetchone()[0] is None:
            return 0
        cursor.execute(f"SELECT count(*) FROM {storage.partition_name(snapshot)}")
        return cursor.fetchone()[0]


def test_a_killed_import_leaves_nothing_the_next_import_keeps(tmp_path):
    make_small_province()
    source = tmp_path / "积分快照.csv"
    _write(source, ROWS)
    env = {**os.environ, "DATABASE_URL": database_url(), "JIXING_DATA_DIR": str(tmp_path / "data")}
    process = subprocess.Popen(
        [sys.executable, "-m", "jixing.cli", "import-learners", str(source), "--name", "被中断的导入"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # Wait until the importer has written rows of its incomplete snapshot, then kill it outright.
        deadline = time.monotonic() + 120
        left = None
        while time.monotonic() < deadline and process.poll() is None:
            left = Snapshot.objects.filter(is_complete=False).first()
            if left is not None and _rows_of(left) > 0:
                break
            time.sleep(0.05)
        assert left is not None and process.poll() is None, "the import ended before it could be killed"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    left.refresh_from_db()
    assert (left.is_complete, left.is_current) == (False, False)
    assert 0 < _rows_of(left) <= ROWS
    assert not Snapshot.objects.filter(is_current=True).exists()  # nothing half-done was ever current

    # The next import — in this process, with the same scratch folder root — removes what was left.
    with override_settings(DATA_DIR=tmp_path / "data"):
        result = imports.import_snapshot(
            source, name="重新导入", taken_at=datetime(2023, 1, 3, 2, tzinfo=UTC)
        )
    assert list(Snapshot.objects.all()) == [result.snapshot]
    assert Learner.objects.count() == ROWS
    assert _rows_of(left) == 0
    # SQLite's import drops the table's indexes while it writes: built again, by the next import.
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, Learner._meta.db_table)
    assert {"one_account_per_snapshot", "learner_org_snapshot"} <= set(indexes)
    assert not list((tmp_path / "data" / "import-work").glob("work-*"))

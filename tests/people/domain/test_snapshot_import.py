"""The snapshot import at scale's promises, on small files: real ID numbers, derived figures, the atomic
switch, the cleanup of a killed import, one import at a time, progress."""

from __future__ import annotations

import os
import subprocess
import threading
from datetime import UTC, datetime

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixing import eligibility as el
from jixing.people.domain import imports
from jixing.people.domain.identity import person_key
from jixing.people.domain.progress import ImportProgress, Phase
from jixing.people.domain.snapshots import loading, storage
from jixing.people.domain.snapshots.figures import refresh_figures
from jixing.people.domain.snapshots.locking import SnapshotImportBusy, import_lock, workdirs_root
from jixing.people.models import Learner, Snapshot, SnapshotUnit
from jixing.tables import ImportRefused, Problem
from jixing.tables.checks import UNKNOWN_AREA_WARNING
from tests.factories import make_small_province
from tests.files import csv_file, id_number

pytestmark = pytest.mark.django_db
BASELINE = datetime(2023, 1, 3, 2, tzinfo=UTC)
HEADER = ["学号", "姓名", "手机号", "身份证号", "组织编码", "总积分", "年度积分"]
# Today's Shanxi district codes, most younger than the people who carry them (小店区 1997, 太谷区 2019,
# 平城区 2018, 潞州区 2019), old codes since abolished (大同 城区 140202, 长治 城区 140402), other provinces.
REAL_AREAS = ["140105", "140106", "140702", "140703", "141002", "140213", "140215", "140403", "140406",
              "140202", "140402", "110105", "410105"]  # fmt: skip


@pytest.fixture
def tree():
    _drop_partitions_of_gone_snapshots()
    return make_small_province()


def _drop_partitions_of_gone_snapshots() -> None:
    """PostgreSQL: a test elsewhere that commits (transaction=True, a demo ending in flush) empties the
    tables but leaves its snapshots' partitions behind, and the next snapshot may get a reused id. This
    module counts partitions, so it starts from none but its own (dropped inside the test's transaction)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE tablename LIKE 'people_learner_s%%'")
        names = [r[0] for r in cursor.fetchall()]
        known = {f"people_learner_s{pk}" for pk in Snapshot.objects.values_list("pk", flat=True)}
        for name in names:
            if name not in known and name.removeprefix("people_learner_s").isdigit():
                cursor.execute(f'DROP TABLE "{name}"')


def _import(rows, header=HEADER, **options):
    return imports.import_snapshot(csv_file([header, *rows]), name="基准积分", taken_at=BASELINE, **options)


def _real_rows(count: int, org: str = "TY-QX-S1"):
    rows = []
    for i in range(count):
        area = REAL_AREAS[i % len(REAL_AREAS)]
        birth = f"{1950 + (i * 7) % 57}{1 + i % 12:02d}{1 + i % 28:02d}"
        rows.append([f"a{i:05d}", f"学员{i}", f"100{i:08d}", id_number(f"{area}{birth}{i % 1000:03d}"), org,
                     str(20000 - i), str(9000 - (i * 37) % 5000)])  # fmt: skip
    return rows


def test_real_shaped_id_numbers_import_with_no_refusal(tree):
    result = _import(_real_rows(120))
    assert (result.rows, result.snapshot.is_current, result.snapshot.is_complete) == (120, True, True)
    assert not [w for w in result.warnings if w.column == "身份证号"]
    first = Learner.objects.get(account_id="a00000")
    assert first.id_masked == "1401**********" + _real_rows(1)[0][3][-4:]
    assert first.person_key == person_key(id_number=_real_rows(1)[0][3], name="学员0", phone="10000000000")


def test_an_unknown_area_code_is_a_warning_with_the_number_masked(tree):
    unknown = id_number("14990119800101123")
    result = _import([["u1", "张三", "10000000001", unknown, "TY-QX-S1", "10", "5"]])
    assert [w for w in result.warnings if w.row != 1] == [
        Problem(2, "身份证号", "149901************", UNKNOWN_AREA_WARNING)
    ]
    assert Learner.objects.get().id_masked == "1499**********" + unknown[-4:]


def test_an_id_number_outside_any_province_is_refused_in_chinese(tree):
    bad = id_number("99000019800101123")
    with pytest.raises(ImportRefused) as info:
        _import([["u1", "张三", "10000000001", bad, "TY-QX-S1", "10", "5"]])
    assert info.value.errors == [Problem(2, "身份证号", bad, "身份证号中的地区码无效")]
    assert (Snapshot.objects.count(), Learner.objects.count()) == (0, 0)


_any_id = st.one_of(
    st.text(min_size=18, max_size=18),
    st.text(alphabet="0123456789Xx１２ -", min_size=18, max_size=18),
    st.builds(
        lambda area, year, month, day, seq: id_number(f"{area}{year}{month:02d}{day:02d}{seq:03d}"),
        st.sampled_from([*REAL_AREAS, "149901", "990000", "000000"]),
        st.integers(1890, 2030),
        st.integers(0, 13),
        st.integers(0, 32),
        st.integers(0, 999),
    ),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(_any_id, min_size=1, max_size=4))
def test_no_id_value_makes_the_import_raise_anything_but_its_refusal(tree, values):
    rows = [
        [f"u{i}", "张三", "10000000001", v.replace("\x00", ""), "TY-QX-S1", "10", "5"]
        for i, v in enumerate(values)
    ]
    try:
        result = _import(rows)
    except ImportRefused as refusal:
        assert refusal.errors and all(p.reason for p in refusal.errors)
        assert Learner.objects.count() == Learner.objects.filter(snapshot__is_current=True).count()
    else:
        assert result.rows == len(values)
        storage.discard(result.snapshot)


def test_import_derives_units_and_ranks_in_unit_as_sql_and_python_would(tree):
    rows = [
        ["a", "甲", "10000000001", "", "TY-QX-S1", "300", "100"],
        ["b", "乙", "10000000002", "", "TY-QX-S1-D1", "300", "200"],  # a department counts in its unit
        ["c", "丙", "10000000003", "", "TY-QX-S1", "300", "100"],  # ties share the best place
        ["d", "丁", "10000000004", "", "TY-QX-S1", "100", "900"],
        ["e", "戊", "10000000005", "", "DT-S2", "5", "5"],
        ["f", "己", "10000000006", "", "TY-QX", "50", "5"],  # a station node is its own unit
    ]
    result = _import(rows)
    stored = {
        lr.account_id: (lr.unit_id, lr.rank_by_total, lr.rank_by_annual)
        for lr in Learner.objects.filter(snapshot=result.snapshot)
    }
    school, other, county = tree["school"].pk, tree["datong_school"].pk, tree["county"].pk
    assert stored == {
        "a": (school, 2, 3),
        "b": (school, 1, 2),
        "c": (school, 2, 3),
        "d": (school, 4, 1),
        "e": (other, 1, 1),
        "f": (county, 1, 1),
    }
    assert dict(SnapshotUnit.objects.values_list("unit_id", "learners")) == {school: 4, other: 1, county: 1}
    # The same figures from the database's own SQL, and from the rules engine's Python ranking.
    Learner.objects.update(rank_by_total=None, rank_by_annual=None, unit=None)
    refresh_figures(result.snapshot)
    again = {
        lr.account_id: (lr.unit_id, lr.rank_by_total, lr.rank_by_annual)
        for lr in Learner.objects.filter(snapshot=result.snapshot)
    }
    assert again == stored
    learners = [
        el.Learner(account=r[0], org=r[4], total_points=int(r[5]), annual_points=int(r[6])) for r in rows[:4]
    ]
    python = el.ranks_in_units(learners, unit_of=lambda lr: "S1", key=("total_points", "annual_points"))
    assert python == {a: stored[a][1] for a in "abcd"}


def test_ranks_in_unit_order_by_both_points_up_to_the_largest_number_a_cell_may_hold(tree):
    top = 2_147_483_647  # the template's largest count: the rank keys hold both points in one integer
    rows = [
        ["a", "甲", "10000000001", "", "TY-QX-S1", str(top), "0"],
        ["b", "乙", "10000000002", "", "TY-QX-S1", str(top - 1), str(top)],
        ["c", "丙", "10000000003", "", "TY-QX-S1", str(top), "1"],
        ["d", "丁", "10000000004", "", "TY-QX-S1", "0", str(top)],
    ]
    result = _import(rows)
    ranks = dict(Learner.objects.filter(snapshot=result.snapshot).values_list("account_id", "rank_by_total"))
    by_annual = dict(
        Learner.objects.filter(snapshot=result.snapshot).values_list("account_id", "rank_by_annual")
    )
    assert ranks == {"c": 1, "a": 2, "b": 3, "d": 4}
    assert by_annual == {"b": 1, "d": 2, "c": 3, "a": 4}


def test_the_previous_snapshot_serves_until_the_new_one_is_complete(tree):
    old = _import(_real_rows(3)).snapshot
    seen = []

    def watch(step: ImportProgress) -> None:
        if step.phase == Phase.WRITE and step.done:
            current = Snapshot.objects.get(is_current=True)
            loading_one = Snapshot.objects.get(is_complete=False)
            seen.append((current.pk, loading_one.is_current))

    new = _import(_real_rows(5), progress=watch).snapshot
    assert seen and all(s == (old.pk, False) for s in seen)
    assert Snapshot.objects.get(is_current=True) == new
    assert Learner.objects.filter(snapshot=new).count() == 5


@pytest.mark.parametrize("phase", [Phase.WRITE, Phase.INDEX])
def test_a_failure_while_writing_leaves_no_half_snapshot(tree, phase):
    old = _import(_real_rows(3)).snapshot

    def fail(step: ImportProgress) -> None:
        if step.phase == phase:
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        _import(_real_rows(7), progress=fail)
    assert list(Snapshot.objects.all()) == [old]
    assert Learner.objects.count() == 3
    assert _partitions() == _expected_partitions(old)


def test_the_next_import_removes_what_a_killed_import_left(tree, monkeypatch, tmp_path):
    # A killed process runs no clean-up: keep discard() and the scratch folder's removal from running, as
    # SIGKILL would, and stop the import halfway through writing.
    monkeypatch.setattr(storage, "discard", lambda snapshot: None)
    monkeypatch.setattr(loading, "remove_workdir", lambda path: None)

    def killed(step: ImportProgress) -> None:
        if step.phase == Phase.INDEX:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _import(_real_rows(6), progress=killed)
    left = Snapshot.objects.get()
    assert (left.is_complete, left.is_current, _rows_written(left)) == (False, False, 6)
    (scratch,) = workdirs_root().glob(f"work-{os.getpid()}-*")
    dead = _dead_pid()
    scratch.rename(scratch.with_name(f"work-{dead}-{scratch.name.rsplit('-', 1)[1]}"))  # its process is gone
    monkeypatch.undo()

    result = _import(_real_rows(2))
    assert list(Snapshot.objects.all()) == [result.snapshot]
    assert Learner.objects.count() == 2
    assert _partitions() == (
        [f"people_learner_s{result.snapshot.pk}"] if connection.vendor == "postgresql" else []
    )
    assert not list(workdirs_root().glob("work-*"))


def test_a_second_import_while_one_runs_is_refused(tree):
    outcome: list[BaseException | None] = []

    def second() -> None:
        try:
            _import(_real_rows(2))
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 — the test reads what happened
            outcome.append(exc)
        finally:
            connection.close()

    with import_lock():  # the first import holds this while it runs
        thread = threading.Thread(target=second)
        thread.start()
        thread.join(timeout=60)
    assert len(outcome) == 1 and isinstance(outcome[0], SnapshotImportBusy)
    assert str(outcome[0]) == "另一个积分快照正在导入，请等它完成后再导入"
    assert Snapshot.objects.count() == 0


def test_import_reports_its_phases_in_order_with_rows(tree):
    steps: list[ImportProgress] = []
    _import(_real_rows(4), progress=steps.append)
    phases = [s.phase for s in steps]
    assert phases[0] == Phase.VALIDATE and phases[-1] == Phase.DONE
    assert [p for i, p in enumerate(phases) if i == 0 or phases[i - 1] != p] == [
        Phase.VALIDATE, Phase.RANK, Phase.WRITE, Phase.INDEX, Phase.DONE,
    ]  # fmt: skip
    assert steps[-1] == ImportProgress(Phase.DONE, 4, 4)
    assert max(s.done for s in steps if s.phase == Phase.WRITE) == 4


def _partitions() -> list[str]:
    """PostgreSQL: the snapshot partitions of people_learner (checking none is left unattached)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'people_learner'"
            " AND c.relname <> 'people_learner_default' ORDER BY c.relname"
        )
        attached = [r[0] for r in cursor.fetchall()]
        cursor.execute("SELECT tablename FROM pg_tables WHERE tablename LIKE 'people_learner_s%%'")
        tables = sorted(r[0] for r in cursor.fetchall())
    assert attached == tables  # no table left unattached
    return tables


def _expected_partitions(snapshot: Snapshot) -> list[str]:
    return [f"people_learner_s{snapshot.pk}"] if connection.vendor == "postgresql" else []


def _rows_written(snapshot: Snapshot) -> int:
    """Rows of a snapshot, attached or not (PostgreSQL writes them into a table of their own first)."""
    if connection.vendor != "postgresql":
        return Learner.objects.filter(snapshot=snapshot).count()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {storage.partition_name(snapshot)}")
        return cursor.fetchone()[0]


def _dead_pid() -> int:
    """The pid of a process that has ended (a killed importer's, as far as the scratch folder can tell)."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid

"""Property-based bad input (Hypothesis): importers and forms fed malformed files and values.

Every input either goes through or is refused with problems a person can read (row, column, value,
reason — in Chinese); a refusal changes nothing in the database, and nothing ever raises anything else.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixing.campaigns.models import Category
from jixing.nominations.domain.forms_spec import form_spec
from jixing.nominations.forms import NominationForm
from jixing.orgs.domain.imports import import_orgs
from jixing.orgs.models import Org
from jixing.people.domain.imports import import_roles, import_snapshot
from jixing.people.models import Learner, Role, Snapshot
from jixing.tables import LEARNERS_TEMPLATE, ORGS_TEMPLATE, ROLES_TEMPLATE, ImportRefused
from tests.factories import make_campaign, make_small_province

pytestmark = pytest.mark.django_db
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
CHINESE = re.compile(r"[\u4e00-\u9fff]")

# Cells: what spreadsheets really contain — empty, numbers, negative numbers, text, Chinese, stray
# punctuation, very long values, percent signs, dates.
cells = st.one_of(
    st.just(""),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
    st.sampled_from(
        ["是", "否", "Y", "n", "35%", "1.5", "省级", "单位", "部门", "P", "TY", "X" * 300, "2023-01-03"]
    ),
    st.text(min_size=0, max_size=20),
)


def _csv(header: list[str], rows: list[list[str]], encoding: str) -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows([header, *rows])
    return text.getvalue().encode(encoding, errors="replace")


def _table(spec):
    headers = spec.headers
    return st.tuples(
        st.lists(st.sampled_from(headers), min_size=1, max_size=len(headers), unique=True),
        st.lists(st.lists(cells, min_size=len(headers), max_size=len(headers)), min_size=0, max_size=6),
        st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
    )


def _refused_readably(exc: ImportRefused) -> None:
    assert exc.total >= 1
    for problem in exc.errors:
        assert CHINESE.search(problem.reason), problem


def _counts():
    return Org.objects.count(), Snapshot.objects.count(), Learner.objects.count(), Role.objects.count()


@FUZZ
@given(table=_table(ORGS_TEMPLATE))
def test_org_import_of_malformed_files_is_refused_whole_or_stored(table):
    header, rows, encoding = table
    before = _counts()
    try:
        import_orgs(_csv(header, [r[: len(header)] for r in rows], encoding))
    except ImportRefused as exc:
        _refused_readably(exc)
        assert _counts() == before


@FUZZ
@given(table=_table(LEARNERS_TEMPLATE))
def test_snapshot_import_of_malformed_files_changes_nothing_when_refused(table):
    from datetime import UTC, datetime

    if not Org.objects.exists():
        make_small_province()
    header, rows, encoding = table
    before = _counts()
    try:
        import_snapshot(_csv(header, [r[: len(header)] for r in rows], encoding), name="模糊测试",
                        taken_at=datetime(2023, 1, 3, 2, tzinfo=UTC))  # fmt: skip
    except ImportRefused as exc:
        _refused_readably(exc)
        assert _counts() == before


@FUZZ
@given(table=_table(ROLES_TEMPLATE))
def test_role_import_of_malformed_files_changes_nothing_when_refused(table):
    if not Org.objects.exists():
        make_small_province()
    header, rows, encoding = table
    before = _counts()
    try:
        import_roles(_csv(header, [r[: len(header)] for r in rows], encoding))
    except ImportRefused as exc:
        _refused_readably(exc)
        assert _counts() == before


@FUZZ
@given(data=st.binary(max_size=2048))
def test_arbitrary_bytes_are_refused_with_a_reason(data):
    before = _counts()
    try:
        import_orgs(data)
    except ImportRefused as exc:
        _refused_readably(exc)
    assert _counts() == before


@FUZZ
@given(values=st.dictionaries(st.sampled_from(["summary", "typed_total_points", "typed_annual_points",
                                                "warn_reason", "activity_count", "decl_pledge"]),
                              cells, max_size=6))  # fmt: skip
def test_nomination_form_never_breaks_on_malformed_values(values):
    if not Category.objects.exists():
        make_small_province()
        make_campaign()
    category = Category.objects.get(number=1)
    form = NominationForm(data=values, spec=form_spec(category), strict=True)
    if not form.is_valid():
        for messages in form.errors.values():
            assert all(CHINESE.search(m) for m in messages), messages

"""统计: the figures of a small built province against hand counts, who sees which part, the XLSX read
back, and a query count that does not grow with the units."""

from __future__ import annotations

import io
from types import SimpleNamespace

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixing.accounts.enums import UserRole
from jixing.campaigns.models import Quota
from jixing.documents.statistics import HEADERS
from jixing.eligibility.outcomes import Status
from jixing.nominations.domain.statistics import (
    Figures,
    campaign_statistics,
    campaign_totals,
    export_statistics,
)
from jixing.nominations.enums import NominationState as S
from jixing.orgs.enums import OrgLevel
from tests.factories import make_campaign, make_nomination, make_org, make_small_province, make_user

pytestmark = pytest.mark.django_db

ELIGIBLE, INELIGIBLE, NEEDS_REVIEW = Status.ELIGIBLE.value, Status.INELIGIBLE.value, Status.NEEDS_REVIEW.value


def _seats(world, unit: str, number: int, seats: int) -> None:
    Quota.objects.filter(
        campaign=world.campaign, reporting_unit=world.tree[unit], category__number=number
    ).update(seats=seats)


def build_world() -> SimpleNamespace:
    """太原: nine 学员标兵 nominations through every stage, one 优秀学员; 大同: one 学员标兵 on its list.
    Seats: 太原 学员标兵 4, 优秀学员 2; 大同 学员标兵 2; every other quota 0."""
    tree = make_small_province()
    campaign = make_campaign()
    world = SimpleNamespace(tree=tree, campaign=campaign)
    Quota.objects.filter(campaign=campaign).update(seats=0)
    _seats(world, "taiyuan", 1, 4)
    _seats(world, "taiyuan", 2, 2)
    _seats(world, "datong", 1, 2)
    school, other = tree["school"], tree["datong_school"]
    for state, status in [
        (S.DRAFT, ""),
        (S.AWAITING_UNIT, ""),
        (S.SUBMITTED, ELIGIBLE),
        (S.SUBMITTED, NEEDS_REVIEW),
        (S.RECOMMENDED, ELIGIBLE),
        (S.SELECTED, ELIGIBLE),
        (S.COMMENDED, ELIGIBLE),
        (S.REJECTED, INELIGIBLE),
        (S.WITHDRAWN, ELIGIBLE),
    ]:
        make_nomination(campaign=campaign, recommending_org=school, state=state, status=status)
    make_nomination(campaign=campaign, recommending_org=school, category_number=2, state=S.RETURNED)
    make_nomination(campaign=campaign, recommending_org=other, state=S.RECOMMENDED, status=ELIGIBLE)
    world.province = make_user(username="p", role=UserRole.PROVINCE_ADMIN, org=tree["province"])
    world.taiyuan = make_user(username="ty", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"])
    world.datong = make_user(username="dt", role=UserRole.REPORTING_REVIEWER, org=tree["datong"])
    world.unit_admin = make_user(username="s", role=UserRole.UNIT_ADMIN, org=school)
    return world


# The hand counts of build_world.
TAIYUAN_1 = Figures(drafts=1, nominated=8, eligible=5, submitted=3, selected=2, commended=1, seats=4)
TAIYUAN_2 = Figures(nominated=1, seats=2)
DATONG_1 = Figures(nominated=1, eligible=1, submitted=1, seats=2)


def _figures(statistics, unit_name: str, number: int) -> Figures:
    row = next(r for r in statistics.units if r.unit.name == unit_name)
    return next(f for c, f in row.by_category if c.number == number)


def test_statistics_figures_match_hand_counts():
    world = build_world()
    statistics = campaign_statistics(campaign=world.campaign)
    assert [r.unit.name for r in statistics.units] == ["太原市通讯站", "大同市通讯站"]
    assert _figures(statistics, "太原市通讯站", 1) == TAIYUAN_1
    assert _figures(statistics, "太原市通讯站", 2) == TAIYUAN_2
    assert _figures(statistics, "太原市通讯站", 3) == Figures()
    assert _figures(statistics, "大同市通讯站", 1) == DATONG_1
    first = next(f for c, f in statistics.by_category if c.number == 1)
    assert first == TAIYUAN_1 + DATONG_1
    assert statistics.total == TAIYUAN_1 + TAIYUAN_2 + DATONG_1
    assert statistics.units[0].total == TAIYUAN_1 + TAIYUAN_2


def test_statistics_totals_alone_are_the_tables_totals():
    world = build_world()
    assert campaign_totals(campaign=world.campaign) == TAIYUAN_1 + TAIYUAN_2 + DATONG_1
    assert (
        campaign_totals(campaign=world.campaign, reporting_unit=world.tree["taiyuan"])
        == TAIYUAN_1 + TAIYUAN_2
    )
    assert campaign_totals(campaign=world.campaign, reporting_unit=world.tree["datong"]) == DATONG_1


def test_statistics_quota_use_is_submitted_over_seats():
    world = build_world()
    statistics = campaign_statistics(campaign=world.campaign)
    assert _figures(statistics, "太原市通讯站", 1).quota_use == 75  # 3 of 4
    assert _figures(statistics, "太原市通讯站", 2).quota_use == 0  # 0 of 2
    assert _figures(statistics, "大同市通讯站", 1).quota_use == 50  # 1 of 2
    assert _figures(statistics, "太原市通讯站", 3).quota_use is None  # no seats
    assert statistics.total.quota_use == round(100 * 4 / 8)


def test_statistics_of_one_unit_holds_only_that_unit():
    world = build_world()
    statistics = campaign_statistics(campaign=world.campaign, reporting_unit=world.tree["datong"])
    assert [r.unit.name for r in statistics.units] == ["大同市通讯站"]
    assert statistics.total == DATONG_1


def test_statistics_province_page_shows_every_unit_with_totals_and_charts(client):
    world = build_world()
    client.force_login(world.province)
    response = client.get(reverse("review:statistics"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "太原市通讯站" in text and "大同市通讯站" in text and "全省合计" in text
    assert '<svg class="bar"' in text  # the charts are drawn on the server
    # 学员标兵's seats used: 4 of 6 (太原 3 of 4, 大同 1 of 2); 太原's bar of nominations is the longest.
    assert 'aria-label="学员标兵：67%"' in text and '<rect class="bar-fill" width="67%"' in text
    assert 'aria-label="太原市通讯站：9"' in text and '<rect class="bar-fill" width="100%"' in text
    assert "<script" not in text.split("<main>", 1)[1]


def test_statistics_reviewer_sees_only_his_own_unit(client):
    world = build_world()
    client.force_login(world.datong)
    response = client.get(reverse("review:statistics"))
    assert response.status_code == 302
    assert response["Location"] == reverse("review:statistics_unit", args=[world.tree["datong"].pk])
    page = client.get(response["Location"]).content.decode()
    assert "大同市通讯站" in page and "太原市通讯站" not in page
    taiyuan = world.tree["taiyuan"].pk
    assert client.get(reverse("review:statistics_unit", args=[taiyuan])).status_code == 404
    assert client.get(reverse("review:statistics_unit_export", args=[taiyuan])).status_code == 404
    assert client.get(reverse("review:statistics_export")).status_code == 403


def test_statistics_refused_to_a_unit_admin(client):
    world = build_world()
    client.force_login(world.unit_admin)
    assert client.get(reverse("review:statistics")).status_code == 403
    assert client.get(reverse("review:statistics_unit", args=[world.tree["taiyuan"].pk])).status_code == 403


def _sheet_rows(content: bytes) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return list(book["统计"].iter_rows(values_only=True))


def test_statistics_xlsx_reads_back_with_the_figures(client):
    world = build_world()
    client.force_login(world.province)
    response = client.get(reverse("review:statistics_export"))
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    rows = _sheet_rows(response.content)
    assert rows[2] == HEADERS == ("报送单位", "项目", "草稿", "申报数", "符合条件", "已报送", "名额", "名额使用", "拟入选", "已表扬")  # fmt: skip
    by_key = {(r[0], r[1]): r[2:] for r in rows[3:]}
    assert by_key[("太原市通讯站", "学员标兵")] == (1, 8, 5, 3, 4, 0.75, 2, 1)
    assert by_key[("太原市通讯站", "挑战达人")] == (0, 0, 0, 0, 0, None, 0, 0)
    assert by_key[("大同市通讯站", "学员标兵")] == (0, 1, 1, 1, 2, 0.5, 0, 0)
    assert by_key[("太原市通讯站", "小计")] == (1, 9, 5, 3, 6, 0.5, 2, 1)
    assert by_key[("全省合计", "学员标兵")] == (1, 9, 6, 4, 6, round(4 / 6, 2), 2, 1)
    assert by_key[("全省合计", "合计")] == (1, 10, 6, 4, 8, 0.5, 2, 1)


def test_statistics_unit_xlsx_of_the_reviewers_unit(client):
    world = build_world()
    client.force_login(world.taiyuan)
    response = client.get(reverse("review:statistics_unit_export", args=[world.tree["taiyuan"].pk]))
    assert response.status_code == 200
    rows = _sheet_rows(response.content)
    units = {r[0] for r in rows[3:]}
    assert units == {"太原市通讯站"}
    assert "（太原市通讯站）" in rows[0][0]


def test_statistics_xlsx_escapes_a_unit_name_that_looks_like_a_formula():
    world = build_world()
    make_org(name="=HYPERLINK(1)", level=OrgLevel.REPORTING_UNIT, parent=world.tree["province"], code="X")
    filename, content = export_statistics(campaign=world.campaign)
    assert filename.endswith("统计（全省）.xlsx")
    assert ("'=HYPERLINK(1)", "小计") in {(r[0], r[1]) for r in _sheet_rows(content)}


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_statistics_query_count_is_the_same_for_1_and_3_units(client):
    world = build_world()
    client.force_login(world.province)
    url = reverse("review:statistics")
    before = _queries(client, url)
    for index in range(2):
        unit = make_org(name=f"新增{index}", level=OrgLevel.REPORTING_UNIT, parent=world.tree["province"])
        school = make_org(name=f"新增学校{index}", level=OrgLevel.UNIT, parent=unit)
        make_nomination(campaign=world.campaign, recommending_org=school, state=S.SUBMITTED)
    assert _queries(client, url) == before
    assert _queries(client, reverse("review:statistics_export")) <= before

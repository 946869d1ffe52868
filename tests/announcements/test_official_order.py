"""Every official list a person reads — the 公示 page, the final list page, the province's final list and
its XLSX export — by category, then in surname stroke order (姓氏笔画), units by the same rule."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jixing.announcements.domain.exports import export_final_list, final_entries
from jixing.announcements.domain.publishing import publish
from jixing.announcements.models import AnnouncementEntry
from jixing.nominations.enums import NominationState as S
from tests.announcements.helpers import evaluated, listed
from tests.factories import make_learner
from tests.portal.conftest import open_phase

pytestmark = pytest.mark.django_db

PERSONS = ["陈龙", "郝雪红", "贾兰霞"]  # 陈 7, 郝 9, 贾 10 strokes
UNITS = ["大同市第二中学", "清徐县第一中学"]  # 大 3, 清 11 strokes


@pytest.fixture
def published(world):
    """学员标兵 贾兰霞 and 郝雪红 of 太原 and 陈龙 of 大同; 模范学习组织 of both cities; all published."""
    open_phase(world.campaign, "announce")
    for account, name in (("A1", "贾兰霞"), ("A2", "郝雪红"), ("D1", "陈龙")):
        world.learners[account].name = name
        world.learners[account].save(update_fields=["name"])
    world.learners["A3"] = make_learner(
        snapshot=world.snapshot, org=world.tree["school"], account_id="A3", name="单位联系人"
    )
    persons = [
        listed(world, "A1", state=S.SELECTED),
        listed(world, "A2", state=S.SELECTED),
        listed(world, "D1", org="datong_school", state=S.SELECTED),
    ]
    units = [
        listed(world, "A3", category=9, org=org, state=S.SELECTED, nominee_org=world.tree[org],
               nominee_account="", nominee_name="")
        for org in ("school", "datong_school")
    ]  # fmt: skip
    evaluated(world, *persons, *units)
    for nomination in (persons[1], *units):
        nomination.status = "needs_review"  # their full facts (unit size, members) are beside the point
        nomination.save(update_fields=["status"])
    publish(campaign=world.campaign, actor=world.users.province)
    return persons + units


def _names(body: str) -> list[str]:
    return re.findall(r'<div class="who"><b>(.*?)</b>', body)


def _commend(nominations):
    for n in nominations:
        n.refresh_from_db()
        n.state = S.COMMENDED
        n.save(update_fields=["state"])


def test_publication_order_is_not_already_stroke_order(published):
    # What the lists below reorder: publication numbers the entries by reporting unit and rank.
    positions = list(AnnouncementEntry.objects.order_by("position").values_list("display_name", flat=True))
    assert positions[:3] != PERSONS and positions[3:] != UNITS


def test_public_list_page_is_in_stroke_order_within_each_category(client, published):
    body = client.get(reverse("public:announcement")).content.decode()
    assert _names(body) == PERSONS + UNITS
    assert body.index("学员标兵") < body.index("陈龙") < body.index("贾兰霞") < body.index("模范学习组织")
    assert "同一项目内按姓氏笔画排序" in body


def test_final_list_page_is_in_stroke_order(client, published):
    _commend(published)
    body = client.get(reverse("public:final")).content.decode()
    assert _names(body) == PERSONS + UNITS
    assert "同一项目内按姓氏笔画排序" in body


def test_final_entries_and_their_export_are_in_stroke_order(world, published):
    _commend(published)
    assert [e.name for e in final_entries(campaign=world.campaign)] == PERSONS + UNITS
    _, content = export_final_list(campaign=world.campaign, actor=world.users.province)
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [(r[0], r[1], r[3]) for r in rows] == [
        (1, "学员标兵", "陈龙"),
        (2, "学员标兵", "郝雪红"),
        (3, "学员标兵", "贾兰霞"),
        (4, "模范学习组织", "大同市第二中学"),
        (5, "模范学习组织", "清徐县第一中学"),
    ]

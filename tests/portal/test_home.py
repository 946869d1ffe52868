"""Each role's home page is its work list: what waits for it, counted and linked, the next deadline of the
running campaign in Beijing time, and the statistics figures that matter to the role."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jixing.accounts.enums import UserRole
from jixing.announcements.models import Objection
from jixing.campaigns.domain.phases import next_deadline
from jixing.campaigns.models import Quota
from jixing.eligibility.outcomes import Status
from jixing.nominations.enums import ListState
from jixing.nominations.enums import NominationState as S
from jixing.nominations.models import RecommendationList
from tests.factories import make_campaign, make_nomination, make_small_province, make_user

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _apply_ends_in_three_days(campaign) -> datetime:
    """申报推荐 runs now and ends at 16:00 (Beijing) three days from today; the later phases follow."""
    today = timezone.localtime(timezone.now(), SHANGHAI).date()
    ends = datetime(today.year, today.month, today.day, 16, tzinfo=SHANGHAI) + timedelta(days=3)
    starts = timezone.now() - timedelta(days=1)
    for phase in campaign.phases.order_by("position"):
        if phase.key == "baseline":
            phase.starts_at, phase.ends_at = starts - timedelta(days=10), starts - timedelta(days=9)
        elif phase.key == "apply":
            phase.starts_at, phase.ends_at = starts, ends
        else:
            phase.starts_at = ends + timedelta(days=10 * phase.position)
            phase.ends_at = phase.starts_at + timedelta(days=5)
        phase.save()
    return ends


@pytest.fixture
def world():
    tree = make_small_province()
    campaign = make_campaign()
    ends = _apply_ends_in_three_days(campaign)
    users = {
        "province": make_user(username="p", role=UserRole.PROVINCE_ADMIN, org=tree["province"]),
        "taiyuan": make_user(username="ty", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"]),
        "datong": make_user(username="dt", role=UserRole.REPORTING_REVIEWER, org=tree["datong"]),
        "school": make_user(username="s", role=UserRole.UNIT_ADMIN, org=tree["school"]),
        "learner": make_user(username="l", role=UserRole.LEARNER, org=tree["dept"], account_id="A1"),
    }
    Quota.objects.filter(campaign=campaign).update(seats=0)
    Quota.objects.filter(campaign=campaign, reporting_unit=tree["taiyuan"], category__number=1).update(
        seats=3
    )
    return tree, campaign, users, ends


def _nominate(world, state, *, org="school", number=1, **fields):
    tree, campaign, _, _ = world
    return make_nomination(
        campaign=campaign, recommending_org=tree[org], category_number=number, state=state, **fields
    )


def _work(client, user) -> dict[str, tuple[str, str]]:
    """The work list of the home page: label → (what it says at the right, link)."""
    client.force_login(user)
    page = client.get(reverse("portal:home")).content.decode()
    section = page.split('id="worklist"', 1)[1].split("</section>", 1)[0]
    items = re.findall(
        r'<li class="\w+">(?:<a href="([^"]*)">)?([^<]+)(?:</a>)?<b class="todo-count">([^<]+)</b>', section
    )
    return {label: (shown, link.replace("&amp;", "&")) for link, label, shown in items}


def _deadline_text(ends: datetime) -> str:
    local = ends.astimezone(SHANGHAI)
    return f"申报推荐截止：{local.year}年{local.month}月{local.day}日 16:00（还有 3 天）"


def test_home_of_a_learner_lists_his_returned_and_waiting_applications(client, world):
    _, _, users, ends = world
    learner = users["learner"]
    _nominate(world, S.RETURNED, nominee_account="A1")
    _nominate(world, S.AWAITING_UNIT, number=2, nominee_account="A1")
    _nominate(world, S.DRAFT, number=3, created_by=learner)
    _nominate(world, S.RETURNED, number=7, nominee_account="B9")  # another learner's
    nominations = reverse("portal:nomination_list")
    assert _work(client, learner) == {
        "退回给我修改的申请": ("1 个", f"{nominations}?state={S.RETURNED.value}"),
        "等待单位确认的申请": ("1 个", f"{nominations}?state={S.AWAITING_UNIT.value}"),
        "尚未提交的草稿": ("1 个", f"{nominations}?state={S.DRAFT.value}"),
    }
    page = client.get(reverse("portal:home")).content.decode()
    assert _deadline_text(ends) in page
    assert 'id="figures"' not in page  # no statistics for a learner


def test_home_of_a_unit_admin_lists_applications_to_confirm(client, world):
    _, _, users, ends = world
    _nominate(world, S.AWAITING_UNIT, nominee_account="A1")
    _nominate(world, S.AWAITING_UNIT, number=2, nominee_account="A2")
    _nominate(world, S.RETURNED, number=3)
    _nominate(world, S.DRAFT, number=7)
    _nominate(world, S.DRAFT, number=8)
    _nominate(world, S.AWAITING_UNIT, org="datong_school")  # another unit's
    work = _work(client, users["school"])
    assert {label: shown for label, (shown, _) in work.items()} == {
        "学员本人申报，等待本单位确认": "2 个",
        "被退回修改的申报": "1 个",
        "尚未提交的草稿": "2 个",
    }
    assert work["学员本人申报，等待本单位确认"][1].endswith(f"?state={S.AWAITING_UNIT.value}")
    assert _deadline_text(ends) in client.get(reverse("portal:home")).content.decode()


def test_home_of_a_reviewer_lists_what_to_screen_and_his_units_figures(client, world):
    tree, _, users, ends = world
    _nominate(world, S.SUBMITTED, status=Status.ELIGIBLE.value)
    _nominate(world, S.SUBMITTED, number=2, status=Status.NEEDS_REVIEW.value)
    _nominate(world, S.SUBMITTED, number=3, status=Status.NEEDS_REVIEW.value)
    _nominate(world, S.RECOMMENDED, number=7, status=Status.ELIGIBLE.value)
    _nominate(world, S.SUBMITTED, org="datong_school")  # 大同's
    work = _work(client, users["taiyuan"])
    screening = reverse("review:screening")
    assert work == {
        "已申报、等待审核的申报": ("3 个", screening),
        "其中有条件需要人工核对的申报": ("2 个", screening),
        "推荐总表报送省平台": ("尚未报送", reverse("review:list", args=[tree["taiyuan"].pk])),
    }
    page = client.get(reverse("portal:home")).content.decode()
    assert _deadline_text(ends) in page
    figures = page.split('id="figures"', 1)[1].split("</section>", 1)[0]
    assert "<b>5</b>申报数" not in figures  # 大同's nomination is not his
    assert "<b>4</b>申报数" in figures and "<b>2</b>符合条件" in figures and "（名额 3）" in figures
    assert reverse("review:statistics_unit", args=[tree["taiyuan"].pk]) in figures
    # Plain words only: no engine words or rule ids on the home page.
    assert "待人工判定" not in page and not re.search(r"\bG\.\d", page)


def test_home_of_a_reviewer_says_when_his_list_is_sent(client, world):
    tree, campaign, users, _ = world
    RecommendationList.objects.create(
        campaign=campaign, reporting_unit=tree["taiyuan"], state=ListState.SUBMITTED
    )
    work = _work(client, users["taiyuan"])
    assert work["推荐总表报送省平台"][0] == "已报送"


def test_home_of_the_province_lists_lists_objections_and_approvals(client, world):
    tree, campaign, users, ends = world
    RecommendationList.objects.create(
        campaign=campaign, reporting_unit=tree["taiyuan"], state=ListState.SUBMITTED
    )
    RecommendationList.objects.create(campaign=campaign, reporting_unit=tree["datong"], state=ListState.OPEN)
    _nominate(world, S.RECOMMENDED, status=Status.ELIGIBLE.value)
    published = _nominate(world, S.PUBLISHED, number=2, status=Status.ELIGIBLE.value)
    _nominate(world, S.PUBLISHED, number=3)
    _nominate(world, S.APPROVED, number=7)
    for receipt in ("R1", "R2"):
        Objection.objects.create(nomination=published, receipt=receipt, name="赵六", phone="13900000000",
                                 content="积分有误", received_at=timezone.now())  # fmt: skip
    Objection.objects.create(nomination=published, receipt="R3", name="钱七", phone="13900000001",
                             content="重复", received_at=timezone.now(), outcome="dismissed")  # fmt: skip
    assert _work(client, users["province"]) == {
        "已收到的推荐总表（共 2 个报送单位）": ("1 份", reverse("review:province_lists")),
        "已报送、等待确定拟入选的申报": ("1 个", reverse("review:province_lists")),
        "公示期间收到、尚未处理的异议": ("2 件", reverse("review:province_objections")),
        "公示中、等待登记审批的申报": ("2 个", reverse("review:province_approval")),
        "已审批、等待通报表扬的申报": ("1 个", reverse("review:province_commendation")),
    }
    page = client.get(reverse("portal:home")).content.decode()
    figures = page.split('id="figures"', 1)[1].split("</section>", 1)[0]
    assert "<b>4</b>申报数" in figures and "<b>2</b>符合条件" in figures and "<b>4</b>已报送" in figures
    assert reverse("review:statistics") in figures
    assert _deadline_text(ends) in page


def test_next_deadline_between_phases_is_the_next_start():
    campaign = make_campaign()
    apply, screen = campaign.phases.get(key="apply"), campaign.phases.get(key="screen")
    screen.starts_at = datetime(2026, 12, 14, 8, 30, tzinfo=SHANGHAI)
    screen.save()
    apply.ends_at = datetime(2026, 12, 9, 16, tzinfo=SHANGHAI)
    apply.save()
    campaign.phases.filter(key__in=["announce", "commend"]).update(
        starts_at=datetime(2027, 1, 1, tzinfo=SHANGHAI)
    )
    deadline = next_deadline(campaign, now=datetime(2026, 12, 10, 9, tzinfo=SHANGHAI))
    assert deadline is not None and deadline.phase.key == "screen" and not deadline.is_end
    assert deadline.text == f"{screen.name}开始：2026年12月14日 08:30（还有 4 天）"


def test_next_deadline_on_its_last_day_says_today():
    campaign = make_campaign()
    apply = campaign.phases.get(key="apply")
    deadline = next_deadline(campaign, now=apply.ends_at - timedelta(minutes=30))
    assert deadline is not None and deadline.is_end and deadline.days_left == 0
    assert deadline.text.endswith("（今天）")


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("portal:home")).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["learner", "school", "taiyuan", "province"])
def test_home_query_count_is_the_same_for_1_and_3_rows(client, world, role):
    client.force_login(world[2][role])
    _nominate(world, S.AWAITING_UNIT, nominee_account="A1", status=Status.NEEDS_REVIEW.value)
    one = _queries(client)
    _nominate(world, S.RETURNED, number=2, nominee_account="A1")
    _nominate(world, S.SUBMITTED, number=3, nominee_account="A1")
    assert _queries(client) == one

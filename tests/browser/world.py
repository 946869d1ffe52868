"""The walk's world: a small province with the shipped 2022 campaign, and a clock that lets days pass.

Built with the plain factories rather than the demo generator: the demo deliberately holds ineligible
and doubly chosen nominations in every state, and publishing or approving acts on the whole campaign,
so a walk through it would first have to clear up the demo's cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar
from django.utils import timezone

from jixing.accounts.enums import UserRole
from jixing.accounts.models import User
from jixing.announcements.models import Announcement
from jixing.campaigns.domain.definitions import install_campaign, read_definition
from jixing.campaigns.enums import PhaseKey
from jixing.campaigns.models import Campaign
from jixing.demo.phases import demo_windows
from jixing.orgs.models import Org
from jixing.people.models import Learner
from tests.factories import make_learner, make_small_province, make_snapshot, make_user

PASSWORD = "pw-for-tests-only"  # tests.factories.make_user's
SLUG = "shanxi-2022-walk"


class CampaignClock:
    """Days passing, for a live server that reads the real clock: the campaign's windows move back as
    if the days had gone by, and so do the objection windows of its published lists (stored with the
    announcement when it is published). Whole days, so that each window keeps its time of day."""

    def __init__(self, definition: dict) -> None:
        self.definition = definition
        self.shift: timedelta | None = None

    def enter(self, phase: PhaseKey) -> Campaign:
        """Let the days pass until now is about a third into `phase` (as `jixing demo-data --phase`)."""
        return self._move(demo_windows(self.definition, phase=phase, now=timezone.now()).shift)

    def close_objection_windows(self, campaign: Campaign) -> Campaign:
        """Let the days pass until every objection window of the campaign has ended."""
        last = max(a.ends_on for a in Announcement.objects.filter(campaign=campaign))
        days = (last - timezone.localdate()).days + 1
        return self._move(self.shift - timedelta(days=max(days, 0)))

    def _move(self, shift: timedelta) -> Campaign:
        passed = timedelta() if self.shift is None else self.shift - shift
        assert passed >= timedelta(), f"time does not run backwards ({passed})"
        campaign = install_campaign(self.definition, slug=SLUG, shift=shift)
        for announcement in Announcement.objects.filter(campaign=campaign):
            announcement.starts_on -= passed
            announcement.ends_on -= passed
            announcement.window_starts_at -= passed
            announcement.window_ends_at -= passed
            announcement.save()
        self.shift = shift
        return campaign


def _definition() -> dict:
    """The shipped 2022 definition. The walk publishes today, whatever today is: for a year that
    chinese-calendar does not know yet, the definition gets a table of plain weekends, as a definition
    for such a year must carry one (campaigns/domain/calendar.py)."""
    definition = read_definition("shanxi-2022")
    this_year = timezone.localdate().year
    for year in (this_year, this_year + 1):
        try:
            chinese_calendar.is_workday(date(year, 1, 1))
        except NotImplementedError:
            definition.setdefault("calendar", {})[str(year)] = {"holidays": [], "workdays": []}
    return definition


@dataclass
class Province:
    tree: dict[str, Org]
    nominee: Learner
    users: dict[str, User]
    clock: CampaignClock
    campaign: Campaign


def build_province() -> Province:
    """省 → 太原 (报送单位) → 清徐县 → 清徐县第一中学 (独立法人, 40 学员) → 高一年级组, with a snapshot whose
    top learner of the school meets every rule of 学员标兵 but G.1 (a reviewer confirms the pledge);
    accounts named as the demo's; the campaign in 申报推荐."""
    tree = make_small_province()
    snapshot = make_snapshot()
    facts = {"is_real_name": True, "is_shanxi_phone": True}
    nominee = make_learner(
        snapshot=snapshot,
        org=tree["dept"],
        account_id="14010086",
        name="王晓明",
        total_points=36512,
        annual_points=12840,
        national_total_rank=2315,
        national_annual_rank=1876,
        phone_masked="100****0086",
        id_masked="140121********0086",
        **facts,
    )
    make_learner(
        snapshot=snapshot,
        org=tree["school"],
        account_id="14010087",
        name="赵丽",
        total_points=21408,
        annual_points=9120,
        national_total_rank=48211,
        **facts,
    )
    users = {
        "school": make_user(
            username="school", role=UserRole.UNIT_ADMIN, org=tree["school"], full_name="李老师"
        ),
        "taiyuan": make_user(
            username="taiyuan", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"], full_name="太原审核员"
        ),
        "province": make_user(
            username="province", role=UserRole.PROVINCE_ADMIN, org=tree["province"], full_name="省平台管理员"
        ),
    }
    clock = CampaignClock(_definition())
    campaign = clock.enter(PhaseKey.APPLY)
    return Province(tree=tree, nominee=nominee, users=users, clock=clock, campaign=campaign)

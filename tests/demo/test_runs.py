"""Running `jixing demo-data` again: same rows, windows moved, foreign data refused."""

import hashlib
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management.base import CommandError

from jixing.accounts.domain.claim import ClaimRequest, claim_account
from jixing.accounts.enums import UserRole
from jixing.accounts.models import User
from jixing.announcements.models import Announcement, AnnouncementEntry, Approval
from jixing.campaigns.models import Campaign, Phase, Quota
from jixing.nominations.domain.transitions import ON_SUBMITTED_LIST
from jixing.nominations.enums import ListState
from jixing.nominations.enums import NominationState as S
from jixing.nominations.models import (
    Attachment,
    ListEntry,
    Nomination,
    RecommendationList,
    RuleDecision,
    SealedScan,
)
from jixing.orgs.enums import OrgLevel
from jixing.orgs.models import Org
from jixing.people.models import Learner, Role, Snapshot
from tests.demo.conftest import NOW
from tests.factories import make_org

pytestmark = pytest.mark.django_db


def _checksum(rows) -> str:
    return hashlib.sha256(repr(sorted(rows)).encode()).hexdigest()


def _snapshot_of_database() -> dict[str, object]:
    learners = Learner.objects.values_list(
        "account_id", "name", "phone_masked", "id_masked", "person_key", "org__code", "total_points", "annual_points",
        "national_total_rank", "national_annual_rank", "perfect_clearances", "is_real_name", "is_shanxi_phone",
        "is_platform_staff",
    )  # fmt: skip
    orgs = Org.objects.values_list(
        "code", "name", "parent__code", "level", "unit__code", "reporting_unit__code", "depth", "members", "staff",
        "uscc", "daily_active_rate", "articles_submitted",
    )  # fmt: skip
    roles = Role.objects.values_list("account_id", "org__code", "kind", "is_full_time", "training_hours")
    nominations = Nomination.objects.values_list(
        "number", "category__number", "state", "nominee_account", "nominee_org__code", "recommending_org__code",
        "reporting_unit__code", "typed_total_points", "typed_annual_points", "summary", "submitted_at",
    )  # fmt: skip
    return {
        "counts": [
            m.objects.count()
            for m in (
                Org,
                Learner,
                Snapshot,
                Role,
                Nomination,
                Attachment,
                RuleDecision,
                User,
                Campaign,
                Phase,
                Quota,
                RecommendationList,
                ListEntry,
                SealedScan,
                Announcement,
                AnnouncementEntry,
                Approval,
            )
        ],
        "learners": _checksum(learners),
        "orgs": _checksum(orgs),
        "roles": _checksum(roles),
        "nominations": _checksum(nominations),
    }


def test_demo_data_runs_each_phase_as_far_as_now_and_again_gives_the_same_rows(demo_data):
    # One walk through the phases (each run takes seconds): what each phase shows, windows moved in place,
    # and back in 申报推荐 the same rows as the first run.
    demo_data()
    campaign = Campaign.objects.get(slug="shanxi-2022-demo")
    assert campaign.is_active and campaign.phase_at(NOW).key == "apply"
    states = set(Nomination.objects.values_list("state", flat=True))
    assert states == {S.DRAFT, S.AWAITING_UNIT, S.SUBMITTED, S.RETURNED, S.REJECTED}
    assert not RecommendationList.objects.exists() and not Announcement.objects.exists()
    # An account made by hand keeps its place in the tree across runs (re-attached by org code).
    User.objects.create_user(username="helper", password="x" * 12, org=Org.objects.get(code="1402"))
    first = _snapshot_of_database()

    demo_data(phase="审核报送")
    assert campaign.phase_at(NOW).key == "screen"
    assert set(Nomination.objects.values_list("state", flat=True)) - {
        S.DRAFT,
        S.AWAITING_UNIT,
        S.SUBMITTED,
        S.RETURNED,
        S.REJECTED,
    } == {S.RECOMMENDED}
    assert RecommendationList.objects.filter(state=ListState.SUBMITTED).count() == 15
    # The `taiyuan` account's list is still open: picked, not yet scanned or sent.
    mine = RecommendationList.objects.get(state=ListState.OPEN)
    assert User.objects.get(username="taiyuan").org_id == mine.reporting_unit_id
    assert mine.entries.exists() and not mine.scans.exists()
    assert set(mine.entries.values_list("nomination__state", flat=True)) == {S.SUBMITTED}
    assert not Announcement.objects.exists()

    demo_data(phase="announce")
    states = set(Nomination.objects.values_list("state", flat=True))
    assert {S.SELECTED, S.NOT_SELECTED, S.PUBLISHED, S.WITHDRAWN} <= states
    assert not states & {S.APPROVED, S.COMMENDED} and not Approval.objects.exists()
    announcement = Announcement.objects.get()
    assert announcement.published_at <= NOW and announcement.is_open(NOW)  # objections can be tried
    assert set(
        Nomination.objects.filter(state__in=ON_SUBMITTED_LIST).values_list(
            "list_entry__recommendation_list__state", flat=True
        )
    ) == {ListState.SUBMITTED}

    demo_data(phase="commend")
    assert campaign.phase_at(NOW).key == "commend"
    assert User.objects.get(username="helper").org.code == "1402"
    # The windows moved in place: still one demo campaign, the historical one untouched and inactive.
    assert Campaign.objects.count() == 2 and Phase.objects.count() == 10
    historical = Campaign.objects.get(slug="shanxi-2022")
    assert not historical.is_active
    assert historical.phases.get(key="apply").ends_at.isoformat() == "2023-01-09T08:00:00+00:00"

    demo_data(phase="apply")
    assert _snapshot_of_database() == first


def test_demo_data_counts_the_objection_window_as_the_product_does_or_refuses(demo_data):
    # No weekday guess for a year neither chinese-calendar nor the definition knows: the product would
    # refuse to publish the 公示 then, and so does the demo, before touching the database.
    with pytest.raises(CommandError, match="2027年的法定节假日安排未知"):
        demo_data(phase="announce", now=datetime(2027, 3, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai")))
    assert not Org.objects.exists()


def test_demo_data_refuses_a_database_with_other_orgs(demo_data):
    make_org(name="某市", level=OrgLevel.REPORTING_UNIT, code="X1")
    with pytest.raises(CommandError, match="--force"):
        demo_data()
    assert Org.objects.count() == 1
    demo_data(force=True)
    assert not Org.objects.filter(code="X1").exists()


def test_demo_data_names_a_learner_who_can_claim_an_account_by_hand(demo_data):
    # `make demo` prints a learner of the demo school with no account yet and his made-up ID number, so
    # that whoever tries the product can claim an account as a learner would.
    report = demo_data()
    found = re.search(r"输入学号 (\S+)、姓名 (\S+)、身份证号 (\w+)（均为虚构）", report)
    assert found is not None, report
    account_id, name, id_number = found.groups()
    school = User.objects.get(username="school").org
    learner = Learner.objects.get(snapshot__is_current=True, account_id=account_id)
    assert learner.name == name and learner.unit_id == school.pk
    assert not User.objects.filter(account_id=account_id).exists()
    user = claim_account(
        request=ClaimRequest(
            account_id=account_id, name=name, id_number=id_number, password="Claim-2026-demo"
        ),
        ip="127.0.0.1",
    )
    assert (user.role, user.org_id) == (UserRole.LEARNER, school.pk)

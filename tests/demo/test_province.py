"""Checks of one demo province (`jixing demo-data --learners 2000`), shared by the module."""

import re
from collections import Counter

import pytest
from django.db.models import Count
from django.urls import reverse
from stdnum.cn import ric, uscc

from jixing.accounts.enums import UserRole
from jixing.accounts.models import User
from jixing.announcements.domain.persons import person_keys
from jixing.announcements.models import Announcement, AnnouncementEntry, Approval
from jixing.campaigns.models import Campaign
from jixing.demo.accounts import DEMO_PASSWORD
from jixing.demo.generate import DEFAULT_SEED
from jixing.demo.learners import build_learners
from jixing.demo.orgs import build_org_tree
from jixing.demo.phases import DEMO_CONTACT, DEMO_SLUG
from jixing.nominations.domain.evaluation import evaluate_campaign
from jixing.nominations.domain.facts import SELECTED_STATES
from jixing.nominations.domain.transitions import ON_SUBMITTED_LIST
from jixing.nominations.enums import ListState, NominationState
from jixing.nominations.models import Attachment, ListEntry, Nomination, SealedScan
from jixing.orgs.enums import OrgLevel
from jixing.orgs.models import Org
from jixing.people.models import Learner, Snapshot
from tests.demo.conftest import SMALL

pytestmark = pytest.mark.django_db

CITIES = ["太原", "大同", "阳泉", "长治", "晋城", "朔州", "晋中", "运城", "忻州", "临汾", "吕梁"]
# A learner applies for himself (待单位确认) only in person categories his unit recommends.
SELF_APPLICABLE = {"学员标兵", "优秀学员", "挑战达人", "优秀志愿者"}


def test_demo_data_has_every_city_and_committee_as_reporting_unit(demo_province):
    reporting = Org.objects.filter(level=OrgLevel.REPORTING_UNIT)
    names = set(reporting.values_list("name", flat=True))
    assert {f"{city}市委宣传部通讯站" for city in CITIES} <= names
    assert len([n for n in names if "工委" in n or "国资委" in n]) == 5
    assert reporting.filter(is_station=True).count() == 16
    assert Org.objects.filter(level=OrgLevel.PROVINCE).get().name == "山西省"
    assert Org.objects.filter(level=OrgLevel.COUNTY, is_station=True).count() >= 33
    assert set(Org.objects.filter(level=OrgLevel.UNIT).values_list("sector", flat=True)) == {
        "党政机关", "事业单位", "人民团体", "企业", "高校", "中小学", "社会组织", "其他",
    }  # fmt: skip
    # Tree fields are filled: every node below the province knows its reporting unit.
    assert not Org.objects.exclude(level=OrgLevel.PROVINCE).filter(reporting_unit=None).exists()
    assert Snapshot.objects.get(is_current=True).learners.count() == SMALL


def test_demo_data_has_every_category_in_every_state_the_commendation_leaves(demo_province):
    # The approval takes the whole 公示 and the commendation every approved nomination, as the product's
    # own operations do: once commended, nothing is left 公示中 or 审批通过 (公示中 shows in 汇总公示).
    left = set(NominationState.values) - {NominationState.PUBLISHED, NominationState.APPROVED}
    campaign = Campaign.objects.get(slug="shanxi-2022-demo")
    seen = set(Nomination.objects.filter(campaign=campaign).values_list("category__name", "state"))
    for category in campaign.categories.all():
        for state in left:
            if state == NominationState.AWAITING_UNIT and category.name not in SELF_APPLICABLE:
                continue
            assert (category.name, state) in seen, (category.name, state)
    assert {state for _, state in seen} == left
    assert 250 <= Nomination.objects.count() <= 450


def test_demo_data_numbers_are_synthetic(demo_province):
    # The snapshot stores masked numbers only; the full synthetic ones are in the plan (and the files).
    people = build_learners(DEFAULT_SEED, build_org_tree(DEFAULT_SEED), SMALL)
    assert all(re.fullmatch(r"100\d{8}", p.phone) for p in people)
    ids = [p.id_number for p in people if p.id_number]
    assert len(ids) > SMALL * 0.9
    for number in ids:
        assert ric.validate(number) == number
        assert number[:2] == "14" and number[4:6] == "00", number
    phones = set(Learner.objects.values_list("phone_masked", flat=True))
    assert all(re.fullmatch(r"100\*{4}\d{4}", phone) for phone in phones)
    masked_ids = [n for n in Learner.objects.values_list("id_masked", flat=True) if n]
    assert len(masked_ids) == len(ids)
    assert all(re.fullmatch(r"14\d\d\*{10}\d{3}[\dX]", n) for n in masked_ids)
    for code in Org.objects.exclude(uscc="").values_list("uscc", flat=True):
        assert uscc.validate(code) == code
    # G.2 material: some persons have two accounts.
    assert Learner.objects.values("person_key").annotate(n=Count("id")).filter(n__gt=1).exists()


def test_demo_data_accounts_sign_in_with_their_roles(demo_province, client):
    report = demo_province["report"]
    assert "jixing-demo-2022" in report and "http://127.0.0.1:8000" in report
    province = User.objects.get(username="province")
    assert province.is_superuser and province.role == UserRole.PROVINCE_ADMIN and province.org.level == "省级"
    assert User.objects.get(username="taiyuan").org.name == "太原市委宣传部通讯站"
    school = User.objects.get(username="school")
    assert school.role == UserRole.UNIT_ADMIN and school.org.level == OrgLevel.UNIT
    learner = User.objects.get(username="learner")
    row = Learner.objects.get(account_id=learner.account_id)
    assert row.org.unit_id == school.org_id
    assert Nomination.objects.filter(nominee_account=learner.account_id, state=NominationState.DRAFT).exists()
    volunteers = User.objects.get(username="volunteers")
    assert (volunteers.role, volunteers.org.level) == (UserRole.VOLUNTEER_MANAGER, "省级")
    # The demo's 优秀志愿者 scores are his, as if given on his page (plan 7.3).
    scored = Nomination.objects.exclude(judges_score=None)
    assert scored.exists() and set(scored.values_list("judges_scored_by", flat=True)) == {volunteers.pk}
    assert set(scored.values_list("category__number", flat=True)) == {7}
    # The demo's 联系方式 is made up, and shown on its public pages.
    demo = Campaign.objects.get(slug=DEMO_SLUG)
    assert (
        demo.contact == DEMO_CONTACT
        and "0351-0000000" in client.get(reverse("public:receipt_lookup")).content.decode()
    )
    for username in ("province", "taiyuan", "datong", "school", "learner", "volunteers"):
        assert client.login(username=username, password=DEMO_PASSWORD), username


def test_demo_data_attachments_have_files_of_their_own(demo_province):
    rows = list(Attachment.objects.values_list("file", "size", "content_type"))
    assert len(rows) > 300
    # One copy each: deleting an attachment in the demo deletes its file, and no other's.
    assert len({name for name, _, _ in rows}) == len(rows)
    for name, size, content_type in rows:
        assert name.startswith("demo/") and (demo_province["media_root"] / name).stat().st_size == size
        assert content_type in ("image/png", "application/pdf")
    scans = list(SealedScan.objects.values_list("file", "size"))
    assert scans and all((demo_province["media_root"] / name).stat().st_size == size for name, size in scans)
    assert sorted(p.name for p in (demo_province["media_root"] / "demo").iterdir()) == sorted(
        n[5:] for n, *_ in rows + scans
    )


def test_demo_data_nominations_show_every_eligibility_status(demo_province):
    campaign = Campaign.objects.get(slug="shanxi-2022-demo")
    evaluate_campaign(campaign)
    statuses = Counter(Nomination.objects.filter(campaign=campaign).values_list("status", flat=True))
    assert set(statuses) == {"eligible", "ineligible", "incomplete", "needs_review"}
    # Units mostly nominate who meets the rules: the reporting units' lists are mostly not ineligible.
    listed = Nomination.objects.filter(campaign=campaign, state__in=ON_SUBMITTED_LIST)
    assert listed.exclude(status="ineligible").count() > listed.count() / 2


def test_demo_data_public_pages_list_the_published_and_the_commended(demo_province, client):
    campaign = Campaign.objects.get(slug="shanxi-2022-demo")
    announcement = Announcement.objects.get(campaign=campaign)
    assert announcement.window_ends_at <= Approval.objects.get(campaign=campaign).recorded_at
    assert campaign.phase_at(announcement.published_at).key == "announce"
    on_list = {NominationState.PUBLISHED, NominationState.APPROVED, NominationState.COMMENDED}
    entries = list(AnnouncementEntry.objects.select_related("nomination"))
    published = Nomination.objects.filter(campaign=campaign, state__in=on_list | {NominationState.WITHDRAWN})
    assert {e.nomination_id for e in entries} == set(published.values_list("pk", flat=True))
    assert sorted(e.position for e in entries) == list(range(1, len(entries) + 1))
    page = client.get("/public/").content.decode()
    final = client.get("/public/final/").content.decode()
    for entry in entries:
        assert entry.display_name and entry.display_unit
        if entry.nomination.state in on_list:
            assert entry.display_name in page, entry.display_name
        if entry.nomination.state == NominationState.COMMENDED:
            assert entry.display_name in final, entry.display_name
    approval = Approval.objects.get(campaign=campaign)
    assert re.fullmatch(r"晋宣审〔\d{4}〕\d+号", approval.document_ref)
    assert (
        approval.nomination_count
        == published.exclude(state__in=(NominationState.PUBLISHED, NominationState.WITHDRAWN)).count()
    )


def test_demo_data_chooses_nobody_twice_and_nobody_the_product_would_refuse(demo_province):
    campaign = Campaign.objects.get(slug="shanxi-2022-demo")
    evaluate_campaign(campaign)
    chosen = list(Nomination.objects.filter(campaign=campaign, state__in=SELECTED_STATES))
    keys = list(person_keys(chosen).values())
    assert len(keys) == len(set(keys)) > 40  # G.3: one award per person
    assert [(n.number, n.status) for n in chosen if n.status in ("ineligible", "incomplete")] == []


def test_demo_data_listed_nominations_sit_on_submitted_lists(demo_province):
    # A withdrawn nomination keeps its entry: it was picked, sent up, chosen and published first.
    listed = Nomination.objects.filter(state__in=ON_SUBMITTED_LIST | {NominationState.WITHDRAWN})
    assert listed.filter(state=NominationState.WITHDRAWN).exists()
    entries = ListEntry.objects.select_related("recommendation_list", "nomination")
    assert {e.nomination_id for e in entries} == set(listed.values_list("pk", flat=True))
    for entry in entries:
        rl = entry.recommendation_list
        assert rl.state == ListState.SUBMITTED and rl.reporting_unit_id == entry.nomination.reporting_unit_id
        assert rl.scans.get().uploaded_at >= rl.changed_at and rl.submitted_at >= rl.scans.get().uploaded_at
    places = Counter((e.recommendation_list_id, e.category_id) for e in entries)
    for (list_id, category_id), n in places.items():
        positions = entries.filter(recommendation_list_id=list_id, category_id=category_id)
        assert sorted(positions.values_list("position", flat=True)) == list(range(1, n + 1))

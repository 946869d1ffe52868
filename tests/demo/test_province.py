"""Checks of one demo province (`jixing demo-data --learners 2000`), shared by the module."""

import re
from collections import Counter

import pytest
from django.db.models import Count
from stdnum.cn import ric, uscc

from jixing.accounts.enums import UserRole
from jixing.accounts.models import User
from jixing.campaigns.models import Campaign
from jixing.demo.accounts import DEMO_PASSWORD
from jixing.demo.generate import DEFAULT_SEED
from jixing.demo.learners import build_learners
from jixing.demo.orgs import build_org_tree
from jixing.nominations.domain.evaluation import evaluate_campaign
from jixing.nominations.enums import NominationState
from jixing.nominations.models import Attachment, Nomination
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


def test_demo_data_has_every_category_in_every_state(demo_province):
    campaign = Campaign.objects.get(slug="shanxi-2022-demo")
    seen = set(Nomination.objects.filter(campaign=campaign).values_list("category__name", "state"))
    for category in campaign.categories.all():
        for state in NominationState.values:
            if state == NominationState.AWAITING_UNIT and category.name not in SELF_APPLICABLE:
                continue
            assert (category.name, state) in seen, (category.name, state)
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
    for username in ("province", "taiyuan", "datong", "school", "learner"):
        assert client.login(username=username, password=DEMO_PASSWORD), username


def test_demo_data_attachments_have_files_of_their_own(demo_province):
    rows = list(Attachment.objects.values_list("file", "size", "content_type"))
    assert len(rows) > 300
    # One copy each: deleting an attachment in the demo deletes its file, and no other's.
    assert len({name for name, _, _ in rows}) == len(rows)
    for name, size, content_type in rows:
        assert name.startswith("demo/") and (demo_province["media_root"] / name).stat().st_size == size
        assert content_type in ("image/png", "application/pdf")
    assert sorted(p.name for p in (demo_province["media_root"] / "demo").iterdir()) == sorted(
        n[5:] for n, _, _ in rows
    )


def test_demo_data_nominations_show_every_eligibility_status(demo_province):
    campaign = Campaign.objects.get(slug="shanxi-2022-demo")
    evaluate_campaign(campaign)
    statuses = Counter(Nomination.objects.filter(campaign=campaign).values_list("status", flat=True))
    assert set(statuses) == {"eligible", "ineligible", "incomplete", "needs_review"}
    # Units mostly nominate who meets the rules: the reporting units' lists are mostly not ineligible.
    listed = Nomination.objects.filter(campaign=campaign, state=NominationState.RECOMMENDED)
    assert listed.exclude(status="ineligible").count() > listed.count() / 2

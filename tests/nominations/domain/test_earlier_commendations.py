"""Earlier commendations: a nominee's 已表扬 of earlier years, found by the keyed hash across 学号 changes,
and shown on the nomination page to its reviewers only."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixing.accounts.enums import UserRole
from jixing.campaigns.models import Campaign
from jixing.nominations.domain.earlier_commendations import EarlierCommendation, earlier_commendations
from jixing.nominations.enums import NominationState as S
from jixing.orgs.domain.tree import derive_tree_fields
from jixing.orgs.models import Org, OrgTree
from jixing.people.models import Learner, Snapshot
from tests.factories import make_campaign, make_nomination, make_small_province, make_user

pytestmark = pytest.mark.django_db


def _snapshot(tree: OrgTree | None) -> Snapshot:
    return Snapshot.objects.create(
        name="测试快照", taken_at=datetime(2023, 1, 3, 2, tzinfo=UTC), is_current=True, tree=tree
    )


def _learner(snapshot: Snapshot, org: Org, account_id: str, name: str, person_key: str) -> Learner:
    return Learner.objects.create(snapshot=snapshot, org=org, unit=org.unit, account_id=account_id, name=name,
                                  person_key=person_key, total_points=10000, annual_points=8000)  # fmt: skip


def _next_year_tree(first: dict[str, Org]) -> dict[str, Org]:
    """The 2023 tree: the same codes as the first tree's 太原 branch, rows of their own."""
    tree = OrgTree.objects.create(name="2023年度组织架构")
    copies: dict[str, Org] = {}
    for key in ("province", "taiyuan", "county", "school", "dept"):
        org = first[key]
        parent = next((c for k, c in copies.items() if first[k].pk == org.parent_id), None)
        copies[key] = Org.objects.create(tree=tree, code=org.code, name=org.name, level=org.level,
                                         parent=parent, is_station=org.is_station)  # fmt: skip
    # Derived over this tree's rows alone, as an import into the tree derives them.
    Org.objects.bulk_update(derive_tree_fields(copies.values()), ["path", "depth", "unit", "reporting_unit"])
    return {"tree": tree, **copies}


@pytest.fixture
def years():
    """2022 (the first tree) and 2023 (a tree of its own). 张三 was OLD1 in 2022 and is NEW1 in 2023: the
    same person_key. 2022: 张三 commended (学员标兵), 张三 approved only (优秀学员), 李四 commended, the
    school commended (模范供稿单位). 2023: 张三 and the school nominated again."""
    first = make_small_province()
    c2022 = make_campaign(slug="shanxi-2022")
    s2022 = _snapshot(None)
    _learner(s2022, first["dept"], "OLD1", "张三", "key-zhang")
    _learner(s2022, first["dept"], "B1", "李四", "key-li")
    school = first["school"]
    zhang_2022 = make_nomination(campaign=c2022, recommending_org=school, state=S.COMMENDED, number="2022-001",
                                 nominee_account="OLD1", nominee_name="张三")  # fmt: skip
    make_nomination(campaign=c2022, recommending_org=school, category_number=2, state=S.APPROVED,
                    number="2022-002", nominee_account="OLD1", nominee_name="张三")  # fmt: skip
    make_nomination(campaign=c2022, recommending_org=school, state=S.COMMENDED, number="2022-003",
                    nominee_account="B1", nominee_name="李四")  # fmt: skip
    make_nomination(campaign=c2022, recommending_org=school, category_number=8, state=S.COMMENDED,
                    number="2022-008", nominee_org=school, nominee_name=school.name)  # fmt: skip

    nxt = _next_year_tree(first)
    c2023 = make_campaign(slug="shanxi-2023")
    Campaign.objects.filter(pk=c2023.pk).update(year=2023, name="2023年度学习之星", org_tree=nxt["tree"])
    c2023.refresh_from_db()
    s2023 = _snapshot(nxt["tree"])
    _learner(s2023, nxt["dept"], "NEW1", "张三", "key-zhang")
    zhang_2023 = make_nomination(campaign=c2023, recommending_org=nxt["school"], number="2023-001",
                                 nominee_account="NEW1", nominee_name="张三")  # fmt: skip
    unit_2023 = make_nomination(campaign=c2023, recommending_org=nxt["school"], category_number=8,
                                number="2023-008", nominee_org=nxt["school"], nominee_name=school.name)  # fmt: skip
    return SimpleNamespace(first=first, next=nxt, c2022=c2022, c2023=c2023, zhang_2022=zhang_2022,
                           zhang_2023=zhang_2023, unit_2023=unit_2023)  # fmt: skip


def test_earlier_commendations_find_the_person_under_a_new_account_by_the_keyed_hash(years):
    assert earlier_commendations(years.zhang_2023) == [
        EarlierCommendation(
            campaign_name=years.c2022.name,
            campaign_year=2022,
            category_name="学员标兵",
            number="2022-001",
            name="张三",
            unit_name="清徐县第一中学",
        )  # fmt: skip
    ]


def test_earlier_commendations_leave_out_other_people_and_states_short_of_commended(years):
    numbers = [c.number for c in earlier_commendations(years.zhang_2023)]
    assert ("2022-002" in numbers, "2022-003" in numbers) == (False, False)


def test_earlier_commendations_never_list_a_later_campaign(years):
    make_nomination(campaign=years.c2023, recommending_org=years.next["school"], category_number=3,
                    state=S.COMMENDED, number="2023-003", nominee_account="NEW1", nominee_name="张三")  # fmt: skip
    assert earlier_commendations(years.zhang_2022) == []


def test_earlier_commendations_find_a_unit_by_its_code_in_the_earlier_tree(years):
    assert [(c.number, c.category_name, c.unit_name) for c in earlier_commendations(years.unit_2023)] == [
        ("2022-008", "模范供稿单位", "清徐县第一中学")
    ]


def test_earlier_commendations_are_newest_first(years):
    c2021 = make_campaign(slug="shanxi-2021")
    Campaign.objects.filter(pk=c2021.pk).update(year=2021)
    make_nomination(campaign=c2021, recommending_org=years.first["school"], state=S.COMMENDED,
                    number="2021-001", nominee_account="OLD1", nominee_name="张三")  # fmt: skip
    years_found = [(c.campaign_year, c.number) for c in earlier_commendations(years.zhang_2023)]
    assert years_found == [(2022, "2022-001"), (2021, "2021-001")]


@pytest.mark.parametrize("rows", [1, 3])
def test_earlier_commendations_take_the_same_queries_for_1_and_3_rows(years, rows):
    # 2022-001 is one row; more commended nominations of 张三 in 2022 add rows, not queries.
    for i in range(rows - 1):
        make_nomination(campaign=years.c2022, recommending_org=years.first["school"], category_number=3 + i,
                        state=S.COMMENDED, number=f"2022-10{i}", nominee_account="OLD1", nominee_name="张三")  # fmt: skip
    nomination = (
        type(years.zhang_2023).objects.select_related("campaign", "category").get(pk=years.zhang_2023.pk)
    )
    with CaptureQueriesContext(connection) as queries:
        found = earlier_commendations(nomination)
    # Earlier campaigns; our snapshot and key; per earlier campaign its snapshot, nominations, keys.
    assert (len(found), len(queries)) == (rows, 6)


def _page(client, user, nomination) -> str:
    client.force_login(user)
    response = client.get(reverse("portal:nomination_detail", args=[nomination.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_nomination_page_shows_earlier_commendations_to_its_reviewers(client, years):
    nxt = years.next
    reviewers = (
        make_user(username="province", role=UserRole.PROVINCE_ADMIN, org=nxt["province"]),
        make_user(username="taiyuan", role=UserRole.REPORTING_REVIEWER, org=nxt["taiyuan"]),
    )
    for user in reviewers:
        body = _page(client, user, years.zhang_2023)
        assert ("往年表扬记录" in body, "2022年度 学员标兵（编号 2022-001，清徐县第一中学）" in body) == (
            True,
            True,
        )


def test_nomination_page_says_when_there_is_no_earlier_commendation(client, years):
    province = make_user(username="province", role=UserRole.PROVINCE_ADMIN, org=years.first["province"])
    body = _page(client, province, years.zhang_2022)
    assert ("往年表扬记录" in body, "无往年表扬记录" in body) == (True, True)


def test_nomination_page_hides_earlier_commendations_from_the_unit(client, years):
    unit_admin = make_user(username="school", role=UserRole.UNIT_ADMIN, org=years.next["school"])
    body = _page(client, unit_admin, years.zhang_2023)
    assert ("张三" in body, "往年表扬记录" in body, "2022-001" in body) == (True, False, False)

"""Every list of campaign data is scoped by the user's subtree, in the query modules and on the pages."""

import pytest
from django.urls import reverse

from jixing.accounts.enums import UserRole
from jixing.nominations.domain.queries import nominations_visible_to
from jixing.orgs.domain.queries import orgs_visible_to
from jixing.people.domain.queries import learners_visible_to, roles_visible_to
from tests.factories import (
    make_campaign,
    make_learner,
    make_nomination,
    make_role,
    make_small_province,
    make_snapshot,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    tree = make_small_province()
    snapshot = make_snapshot()
    make_learner(snapshot=snapshot, org=tree["dept"], account_id="A-TY", name="太原学员")
    make_learner(snapshot=snapshot, org=tree["datong_school"], account_id="A-DT", name="大同学员")
    make_role(account_id="A-TY", org=tree["school"], kind="管理员")
    make_role(account_id="A-DT", org=tree["datong_school"], kind="供稿员")
    campaign = make_campaign()
    make_nomination(
        campaign=campaign,
        recommending_org=tree["school"],
        nominee_name="太原学员",
        nominee_account="A-TY",
        number="N-TY",
    )
    make_nomination(
        campaign=campaign,
        recommending_org=tree["school"],
        nominee_name="太原草稿",
        state="draft",
        number="N-TY-DRAFT",
    )
    make_nomination(
        campaign=campaign,
        recommending_org=tree["datong_school"],
        nominee_name="大同学员",
        nominee_account="A-DT",
        number="N-DT",
    )
    users = {
        "province": make_user(username="p", role=UserRole.PROVINCE_ADMIN, org=tree["province"]),
        "taiyuan": make_user(username="ty", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"]),
        "datong": make_user(username="dt", role=UserRole.REPORTING_REVIEWER, org=tree["datong"]),
        "school": make_user(username="s", role=UserRole.UNIT_ADMIN, org=tree["school"]),
        "learner": make_user(username="l", role=UserRole.LEARNER, org=tree["dept"], account_id="A-TY"),
        "orphan": make_user(username="o", role=UserRole.UNIT_ADMIN, org=None),
    }
    return tree, campaign, users


def _codes(rows):
    return sorted(rows.values_list("code", flat=True))


def test_orgs_visible_follow_the_subtree(world):
    tree, _, users = world
    assert _codes(orgs_visible_to(users["province"])) == sorted(o.code for o in tree.values())
    assert _codes(orgs_visible_to(users["taiyuan"])) == ["TY", "TY-QX", "TY-QX-S1", "TY-QX-S1-D1"]
    assert _codes(orgs_visible_to(users["datong"])) == ["DT", "DT-S2"]
    assert _codes(orgs_visible_to(users["school"])) == ["TY-QX-S1", "TY-QX-S1-D1"]
    assert _codes(orgs_visible_to(users["learner"])) == []
    assert _codes(orgs_visible_to(users["orphan"])) == []


def test_learners_visible_follow_the_subtree(world):
    _, _, users = world

    def accounts(user):
        return sorted(learners_visible_to(user).values_list("account_id", flat=True))

    assert accounts(users["province"]) == ["A-DT", "A-TY"]
    assert accounts(users["taiyuan"]) == ["A-TY"]
    assert accounts(users["datong"]) == ["A-DT"]
    assert accounts(users["school"]) == ["A-TY"]
    assert accounts(users["learner"]) == ["A-TY"]
    assert accounts(users["orphan"]) == []


def test_roles_visible_follow_the_subtree(world):
    _, _, users = world

    def accounts(user):
        return sorted(roles_visible_to(user).values_list("account_id", flat=True))

    assert accounts(users["province"]) == ["A-DT", "A-TY"]
    assert accounts(users["taiyuan"]) == ["A-TY"]
    assert accounts(users["datong"]) == ["A-DT"]
    assert accounts(users["school"]) == ["A-TY"]
    assert accounts(users["learner"]) == ["A-TY"]


def test_nominations_visible_follow_the_subtree_and_keep_drafts_with_their_unit(world):
    _, campaign, users = world

    def numbers(user):
        return sorted(nominations_visible_to(user, campaign=campaign).values_list("number", flat=True))

    assert numbers(users["province"]) == ["N-DT", "N-TY"]
    assert numbers(users["taiyuan"]) == ["N-TY"]
    assert numbers(users["datong"]) == ["N-DT"]
    assert numbers(users["school"]) == ["N-TY", "N-TY-DRAFT"]
    assert numbers(users["learner"]) == ["N-TY"]
    assert numbers(users["orphan"]) == []


def test_inactive_user_sees_nothing(world):
    _, campaign, users = world
    users["province"].is_active = False
    assert not orgs_visible_to(users["province"]).exists()
    assert not nominations_visible_to(users["province"], campaign=campaign).exists()


@pytest.mark.parametrize(
    ("url", "user", "present", "absent"),
    [
        ("portal:org_list", "taiyuan", "清徐县第一中学", "大同市第二中学"),
        ("portal:org_list", "datong", "大同市第二中学", "清徐县第一中学"),
        ("portal:learner_list", "taiyuan", "太原学员", "大同学员"),
        ("portal:learner_list", "datong", "大同学员", "太原学员"),
        ("portal:role_list", "school", "A-TY", "A-DT"),
        ("portal:role_list", "datong", "A-DT", "A-TY"),
        ("portal:nomination_list", "taiyuan", "N-TY", "N-DT"),
        ("portal:nomination_list", "datong", "N-DT", "N-TY"),
        ("portal:nomination_list", "learner", "N-TY", "N-DT"),
    ],
)
def test_list_pages_show_only_the_users_subtree(client, world, url, user, present, absent):
    _, _, users = world
    client.force_login(users[user])
    body = client.get(reverse(url)).content.decode()
    assert present in body
    assert absent not in body


def test_search_cannot_reach_outside_the_subtree(client, world):
    _, _, users = world
    client.force_login(users["taiyuan"])
    body = client.get(reverse("portal:learner_list"), {"q": "A-DT"}).content.decode()
    assert "大同学员" not in body
    assert "共 0 条" in body


def test_htmx_search_returns_only_the_rows(client, world):
    _, _, users = world
    client.force_login(users["province"])
    response = client.get(reverse("portal:org_list"), {"q": "大同"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert "大同市第二中学" in body and "清徐县第一中学" not in body


@pytest.mark.parametrize(
    "url", ["portal:org_list", "portal:learner_list", "portal:role_list", "portal:nomination_list"]
)
def test_list_pages_need_login(client, url):
    response = client.get(reverse(url))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))

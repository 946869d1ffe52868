"""Starting a nomination from the portal: who may start which category for whom, and the numbers."""

import re

import pytest
from django.urls import reverse

from jixing.audit.models import AuditEvent
from jixing.nominations.enums import NominationState as S
from jixing.nominations.models import Nomination
from tests.portal.conftest import open_phase
from tests.portal.helpers import start

pytestmark = pytest.mark.django_db


def _start(client, user, number, learner=None):
    client.force_login(user)
    data = {"category": str(number)}
    if learner is not None:
        data["learner"] = learner.account_id
    return client.post(reverse("portal:nomination_start"), data)


def test_start_page_lists_the_categories_of_the_users_role(client, world):
    def names(user):
        client.force_login(user)
        body = client.get(reverse("portal:nomination_start")).content.decode()
        return [name for name in ("学员标兵", "优秀供稿员", "模范学习组织", "优秀志愿者") if name in body]

    assert names(world.users.school) == ["学员标兵", "模范学习组织", "优秀志愿者"]
    assert names(world.users.taiyuan) == ["优秀供稿员"]
    assert names(world.users.learner) == ["学员标兵", "优秀志愿者"]


def test_start_page_is_forbidden_to_a_province_admin(client, world):
    client.force_login(world.users.province)
    assert client.get(reverse("portal:nomination_start")).status_code == 403


@pytest.mark.parametrize("name", ["portal:nomination_start"])
def test_start_page_redirects_anonymous_to_login(client, world, name):
    response = client.get(reverse(name))
    assert (response.status_code, response["Location"].split("?")[0]) == (302, reverse("login"))


def test_unit_admin_starts_a_person_nomination_for_a_learner_of_his_subtree(client, world):
    response = _start(client, world.users.school, 1, world.learners["a1"])
    nomination = Nomination.objects.get()
    assert response["Location"] == reverse("portal:nomination_edit", args=[nomination.pk])
    assert (
        nomination.number,
        nomination.state,
        nomination.nominee_account,
        nomination.nominee_name,
        nomination.recommending_org,
        nomination.reporting_unit,
        nomination.self_applied,
    ) == ("2022-TY-0001", S.DRAFT, "A1", "张三", world.tree["school"], world.tree["taiyuan"], False)
    event = AuditEvent.objects.get(action="nomination.create")
    assert (event.actor, event.target_id) == (world.users.school, str(nomination.pk))


def test_unit_admin_cannot_pick_a_learner_of_another_subtree(client, world):
    assert _start(client, world.users.school, 1, world.learners["dt"]).status_code == 404
    assert Nomination.objects.count() == 0


def test_unit_admin_starts_a_unit_category_for_his_own_unit(client, world):
    _start(client, world.users.school, 9)
    nomination = Nomination.objects.get()
    assert (nomination.nominee_org, nomination.nominee_name, nomination.nominee_account) == (
        world.tree["school"],
        "清徐县第一中学",
        "",
    )


def test_unit_admin_may_not_start_a_reporting_unit_category(client, world):
    assert _start(client, world.users.school, 4, world.learners["a1"]).status_code == 403
    assert Nomination.objects.count() == 0


def test_reporting_reviewer_starts_categories_4_to_6_for_a_learner_of_its_subtree(client, world):
    _start(client, world.users.taiyuan, 5, world.learners["a2"])
    nomination = Nomination.objects.get()
    # The reporting unit fills the form; G.6 counts it against the nominee's own unit.
    assert (nomination.category.number, nomination.recommending_org, nomination.reporting_unit) == (
        5,
        world.learners["a2"].org.unit,
        world.tree["taiyuan"],
    )


def test_reporting_reviewer_may_not_start_a_unit_recommended_category(client, world):
    assert _start(client, world.users.taiyuan, 1, world.learners["a2"]).status_code == 403


def test_learner_starts_for_himself_and_his_unit_recommends(client, world):
    # A learner's choice of someone else is ignored: he is always the nominee.
    _start(client, world.users.learner, 2, world.learners["a2"])
    nomination = Nomination.objects.get()
    assert (nomination.nominee_account, nomination.recommending_org, nomination.self_applied) == (
        "A1",
        world.tree["school"],
        True,
    )


def test_learner_may_not_start_categories_4_to_9(client, world):
    for number in (4, 8, 9):
        assert _start(client, world.users.learner, number).status_code == 403


def test_learner_missing_from_the_snapshot_is_told_why(client, world):
    world.learners["a1"].delete()
    response = _start(client, world.users.learner, 1)
    assert response["Location"] == reverse("portal:nomination_start")
    body = client.get(response["Location"]).content.decode()
    assert "在当前基准积分快照中找不到您的学号" in body


def test_numbers_count_up_per_reporting_unit(world):
    first = start(world, user=world.users.school, number=1)
    second = start(world, user=world.users.school, number=2)
    other_city = start(world, user=world.users.datong_school, number=1, learner="dt")
    assert [first.number, second.number, other_city.number] == [
        "2022-TY-0001",
        "2022-TY-0002",
        "2022-DT-0001",
    ]


def test_starting_the_same_nominee_twice_opens_the_existing_nomination(client, world):
    existing = start(world, user=world.users.school, number=1)
    response = _start(client, world.users.school, 1, world.learners["a1"])
    assert response["Location"] == reverse("portal:nomination_edit", args=[existing.pk])
    assert Nomination.objects.count() == 1


def test_starting_outside_the_apply_window_is_refused_g8(client, world):
    open_phase(world.campaign, "screen")
    response = _start(client, world.users.school, 1, world.learners["a1"])
    body = client.get(response["Location"]).content.decode()
    assert re.search(
        r"“发起申报”只能在“申报推荐”阶段（\d{4}-\d\d-\d\d \d\d:\d\d 至 \d{4}-\d\d-\d\d \d\d:\d\d）进行，当前为：审核报送",
        body,
    )
    assert Nomination.objects.count() == 0


def test_pick_page_searches_learners_of_the_subtree_only(client, world):
    client.force_login(world.users.school)
    url = reverse("portal:nomination_pick", args=[1])
    body = client.get(url).content.decode()
    assert "张三" in body and "李四" in body and "王五" not in body
    body = client.get(url, {"q": "A2"}, HTTP_HX_REQUEST="true").content.decode()
    assert "李四" in body and "张三" not in body and "<html" not in body
    assert "王五" not in client.get(url, {"q": "D1"}).content.decode()


def test_pick_page_is_forbidden_for_unit_categories_and_learners(client, world):
    client.force_login(world.users.school)
    assert client.get(reverse("portal:nomination_pick", args=[9])).status_code == 403
    client.force_login(world.users.learner)
    assert client.get(reverse("portal:nomination_pick", args=[1])).status_code == 403


def test_pick_page_redirects_anonymous_to_login(client, world):
    assert client.get(reverse("portal:nomination_pick", args=[1])).status_code == 302


def test_pick_list_query_count_is_the_same_for_1_and_3_learners(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_learner

    world.learners["a2"].delete()
    client.force_login(world.users.school)
    url = reverse("portal:nomination_pick", args=[1])

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    one = queries()
    for i in range(2):
        make_learner(snapshot=world.snapshot, org=world.tree["dept"], account_id=f"X{i}", name=f"新学员{i}")
    assert queries() == one

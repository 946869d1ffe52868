"""The nomination page: visible to whoever may see the nomination, with its actions and history."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixing.nominations.enums import NominationState as S
from tests.portal.conftest import open_phase
from tests.portal.helpers import attach_required, filled_form, image_bytes, start, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(client, world):
    nomination = start(world, user=world.users.school, number=1)
    attach_required(nomination, world.users.school)
    client.force_login(world.users.school)
    client.post(
        reverse("portal:nomination_edit", args=[nomination.pk]),
        {**filled_form(nomination), "intent": "submit"},
    )
    nomination.refresh_from_db()
    assert nomination.state == S.SUBMITTED
    return nomination


def _detail(client, user, nomination):
    client.force_login(user)
    return client.get(reverse("portal:nomination_detail", args=[nomination.pk]))


def test_detail_is_shown_to_every_role_that_sees_the_nomination(client, world, submitted):
    for user in (world.users.province, world.users.taiyuan, world.users.school, world.users.learner):
        body = _detail(client, user, submitted).content.decode()
        assert ("张三" in body, "长期坚持学习" in body, submitted.number in body) == (True, True, True)


def test_detail_is_404_for_other_subtrees_and_other_learners(client, world, submitted):
    for user in (world.users.datong, world.users.datong_school, world.users.other_learner):
        assert _detail(client, user, submitted).status_code == 404


def test_detail_redirects_anonymous_to_login(client, world, submitted):
    client.logout()
    response = client.get(reverse("portal:nomination_detail", args=[submitted.pk]))
    assert (response.status_code, response["Location"].split("?")[0]) == (302, reverse("login"))


def test_detail_shows_history_with_who_and_what(client, world, submitted):
    body = _detail(client, world.users.taiyuan, submitted).content.decode()
    for label in ("创建申报", "上传材料", "提交申报", "提交的申报内容", "一中管理员"):
        assert label in body


def test_detail_has_the_rule_table_placeholder(client, world, submitted):
    assert 'id="rule-table"' in _detail(client, world.users.taiyuan, submitted).content.decode()


def test_detail_offers_each_user_only_the_moves_they_may_make_now(client, world, submitted):
    def buttons(user):
        body = _detail(client, user, submitted).content.decode()
        return [a for a in ("return", "reject", "recommend", "submit") if f'value="{a}"' in body]

    assert buttons(world.users.taiyuan) == ["return", "reject"]
    assert buttons(world.users.school) == []
    assert buttons(world.users.learner) == []
    assert buttons(world.users.province) == []
    open_phase(world.campaign, "screen")
    # Sending up to the province goes with the reporting unit's sealed list, never one at a time.
    assert buttons(world.users.taiyuan) == ["return", "reject"]


def test_detail_of_a_draft_offers_the_owner_to_fill_it_in(client, world):
    nomination = start(world, user=world.users.school, number=1)
    body = _detail(client, world.users.school, nomination).content.decode()
    assert reverse("portal:nomination_edit", args=[nomination.pk]) in body
    assert "data-clear-draft" not in body


def test_reviewer_returns_with_a_reason_from_the_detail_page(client, world, submitted):
    client.force_login(world.users.taiyuan)
    url = reverse("portal:nomination_act", args=[submitted.pk])
    response = client.post(url, {"action": "return", "reason": ""}, follow=True)
    submitted.refresh_from_db()
    assert submitted.state == S.SUBMITTED
    assert "“退回修改”须填写理由" in response.content.decode()
    client.post(url, {"action": "return", "reason": "请补充新闻报道"})
    submitted.refresh_from_db()
    assert submitted.state == S.RETURNED
    body = _detail(client, world.users.school, submitted).content.decode()
    assert "请补充新闻报道" in body


def test_act_is_403_for_a_party_the_table_does_not_name_and_404_outside(client, world, submitted):
    url = reverse("portal:nomination_act", args=[submitted.pk])
    client.force_login(world.users.school)
    assert client.post(url, {"action": "reject", "reason": "x"}).status_code == 403
    client.force_login(world.users.datong)
    assert client.post(url, {"action": "reject", "reason": "x"}).status_code == 404
    submitted.refresh_from_db()
    assert submitted.state == S.SUBMITTED


def test_act_redirects_anonymous_to_login(client, world, submitted):
    client.logout()
    response = client.post(reverse("portal:nomination_act", args=[submitted.pk]), {"action": "reject"})
    assert response.status_code == 302


def test_detail_query_count_is_the_same_for_1_and_3_attachments_and_events(client, world):
    nomination = start(world, user=world.users.school, number=1)

    def add(count):
        for i in range(count):
            from jixing.nominations.domain.attachments import add_attachment

            add_attachment(
                nomination=nomination,
                kind="场景照片",
                upload=upload(f"p{i}.png", image_bytes()),
                actor=world.users.school,
            )

    def queries():
        client.force_login(world.users.school)
        url = reverse("portal:nomination_detail", args=[nomination.pk])
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    add(1)
    one = queries()
    add(2)
    assert queries() == one


def test_nomination_list_links_to_the_detail_page(client, world, submitted):
    client.force_login(world.users.taiyuan)
    body = client.get(reverse("portal:nomination_list")).content.decode()
    assert reverse("portal:nomination_detail", args=[submitted.pk]) in body

"""The 公示异议 page's form for objections received by phone, letter or e-mail (the province only)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jixing.announcements.domain.publishing import publish
from jixing.announcements.models import Objection
from jixing.nominations.enums import NominationState as S
from tests.announcements.helpers import build_world, evaluated, listed
from tests.portal.conftest import open_phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client):
    world = build_world()
    open_phase(world.campaign, "announce")
    nomination = listed(world, "A1", state=S.SELECTED)
    evaluated(world, nomination)
    world.entry = publish(campaign=world.campaign, actor=world.users.province).entries.get()
    client.force_login(world.users.province)
    return world


def _body(world, **overrides):
    moment = timezone.localtime() - timedelta(minutes=5)
    body = {"entry": str(world.entry.pk), "channel": "email", "name": "赵六", "phone": "10012345678",
            "received_at": moment.strftime("%Y-%m-%dT%H:%M"), "content": "来信反映该同学积分有误。"}  # fmt: skip
    body.update(overrides)
    return body


def test_the_page_offers_the_form_with_the_published_entries(client, world):
    body = client.get(reverse("review:province_objections")).content.decode()
    assert "登记电话、信函或电子邮件反映" in body and reverse("review:province_objection_record") in body
    assert f'<option value="{world.entry.pk}">学员标兵 · 张三' in body
    assert "电子邮件" in body and "信函" in body


def test_a_recorded_objection_gets_its_receipt_and_shows_in_the_list(client, world):
    response = client.post(reverse("review:province_objection_record"), _body(world), follow=True)
    objection = Objection.objects.get()
    assert (objection.channel, objection.name, objection.recorded_by) == (
        "email",
        "赵六",
        world.users.province,
    )
    page = response.content.decode()
    assert f"已登记电子邮件反映，受理编号 {objection.receipt}" in page
    assert "电子邮件反映，由 省管理员 登记" in page and "赵六 · 10012345678" in page
    # Handled like the page's: the handling form is there.
    assert reverse("review:province_objection_handle", args=[objection.pk]) in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "实名反映：请填写姓名和联系电话"),
        ({"phone": "12345"}, "联系电话格式不正确"),
        ({"channel": ""}, "请选择收到反映的方式"),
        ({"channel": "web"}, "请选择收到反映的方式：电话、信函或电子邮件"),
        ({"entry": "999999"}, "请选择被反映的公示对象（该对象已不在公示名单中）"),
        ({"entry": "²"}, "请选择被反映的公示对象"),
        ({"received_at": "昨天"}, "收到时间格式不正确"),
        ({"received_at": "2099-01-01T10:00"}, "收到时间不能晚于现在"),
        ({"content": "字" * 2001}, "反映内容最多 2000 字，请精简"),
    ],
)
def test_a_refused_record_shows_the_reason_keeps_what_was_typed_and_stores_nothing(
    client, world, overrides, message
):
    response = client.post(reverse("review:province_objection_record"), _body(world, **overrides))
    page = response.content.decode()
    assert response.status_code == 400 and message in page
    assert Objection.objects.count() == 0
    if "content" not in overrides:
        assert "来信反映该同学积分有误。" in page  # nothing typed is lost


@pytest.mark.parametrize("who", ["taiyuan", "school", "learner"])
def test_other_roles_may_not_record(client, world, who):
    client.force_login(getattr(world.users, who))
    response = client.post(reverse("review:province_objection_record"), _body(world))
    assert response.status_code == 403
    assert Objection.objects.count() == 0

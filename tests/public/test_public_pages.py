"""The public face: no login, the published list with name/unit/category only, real-name objections."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jixing.announcements.domain.objections import handle_objection, submit_objection
from jixing.announcements.domain.publishing import publish
from jixing.announcements.enums import ObjectionOutcome
from jixing.announcements.models import Announcement, Objection
from jixing.nominations.enums import NominationState as S
from tests.announcements.helpers import build_world, evaluated, listed
from tests.portal.conftest import open_phase

pytestmark = pytest.mark.django_db

ID_NUMBER = re.compile(r"\d{17}[\dXx]")
PHONE_NUMBER = re.compile(r"1\d{10}")
OBJECTOR = {"name": "赵六", "phone": "13900000000", "content": "该同学的积分与实际不符。"}


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


@pytest.fixture
def world():
    world = build_world()
    # Personal numbers in the data, so that a page leaking them would be caught.
    for i, learner in enumerate(world.learners.values()):
        learner.id_number = f"14010219900101{i:03d}X"
        learner.phone = f"1380000000{i}"
        learner.save()
    open_phase(world.campaign, "announce")
    world.published = listed(world, "A1", state=S.SELECTED)
    world.unit = listed(world, "D1", org="datong_school", state=S.SELECTED)
    world.left_out = listed(world, "A2", category=2, state=S.NOT_SELECTED)
    world.chosen_later = listed(world, "A2", category=3, state=S.RECOMMENDED)
    evaluated(world, world.published, world.unit, world.left_out, world.chosen_later)
    world.announcement = publish(campaign=world.campaign, actor=world.users.province)
    world.entry = world.announcement.entries.get(nomination=world.published)
    return world


def _rows(body: str) -> list[tuple[str, str]]:
    return re.findall(r'<div class="who"><b>(.*?)</b><span class="unit">(.*?)</span></div>', body)


def test_public_list_shows_exactly_the_published_with_name_and_unit_only(client, world):
    response = client.get(reverse("public:announcement"))
    body = response.content.decode()
    assert response.status_code == 200
    # 王 (4 strokes) before 张 (7): surname stroke order, not the order of publication.
    assert _rows(body) == [("王五", "大同市第二中学"), ("张三", "清徐县第一中学")]
    assert "学员标兵" in body and "李四" not in body
    for secret in ("A1", "D1", "10000", "8000", world.published.number):
        assert secret not in re.sub(r"<[^>]+>", " ", body)  # not in any text shown


def test_public_list_drops_a_withdrawn_nomination(client, world):
    objection = submit_objection(entry=world.entry, **OBJECTOR)
    handle_objection(
        objection=objection, outcome=ObjectionOutcome.UPHELD, note="查实", actor=world.users.province
    )
    body = client.get(reverse("public:announcement")).content.decode()
    assert _rows(body) == [("王五", "大同市第二中学")]


def test_no_public_page_contains_an_id_or_phone_number(client, world):
    objection_url = reverse("public:objection", args=[world.entry.pk])
    received = client.post(objection_url, OBJECTOR, follow=True)
    refused = client.post(objection_url, {**OBJECTOR, "name": ""})
    world.published.refresh_from_db()
    world.published.state = S.COMMENDED
    world.published.save(update_fields=["state"])
    pages = {
        "公示名单": client.get(reverse("public:announcement")),
        "表扬名单": client.get(reverse("public:final")),
        "反映表单": client.get(objection_url),
        "受理回执": received,
        "退回的反映": refused,
    }
    for name, response in pages.items():
        body = response.content.decode()
        assert (name, ID_NUMBER.findall(body), PHONE_NUMBER.findall(body)) == (name, [], [])
    assert received.redirect_chain[0][0] == reverse(
        "public:objection_received", args=[Objection.objects.get().receipt]
    )
    assert "已收到您的实名反映" in received.content.decode()


def test_anonymous_objection_is_refused_with_a_clear_message(client, world):
    for missing in ("name", "phone"):
        response = client.post(reverse("public:objection", args=[world.entry.pk]), {**OBJECTOR, missing: ""})
        assert (response.status_code, response.context["error"]) == (400, "实名反映：请填写姓名和联系电话")
    assert Objection.objects.count() == 0


def test_refused_objection_keeps_name_and_content_but_never_echoes_the_phone(client, world):
    response = client.post(reverse("public:objection", args=[world.entry.pk]), {**OBJECTOR, "content": " "})
    body = response.content.decode()
    assert response.context["error"] == "请填写反映的具体问题"
    assert 'value="赵六"' in body and "13900000000" not in body


def test_objection_outside_the_window_is_refused(client, world):
    Announcement.objects.update(
        window_starts_at=timezone.now() - timedelta(days=9), window_ends_at=timezone.now() - timedelta(days=1)
    )
    url = reverse("public:objection", args=[world.entry.pk])
    assert "公示期已结束，不再受理反映" in client.get(url).content.decode()
    response = client.post(url, OBJECTOR)
    assert response.context["error"].endswith("已结束，不再受理反映")
    Announcement.objects.update(
        window_starts_at=timezone.now() + timedelta(days=1), window_ends_at=timezone.now() + timedelta(days=9)
    )
    response = client.post(url, OBJECTOR)
    assert response.context["error"].endswith("尚未开始受理，请在公示期内反映")
    assert Objection.objects.count() == 0


def test_objection_inside_the_window_is_accepted_with_the_sender_address(client, world):
    response = client.post(
        reverse("public:objection", args=[world.entry.pk]), OBJECTOR, REMOTE_ADDR="198.51.100.7"
    )
    objection = Objection.objects.get()
    assert response["Location"] == reverse("public:objection_received", args=[objection.receipt])
    assert (objection.nomination, objection.name, objection.phone, objection.ip) == (
        world.published, "赵六", "13900000000", "198.51.100.7",
    )  # fmt: skip


def test_objections_are_limited_per_address(client, world):
    url = reverse("public:objection", args=[world.entry.pk])
    statuses = [client.post(url, {**OBJECTOR, "name": ""}).status_code for _ in range(11)]
    assert statuses == [400] * 10 + [429]
    response = client.post(url, OBJECTOR)
    assert (response.status_code, response.context["error"]) == (429, "提交过于频繁，请一小时后再试")
    other = client.post(url, OBJECTOR, REMOTE_ADDR="198.51.100.8")
    assert other.status_code == 302


def test_objection_form_of_an_entry_no_longer_listed_is_not_found(client, world):
    world.published.state = S.WITHDRAWN
    world.published.save(update_fields=["state"])
    assert client.get(reverse("public:objection", args=[world.entry.pk])).status_code == 404


def test_final_list_shows_only_the_commended(client, world):
    world.unit.state = S.COMMENDED
    world.unit.save(update_fields=["state"])
    body = client.get(reverse("public:final")).content.decode()
    assert _rows(body) == [("王五", "大同市第二中学")]


def test_public_pages_need_no_login(client, world):
    for url in (
        reverse("public:announcement"),
        reverse("public:final"),
        reverse("public:objection", args=[world.entry.pk]),
    ):
        assert (url, client.get(url).status_code) == (url, 200)


def test_public_list_query_count_is_the_same_for_1_and_3_rows(client, db):
    world = build_world()
    open_phase(world.campaign, "announce")

    def publish_rows(*nominations):
        evaluated(world, *nominations)
        publish(campaign=world.campaign, actor=world.users.province)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("public:announcement")).status_code == 200
        return len(ctx.captured_queries)

    publish_rows(listed(world, "A1", state=S.SELECTED))
    one = count()
    publish_rows(listed(world, "D1", org="datong_school", state=S.SELECTED),
                 listed(world, "A2", category=2, state=S.SELECTED))  # fmt: skip
    assert len(_rows(client.get(reverse("public:announcement")).content.decode())) == 3
    assert count() == one


def test_final_list_query_count_is_the_same_for_1_and_3_rows(client, db):
    world = build_world()
    open_phase(world.campaign, "announce")
    rows = [listed(world, "A1", state=S.SELECTED), listed(world, "D1", org="datong_school", state=S.SELECTED),
            listed(world, "A2", category=2, state=S.SELECTED)]  # fmt: skip
    evaluated(world, *rows)
    publish(campaign=world.campaign, actor=world.users.province)

    def commend(*nominations):
        for n in nominations:
            n.refresh_from_db()
            n.state = S.COMMENDED
            n.save(update_fields=["state"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("public:final")).status_code == 200
        return len(ctx.captured_queries)

    commend(rows[0])
    one = count()
    commend(*rows[1:])
    assert len(_rows(client.get(reverse("public:final")).content.decode())) == 3
    assert count() == one

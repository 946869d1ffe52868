"""Pages with personal data are never kept by a browser or a proxy: Cache-Control: no-store, private on
every response to a signed-in user and on every answer to a POST; anonymous public pages stay cacheable."""

import pytest
from django.urls import reverse

from jixing.announcements.domain.objections import submit_objection
from jixing.announcements.domain.publishing import publish
from jixing.nominations.enums import NominationState as S
from tests.announcements.helpers import build_world, evaluated, listed
from tests.portal.conftest import open_phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_world()
    open_phase(world.campaign, "announce")
    n = listed(world, "A1", state=S.SELECTED)
    evaluated(world, n)
    world.entry = publish(campaign=world.campaign, actor=world.users.province).entries.get()
    world.objection = submit_objection(
        entry=world.entry, name="赵六", phone="13900000000", content="积分有误"
    )
    return world


def _directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_objections_page_with_phone_numbers_is_not_stored(client, world):
    client.force_login(world.users.province)
    response = client.get(reverse("review:province_objections"))
    assert "13900000000" in response.content.decode()
    assert {"no-store", "private"} <= _directives(response)


def test_nomination_page_and_learner_list_are_not_stored(client, world):
    client.force_login(world.users.school)
    for url in (
        reverse("portal:nomination_detail", args=[world.objection.nomination_id]),
        reverse("portal:learner_list"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"no-store", "private"} <= _directives(response), url


def test_anonymous_public_list_stays_cacheable_but_a_posted_objection_is_not_stored(client, world):
    assert "no-store" not in _directives(client.get(reverse("public:announcement")))
    response = client.post(
        reverse("public:objection", args=[world.entry.pk]),
        {"name": "", "phone": "13900000001", "content": "有误"},
    )
    assert response.status_code == 400  # refused (no name) and shown again with what was typed
    assert {"no-store", "private"} <= _directives(response)

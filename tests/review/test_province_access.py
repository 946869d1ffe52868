"""Every page of the province's 汇总公示 face: anonymous → login, other roles → 403, province → success."""

import pytest
from django.urls import reverse

from jixing.announcements.domain.objections import submit_objection
from jixing.announcements.domain.publishing import publish
from jixing.nominations.enums import NominationState as S
from tests.announcements.helpers import build_world, evaluated, listed
from tests.portal.conftest import open_phase

pytestmark = pytest.mark.django_db

GET_PAGES = [
    "review:province_lists",
    "review:province_publication",
    "review:province_objections",
    "review:province_approval",
    "review:province_commendation",
    "review:province_final_export",
    "review:province_phases",
]


@pytest.fixture
def world():
    world = build_world()
    open_phase(world.campaign, "announce")
    nomination = listed(world, "A1", state=S.SELECTED)
    evaluated(world, nomination)
    entry = publish(campaign=world.campaign, actor=world.users.province).entries.get()
    world.objection = submit_objection(entry=entry, name="赵六", phone="13900000000", content="有误")
    world.phase = world.campaign.phases.get(key="announce")
    return world


def _posts(world):
    """Every POST of the face, with a body the province's admin would send."""
    return [
        (reverse("review:province_select"), {"only": f"deselect:{world.objection.nomination_id}"}),
        (reverse("review:province_publication"), {}),
        (reverse("review:province_objection_handle", args=[world.objection.pk]), {"outcome": "dismissed", "note": "无误"}),
        (reverse("review:province_approval"), {"document_ref": "批复", "approved_on": "2023-02-03"}),
        (reverse("review:province_commendation"), {}),
        (reverse("review:province_phase_extend", args=[world.phase.pk]), {"ends_at": "2099-01-01T10:00", "reason": "顺延"}),
    ]  # fmt: skip


def test_province_pages_redirect_anonymous_to_login(client, world):
    for name in GET_PAGES:
        response = client.get(reverse(name))
        assert (name, response.status_code, response["Location"].split("?")[0]) == (
            name,
            302,
            reverse("login"),
        )
    for url, data in _posts(world):
        response = client.post(url, data)
        assert (url, response.status_code, response["Location"].split("?")[0]) == (url, 302, reverse("login"))


@pytest.mark.parametrize("who", ["taiyuan", "school", "learner"])
def test_province_pages_are_forbidden_to_other_roles(client, world, who):
    client.force_login(getattr(world.users, who))
    for name in GET_PAGES:
        assert (name, client.get(reverse(name)).status_code) == (name, 403)
    for url, data in _posts(world):
        assert (url, client.post(url, data).status_code) == (url, 403)
    world.objection.refresh_from_db()
    assert world.objection.outcome == "pending"


def test_province_pages_open_to_the_province_admin(client, world):
    client.force_login(world.users.province)
    for name in GET_PAGES:
        assert (name, client.get(reverse(name)).status_code) == (name, 200)
    for url, data in _posts(world):
        assert (url, client.post(url, data).status_code) == (url, 302)

"""Every 审核报送 URL for every role: anonymous → login; no business here → 403; another reporting unit's
list or nomination → 404; the right role → success."""

import pytest
from django.urls import reverse

from jixing.nominations.domain.list_picks import Pick
from jixing.nominations.domain.lists import set_picks, submit_list
from jixing.nominations.domain.sealed_scans import add_sealed_scan
from tests.review.screening_world import make_world, pdf_upload

pytestmark = pytest.mark.django_db

LOGIN = "login"


@pytest.fixture
def world(media_root):
    world = make_world()
    first = world.nominations[0]
    category = world.campaign.categories.get(number=1)
    set_picks(campaign=world.campaign, category=category, actor=world.users.taiyuan, picks=[Pick(first.pk)])
    world.scan = add_sealed_scan(campaign=world.campaign, upload=pdf_upload(), actor=world.users.taiyuan)
    return world


def _submitted(world):
    submit_list(campaign=world.campaign, reporting_unit=world.tree["taiyuan"], actor=world.users.taiyuan)


# name, method, url args (from the world), POST data, set-up, expected status per user.
# "datong" is the other reporting unit's reviewer: 404 for 太原's objects.
CASES = [
    ("screening", "get", lambda w: [], None, None,
     {"taiyuan": 302, "datong": 302, "province": 403, "school": 403, "learner": 403}),
    ("screening_category", "get", lambda w: [1], None, None,
     {"taiyuan": 200, "datong": 200, "province": 403, "school": 403, "learner": 403}),
    ("screening_picks", "post", lambda w: [1], lambda w: {"row": [w.nominations[0].pk], "pick": [w.nominations[0].pk]}, None,
     {"taiyuan": 302, "province": 403, "school": 403, "learner": 403}),
    ("screening_act", "post", lambda w: [w.nominations[1].pk, "return"], lambda w: {"reason": "请补充"}, None,
     {"taiyuan": 302, "datong": 404, "province": 403, "school": 403, "learner": 403}),
    ("screening_act", "post", lambda w: [w.nominations[1].pk, "reject"], lambda w: {"reason": "不符合"}, None,
     {"taiyuan": 302, "datong": 404, "province": 403, "school": 403, "learner": 403}),
    ("list", "get", lambda w: [w.tree["taiyuan"].pk], None, None,
     {"taiyuan": 200, "datong": 404, "province": 200, "school": 403, "learner": 403}),
    ("list_sheet", "get", lambda w: [w.tree["taiyuan"].pk], None, None,
     {"taiyuan": 200, "datong": 404, "province": 200, "school": 403, "learner": 403}),
    ("list_sheet_pdf", "get", lambda w: [w.tree["taiyuan"].pk], None, None,
     {"taiyuan": 200, "datong": 404, "province": 200, "school": 403, "learner": 403}),
    ("list_scan_upload", "post", lambda w: [w.tree["taiyuan"].pk], lambda w: {"file": pdf_upload()}, None,
     {"taiyuan": 302, "datong": 404, "province": 403, "school": 403, "learner": 403}),
    ("list_scan", "get", lambda w: [w.tree["taiyuan"].pk, w.scan.pk], None, None,
     {"taiyuan": 200, "datong": 404, "province": 200, "school": 403, "learner": 403}),
    ("list_submit", "post", lambda w: [w.tree["taiyuan"].pk], lambda w: {}, None,
     {"taiyuan": 302, "datong": 404, "province": 403, "school": 403, "learner": 403}),
    ("list_reopen", "post", lambda w: [w.tree["taiyuan"].pk], lambda w: {"reason": "请核对"}, _submitted,
     {"province": 302, "taiyuan": 403, "datong": 404, "school": 403, "learner": 403}),
]  # fmt: skip

MATRIX = [
    pytest.param(name, method, args, data, setup, user, status, id=f"{name}-{method}-{i}-{user}")
    for i, (name, method, args, data, setup, expected) in enumerate(CASES)
    for user, status in [("anonymous", LOGIN), *expected.items()]
]


@pytest.mark.parametrize(("name", "method", "args", "data", "setup", "user", "expected"), MATRIX)
def test_screening_url_answers_each_role(client, world, name, method, args, data, setup, user, expected):
    if setup is not None:
        setup(world)
    if user != "anonymous":
        client.force_login(getattr(world.users, user))
    url = reverse(f"review:{name}", args=args(world))
    response = client.post(url, data(world)) if method == "post" else client.get(url)
    if expected == LOGIN:
        assert (response.status_code, response["Location"].split("?")[0]) == (302, reverse("login"))
    else:
        assert response.status_code == expected


def test_screening_category_of_an_unknown_number_is_404(client, world):
    client.force_login(world.users.taiyuan)
    assert client.get(reverse("review:screening_category", args=[99])).status_code == 404


def test_list_of_an_org_that_is_not_a_reporting_unit_is_404(client, world):
    client.force_login(world.users.province)
    assert client.get(reverse("review:list", args=[world.tree["school"].pk])).status_code == 404


def test_screening_act_with_an_unknown_action_is_404(client, world):
    client.force_login(world.users.taiyuan)
    url = reverse("review:screening_act", args=[world.nominations[1].pk, "recommend"])
    assert client.post(url, {"reason": "x"}).status_code == 404

"""Each list page of the province's 汇总公示 face runs as many queries for 1 row as for 3."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixing.announcements.domain.objections import submit_objection
from jixing.announcements.domain.publishing import publish
from jixing.nominations.domain.evaluation import evaluate_campaign
from jixing.nominations.enums import NominationState as S
from tests.announcements.helpers import build_world, listed
from tests.portal.conftest import open_phase

pytestmark = pytest.mark.django_db

ROWS = [("A1", 1, "school"), ("D1", 1, "datong_school"), ("A2", 2, "school")]


@pytest.fixture
def world(client):
    world = build_world()
    open_phase(world.campaign, "announce")
    client.force_login(world.users.province)
    return world


def _queries(client, world, url) -> int:
    evaluate_campaign(world.campaign)  # measured without the page's own re-evaluation
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _same_count(client, world, url, add) -> None:
    add(ROWS[:1])
    one = _queries(client, world, url)
    add(ROWS[1:])
    assert _queries(client, world, url) == one


@pytest.mark.parametrize("state", [S.RECOMMENDED, S.SELECTED])
def test_lists_query_count_is_the_same_for_1_and_3_rows(client, world, state):
    def add(rows):
        for account, _, org in rows:
            listed(world, account, org=org, state=state)  # all in category 1: one page

    _same_count(client, world, reverse("review:province_lists") + "?category=1", add)


def test_lists_with_g3_conflicts_query_count_is_the_same_for_1_and_3_persons(client, world):
    def add(rows):
        for account, _, org in rows:
            listed(world, account, org=org)
            listed(world, account, org=org, category=3)

    _same_count(client, world, reverse("review:province_lists"), add)


def test_publication_query_count_is_the_same_for_1_and_3_rows(client, world):
    def add(rows):
        for account, category, org in rows:
            listed(world, account, org=org, category=category, state=S.SELECTED)

    _same_count(client, world, reverse("review:province_publication"), add)


def test_objections_query_count_is_the_same_for_1_and_3_rows(client, world):
    def add(rows):
        for account, category, org in rows:
            listed(world, account, org=org, category=category, state=S.SELECTED)
        evaluate_campaign(world.campaign)
        for entry in publish(campaign=world.campaign, actor=world.users.province).entries.all():
            submit_objection(entry=entry, name="赵六", phone="13900000000", content="有误")

    _same_count(client, world, reverse("review:province_objections") + "?show=all", add)


def test_commendation_query_count_is_the_same_for_1_and_3_rows(client, world):
    def add(rows):
        for account, category, org in rows:
            listed(world, account, org=org, category=category, state=S.COMMENDED)

    _same_count(client, world, reverse("review:province_commendation"), add)

"""Eligibility results kept fresh in the background: a change queues one refresh, the worker stores the new
results, pages never evaluate and say 判定更新中 meanwhile (issue 10, item 1).

These tests queue tasks in the database backend, as production does (the suite's default runs them at
once), and run them with `jixing db_worker --batch`, the worker of `make demo`, in this process (kept
from closing the test's database connection between tasks).
"""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jixing.accounts.enums import UserRole
from jixing.campaigns.domain.staleness import QUEUED_EXPIRES, freshness, mark_stale
from jixing.campaigns.models import Campaign
from jixing.nominations.domain import evaluation
from jixing.nominations.domain.decisions import record_decision
from tests.conftest import mark_second_factor_passed
from tests.factories import (
    make_evaluated_nomination,
    make_user,
)

pytestmark = pytest.mark.django_db

REFRESH = "jixing.nominations.tasks.refresh_results"


@pytest.fixture
def queued(settings, monkeypatch):
    """Tasks wait in the database for a worker, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.fixture
def world():
    tree, nomination = make_evaluated_nomination()
    province = make_user(username="p", role=UserRole.PROVINCE_ADMIN, org=tree["province"])
    reviewer = make_user(username="ty", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"])
    school = make_user(username="s", role=UserRole.UNIT_ADMIN, org=tree["school"])
    return nomination, {"province": province, "reviewer": reviewer, "school": school}


def _refreshes() -> int:
    return DBTaskResult.objects.filter(task_path=REFRESH).count()


def _g1(nomination) -> str:
    nomination.refresh_from_db()
    return nomination.rule_results["G.1"]["outcome"]


def _page(client, user, nomination, **headers) -> str:
    client.force_login(user)
    mark_second_factor_passed(client, user)
    url = reverse("portal:nomination_detail", args=[nomination.pk])
    return client.get(url, **headers).content.decode()


def test_a_change_queues_one_refresh_and_the_worker_stores_the_new_result(queued, world):
    nomination, users = world
    assert _g1(nomination) == "manual" and _refreshes() == 0
    record_decision(nomination, rule_id="G.1", holds=True, comment="承诺书已核", actor=users["reviewer"])
    record_decision(nomination, rule_id="G.1", holds=True, comment="再次核对", actor=users["reviewer"])
    # Two changes, one refresh queued; nothing evaluated on the way.
    assert _refreshes() == 1
    assert _g1(nomination) == "manual"
    assert freshness(nomination.campaign).stale
    run_worker()
    assert _g1(nomination) == "pass"
    assert not freshness(nomination.campaign).stale
    assert DBTaskResult.objects.get(task_path=REFRESH).status == "SUCCESSFUL"
    # The refresh has started: the next change queues the next one.
    mark_stale(nomination.campaign)
    assert _refreshes() == 2


def test_a_refresh_queued_long_ago_and_never_run_does_not_hold_back_the_next(queued, world):
    nomination, _ = world
    mark_stale(nomination.campaign)
    assert _refreshes() == 1
    mark_stale(nomination.campaign)
    assert _refreshes() == 1
    Campaign.objects.update(refresh_queued_at=timezone.now() - QUEUED_EXPIRES - timedelta(seconds=1))
    mark_stale(nomination.campaign)
    assert _refreshes() == 2


def test_a_rolled_back_change_leaves_no_refresh_queued(queued, world):
    from django.db import transaction

    nomination, _ = world
    with pytest.raises(RuntimeError), transaction.atomic():
        mark_stale(nomination.campaign)
        raise RuntimeError
    assert _refreshes() == 0
    assert Campaign.objects.get().refresh_queued_at is None


def _poll(client, nomination, **query):
    url = reverse("portal:results_freshness", args=[nomination.campaign_id])
    return client.get(url, query, HTTP_HX_REQUEST="true")


def test_pages_never_evaluate_and_say_the_results_are_being_refreshed(queued, world, client, monkeypatch):
    nomination, users = world
    when = timezone.localtime(nomination.campaign.evaluated_at)

    def refuse(*args, **kwargs):
        raise AssertionError("a page evaluated")

    monkeypatch.setattr(evaluation, "evaluate_campaign", refuse)
    monkeypatch.setattr(evaluation, "evaluate_nominations", refuse)
    mark_stale(nomination.campaign)
    body = _page(client, users["school"], nomination)
    assert "判定更新中" in body and f"{when:%-m月%-d日 %H:%M:%S} 的判定结果" in body
    # The banner polls the light freshness answer; the results region waits for its event.
    poll = reverse("portal:results_freshness", args=[nomination.campaign_id])
    assert f'hx-get="{poll}?region=results"' in body and 'hx-trigger="every 5s"' in body
    assert 'hx-trigger="results-fresh from:body"' in body and 'hx-select="#results"' in body
    assert _poll(client, nomination, region="results").status_code == 204  # still due: nothing to swap
    client.force_login(users["province"])
    mark_second_factor_passed(client, users["province"])
    for url in (reverse("review:province_lists"), reverse("review:province_publication")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "判定更新中" in response.content.decode(), url


def test_once_refreshed_the_results_region_is_told_and_its_page_carries_the_new_results(
    queued, world, client
):
    nomination, users = world
    record_decision(nomination, rule_id="G.1", holds=True, comment="承诺书已核", actor=users["reviewer"])
    assert "判定更新中" in _page(client, users["school"], nomination)
    assert _poll(client, nomination, region="results").status_code == 204
    run_worker()
    answer = _poll(client, nomination, region="results")
    assert answer.status_code == 200 and answer["HX-Trigger"] == "results-fresh"
    again = _page(client, users["school"], nomination, HTTP_HX_REQUEST="true")
    assert "判定更新中" not in again and 'id="results"' in again
    assert "承诺书已核" in again


def test_a_page_with_a_form_only_offers_to_load_again_once_fresh(queued, world, client):
    """The reviewer's page has decision forms in the rule table: the banner replaces only itself."""
    nomination, users = world
    mark_stale(nomination.campaign)
    body = _page(client, users["reviewer"], nomination)
    poll = reverse("portal:results_freshness", args=[nomination.campaign_id])
    assert "判定更新中" in body and f'hx-get="{poll}"' in body and 'hx-swap="outerHTML"' in body
    assert _poll(client, nomination).status_code == 204
    run_worker()
    fresh = _poll(client, nomination).content.decode()
    assert "判定已更新" in fresh and "重新载入本页" in fresh
    assert "判定已更新" not in _page(client, users["reviewer"], nomination)  # a plain visit: nothing to say


def test_the_freshness_answer_needs_a_login_and_a_campaign_that_exists(world, client):
    nomination, users = world
    url = reverse("portal:results_freshness", args=[nomination.campaign_id])
    assert client.get(url).status_code == 302
    client.force_login(users["school"])
    assert client.get(reverse("portal:results_freshness", args=[999_999])).status_code == 404

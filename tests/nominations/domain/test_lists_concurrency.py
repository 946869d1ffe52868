"""G.7 under concurrency: several threads, each with its own database connection, send nominations up
past a quota at once. The quota holds, and what was refused is kept as it was (issue 4, "Done when").

Runs on PostgreSQL (row locks: select_for_update on the list and Quota rows) and on SQLite (writers
serialised by BEGIN IMMEDIATE; the test database is a file, see tests/conftest.py).
"""

import threading
import time

import pytest
from django.db import connection

from jixing.nominations.domain.list_picks import ListRefused, Pick
from jixing.nominations.domain.lists import set_picks, submit_list
from jixing.nominations.domain.sealed_scans import add_sealed_scan
from jixing.nominations.domain.states import Action
from jixing.nominations.domain.transitions import TransitionRefused, list_transition
from jixing.nominations.enums import ListState
from jixing.nominations.enums import NominationState as S
from jixing.nominations.models import Nomination, RecommendationList
from tests.review.screening_world import make_world, pdf_upload, refresh

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _refreshes_wait_for_a_worker(settings):
    # As in production: a change queues the refresh of results in its own transaction and a worker runs it
    # later. The suite's immediate backend would evaluate the whole campaign inside every racing
    # transition, each waiting on the rows the others hold, which no deployment does.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _run_at_once(jobs):
    """Run every job in its own thread, started together; returns (results, errors) in job order."""
    barrier = threading.Barrier(len(jobs))
    results, errors = [None] * len(jobs), [None] * len(jobs)

    def worker(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except Exception as exc:  # collected and asserted by the test
            errors[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def _recommended(world) -> int:
    return Nomination.objects.filter(reporting_unit=world.tree["taiyuan"], state=S.RECOMMENDED).count()


def test_recommend_past_the_quota_from_many_threads_holds_the_quota(media_root):
    world = make_world(nominations=5, seats=2)
    reviewer = world.users.taiyuan

    def job(nomination):
        return lambda: list_transition(nomination, Action.RECOMMEND, actor=reviewer)

    _, errors = _run_at_once([job(n) for n in world.nominations])
    assert _recommended(world) == 2
    refused = [n for n, error in zip(refresh(world.nominations), errors, strict=True) if error is not None]
    assert [n.state for n in refused] == [S.SUBMITTED] * 3  # kept as they were, not lost
    assert {type(e) for e in errors if e is not None} == {TransitionRefused}
    assert all(str(e).endswith("名额为 2 个，已报送 2 个，不能再报送") for e in errors if e is not None)


def test_the_quota_holds_when_every_writer_is_slow_between_its_check_and_its_commit(media_root, monkeypatch):
    """The race made wide: each move waits 0.3 s after counting the seats used and before it commits
    (inside its audit write), so without the Quota row's lock every thread would count the same seats
    free and all five would be sent up."""
    from jixing.nominations.domain import transitions

    world = make_world(nominations=5, seats=2)
    reviewer = world.users.taiyuan
    real = transitions.record_event

    def slow_record_event(**kwargs):
        time.sleep(0.3)
        return real(**kwargs)

    monkeypatch.setattr(transitions, "record_event", slow_record_event)
    _, errors = _run_at_once(
        [lambda n=n: list_transition(n, Action.RECOMMEND, actor=reviewer) for n in world.nominations]
    )
    assert _recommended(world) == 2
    assert sum(e is not None for e in errors) == 3
    assert {type(e) for e in errors if e is not None} == {TransitionRefused}


def test_two_reviewers_submitting_the_list_at_once_send_it_once(media_root):
    world = make_world(nominations=3, seats=2)
    first, second, _ = world.nominations
    category = world.campaign.categories.get(number=1)
    set_picks(campaign=world.campaign, category=category, actor=world.users.taiyuan, picks=[Pick(first.pk), Pick(second.pk)])  # fmt: skip
    add_sealed_scan(campaign=world.campaign, upload=pdf_upload(), actor=world.users.taiyuan)
    reviewers = [world.users.taiyuan, world.users.taiyuan2] * 2

    def job(user):
        return lambda: submit_list(campaign=world.campaign, reporting_unit=world.tree["taiyuan"], actor=user)

    results, errors = _run_at_once([job(u) for u in reviewers])
    assert sum(r is not None for r in results) == 1
    assert [type(e) for e in errors if e is not None] == [ListRefused] * 3
    assert all("不能再修改" in str(e) for e in errors if e is not None)
    assert (_recommended(world), RecommendationList.objects.get().state) == (2, ListState.SUBMITTED)


def test_list_submission_racing_single_recommends_never_passes_the_quota(media_root):
    world = make_world(nominations=5, seats=3)
    picked, others = world.nominations[:2], world.nominations[2:]
    category = world.campaign.categories.get(number=1)
    set_picks(campaign=world.campaign, category=category, actor=world.users.taiyuan, picks=[Pick(n.pk) for n in picked])  # fmt: skip
    add_sealed_scan(campaign=world.campaign, upload=pdf_upload(), actor=world.users.taiyuan)

    def submit():
        return submit_list(
            campaign=world.campaign, reporting_unit=world.tree["taiyuan"], actor=world.users.taiyuan2
        )

    def recommend(nomination):
        # One nomination sent up through the list door on its own: the quota is the domain's to hold,
        # whatever path a move takes.
        return lambda: list_transition(nomination, Action.RECOMMEND, actor=world.users.taiyuan)

    _, errors = _run_at_once([submit] + [recommend(n) for n in others])
    # Two seats for the list and one each for three single moves: five asked, three seats. Whatever the
    # order, exactly three are sent up and each refusal is a clear G.7 message.
    assert _recommended(world) == 3
    refusals = [e for e in errors if e is not None]
    assert refusals and all(e.rule_id == "G.7" and "名额" in str(e) for e in refusals)
    list_state = RecommendationList.objects.get().state
    picked_states = {n.state for n in refresh(picked)}
    if errors[0] is None:
        assert (list_state, picked_states) == (ListState.SUBMITTED, {S.RECOMMENDED})
    else:  # the refused list is kept whole: still open, its picks still 已申报, ready to submit again
        assert (list_state, picked_states) == (ListState.OPEN, {S.SUBMITTED})


def test_the_background_refresh_and_a_writer_locking_nominations_in_the_other_order_both_finish(media_root):
    """The refresh writes results while a writer holds one nomination and then takes another, the order a
    list submission locks its picks in. Holding every row it wrote while waiting for the held one (as one
    big transaction would) deadlocks on PostgreSQL; both finish, and every result is stored in the end."""
    from jixing.nominations.domain.evaluation import evaluate_campaign

    world = make_world(nominations=5, seats=2)
    first, last = world.nominations[0], world.nominations[-1]
    holding, refreshing = threading.Event(), threading.Event()

    def writer():
        from django.db import transaction

        with transaction.atomic():
            Nomination.objects.select_for_update().filter(pk=last.pk).update(summary="改动一")
            holding.set()
            refreshing.wait(timeout=10)
            time.sleep(0.3)  # the refresh is writing meanwhile
            Nomination.objects.select_for_update().filter(pk=first.pk).update(summary="改动二")
        return "written"

    def refresh_results():
        holding.wait(timeout=10)
        refreshing.set()
        return evaluate_campaign(world.campaign)

    results, errors = _run_at_once([writer, refresh_results])
    assert errors == [None, None]
    stored = Nomination.objects.filter(campaign=world.campaign)
    assert results == ["written", stored.count()]
    assert {n.summary for n in stored.filter(pk__in=[first.pk, last.pk])} == {"改动一", "改动二"}
    assert all(n.rule_results for n in stored)

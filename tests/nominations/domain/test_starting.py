"""Starting nominations in the domain: numbers unique per campaign even when started at once."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from jixing.accounts.enums import UserRole
from jixing.audit.enums import AuditAction
from jixing.audit.models import AuditEvent
from jixing.nominations.domain.access import can_edit, send_move
from jixing.nominations.domain.starting import (
    StartRefused,
    category_places,
    next_number,
    place_holder,
    start_nomination,
)
from jixing.nominations.domain.states import Action
from jixing.nominations.domain.transitions import TransitionRefused, transition
from jixing.nominations.enums import NominationState as S
from jixing.nominations.models import Nomination
from tests.factories import (
    make_campaign,
    make_learner,
    make_nomination,
    make_small_province,
    make_snapshot,
    make_user,
)


def _world(learners: int = 1):
    tree = make_small_province()
    snapshot = make_snapshot()
    rows = [
        make_learner(snapshot=snapshot, org=tree["school"], account_id=f"A{i}", name=f"学员{i}")
        for i in range(learners)
    ]
    campaign = make_campaign()
    apply = campaign.phases.get(key="apply")
    now = apply.starts_at + timedelta(hours=1)
    admin = make_user(username="s", role=UserRole.UNIT_ADMIN, org=tree["school"])
    return tree, campaign, rows, admin, now


@pytest.mark.django_db
def test_next_number_follows_the_highest_taken_even_past_gaps():
    tree, campaign, *_ = _world()
    for number in ("2022-TY-0001", "2022-TY-0007", "2022-DT-0009", "N-OTHER"):
        make_nomination(campaign=campaign, recommending_org=tree["school"], number=number)
    number = next_number(campaign_year=2022, reporting_unit=tree["taiyuan"], campaign_id=campaign.pk)
    assert number == "2022-TY-0008"


@pytest.mark.django_db
def test_start_refuses_a_learner_outside_the_actors_subtree():
    tree, campaign, _, admin, now = _world()
    outsider = make_learner(snapshot=make_snapshot(current=False), org=tree["datong_school"], account_id="D1")
    with pytest.raises(StartRefused, match="不在您的管辖范围内"):
        start_nomination(category=campaign.categories.get(number=1), actor=admin, learner=outsider, now=now)


@pytest.mark.django_db
def test_start_refuses_a_unit_admin_whose_org_is_not_a_unit():
    tree, campaign, rows, _, now = _world()
    dept_admin = make_user(username="d", role=UserRole.UNIT_ADMIN, org=tree["dept"])
    with pytest.raises(PermissionDenied):
        start_nomination(
            category=campaign.categories.get(number=1), actor=dept_admin, learner=rows[0], now=now
        )


@pytest.mark.django_db
def test_send_move_belongs_to_whoever_owns_the_draft():
    tree, campaign, rows, admin, now = _world()
    learner = make_user(username="l", role=UserRole.LEARNER, org=tree["school"], account_id="A0")
    units_draft = start_nomination(
        category=campaign.categories.get(number=1), actor=admin, learner=rows[0], now=now
    )
    own = start_nomination(
        category=campaign.categories.get(number=2), actor=learner, learner=rows[0], now=now
    )
    assert (send_move(admin, units_draft).action, send_move(learner, units_draft)) == (Action.SUBMIT, None)
    assert (send_move(admin, own), send_move(learner, own).action) == (None, Action.APPLY)
    own.state = S.RETURNED
    assert (send_move(admin, own).action, send_move(learner, own).action) == (Action.SUBMIT, Action.APPLY)
    own.state = S.AWAITING_UNIT
    assert (can_edit(admin, own), can_edit(learner, own)) == (True, False)


@pytest.mark.django_db(transaction=True)
def test_numbers_stay_unique_when_many_start_at_once():
    tree, campaign, rows, admin, _ = _world(learners=6)
    # Open the window around now: the threads use the clock.
    campaign.phases.filter(key="apply").update(
        starts_at=timezone.now() - timedelta(days=1), ends_at=timezone.now() + timedelta(days=1)
    )
    campaign.phases.exclude(key="apply").update(starts_at=timezone.now() + timedelta(days=30), ends_at=None)
    category = campaign.categories.get(number=1)
    barrier = threading.Barrier(len(rows))
    errors = []

    def worker(learner):
        try:
            barrier.wait()
            start_nomination(category=category, actor=admin, learner=learner)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(row,)) for row in rows]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Nomination.objects.values_list("number", flat=True))
    assert numbers == [f"2022-TY-{i:04d}" for i in range(1, 7)]


@pytest.mark.django_db
def test_a_unit_whose_place_is_taken_cannot_start_again_until_it_recalls_its_nomination():
    tree, campaign, rows, admin, now = _world(learners=2)
    learner = make_user(username="l", role=UserRole.LEARNER, org=tree["school"], account_id="A1")
    category = campaign.categories.get(number=1)
    sent = start_nomination(category=category, actor=admin, learner=rows[0], now=now)
    sent.state, sent.submitted_at = S.SUBMITTED, now
    sent.save()
    assert category_places(admin, [category])[category.pk].held == sent
    assert category_places(learner, [category])[category.pk].held == sent  # the learner's unit
    with pytest.raises(StartRefused, match="已在“学员标兵”项目申报了 学员0") as refused:
        start_nomination(category=category, actor=admin, learner=rows[1], now=now)
    assert refused.value.existing == sent and Nomination.objects.count() == 1
    # A learner may still apply (his unit will confirm only one): warned, not refused.
    own = start_nomination(category=category, actor=learner, learner=rows[1], now=now)
    assert place_holder(own) == sent
    # The unit takes its nomination back before the deadline (audited) and may start another.
    transition(sent, Action.RECALL, actor=admin, now=now)
    # A draft again: not submitted (it no longer counts as sent in time, nor ranks by that submission).
    assert Nomination.objects.values_list("state", "submitted_at").get(pk=sent.pk) == (S.DRAFT, None)
    event = AuditEvent.objects.get(action=AuditAction.NOMINATION_RECALL)
    assert (event.before, event.after["state"]) == ({"state": S.SUBMITTED}, S.DRAFT)
    place = category_places(admin, [category])[category.pk]
    assert place.held is None and [n.pk for n in place.in_progress] == [sent.pk, own.pk]
    # The learner sees his own application in progress, not the unit's draft of a colleague.
    assert [n.pk for n in category_places(learner, [category])[category.pk].in_progress] == [own.pk]
    assert place_holder(own) is None


@pytest.mark.django_db
def test_recall_is_the_units_own_and_only_before_the_apply_deadline():
    tree, campaign, rows, admin, now = _world()
    sent = make_nomination(campaign=campaign, recommending_org=tree["school"], nominee_account="A0")
    reviewer = make_user(username="r", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"])
    with pytest.raises(PermissionDenied):
        transition(sent, Action.RECALL, actor=reviewer, now=now)
    screen = campaign.phases.get(key="screen").starts_at + timedelta(hours=1)
    with pytest.raises(TransitionRefused, match="G.8|申报推荐"):
        transition(sent, Action.RECALL, actor=admin, now=screen)
    assert Nomination.objects.get(pk=sent.pk).state == S.SUBMITTED

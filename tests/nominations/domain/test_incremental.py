"""Incremental re-evaluation (issue 10, item 1): a change re-evaluates its nomination and those compared
with it — same reporting unit and category (ranks, G.7), same recommending unit and category (G.6), same
person (G.2, G.3) — and the results are exactly those a whole evaluation gives."""

from datetime import UTC, datetime

import pytest

from jixing.accounts.enums import UserRole
from jixing.campaigns.domain.staleness import mark_stale
from jixing.campaigns.models import Campaign
from jixing.nominations.domain import evaluation
from jixing.nominations.domain.changes import mark_changed
from jixing.nominations.domain.decisions import record_decision
from jixing.nominations.domain.evaluation import due_scope, evaluate_campaign, evaluate_due
from jixing.nominations.enums import NominationState
from jixing.nominations.models import Attachment, Nomination
from tests.factories import (
    make_campaign,
    make_learner,
    make_nomination,
    make_small_province,
    make_snapshot,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def held(settings):
    """Refreshes wait (the suite's default backend runs them at once): each test runs them itself."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


SUBMITTED = datetime(2023, 1, 5, tzinfo=UTC)


@pytest.fixture
def world():
    """太原's school: 学员标兵 A1 and A2 (one place, G.6), 优秀学员 A3 and A4 (ranked); 大同's school: 优秀学员
    B1 — the same person as A1 under another 学号 (G.2, G.3) — and 学员标兵 B2, compared with nobody of these."""
    tree = make_small_province()
    snapshot = make_snapshot()
    campaign = make_campaign()
    points = {"A1": 9000, "A2": 8000, "A3": 7000, "A4": 6000, "B1": 9000, "B2": 5000}
    for account, annual in points.items():
        org = tree["dept"] if account.startswith("A") else tree["datong_school"]
        person = "k-same" if account in ("A1", "B1") else f"k-{account}"
        make_learner(snapshot=snapshot, org=org, account_id=account, annual_points=annual,
                     total_points=annual + 1000, person_key=person, national_total_rank=1000,
                     is_real_name=True, is_shanxi_phone=True)  # fmt: skip
    cells = [("A1", "school", 1), ("A2", "school", 1), ("A3", "school", 2), ("A4", "school", 2),
             ("B1", "datong_school", 2), ("B2", "datong_school", 1)]  # fmt: skip
    rows = {}
    for i, (account, unit, category) in enumerate(cells):
        rows[account] = make_nomination(
            campaign=campaign, recommending_org=tree[unit], category_number=category, nominee_account=account,
            number=f"N{i}", submitted_at=SUBMITTED.replace(hour=i),
        )  # fmt: skip
        Attachment.objects.create(
            nomination=rows[account], kind="承诺书", file="x.pdf", original_name="承诺书.pdf"
        )
    evaluate_campaign(campaign)
    reviewer = make_user(username="dt", role=UserRole.REPORTING_REVIEWER, org=tree["datong"])
    return campaign, rows, reviewer


def _stored(campaign) -> dict[str, tuple]:
    return {
        n.number: (n.status, n.rank, n.rule_results)
        for n in Nomination.objects.filter(campaign=campaign).order_by("number")
    }


def _as_a_whole(campaign) -> dict[str, tuple]:
    """The results a whole evaluation stores now (the campaign's stored results are put back after)."""
    mark_stale(campaign)
    evaluate_due(campaign)
    return _stored(campaign)


def _change(campaign, row, **fields) -> None:
    Nomination.objects.filter(pk=row.pk).update(**fields)
    mark_changed(campaign, [row])


def test_nothing_is_due_after_a_whole_evaluation(world):
    campaign, _, _ = world
    assert due_scope(campaign) == []
    assert evaluate_due(campaign, only_if_due=True) == 0


def test_a_change_takes_in_its_unit_category_and_person_and_nothing_else(world):
    campaign, rows, _ = world
    _change(campaign, rows["A3"], typed_annual_points=1)
    assert set(due_scope(campaign)) == {rows["A3"].pk, rows["A4"].pk}
    _change(campaign, rows["A1"], typed_annual_points=1)
    # A1 brings A2 (one place per unit and category) and B1 (the same person), not B2.
    assert set(due_scope(campaign)) == {rows[a].pk for a in ("A1", "A2", "A3", "A4", "B1")}
    assert evaluate_due(campaign) == 5
    assert due_scope(campaign) == []


def test_a_withdrawal_changes_the_results_of_others_exactly_as_a_whole_evaluation(world):
    campaign, rows, _ = world
    before = _stored(campaign)
    assert before["N1"][2]["G.6"]["outcome"] == "fail"  # A2 comes after A1 in the same unit and category
    assert before["N4"][2]["G.2"]["outcome"] == "fail"  # B1: the person took part first as A1
    _change(campaign, rows["A1"], state=NominationState.WITHDRAWN)
    assert evaluate_due(campaign) == 3  # A1, A2 and B1
    incremental = _stored(campaign)
    # Only A1 was marked, yet A2's place and B1's account are decided anew.
    assert incremental["N1"][2]["G.6"]["outcome"] == "pass"
    assert incremental["N4"][2]["G.2"]["outcome"] == "pass"
    assert incremental == _as_a_whole(campaign)


@pytest.mark.parametrize("step", ["decision", "evidence", "rank", "state"])
def test_every_kind_of_change_gives_the_whole_evaluations_results(world, step):
    campaign, rows, reviewer = world
    if step == "decision":
        record_decision(
            Nomination.objects.get(pk=rows["B2"].pk),
            rule_id="G.1",
            holds=False,
            comment="承诺书未签字",
            actor=reviewer,
        )
    elif step == "evidence":
        Attachment.objects.filter(nomination=rows["A4"]).delete()
        mark_changed(campaign, [rows["A4"]])
    elif step == "rank":
        _change(campaign, rows["A3"], state=NominationState.RETURNED)  # leaves the order: A4 moves up
    else:
        _change(campaign, rows["B1"], state=NominationState.REJECTED)
    evaluated = evaluate_due(campaign)
    assert 0 < evaluated < Nomination.objects.filter(campaign=campaign).count()
    assert _stored(campaign) == _as_a_whole(campaign)


def test_a_change_written_during_a_refresh_stays_due(world, monkeypatch):
    campaign, rows, _ = world
    _change(campaign, rows["B2"], typed_annual_points=1)
    real = evaluation.build_facts

    def change_meanwhile(*args, **kwargs):
        # Another writer changes B2 after the refresh read it, before the results are stored.
        _change(campaign, rows["B2"], typed_annual_points=2)
        return real(*args, **kwargs)

    monkeypatch.setattr(evaluation, "build_facts", change_meanwhile)
    assert evaluate_due(campaign) == 1
    monkeypatch.setattr(evaluation, "build_facts", real)
    assert due_scope(campaign) == [rows["B2"].pk]  # the results stored were computed before the change
    assert evaluate_due(campaign) == 1
    assert due_scope(campaign) == []


def test_data_every_nomination_reads_makes_the_whole_campaign_due(world):
    campaign, _, _ = world
    mark_stale()  # e.g. a snapshot or roles import
    campaign = Campaign.objects.get(pk=campaign.pk)
    assert campaign.whole_version > campaign.whole_evaluated_version
    assert evaluate_due(campaign) == Nomination.objects.filter(campaign=campaign).count()
    assert evaluate_due(campaign, only_if_due=True) == 0

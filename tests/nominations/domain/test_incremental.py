"""Incremental re-evaluation (issue 10, item 1): a change re-evaluates its nomination and those compared
with it — same reporting unit and category (ranks, G.7), same recommending unit and category (G.6), same
person (G.2, G.3) — and the results are exactly those a whole evaluation gives."""

import random
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
from jixing.orgs.enums import OrgLevel
from jixing.orgs.models import Org
from jixing.people.domain.snapshots.figures import refresh_figures
from jixing.people.models import Learner
from tests.factories import (
    make_campaign,
    make_learner,
    make_nomination,
    make_org,
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
    """太原: 学员标兵 A1 and A2 of one school (one place, G.6); 优秀学员 A3 and A4 of two schools, ranked
    together. 大同: 优秀学员 B1 — the same person as A1 under another 学号 (G.2, G.3) — ranked with B3 of
    another school; 学员标兵 B2, compared with none of these. Every rule but G.1 (a reviewer's) holds where
    the data allows, so that places and ranks are at stake."""
    tree = make_small_province()
    Org.objects.filter(pk=tree["datong_school"].pk).update(members=40, staff=45)
    tree["school2"] = make_org(name="清徐县第二中学", level=OrgLevel.UNIT, parent=tree["county"],
                               is_legal_entity=True, members=40, staff=45)  # fmt: skip
    tree["datong_school2"] = make_org(name="大同市第三中学", level=OrgLevel.UNIT, parent=tree["datong"],
                                      is_legal_entity=True, members=40, staff=45)  # fmt: skip
    snapshot = make_snapshot()
    campaign = make_campaign()
    cells = [("A1", "school", 1, 9000), ("A2", "school", 1, 8000), ("A3", "school", 2, 7000),
             ("A4", "school2", 2, 6000), ("B1", "datong_school", 2, 9000), ("B2", "datong_school", 1, 5000),
             ("B3", "datong_school2", 2, 4000)]  # fmt: skip
    rows = {}
    for i, (account, unit, category, annual) in enumerate(cells):
        make_learner(snapshot=snapshot, org=tree["dept"] if unit == "school" else tree[unit], account_id=account,
                     annual_points=annual, total_points=annual + 1000,
                     person_key="k-same" if account in ("A1", "B1") else f"k-{account}",
                     national_total_rank=1000, national_annual_rank=1000, is_real_name=True,
                     is_shanxi_phone=True)  # fmt: skip
        rows[account] = make_nomination(
            campaign=campaign, recommending_org=tree[unit], category_number=category, nominee_account=account,
            number=f"N{i}", submitted_at=SUBMITTED.replace(hour=i), typed_total_points=annual + 1000,
            typed_annual_points=annual, declared_evidence=["场景照片", "积分截图"],
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
    assert due_scope(campaign).affected == []
    assert evaluate_due(campaign, only_if_due=True) == 0


def test_a_change_takes_in_its_unit_category_and_person_and_nothing_else(world):
    campaign, rows, _ = world
    _change(campaign, rows["A3"], typed_annual_points=1)
    assert set(due_scope(campaign).affected) == {rows["A3"].pk, rows["A4"].pk}
    _change(campaign, rows["A1"], typed_annual_points=1)
    # A1 brings A2 (one place per unit and category) and B1 (the same person), whose status may move the
    # ranks of B3 beside him; not B2.
    scope = due_scope(campaign)
    assert set(scope.affected) == {rows[a].pk for a in ("A1", "A2", "A3", "A4", "B1", "B3")}
    assert evaluate_due(campaign) == 6
    assert due_scope(campaign).affected == []


def test_a_withdrawal_changes_the_results_of_others_exactly_as_a_whole_evaluation(world):
    campaign, rows, _ = world
    before = _stored(campaign)
    assert before["N1"][2]["G.6"]["outcome"] == "fail"  # A2 comes after A1 in the same unit and category
    assert before["N4"][2]["G.2"]["outcome"] == "fail"  # B1: the person took part first as A1
    _change(campaign, rows["A1"], state=NominationState.WITHDRAWN)
    assert before["N6"][1] == 1  # B3 ranks alone: B1 is ineligible
    assert evaluate_due(campaign) == 4  # A1, A2, B1 and B3
    incremental = _stored(campaign)
    # Only A1 was marked, yet A2's place and B1's account are decided anew, and B1 now ranks above B3.
    assert incremental["N1"][2]["G.6"]["outcome"] == "pass"
    assert incremental["N4"][2]["G.2"]["outcome"] == "pass"
    assert (incremental["N4"][1], incremental["N6"][1]) == (1, 2)
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
    assert due_scope(campaign).affected == [
        rows["B2"].pk
    ]  # the results stored were computed before the change
    assert evaluate_due(campaign) == 1
    assert due_scope(campaign).affected == []


def test_data_every_nomination_reads_makes_the_whole_campaign_due(world):
    campaign, _, _ = world
    mark_stale()  # e.g. a snapshot or roles import
    campaign = Campaign.objects.get(pk=campaign.pk)
    assert campaign.whole_version > campaign.whole_evaluated_version
    assert evaluate_due(campaign) == Nomination.objects.filter(campaign=campaign).count()
    assert evaluate_due(campaign, only_if_due=True) == 0


STATES = [NominationState.SUBMITTED] * 4 + [NominationState.RETURNED, NominationState.WITHDRAWN,
                                             NominationState.REJECTED, NominationState.RECOMMENDED]  # fmt: skip


@pytest.mark.parametrize("seed", range(8))
def test_random_changes_in_a_tangled_province_give_the_whole_evaluations_results(seed):
    """Persons with several 学号 and several nominations across units and categories: whatever one
    nomination's change, the incremental refresh stores what a whole evaluation would."""
    rng = random.Random(seed)
    tree = make_small_province()
    snapshot = make_snapshot()
    campaign = make_campaign()
    Org.objects.filter(pk=tree["datong_school"].pk).update(members=40, staff=45)
    # Several schools under each reporting unit: one place each per category (G.6), ranked together.
    schools = [tree["school"], tree["datong_school"]] + [
        make_org(name=f"第{n}中学", level=OrgLevel.UNIT, parent=tree["county" if n % 2 else "datong"],
                 is_legal_entity=True, members=40, staff=45)
        for n in range(4)
    ]  # fmt: skip
    accounts = [f"R{n:02}" for n in range(16)]
    persons = {a: f"p-{rng.randrange(9)}" for a in accounts}  # about two 学号 a person
    Learner.objects.bulk_create(
        Learner(snapshot=snapshot, org=rng.choice(schools), account_id=a,
                name="测试学员", person_key=persons[a], total_points=rng.randrange(5000, 20000),
                annual_points=rng.randrange(1000, 9000), national_total_rank=1000, national_annual_rank=1000,
                is_real_name=True,
                is_shanxi_phone=True)
        for a in accounts
    )  # fmt: skip
    refresh_figures(snapshot)
    points = {
        a: (t, y) for a, t, y in Learner.objects.values_list("account_id", "total_points", "annual_points")
    }
    rows = []
    for n in range(30):
        account = rng.choice(accounts)
        rows.append(
            make_nomination(
                campaign=campaign, recommending_org=rng.choice(schools),
                category_number=rng.choice([1, 2]), nominee_account=account, number=f"T{n:02}",
                state=rng.choice(STATES), submitted_at=SUBMITTED.replace(minute=rng.randrange(60)),
                typed_total_points=points[account][0], typed_annual_points=points[account][1],
                declared_evidence=["承诺书", "场景照片", "积分截图"],
            )
        )  # fmt: skip
    evaluate_campaign(campaign)
    assert Nomination.objects.filter(campaign=campaign, rank__isnull=False).count() >= 3  # ranks are at stake
    for _ in range(3):
        row = rng.choice(rows)
        _change(
            campaign, row, state=rng.choice(STATES), submitted_at=SUBMITTED.replace(minute=rng.randrange(60))
        )
    evaluate_due(campaign)
    assert _stored(campaign) == _as_a_whole(campaign)

"""Eligibility inside the application: facts in few queries, stored results, freshness, decisions."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jixing.accounts.enums import UserRole
from jixing.campaigns.domain.eligibility_rules import compiled_rules
from jixing.nominations.domain.decisions import DecisionRefused, record_decision
from jixing.nominations.domain.evaluation import ensure_fresh, evaluate_campaign, rule_table
from jixing.nominations.domain.facts import build_facts
from jixing.nominations.domain.states import Action
from jixing.nominations.domain.transitions import transition
from jixing.nominations.models import Attachment, Nomination
from jixing.people.domain.queries import current_snapshot
from tests.eligibility.build import SNAPSHOT_RULES
from tests.factories import (
    make_campaign,
    make_learner,
    make_nomination,
    make_role,
    make_small_province,
    make_snapshot,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    tree = make_small_province()
    snapshot = make_snapshot()
    campaign = make_campaign()
    reviewer = make_user(username="ty", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"])
    return tree, snapshot, campaign, reviewer


def _nominate(tree, snapshot, campaign, n: int, **fields):
    account = f"A{n}"
    make_learner(snapshot=snapshot, org=tree["dept"], account_id=account, national_total_rank=1000,
                 is_real_name=True, is_shanxi_phone=True)  # fmt: skip
    make_role(account_id=account, org=tree["school"], kind="供稿员")
    fields.setdefault("submitted_at", datetime(2023, 1, 5, tzinfo=UTC))
    nomination = make_nomination(campaign=campaign, recommending_org=tree["school"], nominee_account=account,
                                 number=f"N{n}", **fields)  # fmt: skip
    Attachment.objects.create(nomination=nomination, kind="承诺书", file="x.pdf", original_name="承诺书.pdf")
    return nomination


def _facts_queries(campaign) -> int:
    with CaptureQueriesContext(connection) as ctx:
        build_facts(Nomination.objects.filter(campaign=campaign), compiled=compiled_rules(campaign),
                    snapshot=current_snapshot())  # fmt: skip
    return len(ctx.captured_queries)


def test_facts_take_the_same_number_of_queries_for_1_and_3_nominations(world):
    tree, snapshot, campaign, _ = world
    _nominate(tree, snapshot, campaign, 1)
    one = _facts_queries(campaign)
    _nominate(tree, snapshot, campaign, 2, category_number=2)
    _nominate(tree, snapshot, campaign, 3, category_number=3)
    assert _facts_queries(campaign) == one


def test_facts_read_the_learners_unit_roles_and_evidence(world):
    tree, snapshot, campaign, _ = world
    _nominate(tree, snapshot, campaign, 1)
    (facts,) = build_facts(Nomination.objects.all(), compiled=compiled_rules(campaign), snapshot=snapshot)
    assert facts.unit.code == "TY-QX-S1"  # the department's unit
    assert (facts.learner.total_points, facts.rank_in_unit) == (10000, 1)
    assert [(r.kind, r.node.code) for r in facts.roles] == [("供稿员", "TY-QX-S1")]
    assert facts.attachments == frozenset({"承诺书"})
    assert (facts.recommending_unit, facts.reporting_unit) == ("TY-QX-S1", "TY")


def test_evaluate_campaign_stores_status_rank_and_rule_values(world):
    tree, snapshot, campaign, _ = world
    nomination = _nominate(tree, snapshot, campaign, 1)
    assert evaluate_campaign(campaign) == 1
    nomination.refresh_from_db()
    assert nomination.rule_results["1.2"]["outcome"] == "pass"
    assert nomination.rule_results["G.1"]["outcome"] == "manual"
    assert nomination.rule_results["G.10"]["outcome"] == "missing"  # no scene photo
    assert nomination.status == "incomplete"
    assert nomination.rank is None
    assert nomination.rule_results["1.3"]["values"] == {
        "learner.national_total_rank": 1000,
        "params.national_rank_max": 500000,
    }


def test_unknown_account_is_stored_as_needing_completion_not_ineligible(world):
    tree, snapshot, campaign, _ = world
    _nominate(tree, snapshot, campaign, 1, category_number=4)  # a 供稿员 the snapshot has, for comparison
    unknown = make_nomination(campaign=campaign, recommending_org=tree["county"], category_number=4,
                              nominee_account="A404", submitted_at=datetime(2023, 1, 5, tzinfo=UTC),
                              declared_evidence=["承诺书", "场景照片"])  # fmt: skip
    evaluate_campaign(campaign)
    unknown.refresh_from_db()
    assert unknown.status == "incomplete"  # 材料或数据不全: to be completed, not 不符合
    lacking = {rule_id for rule_id, r in unknown.rule_results.items() if r["outcome"] == "missing"}
    assert lacking == SNAPSHOT_RULES["优秀供稿员"]
    for rule_id in lacking:
        assert unknown.rule_results[rule_id] == {
            "outcome": "missing",
            "values": {"nominee_account": "A404"},
            "reviewed": False,
            "reason": "学号不在基准积分快照中",
        }
    # Rules that do not read the snapshot are decided as ever, and stored without a reason.
    assert unknown.rule_results["G.10"] == {
        "outcome": "pass",
        "values": {"attachments": ["场景照片", "承诺书"]},
        "reviewed": False,
    }
    row = next(r for r in rule_table(unknown) if r["id"] == "4.1")
    assert (row["outcome"], row["reason"]) == ("missing", "学号不在基准积分快照中")
    known = Nomination.objects.get(nominee_account="A1")
    assert (known.rule_results["4.1"]["outcome"], "reason" in known.rule_results["4.1"]) == (
        "manual",
        False,
    )  # a contributor: the scope is then a reviewer's call


def test_results_are_recomputed_only_after_a_change(world):
    tree, snapshot, campaign, _ = world
    nomination = _nominate(tree, snapshot, campaign, 1, state="draft", submitted_at=None)
    assert ensure_fresh(campaign) is True
    assert ensure_fresh(campaign) is False
    evaluated = campaign.evaluated_at
    unit_admin = make_user(username="s", role=UserRole.UNIT_ADMIN, org=tree["school"])
    apply = campaign.phases.get(key="apply")
    transition(nomination, Action.SUBMIT, actor=unit_admin, now=apply.starts_at + timedelta(hours=1))
    # The change queued a refresh, which the tests' task backend runs at once: fresh again, and later.
    assert ensure_fresh(campaign) is False
    assert campaign.evaluated_at > evaluated


def test_reviewer_decision_settles_a_manual_rule_and_is_shown(world):
    tree, snapshot, campaign, reviewer = world
    nomination = _nominate(tree, snapshot, campaign, 1)
    evaluate_campaign(campaign)
    nomination.refresh_from_db()
    record_decision(nomination, rule_id="G.1", holds=True, comment="承诺书已核", actor=reviewer)
    ensure_fresh(campaign)
    nomination.refresh_from_db()
    assert nomination.rule_results["G.1"] == {
        "outcome": "pass",
        "values": {"attachments": ["承诺书"]},
        "reviewed": True,
    }
    row = next(r for r in rule_table(nomination) if r["id"] == "G.1")
    assert (row["decision"].decided_by, row["decision"].comment) == (reviewer, "承诺书已核")
    assert row["wording"].startswith("具有中华人民共和国国籍")


def test_decisions_are_refused_where_data_decides_or_without_comment_or_right(world):
    tree, snapshot, campaign, reviewer = world
    nomination = _nominate(tree, snapshot, campaign, 1)
    evaluate_campaign(campaign)
    nomination.refresh_from_db()
    with pytest.raises(DecisionRefused, match=r"这一条件由数据判定（符合），无需审核人员判断"):
        record_decision(nomination, rule_id="1.2", holds=False, comment="x", actor=reviewer)
    with pytest.raises(DecisionRefused, match="判定为“不符合”时须填写意见"):
        record_decision(nomination, rule_id="G.1", holds=False, comment="", actor=reviewer)
    unit_admin = make_user(username="s", role=UserRole.UNIT_ADMIN, org=tree["school"])
    with pytest.raises(PermissionDenied):
        record_decision(nomination, rule_id="G.1", holds=True, comment="", actor=unit_admin)
    assert nomination.decisions.count() == 0


def test_nominations_back_with_their_unit_take_no_place_in_the_order(world):
    tree, snapshot, campaign, _ = world
    typed = {"typed_total_points": 10000, "typed_annual_points": 8000}  # as in the snapshot (G.9)
    draft = _nominate(tree, snapshot, campaign, 1, state="returned", **typed)
    sent = _nominate(tree, snapshot, campaign, 2, category_number=1, **typed)
    sent.recommending_org = tree["county"]  # another unit, same reporting unit and category
    sent.save()
    for n in (draft, sent):
        n.attachments.create(kind="场景照片", file="p.png", original_name="p.png")
        n.decisions.create(rule_id="G.1", holds=True, source="测试")
    evaluate_campaign(campaign)
    draft.refresh_from_db()
    sent.refresh_from_db()
    missing = {k: v for k, v in sent.rule_results.items() if v["outcome"] != "pass"}
    assert (sent.status, sent.rank, missing) == ("eligible", 1, {})
    failing = {k: v["outcome"] for k, v in draft.rule_results.items() if v["outcome"] != "pass"}
    assert (draft.status, draft.rank, failing) == ("eligible", None, {})

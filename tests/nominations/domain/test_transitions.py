"""The state table, row by row: the right party in the right phase moves; everyone else is refused."""

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

import jixing
from jixing.accounts.enums import UserRole
from jixing.audit.models import AuditEvent
from jixing.campaigns.models import Quota
from jixing.nominations.domain.states import LIST_ACTIONS, MOVES, Action, Party
from jixing.nominations.domain.transitions import TransitionRefused, list_transition, transition
from jixing.nominations.enums import NominationState as S
from jixing.nominations.models import Nomination
from jixing.orgs.enums import OrgLevel
from tests.factories import make_campaign, make_nomination, make_org, make_small_province, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    tree = make_small_province()
    campaign = make_campaign()
    actors = {
        Party.PROVINCE: make_user(username="p", role=UserRole.PROVINCE_ADMIN, org=tree["province"]),
        Party.REPORTING_UNIT: make_user(username="ty", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"]),
        Party.RECOMMENDER: make_user(username="s", role=UserRole.UNIT_ADMIN, org=tree["school"]),
        Party.NOMINEE: make_user(username="l", role=UserRole.LEARNER, org=tree["dept"], account_id="A1"),
    }
    return tree, campaign, actors


def _inside(campaign, phase_key):
    return campaign.phases.get(key=phase_key).starts_at + timedelta(hours=1)


def _nomination(world, state):
    tree, campaign, _ = world
    return make_nomination(
        campaign=campaign, recommending_org=tree["school"], state=state, nominee_account="A1"
    )


def _door(move):
    """The function a move goes through: list moves only with their list (list_transition)."""
    if move.action in LIST_ACTIONS:
        return lambda nomination, action, *, reason, **kwargs: list_transition(nomination, action, **kwargs)
    return transition


@pytest.mark.parametrize("move", MOVES, ids=lambda m: f"{m.action}:{m.source}")
def test_move_by_allowed_party_in_allowed_phase_succeeds(world, move):
    _, campaign, actors = world
    nomination = _nomination(world, move.source)
    party = sorted(move.parties)[0]
    phase = sorted(move.phases)[0]
    _door(move)(nomination, move.action, actor=actors[party], reason="理由", now=_inside(campaign, phase))
    nomination.refresh_from_db()
    assert nomination.state == move.target
    event = AuditEvent.objects.get(action=f"nomination.{move.action}")
    assert (event.before, event.after["state"], event.actor) == (
        {"state": move.source},
        move.target,
        actors[party],
    )


@pytest.mark.parametrize("move", MOVES, ids=lambda m: f"{m.action}:{m.source}")
def test_move_by_other_parties_is_forbidden_and_changes_nothing(world, move):
    _, campaign, actors = world
    nomination = _nomination(world, move.source)
    now = _inside(campaign, sorted(move.phases)[0])
    for party in set(Party) - move.parties:
        with pytest.raises(PermissionDenied):
            _door(move)(nomination, move.action, actor=actors[party], reason="理由", now=now)
    nomination.refresh_from_db()
    assert nomination.state == move.source
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize("move", MOVES, ids=lambda m: f"{m.action}:{m.source}")
def test_move_outside_its_phases_is_refused_with_g8(world, move):
    _, campaign, actors = world
    nomination = _nomination(world, move.source)
    other_phases = {"apply", "screen", "announce", "commend"} - set(move.phases)
    party = sorted(move.parties)[0]
    for phase in other_phases:
        with pytest.raises(TransitionRefused, match="只能在“.+”阶段") as excinfo:
            _door(move)(
                nomination, move.action, actor=actors[party], reason="理由", now=_inside(campaign, phase)
            )
        assert excinfo.value.rule_id == "G.8"
    nomination.refresh_from_db()
    assert nomination.state == move.source


def test_move_absent_from_the_table_is_refused(world):
    _, campaign, actors = world
    nomination = _nomination(world, S.COMMENDED)
    with pytest.raises(TransitionRefused, match="当前状态为“已表扬”，不能“提交申报”"):
        transition(nomination, Action.SUBMIT, actor=actors[Party.RECOMMENDER], now=_inside(campaign, "apply"))


def test_move_needing_a_reason_is_refused_without_one(world):
    _, campaign, actors = world
    nomination = _nomination(world, S.SUBMITTED)
    with pytest.raises(TransitionRefused, match="“退回修改”须填写理由"):
        transition(
            nomination,
            Action.RETURN,
            actor=actors[Party.REPORTING_UNIT],
            reason="  ",
            now=_inside(campaign, "screen"),
        )


@pytest.mark.parametrize(
    ("action", "source", "phase", "message"),
    [
        (Action.RECOMMEND, S.SUBMITTED, "screen",
         "“报送省平台”随推荐总表一起进行，不能单独报送一个申报：请在“审核报送”页面报送推荐总表"),
        (Action.PUBLISH, S.SELECTED, "announce",
         "“公示”对全部拟入选申报一起发布，不能单独公示一个申报：请在“汇总公示 · 发布公示”页面发布"),
        (Action.APPROVE, S.PUBLISHED, "announce",
         "“审批通过”对全部公示中的申报一起登记，不能单独审批一个申报：请在“汇总公示 · 审批”页面登记"),
    ],
)  # fmt: skip
def test_list_move_of_one_nomination_is_refused_and_changes_nothing(world, action, source, phase, message):
    _, campaign, actors = world
    nomination = _nomination(world, source)
    party = Party.REPORTING_UNIT if action == Action.RECOMMEND else Party.PROVINCE
    with pytest.raises(TransitionRefused) as excinfo:
        transition(nomination, action, actor=actors[party], now=_inside(campaign, phase))
    assert str(excinfo.value) == message
    nomination.refresh_from_db()
    assert nomination.state == source
    assert AuditEvent.objects.count() == 0


def test_list_transition_makes_list_moves_only(world):
    _, campaign, actors = world
    nomination = _nomination(world, S.SUBMITTED)
    with pytest.raises(ValueError):
        list_transition(
            nomination, Action.RETURN, actor=actors[Party.REPORTING_UNIT], now=_inside(campaign, "screen")
        )
    nomination.refresh_from_db()
    assert nomination.state == S.SUBMITTED


def test_second_nomination_of_a_unit_in_a_category_stays_a_draft_g6(world):
    tree, campaign, actors = world
    make_nomination(
        campaign=campaign,
        recommending_org=tree["school"],
        state=S.SUBMITTED,
        number="N-FIRST",
        nominee_name="甲",
    )
    second = make_nomination(campaign=campaign, recommending_org=tree["school"], state=S.DRAFT, number="N-2")
    with pytest.raises(TransitionRefused) as excinfo:
        transition(second, Action.SUBMIT, actor=actors[Party.RECOMMENDER], now=_inside(campaign, "apply"))
    assert str(excinfo.value) == (
        "本单位已在“学员标兵”项目中申报了 甲（N-FIRST），每单位每项限报 1 个。本申报已保存为草稿。"
    )
    assert excinfo.value.rule_id == "G.6"
    second.refresh_from_db()
    assert second.state == S.DRAFT


def test_rejected_nomination_frees_the_units_place_g6(world):
    tree, campaign, actors = world
    make_nomination(campaign=campaign, recommending_org=tree["school"], state=S.REJECTED, number="N-OLD")
    second = make_nomination(campaign=campaign, recommending_org=tree["school"], state=S.DRAFT, number="N-2")
    transition(second, Action.SUBMIT, actor=actors[Party.RECOMMENDER], now=_inside(campaign, "apply"))
    assert second.state == S.SUBMITTED


def test_recommend_past_the_quota_is_refused_g7(world):
    tree, campaign, actors = world
    Quota.objects.filter(reporting_unit=tree["taiyuan"], category__number=1).update(seats=1)
    make_nomination(campaign=campaign, recommending_org=tree["school"], state=S.RECOMMENDED, number="N-IN")
    county_unit_nomination = make_nomination(
        campaign=campaign, recommending_org=tree["county"], state=S.SUBMITTED, number="N-OUT"
    )
    with pytest.raises(TransitionRefused, match="名额为 1 个，已报送 1 个，不能再报送"):
        list_transition(
            county_unit_nomination,
            Action.RECOMMEND,
            actor=actors[Party.REPORTING_UNIT],
            now=_inside(campaign, "screen"),
        )
    county_unit_nomination.refresh_from_db()
    assert county_unit_nomination.state == S.SUBMITTED


def test_submission_stamps_submitted_at_once(world):
    _, campaign, actors = world
    nomination = _nomination(world, S.DRAFT)
    now = _inside(campaign, "apply")
    transition(nomination, Action.SUBMIT, actor=actors[Party.RECOMMENDER], now=now)
    assert nomination.submitted_at == now


def test_return_notifies_the_unit_and_the_nominee_after_commit(world, django_capture_on_commit_callbacks):
    from jixing.notifications.models import Notification

    _, campaign, actors = world
    nomination = _nomination(world, S.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        transition(
            nomination,
            Action.RETURN,
            actor=actors[Party.REPORTING_UNIT],
            reason="照片不清晰",
            now=_inside(campaign, "screen"),
        )
    rows = sorted(Notification.objects.values_list("recipient__username", "message"))
    text = f"申报 {nomination.number}（学员标兵 · 测试学员）：退回修改。理由：照片不清晰"
    assert rows == [("l", text), ("s", text)]


def test_refused_move_notifies_nobody(world, django_capture_on_commit_callbacks):
    from jixing.notifications.models import Notification

    _, campaign, actors = world
    nomination = _nomination(world, S.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TransitionRefused):
        transition(
            nomination,
            Action.RETURN,
            actor=actors[Party.REPORTING_UNIT],
            reason="",
            now=_inside(campaign, "screen"),
        )
    assert Notification.objects.count() == 0


def test_reporting_unit_fills_categories_4_to_6_and_g6_counts_per_nominees_unit(world):
    tree, campaign, actors = world
    now = _inside(campaign, "apply")
    school_one = make_nomination(campaign=campaign, recommending_org=tree["school"], category_number=4,
                                 state=S.DRAFT, number="N-4A")  # fmt: skip
    county_one = make_nomination(campaign=campaign, recommending_org=tree["county"], category_number=4,
                                  state=S.DRAFT, number="N-4B")  # fmt: skip
    with pytest.raises(PermissionDenied):  # the school's admin does not fill category 4
        transition(school_one, Action.SUBMIT, actor=actors[Party.RECOMMENDER], now=now)
    transition(school_one, Action.SUBMIT, actor=actors[Party.REPORTING_UNIT], now=now)
    transition(county_one, Action.SUBMIT, actor=actors[Party.REPORTING_UNIT], now=now)
    assert (school_one.state, county_one.state) == (S.SUBMITTED, S.SUBMITTED)
    second_of_school = make_nomination(campaign=campaign, recommending_org=tree["school"], category_number=4,
                                       state=S.DRAFT, number="N-4C")  # fmt: skip
    with pytest.raises(TransitionRefused, match="每单位每项限报 1 个") as excinfo:
        transition(second_of_school, Action.SUBMIT, actor=actors[Party.REPORTING_UNIT], now=now)
    assert excinfo.value.rule_id == "G.6"  # the rule id stays with the refusal, out of its words


def _calls_of(path: Path, name: str) -> bool:
    return any(
        isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == name
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
    )


def test_only_the_list_operations_call_list_transition():
    package = Path(jixing.__file__).parent
    callers = {
        str(path.relative_to(package)) for path in package.rglob("*.py") if _calls_of(path, "list_transition")
    }
    assert callers == {
        "nominations/domain/lists.py",  # submit_list
        "announcements/domain/publishing.py",  # publish
        "announcements/domain/approval.py",  # record_approval
    }


def _outsiders(tree) -> list:
    """A user of every role outside 太原's school: the reviewer and a unit admin of 大同, a learner of 大同,
    the admin of a sibling school in 太原's own county, and a learner of that school."""
    sibling = make_org(name="清徐县第二中学", level=OrgLevel.UNIT, parent=tree["county"], code="TY-QX-S2")
    return [
        make_user(username="dt", role=UserRole.REPORTING_REVIEWER, org=tree["datong"]),
        make_user(username="ds", role=UserRole.UNIT_ADMIN, org=tree["datong_school"]),
        make_user(username="dl", role=UserRole.LEARNER, org=tree["datong_school"], account_id="D1"),
        make_user(username="s2", role=UserRole.UNIT_ADMIN, org=sibling),
        make_user(username="l2", role=UserRole.LEARNER, org=sibling, account_id="B1"),
    ]


@pytest.mark.parametrize("category_number", [1, 4], ids=["unit-recommends", "reporting-unit-recommends"])
@pytest.mark.parametrize("move", MOVES, ids=lambda m: f"{m.action}:{m.source}")
def test_no_party_of_another_subtree_makes_any_move(world, move, category_number):
    """transition()'s own check, apart from the views (which answer 404 outside the subtree first): for
    every (action, state) of the table, nobody of another reporting unit or another unit acts for 太原's
    school, whatever their role — and then the party of 太原 makes the same move, so the refusal was
    about who asked and nothing else. Category 1 is recommended by the unit, category 4 by the reporting
    unit itself (acts_as's two ways to be the recommender)."""
    tree, campaign, actors = world
    nomination = make_nomination(campaign=campaign, recommending_org=tree["school"], state=move.source,
                                 nominee_account="A1", category_number=category_number)  # fmt: skip
    now = _inside(campaign, sorted(move.phases)[0])
    for outsider in _outsiders(tree):
        with pytest.raises(PermissionDenied):
            _door(move)(nomination, move.action, actor=outsider, reason="理由", now=now)
    nomination.refresh_from_db()
    assert nomination.state == move.source
    assert AuditEvent.objects.count() == 0
    # Category 4's recommender is the reporting unit: its reviewer speaks for 推荐单位 there.
    party = sorted(move.parties)[0]
    insider = (
        actors[Party.REPORTING_UNIT] if party == Party.RECOMMENDER and category_number == 4 else actors[party]
    )
    _door(move)(nomination, move.action, actor=insider, reason="理由", now=now)
    nomination.refresh_from_db()
    assert nomination.state == move.target


def test_a_reporting_units_reviewer_acts_for_nothing_of_another_reporting_unit(world):
    """Each way round: 大同's reviewer on 太原's nomination and 太原's on 大同's."""
    tree, campaign, actors = world
    datong_reviewer = make_user(username="dt", role=UserRole.REPORTING_REVIEWER, org=tree["datong"])
    taiyuan_one = _nomination(world, S.SUBMITTED)
    datong_one = make_nomination(campaign=campaign, recommending_org=tree["datong_school"], state=S.SUBMITTED)
    now = _inside(campaign, "screen")
    for reviewer, nomination in ((datong_reviewer, taiyuan_one), (actors[Party.REPORTING_UNIT], datong_one)):
        for action in (Action.RETURN, Action.REJECT):
            with pytest.raises(PermissionDenied):
                transition(nomination, action, actor=reviewer, reason="材料不全", now=now)
    assert [n.state for n in Nomination.objects.order_by("pk")] == [S.SUBMITTED, S.SUBMITTED]
    assert AuditEvent.objects.count() == 0

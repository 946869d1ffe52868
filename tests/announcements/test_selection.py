"""拟入选 / 不入选 by the province, and G.3 (one award per person) resolved by choosing one."""

import pytest
from django.core.exceptions import PermissionDenied

from jixing.announcements.domain.selection import change_selection
from jixing.audit.models import AuditEvent
from jixing.nominations.domain.evaluation import ensure_fresh
from jixing.nominations.domain.states import Action
from jixing.nominations.enums import NominationState as S
from tests.announcements.helpers import at, evaluated, listed

NOW = at(2023, 1, 20)


def _select(world, *nominations, action=Action.SELECT):
    return change_selection(
        campaign=world.campaign,
        ids=[n.pk for n in nominations],
        action=action,
        actor=world.users.province,
        now=NOW,
    )


def test_selecting_moves_nominations_to_selected_with_audit_events(world):
    a, b = listed(world, "A1"), listed(world, "D1", org="datong_school")
    evaluated(world, a, b)
    result = _select(world, a, b)
    assert [n.number for n in result.done] == [a.number, b.number]
    assert result.refused == []
    assert evaluated(world, a, b) and [a.state, b.state] == [S.SELECTED, S.SELECTED]
    assert AuditEvent.objects.filter(action="nomination.select").count() == 2


def test_choosing_one_of_a_persons_nominations_fails_the_others_on_g3(world):
    first, second = listed(world, "A1"), listed(world, "A1", category=2)
    evaluated(world, first, second)
    assert [first.rule_results["G.3"]["outcome"], second.rule_results["G.3"]["outcome"]] == ["warn", "warn"]
    _select(world, first)
    ensure_fresh(world.campaign)
    first.refresh_from_db()
    second.refresh_from_db()
    assert [first.rule_results["G.3"]["outcome"], second.rule_results["G.3"]["outcome"]] == ["pass", "fail"]
    assert second.rule_results["G.3"]["values"]["selected"] == [first.number]


def test_selecting_a_second_nomination_of_the_same_person_is_refused_g3(world):
    first, second = listed(world, "A1"), listed(world, "A1", category=2)
    evaluated(world, first, second)
    _select(world, first)
    result = _select(world, second)
    assert result.done == []
    assert result.refused == [
        (
            second,
            f"{second.number} 张三：资格审核结果为“有不符合的条件”，不能拟入选",
        )
    ]
    second.refresh_from_db()
    assert second.state == S.RECOMMENDED


def test_selecting_both_of_a_persons_nominations_at_once_keeps_only_the_first_g3(world):
    first, second = listed(world, "A1"), listed(world, "A1", category=2)
    evaluated(world, first, second)
    result = _select(world, first, second)
    assert [n.pk for n in result.done] == [first.pk]
    assert result.refused == [
        (
            second,
            f"{second.number} 张三：此人已在“学员标兵”项目拟入选（{first.number}），1名学员只能获得1项表扬；"
            "如需改选，请先将那一项设为不入选",
        )
    ]


def test_ineligible_nomination_cannot_be_selected(world):
    staff = listed(world, "A2")
    world.learners["A2"].is_platform_staff = True  # G.4 fails
    world.learners["A2"].save()
    evaluated(world, staff)
    assert staff.status == "ineligible"
    result = _select(world, staff)
    assert result.refused == [(staff, f"{staff.number} 李四：资格审核结果为“有不符合的条件”，不能拟入选")]


def test_deselecting_a_selected_nomination_frees_the_person_for_another_category(world):
    first, second = listed(world, "A1", state=S.SELECTED), listed(world, "A1", category=2)
    evaluated(world, first, second)
    assert [n.pk for n in _select(world, first, action=Action.DESELECT).done] == [first.pk]
    assert [n.pk for n in _select(world, second).done] == [second.pk]


def test_selection_outside_the_announce_phase_is_refused_by_the_state_table(world):
    n = listed(world, "A1")
    evaluated(world, n)
    result = change_selection(
        campaign=world.campaign,
        ids=[n.pk],
        action=Action.SELECT,
        actor=world.users.province,
        now=at(2023, 2, 14),
    )
    assert result.refused == [
        (
            n,
            "“拟入选”只能在“汇总公示”阶段（2023-01-16 00:00 至 2023-02-11 00:00）进行，当前为：通报表扬",
        )
    ]


def test_selection_by_a_reporting_unit_is_forbidden(world):
    n = listed(world, "A1")
    with pytest.raises(PermissionDenied):
        change_selection(campaign=world.campaign, ids=[n.pk], action=Action.SELECT, actor=world.users.taiyuan)

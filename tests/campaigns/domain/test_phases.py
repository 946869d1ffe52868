from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from jixing.accounts.enums import UserRole
from jixing.announcements.domain.approval import ApprovalRefused, commend
from jixing.announcements.domain.publishing import PublishRefused, publish
from jixing.audit.models import AuditEvent
from jixing.campaigns.domain.phases import PhaseChangeRefused, extend_phase, phase_problem
from jixing.campaigns.enums import PhaseKey
from jixing.nominations.domain.list_picks import ListRefused, Pick
from jixing.nominations.domain.lists import set_picks
from jixing.nominations.domain.starting import StartRefused, start_nomination
from jixing.nominations.domain.states import Action
from jixing.nominations.domain.transitions import TransitionRefused, transition
from jixing.nominations.enums import NominationState as S
from tests.announcements.helpers import at, build_world
from tests.factories import make_campaign, make_nomination, make_small_province, make_user

pytestmark = pytest.mark.django_db


def test_province_admin_extends_a_window_with_a_recorded_reason():
    tree = make_small_province()
    admin = make_user(username="p", role=UserRole.PROVINCE_ADMIN, org=tree["province"])
    phase = make_campaign().phases.get(key="apply")
    old_end = phase.ends_at
    extend_phase(phase, ends_at=old_end + timedelta(days=2), reason="系统故障顺延", actor=admin)
    phase.refresh_from_db()
    assert phase.ends_at == old_end + timedelta(days=2)
    event = AuditEvent.objects.get(action="phase.extend")
    assert event.after["reason"] == "系统故障顺延"
    assert "延长“申报推荐”至" in event.summary


def test_extension_without_reason_or_by_others_changes_nothing():
    tree = make_small_province()
    admin = make_user(username="p", role=UserRole.PROVINCE_ADMIN, org=tree["province"])
    reviewer = make_user(username="r", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"])
    phase = make_campaign().phases.get(key="apply")
    old_end = phase.ends_at
    with pytest.raises(PhaseChangeRefused, match="须填写理由"):
        extend_phase(phase, ends_at=old_end + timedelta(days=1), reason=" ", actor=admin)
    with pytest.raises(PhaseChangeRefused, match="必须晚于原截止时间"):
        extend_phase(phase, ends_at=old_end, reason="x", actor=admin)
    with pytest.raises(PermissionDenied):
        extend_phase(phase, ends_at=old_end + timedelta(days=1), reason="x", actor=reviewer)
    phase.refresh_from_db()
    assert phase.ends_at == old_end
    assert AuditEvent.objects.count() == 0


# --- one phase check (G.8) ---------------------------------------------------------------------------

APPLY_WINDOW = "“申报推荐”阶段（2022-12-25 00:00 至 2023-01-09 16:00）"
SCREEN_WINDOW = "“审核报送”阶段（2023-01-10 00:00 至 2023-01-16 00:00）"


def test_phase_problem_is_none_inside_an_allowed_window_and_names_every_allowed_window_outside():
    campaign = make_campaign()
    inside = at(2023, 1, 12)
    assert (
        phase_problem(campaign, operation="退回修改", allowed={PhaseKey.APPLY, PhaseKey.SCREEN}, now=inside)
        is None
    )
    assert phase_problem(
        campaign, operation="退回修改", allowed={PhaseKey.SCREEN, PhaseKey.APPLY}, now=at(2023, 2, 1)
    ) == (f"“退回修改”只能在{APPLY_WINDOW}或{SCREEN_WINDOW}进行，当前为：汇总公示")


def test_phase_problem_names_a_phase_the_campaign_lacks_by_its_usual_name():
    campaign = make_campaign()
    campaign.phases.filter(key=PhaseKey.COMMEND).delete()
    assert phase_problem(campaign, operation="通报表扬", allowed={PhaseKey.COMMEND}, now=at(2023, 2, 1)) == (
        "“通报表扬”只能在“通报表扬”阶段进行，当前为：汇总公示"
    )


def test_every_phase_bound_operation_refuses_in_the_one_wording():
    """The five operations bound to a phase, on a day between two windows, each with its own exception."""
    world = build_world()
    now = at(2023, 2, 12)  # after 汇总公示, before 通报表扬
    users, campaign = world.users, world.campaign
    draft = make_nomination(campaign=campaign, recommending_org=world.tree["school"], state=S.DRAFT)
    category = campaign.categories.get(number=1)
    operations = [
        (TransitionRefused, lambda: transition(draft, Action.SUBMIT, actor=users.school, now=now)),
        (StartRefused, lambda: start_nomination(category=category, actor=users.school,
                                                learner=world.learners["A1"], now=now)),
        (ListRefused, lambda: set_picks(campaign=campaign, category=category, actor=users.taiyuan,
                                        picks=[Pick(draft.pk)], now=now)),
        (PublishRefused, lambda: publish(campaign=campaign, actor=users.province, now=now)),
        (ApprovalRefused, lambda: commend(campaign=campaign, actor=users.province, now=now)),
    ]  # fmt: skip
    messages = []
    for refusal, operation in operations:
        with pytest.raises(refusal) as excinfo:
            operation()
        messages.append(str(excinfo.value))
    outside = "当前为：不在任何阶段窗口内"
    assert messages == [
        f"“提交申报”只能在{APPLY_WINDOW}进行，{outside}",
        f"“发起申报”只能在{APPLY_WINDOW}进行，{outside}",
        f"“选入推荐名单”只能在{SCREEN_WINDOW}进行，{outside}",
        f"“发布公示”只能在“汇总公示”阶段（2023-01-16 00:00 至 2023-02-11 00:00）进行，{outside}",
        f"“通报表扬”只能在“通报表扬”阶段（2023-02-13 00:00 起）进行，{outside}",
    ]
    draft.refresh_from_db()
    assert draft.state == S.DRAFT
    assert not AuditEvent.objects.exists()

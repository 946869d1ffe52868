"""The one entry point that changes a nomination's state: check → lock → change → audit.

Views call `transition(...)` and turn `TransitionRefused` into a message; `PermissionDenied` becomes 403.
The list moves (states.LIST_ACTIONS: 报送省平台, 公示, 审批通过) are refused there: they are made only by
their list operation, which checks the list as a whole first and then moves each nomination through
`list_transition(...)`, the same checks and audit behind a door of its own.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from jixing.accounts.enums import UserRole
from jixing.announcements.domain.certificates import revoke_certificate
from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.campaigns.domain.phases import phase_problem
from jixing.campaigns.enums import Recommender
from jixing.campaigns.models import Quota
from jixing.nominations.domain.changes import mark_changed
from jixing.nominations.domain.states import LIST_ACTIONS, Action, Move, Party, find_move, parties_for
from jixing.nominations.enums import NominationState as S
from jixing.nominations.models import Nomination
from jixing.notifications.domain import notify, people_concerned, recommenders_of, reviewers_of
from jixing.orgs.models import Org
from jixing.refusals import Refused

# Moves the people concerned are told about (issue: returned, rejected, submitted upward, published,
# commended; withdrawal too, since it undoes a published honour).
NOTIFIED_ACTIONS = frozenset(
    {Action.RETURN, Action.REJECT, Action.RECOMMEND, Action.PUBLISH, Action.WITHDRAW, Action.COMMEND}
)

# Hand-overs: moves that put the nomination before someone else, who is told it waits for him (besides
# the people concerned of NOTIFIED_ACTIONS). 提交给单位确认 → the unit's admins; 提交申报 → the reporting
# unit's reviewers. 报送 (the whole list) tells the province in lists.submit_list.
HANDOVER_ACTIONS = frozenset({Action.APPLY, Action.SUBMIT})

# The old name of NominationState.submitted_list_states(), still imported.
ON_SUBMITTED_LIST = S.submitted_list_states()


class TransitionRefused(Refused):
    """A move the rules do not allow now; the message tells the user why, in Chinese."""


# Why a list move is refused for one nomination alone, and where the user makes it instead.
LIST_ONLY: dict[str, str] = {
    Action.RECOMMEND: "“报送省平台”随推荐总表一起进行，不能单独报送一个申报：请在“审核报送”页面报送推荐总表",
    Action.PUBLISH: "“公示”对全部拟入选申报一起发布，不能单独公示一个申报：请在“汇总公示 · 发布公示”页面发布",
    Action.APPROVE: "“审批通过”对全部公示中的申报一起登记，不能单独审批一个申报：请在“汇总公示 · 审批”页面登记",
}


def acts_as(user, nomination: Nomination) -> set[Party]:
    """The parties the user speaks for on this nomination."""
    parties: set[Party] = set()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return parties
    if user.role == UserRole.PROVINCE_ADMIN:
        parties.add(Party.PROVINCE)
    # The recommender is whoever fills the form: the unit, or for categories 4–6 the reporting unit
    # (those still count against the nominee's own unit for G.6).
    if nomination.category.recommender == Recommender.REPORTING_UNIT:
        if user.role == UserRole.REPORTING_REVIEWER and user.org_id == nomination.reporting_unit_id:
            parties.add(Party.RECOMMENDER)
    elif (
        user.role in (UserRole.UNIT_ADMIN, UserRole.REPORTING_REVIEWER)
        and user.org_id == nomination.recommending_org_id
    ):
        parties.add(Party.RECOMMENDER)
    if user.role == UserRole.REPORTING_REVIEWER and user.org_id == nomination.reporting_unit_id:
        parties.add(Party.REPORTING_UNIT)
    if user.role == UserRole.LEARNER and user.account_id and user.account_id == nomination.nominee_account:
        parties.add(Party.NOMINEE)
    return parties


def _check_phase(nomination: Nomination, move: Move, now: datetime) -> None:
    if problem := phase_problem(
        nomination.campaign, operation=move.action.label, allowed=move.phases, now=now
    ):
        raise TransitionRefused(problem, rule_id="G.8")


def _check_one_per_unit(nomination: Nomination) -> None:
    """G.6: one nomination per recommending unit per category among those sent up."""
    # Lock the unit's row so two submissions of the same unit are decided one after the other.
    Org.objects.select_for_update().get(pk=nomination.recommending_org_id)
    clash = (
        Nomination.objects.filter(
            campaign_id=nomination.campaign_id,
            category_id=nomination.category_id,
            recommending_org_id=nomination.recommending_org_id,
            state__in=S.unit_place_states(),
        )
        .exclude(pk=nomination.pk)
        .first()
    )
    if clash is not None:
        raise TransitionRefused(
            f"本单位已在“{nomination.category.name}”项目中申报了 {clash.nominee_name or clash.number}"
            f"（{clash.number}），每单位每项限报 1 个。本申报已保存为草稿。",
            rule_id="G.6",
        )


def _check_quota(nomination: Nomination) -> None:
    """G.7: the reporting unit's list per category never exceeds its quota, even under concurrency."""
    quota = (
        Quota.objects.select_for_update()
        .filter(category_id=nomination.category_id, reporting_unit_id=nomination.reporting_unit_id)
        .first()
    )
    seats = quota.seats if quota is not None else 0
    used = Nomination.objects.filter(
        category_id=nomination.category_id,
        reporting_unit_id=nomination.reporting_unit_id,
        state__in=S.submitted_list_states(),
    ).count()
    if used >= seats:
        raise TransitionRefused(
            f"{nomination.reporting_unit.name}在“{nomination.category.name}”项目的名额为 {seats} 个，"
            f"已报送 {used} 个，不能再报送",
            rule_id="G.7",
        )


def transition(
    nomination: Nomination,
    action: str,
    *,
    actor,
    reason: str = "",
    now: datetime | None = None,
    ip: str | None = None,
) -> Nomination:
    """Move `nomination` by `action`, any move of the state table but the list moves.

    Side effects: the row is locked and saved with its new state (and submitted_at: set on the first
    submission, kept when returned and sent again, cleared when taken back to a draft); an
    audit event with before/after is written in the same transaction; the people concerned are notified
    once it commits (returned, rejected, withdrawn, commended, …).
    Raises PermissionDenied when the actor may not make this move, TransitionRefused for a list move
    (LIST_ACTIONS: made only with the whole list) and when the state, the phase window (G.8), G.6 or a
    missing reason forbids it. On refusal nothing changes.
    """
    if action in LIST_ACTIONS:
        raise TransitionRefused(LIST_ONLY[action])
    return _move(nomination, action, actor=actor, reason=reason, now=now, ip=ip)


def list_transition(
    nomination: Nomination, action: str, *, actor, now: datetime | None = None, ip: str | None = None
) -> Nomination:
    """Move one nomination of a list by a list move (报送省平台, 公示, 审批通过).

    Called only by the list operations, after they have checked the list as a whole: lists.submit_list
    (RECOMMEND), announcements' publishing.publish (PUBLISH) and approval.record_approval (APPROVE).
    The same checks, lock, audit event and notices as transition(), G.7 included for RECOMMEND.
    """
    if action not in LIST_ACTIONS:
        raise ValueError(f"list_transition makes list moves only, not {action!r}")
    return _move(nomination, action, actor=actor, reason="", now=now, ip=ip)


def _move(
    nomination: Nomination, action: str, *, actor, reason: str, now: datetime | None, ip: str | None
) -> Nomination:
    """check → lock → change → audit → notify on commit; shared by transition() and list_transition()."""
    now = now or timezone.now()
    with transaction.atomic():
        # The nomination's row only (of=self): FOR UPDATE with the joins would lock the campaign's row too
        # and make every move of the province wait for every other; G.6 and G.7 take the locks they need.
        locked = (
            Nomination.objects.select_for_update(of=("self",))
            .select_related("campaign", "category", "reporting_unit")
            .get(pk=nomination.pk)
        )
        parties = acts_as(actor, locked)
        # Deny by default: an action the actor may never make is a 403 in every state, so that what a
        # refusal says never depends on whether the nomination happens to be in the right state.
        if not (parties & parties_for(action)):
            raise PermissionDenied("您无权对此申报执行该操作")
        move = find_move(action, locked.state)
        if move is None:
            label = Action(action).label if action in Action.values else action
            raise TransitionRefused(f"当前状态为“{locked.get_state_display()}”，不能“{label}”")
        if not (parties & move.parties):
            raise PermissionDenied(f"您无权对此申报执行“{move.action.label}”")
        if move.needs_reason and not reason.strip():
            raise TransitionRefused(f"“{move.action.label}”须填写理由")
        _check_phase(locked, move, now)
        if move.target == S.SUBMITTED:
            _check_one_per_unit(locked)
        if move.target == S.RECOMMENDED:
            _check_quota(locked)
        before = {"state": locked.state}
        locked.state = move.target
        if move.target == S.SUBMITTED and locked.submitted_at is None:
            locked.submitted_at = now
        elif move.target == S.DRAFT:
            # Taken back (撤回申报): a draft again, not submitted. Sent again, it is submitted then; kept,
            # it would count as sent in time (G.8) and rank by a submission that was withdrawn.
            locked.submitted_at = None
        locked.save(update_fields=["state", "submitted_at", "updated_at"])
        record_event(
            action=AuditAction(f"nomination.{move.action}"),
            actor=actor,
            target=locked,
            summary=f"{locked.number} {move.action.label}"
            + (f"：{reason.strip()}" if reason.strip() else ""),
            before=before,
            after={"state": locked.state, "reason": reason.strip()},
            ip=ip,
        )
        if move.source == S.COMMENDED:
            # A withdrawn commendation: its certificate says so on the public verification page.
            revoke_certificate(locked, reason=reason, actor=actor, now=now, ip=ip)
        mark_changed(locked.campaign, [locked])
        if move.action in NOTIFIED_ACTIONS:
            subject = locked.nominee_name or locked.number
            text = f"申报 {locked.number}（{locked.category.name} · {subject}）：{move.action.label}"
            notify(
                people_concerned(locked),
                message=text + (f"。理由：{reason.strip()}" if reason.strip() else ""),
                nomination=locked,
            )
        if move.action in HANDOVER_ACTIONS:
            _hand_over(locked, move.action, actor=actor)
    nomination.state, nomination.submitted_at = locked.state, locked.submitted_at
    return nomination


def _hand_over(nomination: Nomination, action: str, *, actor) -> None:
    """Tell whoever the nomination now waits for (HANDOVER_ACTIONS), the actor himself aside."""
    subject = nomination.nominee_name or nomination.number
    what = f"{nomination.number}（{nomination.category.name} · {subject}）"
    if action == Action.APPLY:
        recipients = recommenders_of(nomination)
        message = f"学员本人提交了申报 {what}，等待本单位确认：请核对后申报，或退回修改。"
    else:
        recipients = reviewers_of(nomination.reporting_unit_id)
        message = f"{nomination.recommending_org.name} 提交了申报 {what}，等待审核。"
    notify([user for user in recipients if user.pk != actor.pk], message=message, nomination=nomination)

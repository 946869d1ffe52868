"""Who may do what with a nomination now, derived from the state table (states.py) and acts_as.

Nothing here changes data. Views ask these questions to decide what to show; the domain functions that
change data ask them again before changing anything.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from jixing.accounts.enums import UserRole
from jixing.campaigns.enums import CategoryKind, Recommender
from jixing.campaigns.models import Campaign, Category
from jixing.nominations.domain.states import LIST_ACTIONS, Action, Move, find_move, moves_from
from jixing.nominations.domain.transitions import acts_as
from jixing.nominations.enums import NominationState as S
from jixing.nominations.models import Nomination

# The moves that send the form up; the form is edited by whoever may make one of them.
SEND_ACTIONS = (Action.SUBMIT, Action.APPLY)


def startable_categories(user, campaign: Campaign) -> list[Category]:
    """The categories of `campaign` in which `user` may start a nomination.

    Unit admins: the categories their unit recommends (person ones for a learner of the subtree, unit
    ones for the unit itself). Reporting reviewers: categories 4–6 (recommender = reporting_unit).
    Learners: the person categories a unit recommends, for themselves.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    categories = list(campaign.categories.all())
    if user.role == UserRole.UNIT_ADMIN and user.org is not None and user.org.is_unit_like:
        return [c for c in categories if c.recommender == Recommender.UNIT]
    if user.role == UserRole.REPORTING_REVIEWER and user.org is not None:
        return [c for c in categories if c.recommender == Recommender.REPORTING_UNIT]
    if user.role == UserRole.LEARNER and user.account_id:
        return [c for c in categories if c.recommender == Recommender.UNIT and c.kind == CategoryKind.PERSON]
    return []


def send_move(user, nomination: Nomination) -> Move | None:
    """The move (SUBMIT or APPLY) by which `user` may send this nomination up from its state, if any.

    The table lets the nominee apply and the recommending unit submit; beyond it, a draft belongs to
    whoever started it: a learner's own draft is his until he applies, a unit's draft is the unit's.
    """
    parties = acts_as(user, nomination)
    for action in SEND_ACTIONS:
        move = find_move(action, nomination.state)
        if move is None or not (parties & move.parties):
            continue
        if move.action == Action.APPLY and not nomination.self_applied:
            continue
        if move.action == Action.SUBMIT and nomination.state == S.DRAFT and nomination.self_applied:
            continue
        return move
    return None


def is_applying(user, nomination: Nomination) -> bool:
    """`user` would send this form up as the learner's own application (APPLY, to 待单位确认)."""
    move = send_move(user, nomination)
    return move is not None and move.action == Action.APPLY


def can_edit(user, nomination: Nomination) -> bool:
    """Draft, returned and 待单位确认 forms are edited by the party that will send them up."""
    return nomination.state in S.editable_states() and send_move(user, nomination) is not None


def available_moves(user, nomination: Nomination, *, now: datetime | None = None) -> list[Move]:
    """The moves `user` may make on `nomination` now: its state's rows of the table, for the parties
    the user speaks for, in the phase open now. Send moves only for the party that owns the form;
    list moves (LIST_ACTIONS) never: they have their own pages."""
    parties = acts_as(user, nomination)
    phase = nomination.campaign.phase_at(now or timezone.now())
    if phase is None:
        return []
    sending = send_move(user, nomination)
    moves = []
    for move in moves_from(nomination.state):
        if not (parties & move.parties) or phase.key not in move.phases:
            continue
        if move.action in SEND_ACTIONS and move != sending:
            continue
        if move.action in LIST_ACTIONS:
            continue
        moves.append(move)
    return moves

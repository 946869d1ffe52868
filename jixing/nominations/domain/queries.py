"""Scoped lists of nominations: the one place that answers "which nominations may this user see"."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jixing.campaigns.enums import Recommender
from jixing.nominations.enums import NominationState
from jixing.nominations.models import Nomination
from jixing.orgs.domain.queries import scope_root, subtree_q


def nominations_visible_to(user, *, campaign=None) -> QuerySet[Nomination]:
    """Province: all; reporting unit: those of its subtree; unit: those its subtree recommended or
    that name it; learner: his own (as nominee or author). Drafts, and a learner's application his unit has
    not confirmed (待单位确认), stay with the unit until it sends them up."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Nomination.objects.none()
    rows = Nomination.objects.all()
    if campaign is not None:
        rows = rows.filter(campaign=campaign)
    root = scope_root(user)
    if root is None:
        mine = Q(created_by=user)
        if user.account_id:
            mine |= Q(nominee_account=user.account_id)
        return rows.filter(mine)
    in_subtree = subtree_q(root, "recommending_org__")
    if user.is_unit_admin:
        return rows.filter(in_subtree | subtree_q(root, "nominee_org__"))
    # Reviewers above the unit see a nomination once the unit has sent it up — not a draft, nor a
    # learner's application his unit has not confirmed yet — and their own drafts (categories 4–6, which
    # the reporting unit fills itself).
    own_drafts = Q(recommending_org=root) | Q(
        category__recommender=Recommender.REPORTING_UNIT, reporting_unit=root
    )
    unsent = Q(state__in=[NominationState.DRAFT, NominationState.AWAITING_UNIT])
    return rows.filter(in_subtree).exclude(unsent & ~own_drafts)

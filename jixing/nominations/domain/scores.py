"""The 评审分 of plan 7.3: 「由山西学习平台各专用志愿者工作群管理人员，依据工作成效综合评判」.

A 志愿者工作群管理人员 (UserRole.VOLUNTEER_MANAGER) records each volunteer nominee's score and comment in
the app. The categories scored are those whose rules read `judges_score` (7 优秀志愿者 in the shipped
definition); the manager sees only their nominations, in his subtree, once the unit has sent them up. The
rule (7.3) and the category's default order read the score; the reviewers see it, with the comment and
who gave it, on the nomination's page.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from jixing.accounts.permissions import is_volunteer_manager
from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.campaigns.domain.eligibility_rules import compiled_rules
from jixing.campaigns.models import Campaign
from jixing.nominations.domain.changes import mark_changed
from jixing.nominations.domain.text_limits import REASON_MAX, length_problem
from jixing.nominations.enums import NominationState as S
from jixing.nominations.models import Nomination
from jixing.orgs.domain.queries import subtree_q
from jixing.refusals import Refused

SCORE_MAX = Decimal(100)
# Sent up by the unit and not yet before the public: the score still orders the lists and decides 7.3.
SCORABLE_STATES = frozenset({S.SUBMITTED, S.RETURNED, S.RECOMMENDED, S.SELECTED, S.NOT_SELECTED})
# What the manager's page lists: the scorable ones and those past them (shown with their score, no form).
SHOWN_STATES = SCORABLE_STATES | {S.PUBLISHED, S.APPROVED, S.COMMENDED}


class ScoreRefused(Refused):
    """A score this module will not record; the message is for the user."""


def scored_category_names(campaign: Campaign) -> list[str]:
    """The categories whose rules read the judges' score (7 优秀志愿者 in the shipped definition)."""
    compiled = compiled_rules(campaign)
    return [
        name
        for name, category in compiled.categories.items()
        if any("judges_score" in rule.reads for rule in category.rules)
    ]


def nominations_to_score(user, *, campaign: Campaign) -> QuerySet[Nomination]:
    """The nominations `user` may score: a volunteer-group manager's, of the scored categories, sent up
    from a unit in his subtree; none for anybody else."""
    if not is_volunteer_manager(user):
        return Nomination.objects.none()
    return Nomination.objects.filter(
        subtree_q(user.org, "recommending_org__"),
        campaign=campaign,
        category__name__in=scored_category_names(campaign),
        state__in=SHOWN_STATES,
    )


def parse_score(raw: str) -> Decimal:
    """The score typed on the form: a number from 0 to 100 with at most two decimals."""
    text = (raw or "").strip().replace("．", ".")
    if not text:
        raise ScoreRefused("请填写评审分")
    try:
        score = Decimal(text)
    except InvalidOperation:
        raise ScoreRefused(f"评审分“{text[:20]}”不是数字，请填写 0 到 100 之间的数，如 86.5") from None
    if not score.is_finite() or score < 0 or score > SCORE_MAX:
        raise ScoreRefused(f"评审分应在 0 到 {SCORE_MAX} 之间，填写的是“{text[:20]}”")
    if score != score.quantize(Decimal("0.01")):
        raise ScoreRefused("评审分最多保留两位小数")
    return score.quantize(Decimal("0.01"))


def record_score(
    nomination: Nomination, *, raw_score: str, comment: str, actor, ip: str | None = None
) -> Nomination:
    """Record (or replace) the 评审分 and 评审意见 of a volunteer nominee.

    Only a volunteer-group manager whose list holds the nomination, only while it is scorable (sent up,
    not yet published). A bad score or an over-long comment is refused before anything is written. Side
    effects: the nomination's score, comment, scorer and time; an audit event with the score before and
    after, in the same transaction; the nomination marked for re-evaluation (7.3 and the order read it).
    """
    if not nominations_to_score(actor, campaign=nomination.campaign).filter(pk=nomination.pk).exists():
        raise PermissionDenied("只有志愿者工作群管理人员可以为本项目的申报评分")
    score = parse_score(raw_score)
    comment = (comment or "").strip()
    if problem := length_problem(comment, what="评审意见", cap=REASON_MAX):
        raise ScoreRefused(problem)
    with transaction.atomic():
        current = Nomination.objects.select_for_update().get(pk=nomination.pk)
        if current.state not in SCORABLE_STATES:
            raise ScoreRefused(f"申报 {current.number} 当前状态为“{current.get_state_display()}”，不能再评分")
        before = (
            None
            if current.judges_score is None
            else {"score": str(current.judges_score), "comment": current.judges_comment}
        )
        current.judges_score = score
        current.judges_comment = comment
        current.judges_scored_by = actor
        current.judges_scored_at = timezone.now()
        current.save(update_fields=["judges_score", "judges_comment", "judges_scored_by", "judges_scored_at"])
        record_event(
            action=AuditAction.NOMINATION_SCORE,
            actor=actor,
            target=current,
            summary=f"{current.number} 评审分 {score}" + (f"：{comment}" if comment else ""),
            before=before,
            after={"score": str(score), "comment": comment},
            ip=ip,
        )
        mark_changed(current.campaign, [current])
    return current

"""Starting a nomination: who may start one in which category, for whom, and its number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from jixing.accounts.enums import UserRole
from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.campaigns.domain.phases import phase_problem
from jixing.campaigns.enums import CategoryKind, PhaseKey, Recommender
from jixing.campaigns.models import Category
from jixing.nominations.domain.access import startable_categories
from jixing.nominations.domain.changes import mark_changed
from jixing.nominations.enums import NominationState
from jixing.nominations.models import Nomination
from jixing.orgs.models import Org
from jixing.people.domain.queries import learners_visible_to
from jixing.people.models import Learner
from jixing.refusals import Refused


class StartRefused(Refused):
    """A nomination that cannot be started; `existing` is the nomination already there, if that is why."""

    def __init__(self, message: str, *, existing: Nomination | None = None) -> None:
        super().__init__(message)
        self.existing = existing


def next_number(*, campaign_year: int, reporting_unit: Org, campaign_id: int) -> str:
    """The next free "<year>-<报送单位编码>-<4-digit seq>" of a reporting unit in a campaign.

    Call with the reporting unit's row locked (see start_nomination): two starts then never read the
    same highest number.
    """
    prefix = f"{campaign_year}-{reporting_unit.code}-"
    taken = Nomination.objects.filter(campaign_id=campaign_id, number__startswith=prefix).values_list(
        "number", flat=True
    )
    highest = max((int(n[len(prefix) :]) for n in taken if n[len(prefix) :].isdigit()), default=0)
    return f"{prefix}{highest + 1:04d}"


def _recommending_org(actor, category: Category, learner: Learner | None) -> Org:
    """The unit the nomination counts against for G.6 (「每校每项限保1个」).

    For categories 4–6 the reporting unit fills the form, but the one-per-unit rule still counts per
    the nominee's own unit: otherwise a reporting unit could never use a quota above one.
    """
    if actor.role == UserRole.LEARNER or category.recommender == Recommender.REPORTING_UNIT:
        unit = learner.org.unit if learner is not None else None
        if unit is None:
            if actor.role == UserRole.LEARNER:
                raise StartRefused("找不到您所在的单位，请联系单位管理员代为申报")
            raise StartRefused("该学员不属于任何单位，不能推荐")
        return unit
    return actor.org


def start_nomination(
    *,
    category: Category,
    actor,
    learner: Learner | None = None,
    now: datetime | None = None,
    ip: str | None = None,
) -> Nomination:
    """Start a draft in `category` for `learner` (person categories) or for the actor's unit.

    Unit admins start for a learner of their subtree or for their own unit; reporting reviewers start
    categories 4–6 for a learner of their subtree; a learner starts for himself (his unit confirms later).
    Side effects: creates the nomination (state draft) with the next number of its reporting unit, whose
    row is locked meanwhile; writes an audit event; marks the campaign's eligibility results stale. Raises PermissionDenied when the actor may not start
    in this category, StartRefused outside the 申报推荐 window (G.8), for a learner outside the actor's
    scope, or when the same nominee already has a live nomination of this unit in the category.
    """
    campaign = category.campaign
    if category not in startable_categories(actor, campaign):
        raise PermissionDenied(f"您不能发起“{category.name}”项目的申报")
    if problem := phase_problem(campaign, operation="发起申报", allowed={PhaseKey.APPLY}, now=now):
        raise StartRefused(problem)
    if category.kind == CategoryKind.PERSON:
        if learner is None:
            if actor.role == UserRole.LEARNER:
                raise StartRefused("在当前基准积分快照中找不到您的学号，不能申报，请联系单位管理员")
            raise StartRefused("请选择被推荐学员")
        if actor.role == UserRole.LEARNER and learner.account_id != actor.account_id:
            raise PermissionDenied("学员只能为本人申报")
        # The learner must be one the actor may see in the current snapshot.
        if not learners_visible_to(actor).filter(account_id=learner.account_id).exists():
            raise StartRefused("该学员不在您的管辖范围内或不在当前基准积分快照中")
        identity, name = {"nominee_account": learner.account_id}, learner.name
    else:
        identity, name = {"nominee_org": actor.org}, actor.org.name
    recommending_org = _recommending_org(actor, category, learner)
    reporting_unit = recommending_org.reporting_unit
    if reporting_unit is None:
        raise StartRefused(f"“{recommending_org.name}”不属于任何报送单位，不能申报")
    if actor.role != UserRole.LEARNER:
        # G.6 known before a form is filled: the unit's one place is taken by a nomination sent up. A
        # learner may still apply (his unit confirms only one); see category_places for the start page.
        held = Nomination.objects.filter(
            campaign=campaign,
            category=category,
            recommending_org=recommending_org,
            state__in=NominationState.unit_place_states(),
        ).first()
        if held is not None:
            raise StartRefused(
                f"“{recommending_org.name}”已在“{category.name}”项目申报了 {held.nominee_name}（{held.number}），"
                "每单位每项限报 1 个。如需更换，请先在该申报的页面撤回，再发起新的申报。",
                existing=held,
            )
    existing = (
        Nomination.objects.filter(
            campaign=campaign, category=category, recommending_org=recommending_org, **identity
        )
        .exclude(state__in=NominationState.released_states())
        .first()
    )
    if existing is not None:
        raise StartRefused(
            f"{existing.nominee_name}在“{category.name}”项目已有申报（{existing.number}），已为您打开",
            existing=existing,
        )
    for attempt in range(3):
        try:
            with transaction.atomic():
                Org.objects.select_for_update().get(pk=reporting_unit.pk)
                nomination = Nomination.objects.create(
                    campaign=campaign,
                    category=category,
                    number=next_number(
                        campaign_year=campaign.year, reporting_unit=reporting_unit, campaign_id=campaign.pk
                    ),
                    recommending_org=recommending_org,
                    reporting_unit=reporting_unit,
                    self_applied=actor.role == UserRole.LEARNER,
                    created_by=actor,
                    nominee_name=name,
                    **identity,
                )
                record_event(
                    action=AuditAction.NOMINATION_CREATE,
                    actor=actor,
                    target=nomination,
                    summary=f"{nomination.number} 创建申报：{category.name} {nomination.nominee_name}",
                    after={
                        "number": nomination.number,
                        "category": category.name,
                        "nominee_account": nomination.nominee_account,
                        "nominee_org": nomination.nominee_org.code if nomination.nominee_org else "",
                        "recommending_org": recommending_org.code,
                    },
                    ip=ip,
                )
                mark_changed(campaign, [nomination])
            return nomination
        except IntegrityError:
            # A number taken by a writer outside the lock (an import): take the next one.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class CategoryPlace:
    """What a unit has in one category (G.6, 「每校每项限保1个」): `held`, the nomination sent up that takes
    the unit's one place (None: 可申报), and `in_progress`, its drafts and applications not yet sent."""

    held: Nomination | None
    in_progress: list[Nomination]
    # For a learner: `held` is a colleague's, not his to open or to see named (the unit's business).
    held_by_another: bool = False


def own_unit(actor) -> Org | None:
    """The unit whose one place per category the actor's own nominations count against: a unit admin's
    unit, a learner's unit (from the current snapshot); None for anyone else (a reporting unit's
    reviewer recommends for many units)."""
    if actor.role == UserRole.LEARNER:
        learner = learners_visible_to(actor).select_related("org__unit").first()
        return learner.org.unit if learner is not None else None
    if actor.role == UserRole.UNIT_ADMIN:
        return actor.org
    return None


def category_places(actor, categories: list[Category]) -> dict[int, CategoryPlace]:
    """Each category's place for the actor's own unit (own_unit), by category id; empty when the actor
    has none. A learner's in_progress holds his own nominations only: a colleague's draft or application
    is the unit's business, not his. One query (and one for a learner's unit). Reads only."""
    unit = own_unit(actor)
    if unit is None or not categories:
        return {}
    rows = (
        Nomination.objects.filter(category__in=categories, recommending_org=unit)
        .exclude(state__in=NominationState.released_states())
        .order_by("number")
    )
    places: dict[int, CategoryPlace] = {c.pk: CategoryPlace(None, []) for c in categories}
    for n in rows:
        place = places[n.category_id]
        if n.state in NominationState.unit_place_states():
            places[n.category_id] = CategoryPlace(
                n, place.in_progress, held_by_another=actor.is_learner and not _is_own(actor, n)
            )
        elif not actor.is_learner or _is_own(actor, n):
            place.in_progress.append(n)
    return places


def _is_own(learner, nomination: Nomination) -> bool:
    return nomination.created_by_id == learner.pk or (
        bool(learner.account_id) and nomination.nominee_account == learner.account_id
    )


def place_holder(nomination: Nomination) -> Nomination | None:
    """Another nomination sent up that takes `nomination`'s unit place in its category (G.6), if any:
    sending this one up would be refused until that one is withdrawn. Reads only."""
    return (
        Nomination.objects.filter(
            campaign_id=nomination.campaign_id,
            category_id=nomination.category_id,
            recommending_org_id=nomination.recommending_org_id,
            state__in=NominationState.unit_place_states(),
        )
        .exclude(pk=nomination.pk)
        .first()
    )

"""Reads for the province's 汇总公示 pages: the reporting units' lists with quotas, points comparison
(G.9) and one-award-per-person conflicts (G.3); objections. Fixed query counts, whatever the rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict

from django.db.models import Count, QuerySet
from django.db.models.fields.json import KeyTransform
from django_stubs_ext import WithAnnotations

from jixing.accounts.permissions import is_province_admin
from jixing.announcements.domain.persons import person_keys
from jixing.announcements.models import Announcement, AnnouncementEntry, Approval, Objection
from jixing.audit.enums import AuditAction
from jixing.audit.models import AuditEvent
from jixing.campaigns.models import Campaign, Category, Quota
from jixing.eligibility.outcomes import Outcome
from jixing.nominations.domain.queries import nominations_visible_to
from jixing.nominations.domain.states import Action, find_move
from jixing.nominations.enums import NominationState as S
from jixing.nominations.models import Nomination
from jixing.orgs.enums import OrgLevel
from jixing.orgs.models import Org
from jixing.people.domain.queries import snapshot_of
from jixing.people.models import Learner

# Rules whose outcome the province should see on the list without opening the nomination.
FLAGGED_OUTCOMES = (Outcome.FAIL, Outcome.MISSING, Outcome.WARN, Outcome.MANUAL)


@dataclass
class PointsPair:
    typed: int | None
    snapshot: int | None

    @property
    def matches(self) -> bool:
        return self.typed is not None and self.typed == self.snapshot


@dataclass
class ListRow:
    nomination: Nomination
    total: PointsPair | None
    annual: PointsPair | None
    g9: str
    g3: dict[str, Any] | None
    flagged: list[tuple[str, str]]
    moves: list[str]  # of SELECT / DESELECT, as the state table allows from the nomination's state


@dataclass
class UnitList:
    reporting_unit: Org
    seats: int
    rows: list[ListRow] = field(default_factory=list)

    @property
    def listed(self) -> int:
        return sum(1 for r in self.rows if r.nomination.state in S.submitted_list_states())

    @property
    def chosen(self) -> int:
        return sum(1 for r in self.rows if r.nomination.state in S.selected_states())


def listed_nominations(user, *, campaign: Campaign) -> QuerySet[Nomination]:
    return nominations_visible_to(user, campaign=campaign).filter(state__in=S.listed_states())


def _learners(nominations: list[Nomination]) -> dict[str, Learner]:
    accounts = {n.nominee_account for n in nominations if n.nominee_account}
    snapshot = snapshot_of(nominations)
    if snapshot is None or not accounts:
        return {}
    rows = Learner.objects.filter(snapshot=snapshot, account_id__in=accounts).only(
        "account_id", "total_points", "annual_points"
    )
    return {row.account_id: row for row in rows}


def _row(n: Nomination, learner: Learner | None) -> ListRow:
    results = n.rule_results or {}
    total = annual = None
    if n.category.is_person:
        total = PointsPair(n.typed_total_points, learner.total_points if learner else None)
        annual = PointsPair(n.typed_annual_points, learner.annual_points if learner else None)
    flagged = [(rule_id, r["outcome"]) for rule_id, r in results.items() if r["outcome"] in FLAGGED_OUTCOMES]
    g3 = results.get("G.3")
    return ListRow(
        nomination=n,
        total=total,
        annual=annual,
        g9=results.get("G.9", {}).get("outcome", ""),
        g3={"outcome": g3["outcome"], **g3.get("values", {})}
        if g3 and g3["outcome"] != Outcome.PASS
        else None,
        flagged=flagged,
        moves=[a for a in (Action.SELECT, Action.DESELECT) if find_move(a, n.state) is not None],
    )


def unit_lists(
    user, *, campaign: Campaign, category: Category, reporting_unit_id: int | None = None, state: str = ""
) -> list[UnitList]:
    """Every reporting unit's list in `category` (报送 and beyond), in rank order, with its quota and the
    typed vs snapshot points side by side. Four queries."""
    rows = listed_nominations(user, campaign=campaign).filter(category=category)
    if reporting_unit_id:
        rows = rows.filter(reporting_unit_id=reporting_unit_id)
    if state:
        rows = rows.filter(state=state)
    nominations = list(
        rows.select_related("category", "recommending_org", "reporting_unit", "nominee_org").order_by(
            "reporting_unit__path", "rank", "number"
        )
    )
    learners = _learners(nominations)
    seats = {q.reporting_unit_id: q.seats for q in Quota.objects.filter(campaign=campaign, category=category)}
    groups: dict[int, UnitList] = {}
    for n in nominations:
        group = groups.get(n.reporting_unit_id)
        if group is None:
            group = groups[n.reporting_unit_id] = UnitList(
                n.reporting_unit, seats.get(n.reporting_unit_id, 0)
            )
        group.rows.append(_row(n, learners.get(n.nominee_account)))
    for group in groups.values():
        # Ranked first by the default order, then the unranked (ineligible, incomplete).
        group.rows.sort(
            key=lambda r: (r.nomination.rank is None, r.nomination.rank or 0, r.nomination.number)
        )
    return list(groups.values())


@dataclass
class ConflictRow:
    nomination: Nomination
    g3: str
    moves: list[str]


@dataclass
class Conflict:
    """One person on several lists (G.3): resolved once one of the nominations is selected."""

    name: str
    categories: list[str]
    rows: list[ConflictRow]

    @property
    def chosen(self) -> Nomination | None:
        return next((r.nomination for r in self.rows if r.nomination.state in S.selected_states()), None)


@dataclass
class Conflicts:
    open: list[Conflict]  # nobody chosen yet: the province must pick one
    resolved: list[Conflict]  # one chosen, the others fail G.3

    def __bool__(self) -> bool:
        return bool(self.open or self.resolved)

    def __len__(self) -> int:
        return len(self.open) + len(self.resolved)


class _G3(TypedDict):
    g3: Any  # the stored G.3 result (JSON: outcome and values), None when not evaluated


def award_conflicts(user, *, campaign: Campaign) -> Conflicts:
    """Persons with nominations in two or more categories among the listed ones (G.3 warn, or fail /
    pass once one was chosen), grouped by person, open ones apart from resolved ones. Three queries."""
    rows: list[WithAnnotations[Nomination, _G3]] = list(
        listed_nominations(user, campaign=campaign)
        .exclude(state=S.WITHDRAWN)
        .exclude(nominee_account="")
        .annotate(g3=KeyTransform("G.3", "rule_results"))
        .select_related("category")
        .defer("rule_results", "draft_data", "summary", "warn_reason")
        .order_by("category__number", "number")
    )
    flagged = [n for n in rows if n.g3 and len((n.g3.get("values") or {}).get("categories", [])) > 1]
    keys = person_keys(flagged)
    by_person: dict[str, list[WithAnnotations[Nomination, _G3]]] = defaultdict(list)
    for n in flagged:
        by_person[keys[n.pk]].append(n)
    conflicts = [
        Conflict(
            name=group[0].nominee_name,
            categories=group[0].g3["values"]["categories"],
            rows=[ConflictRow(n, n.g3["outcome"], _conflict_moves(n, group)) for n in group],
        )
        for group in by_person.values()
    ]
    conflicts.sort(key=lambda c: c.name)
    return Conflicts(
        open=[c for c in conflicts if c.chosen is None],
        resolved=[c for c in conflicts if c.chosen is not None],
    )


def _conflict_moves(n: Nomination, group: Sequence[Nomination]) -> list[str]:
    """Select and deselect as the table allows; no selecting while another of the person's is chosen."""
    taken = any(other.state in S.selected_states() for other in group if other.pk != n.pk)
    return [
        a
        for a in (Action.SELECT, Action.DESELECT)
        if find_move(a, n.state) is not None and not (a == Action.SELECT and taken)
    ]


def objections_visible_to(user, *, campaign: Campaign | None = None) -> QuerySet[Objection]:
    """Objections carry the objector's name and phone: the province's admins see them, nobody else."""
    if not is_province_admin(user):
        return Objection.objects.none()
    rows = Objection.objects.all()
    if campaign is not None:
        rows = rows.filter(nomination__campaign=campaign)
    return rows


def entries_open_to_objection(user, *, campaign: Campaign) -> QuerySet[AnnouncementEntry]:
    """The entries of the campaign's 公示 still on the list (公示中), for the province to record an
    objection received by phone, letter or e-mail against; none for anybody else."""
    if not is_province_admin(user):
        return AnnouncementEntry.objects.none()
    return (
        AnnouncementEntry.objects.filter(announcement__campaign=campaign, nomination__state=S.PUBLISHED)
        .select_related("announcement")
        .order_by("announcement_id", "position")
    )


def listed_counts(user, *, campaign: Campaign) -> dict[int, int]:
    """Category id → nominations on the lists (报送 and beyond). One query."""
    rows = listed_nominations(user, campaign=campaign).values("category_id").annotate(n=Count("id"))
    return {row["category_id"]: row["n"] for row in rows}


def reporting_units(campaign: Campaign) -> list[Org]:
    units = Org.objects.filter(tree_id=campaign.org_tree_id, level=OrgLevel.REPORTING_UNIT)
    return list(units.only("id", "name", "path").order_by("path"))


def state_count(*, campaign: Campaign, state: str) -> int:
    return Nomination.objects.filter(campaign=campaign, state=state).count()


def announcements_with_counts(*, campaign: Campaign) -> list[Announcement]:
    """The campaign's publications, newest first, with `entry_count` and `objection_count`."""
    return list(
        Announcement.objects.filter(campaign=campaign)
        .select_related("published_by")
        .annotate(
            entry_count=Count("entries", distinct=True),
            objection_count=Count("entries__nomination__objections", distinct=True),
        )
        .order_by("-published_at")
    )


def approvals(*, campaign: Campaign) -> list[Approval]:
    return list(
        Approval.objects.filter(campaign=campaign).select_related("recorded_by").order_by("recorded_at")
    )


def phase_extensions(*, campaign: Campaign) -> list[AuditEvent]:
    """Recorded extensions of the campaign's windows (audit events `phase.extend`), newest first."""
    phase_ids = [str(pk) for pk in campaign.phases.values_list("pk", flat=True)]
    return list(
        AuditEvent.objects.filter(
            action=AuditAction.PHASE_EXTEND, target_type="campaigns.phase", target_id__in=phase_ids
        )
        .select_related("actor")
        .order_by("-seq")
    )

"""What the screening pages show: a reporting unit's nominations per category with their figures and
picks, a page at a time, and its list's seats per category. Read-only; a fixed number of queries whatever
the rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from jixing.campaigns.models import Campaign, Category, Quota
from jixing.eligibility.outcomes import Outcome, Status
from jixing.nominations.domain.list_picks import pick_problem, rules_with, sent_up
from jixing.nominations.domain.queries import nominations_visible_to
from jixing.nominations.enums import NominationState as S
from jixing.nominations.models import ListEntry, Nomination, RecommendationList
from jixing.orgs.models import Org
from jixing.people.domain.queries import current_snapshot
from jixing.people.models import Learner


@dataclass
class ScreeningRow:
    nomination: Nomination
    learner: Learner | None
    entry: ListEntry | None
    problem: str | None  # why it cannot be picked now; None when it can
    warned: list[str]  # `warn` rules: selectable only with the recommending unit's written reason
    manual: list[str]  # rules awaiting a reviewer's judgement
    figures: list[tuple[str, str]] = field(default_factory=list)
    # The picking form's values for this row (picked, order, reason), set by the page.
    form: dict = field(default_factory=dict)

    @property
    def pickable(self) -> bool:
        return self.problem is None


@dataclass
class CategorySeats:
    category: Category
    seats: int
    used: int  # already sent to the province
    entries: list[ListEntry]

    @property
    def left(self) -> int:
        return self.seats - self.used


def learners_by_account(accounts: list[str], campaign: Any) -> dict[str, Learner]:
    """Rows of the campaign's current snapshot for these accounts, with org and unit (one query)."""
    snapshot = current_snapshot(campaign)
    accounts = [a for a in accounts if a]
    if snapshot is None or not accounts:
        return {}
    rows = Learner.objects.filter(snapshot=snapshot, account_id__in=accounts).select_related(
        "org", "org__unit"
    )
    return {row.account_id: row for row in rows}


def key_figures(nomination: Nomination, learner: Learner | None) -> list[tuple[str, str]]:
    """The few figures a reviewer compares at a glance; the nomination page shows every value."""
    figures: list[tuple[str, str]] = []
    if nomination.category.is_person:
        if learner is None:
            return [("积分快照", "无此学号")]
        figures += [("总积分", str(learner.total_points)), ("年度积分", str(learner.annual_points))]
        typed = (nomination.typed_total_points, nomination.typed_annual_points)
        if any(v is not None for v in typed) and typed != (learner.total_points, learner.annual_points):
            figures.append(
                ("填报积分", " / ".join("—" if v is None else str(v) for v in typed) + "（与快照不一致）")
            )
    else:
        org = nomination.nominee_org
        if org is not None:
            for name, value in (
                ("学员数", org.members),
                ("在职人数", org.staff),
                ("年度提交稿件数", org.articles_submitted),
            ):
                if value is not None:
                    figures.append((name, str(value)))
        if nomination.activity_count is not None:
            figures.append(("活动次数", str(nomination.activity_count)))
    if nomination.judges_score is not None:
        figures.append(("评审分", str(nomination.judges_score)))
    return figures


# States a sent-up nomination can be in (drafts stay with their unit), for the screening page's filter.
SCREENED_STATES = (S.SUBMITTED, S.RETURNED, S.REJECTED, S.RECOMMENDED, S.SELECTED, S.NOT_SELECTED,
                   S.PUBLISHED, S.WITHDRAWN, S.APPROVED, S.COMMENDED)  # fmt: skip
# The statuses of the filter; "none" is a nomination not evaluated yet (an empty status).
SCREENED_STATUSES = (*(s.value for s in Status), "none")


@dataclass(frozen=True)
class ScreeningFilter:
    """What the reviewer narrowed the category's list to: text (name, 申报编号, recommending unit),
    eligibility status, state. Values outside the choices mean no narrowing."""

    q: str = ""
    status: str = ""
    state: str = ""

    def apply(self, rows: QuerySet[Nomination]) -> QuerySet[Nomination]:
        if self.q:
            rows = rows.filter(
                Q(nominee_name__contains=self.q)
                | Q(number=self.q)
                | Q(nominee_org__name__contains=self.q)
                | Q(recommending_org__name__contains=self.q)
            )
        if self.status in SCREENED_STATUSES:
            rows = rows.filter(status="" if self.status == "none" else self.status)
        if self.state in SCREENED_STATES:
            rows = rows.filter(state=self.state)
        return rows

    @property
    def active(self) -> bool:
        return bool(self.q or self.status in SCREENED_STATUSES or self.state in SCREENED_STATES)


def screening_candidates(
    *, user, campaign: Campaign, category: Category, reporting_unit: Org
) -> QuerySet[Nomination]:
    """The unit's sent-up nominations of the category the user may see, in the default order
    (list_picks.DEFAULT_ORDER) — ordered by the database, so that a page of them is all one request reads
    and renders (2,000 rows of a city made an 814 KiB page)."""
    visible = nominations_visible_to(user, campaign=campaign)
    return sent_up(visible, category=category, reporting_unit=reporting_unit)


def sent_up_counts(*, user, campaign: Campaign, reporting_unit: Org) -> dict[int, int]:
    """Per category id, how many of the unit's nominations the user may see were sent up (one query)."""
    rows = (
        nominations_visible_to(user, campaign=campaign)
        .filter(reporting_unit=reporting_unit)
        .exclude(state__in=[S.DRAFT, S.AWAITING_UNIT])
        .order_by()
        .values("category_id")
        .annotate(n=Count("id"))
    )
    return {row["category_id"]: row["n"] for row in rows}


def screening_rows(nominations: Sequence[Nomination]) -> list[ScreeningRow]:
    """The nominations (a page of screening_candidates, the picked ones), in the order given, each with
    its snapshot row, list entry and whether it can be picked (three queries, whatever the rows)."""
    campaign = nominations[0].campaign if nominations else None
    learners = learners_by_account([n.nominee_account for n in nominations], campaign)
    entries = {
        e.nomination_id: e
        for e in ListEntry.objects.filter(nomination__in=[n.pk for n in nominations]).select_related(
            "picked_by"
        )
    }
    rows = []
    for n in nominations:
        learner = learners.get(n.nominee_account)
        rows.append(
            ScreeningRow(
                nomination=n,
                learner=learner,
                entry=entries.get(n.pk),
                problem=pick_problem(n),
                warned=rules_with(n, Outcome.WARN),
                manual=rules_with(n, Outcome.MANUAL),
                figures=key_figures(n, learner),
            )
        )
    return rows


def seats_by_category(
    *, campaign: Campaign, reporting_unit: Org, recommendation_list: RecommendationList | None
) -> list[CategorySeats]:
    """Every category of the campaign with the unit's seats, seats used and picks (four queries)."""
    seats = {
        q.category_id: q.seats for q in Quota.objects.filter(campaign=campaign, reporting_unit=reporting_unit)
    }
    used = {
        row["category_id"]: row["n"]
        for row in Nomination.objects.filter(
            campaign=campaign, reporting_unit=reporting_unit, state__in=S.submitted_list_states()
        )
        .values("category_id")
        .annotate(n=Count("id"))
    }
    picked: dict[int, list[ListEntry]] = {}
    if recommendation_list is not None:
        for entry in recommendation_list.entries.select_related(
            "nomination", "nomination__nominee_org", "nomination__category", "nomination__recommending_org"
        ).order_by("category__number", "position"):
            picked.setdefault(entry.category_id, []).append(entry)
    return [
        CategorySeats(
            category=c, seats=seats.get(c.pk, 0), used=used.get(c.pk, 0), entries=picked.get(c.pk, [])
        )
        for c in campaign.categories.order_by("number")
    ]

"""The campaign in figures: per reporting unit and category, how far its nominations came.

What each figure counts (the states by their groups on NominationState, the status as evaluation stores it):
- 草稿 (drafts): started, never sent — shown apart, not part of 申报数;
- 申报数 (nominated): every nomination past the draft (NominationState.nominated_states()): waiting for
  its unit, sent up, returned, rejected or withdrawn alike;
- 符合条件 (eligible): of those, the ones whose stored status is Status.ELIGIBLE;
- 已报送 (submitted): on a submitted list (submitted_list_states()) — the seats of the quota they use (G.7);
- 拟入选 (selected): selected_states(); 已表扬 (commended): NominationState.COMMENDED;
- 名额 (seats) from the campaign's Quota rows, and the use of them: 已报送 / 名额.

Four queries whatever the number of units: categories, reporting units, one aggregate over the
nominations grouped by (reporting unit, category), the quotas.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import cached_property

from django.db.models import Count, Q, Sum
from django.utils import timezone

from jixing.campaigns.models import Campaign, Category, Quota
from jixing.documents.filenames import safe_filename
from jixing.documents.statistics import StatisticsRow, build_statistics_sheet
from jixing.eligibility.outcomes import Status
from jixing.nominations.enums import NominationState as S
from jixing.nominations.models import Nomination
from jixing.orgs.enums import OrgLevel
from jixing.orgs.models import Org


@dataclass(frozen=True)
class Figures:
    drafts: int = 0
    nominated: int = 0
    eligible: int = 0
    submitted: int = 0
    selected: int = 0
    commended: int = 0
    seats: int = 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    @property
    def quota_use(self) -> int | None:
        """Seats used, in whole percent of the seats; None where there are no seats."""
        return round(100 * self.submitted / self.seats) if self.seats else None


_NAMES = tuple(f.name for f in fields(Figures))


def total(figures: Iterable[Figures]) -> Figures:
    items = list(figures)
    return Figures(**{name: sum(getattr(item, name) for item in items) for name in _NAMES})


@dataclass(frozen=True)
class UnitStatistics:
    """One reporting unit: its figures per category (in the campaign's order) and in all."""

    unit: Org
    by_category: list[tuple[Category, Figures]]

    @cached_property  # a page reads it for every figure: computed once (cached_property writes __dict__)
    def total(self) -> Figures:
        return total(figures for _, figures in self.by_category)


@dataclass(frozen=True)
class Statistics:
    categories: list[Category]
    units: list[UnitStatistics]
    by_category: list[tuple[Category, Figures]] = field(default_factory=list)

    @cached_property  # a page reads it for every figure: computed once (cached_property writes __dict__)
    def total(self) -> Figures:
        return total(figures for _, figures in self.by_category)


# The columns of the aggregate, each a count of the nominations a filter keeps.
_COUNTS: dict[str, Q] = {
    "drafts": Q(state=S.DRAFT),
    "nominated": Q(state__in=S.nominated_states()),
    "eligible": Q(state__in=S.nominated_states(), status=Status.ELIGIBLE.value),
    "submitted": Q(state__in=S.submitted_list_states()),
    "selected": Q(state__in=S.selected_states()),
    "commended": Q(state=S.COMMENDED),
}


def campaign_statistics(*, campaign: Campaign, reporting_unit: Org | None = None) -> Statistics:
    """The figures of every reporting unit of the province, or of `reporting_unit` alone, with totals
    per category. Reads only (four queries); whoever calls it has checked that the user may see them
    (nominations.view_statistics)."""
    categories = list(campaign.categories.order_by("number"))
    units = Org.objects.filter(tree_id=campaign.org_tree_id, level=OrgLevel.REPORTING_UNIT).order_by("path")
    nominations = Nomination.objects.filter(campaign=campaign)
    quotas = Quota.objects.filter(campaign=campaign)
    if reporting_unit is not None:
        units = units.filter(pk=reporting_unit.pk)
        nominations = nominations.filter(reporting_unit=reporting_unit)
        quotas = quotas.filter(reporting_unit=reporting_unit)
    counted = {
        (row.pop("reporting_unit_id"), row.pop("category_id")): row
        for row in nominations.order_by()
        .values("reporting_unit_id", "category_id")
        .annotate(**{name: Count("pk", filter=keep) for name, keep in _COUNTS.items()})
    }
    seats = {
        (unit_id, category_id): number
        for unit_id, category_id, number in quotas.values_list("reporting_unit_id", "category_id", "seats")
    }
    rows = []
    for unit in units:
        rows.append(
            UnitStatistics(
                unit=unit,
                by_category=[
                    (
                        category,
                        Figures(
                            **counted.get((unit.pk, category.pk), {}),
                            seats=seats.get((unit.pk, category.pk), 0),
                        ),
                    )
                    for category in categories
                ],
            )
        )
    by_category = [
        (category, total(row.by_category[index][1] for row in rows))
        for index, category in enumerate(categories)
    ]
    return Statistics(categories=categories, units=rows, by_category=by_category)


def campaign_totals(*, campaign: Campaign, reporting_unit: Org | None = None) -> Figures:
    """The totals alone (the home page's figures): the province's, or one reporting unit's. Two queries;
    the same figures as campaign_statistics(...).total."""
    # No join to the orgs (on SQLite it made the count ten times slower): a nomination's reporting unit
    # and a quota's are 报送单位 by construction; a nomination without one is counted nowhere.
    nominations = Nomination.objects.filter(campaign=campaign, reporting_unit__isnull=False)
    quotas = Quota.objects.filter(campaign=campaign)
    if reporting_unit is not None:
        nominations = nominations.filter(reporting_unit=reporting_unit)
        quotas = quotas.filter(reporting_unit=reporting_unit)
    counts = nominations.aggregate(**{name: Count("pk", filter=keep) for name, keep in _COUNTS.items()})
    return Figures(**counts, seats=quotas.aggregate(seats=Sum("seats"))["seats"] or 0)


def _row(unit: str, category: str, figures: Figures, *, is_total: bool = False) -> StatisticsRow:
    return StatisticsRow(
        unit=unit,
        category=category,
        drafts=figures.drafts,
        nominated=figures.nominated,
        eligible=figures.eligible,
        submitted=figures.submitted,
        seats=figures.seats,
        quota_use=figures.quota_use,
        selected=figures.selected,
        commended=figures.commended,
        is_total=is_total,
    )


def statistics_rows(statistics: Statistics, *, whole_province: bool) -> list[StatisticsRow]:
    """Each unit's categories and its 小计; for the whole province, the categories' 全省合计 after them."""
    rows: list[StatisticsRow] = []
    for unit_row in statistics.units:
        name = unit_row.unit.name
        rows += [_row(name, category.name, figures) for category, figures in unit_row.by_category]
        rows.append(_row(name, "小计", unit_row.total, is_total=True))
    if whole_province:
        rows += [_row("全省合计", c.name, f, is_total=True) for c, f in statistics.by_category]
        rows.append(_row("全省合计", "合计", statistics.total, is_total=True))
    return rows


def export_statistics(
    *, campaign: Campaign, reporting_unit: Org | None = None, now: datetime | None = None
) -> tuple[str, bytes]:
    """The statistics as an XLSX and its file name (「…统计（报送单位）.xlsx」); reads only."""
    statistics = campaign_statistics(campaign=campaign, reporting_unit=reporting_unit)
    moment = timezone.localtime(now or timezone.now())
    scope = reporting_unit.name if reporting_unit is not None else "全省"
    content = build_statistics_sheet(
        title=f"{campaign.name} 统计（{scope}）",
        subtitle=f"统计时间：{moment:%Y年%m月%d日 %H:%M}（北京时间）",
        rows=statistics_rows(statistics, whole_province=reporting_unit is None),
    )
    return safe_filename(f"{campaign.name}统计（{scope}）", "xlsx"), content

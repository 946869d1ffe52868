"""The demo's 审核报送 and 汇总公示 rows: the reporting units' lists, the province's choice, the 公示 and
the approval — written as the product's own steps would have left them.

Who may be chosen is decided by the eligibility engine, not by the generator's guesses: the nominations
are evaluated once with nobody chosen, and a planned choice (拟入选 and beyond) that the product would
refuse — ineligible or incomplete, or a person already chosen in another category (G.3) — trades its
state with a choosable nomination of the same category that is on a list too (so no quota moves), or
else becomes 未入选.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import timedelta

from django.utils import timezone

from jixing.accounts.models import User
from jixing.announcements.domain.persons import person_keys
from jixing.announcements.domain.selection import NOT_SELECTABLE
from jixing.announcements.models import Announcement, AnnouncementEntry, Approval
from jixing.campaigns.models import Campaign
from jixing.demo.accounts import REPORTING_USERNAMES
from jixing.demo.placeholders import PLACEHOLDERS
from jixing.demo.plan import NominationPlan, Province
from jixing.demo.timeline import Timeline
from jixing.nominations.domain.evaluation import evaluate_campaign
from jixing.nominations.domain.facts import SELECTED_STATES
from jixing.nominations.enums import EvidenceKind, ListState
from jixing.nominations.enums import NominationState as S
from jixing.nominations.models import ListEntry, Nomination, RecommendationList, SealedScan

# Published once (then possibly withdrawn): these have an entry on the 公示.
WAS_PUBLISHED = frozenset({S.PUBLISHED, S.APPROVED, S.COMMENDED, S.WITHDRAWN})


def write_outcomes(
    province: Province,
    timeline: Timeline,
    *,
    campaign: Campaign,
    rows: dict[str, Nomination],
    users: dict[str, User],
) -> dict[str, int]:
    """Settle the choices, then create lists, the 公示 and the approval. Returns counts by kind."""
    if not province.lists:
        return {}
    chosen = [p for p in province.nominations if p.state in SELECTED_STATES]
    if chosen:  # evaluated with nobody chosen yet, as the province sees them before choosing
        Nomination.objects.filter(pk__in=[rows[p.number].pk for p in chosen]).update(state=S.RECOMMENDED)
        for plan in chosen:
            rows[plan.number].state = S.RECOMMENDED
    evaluate_campaign(campaign)
    evaluated = {
        n.pk: (n.status, n.rank) for n in Nomination.objects.filter(campaign=campaign).only("status", "rank")
    }
    statuses = {number: evaluated[row.pk][0] for number, row in rows.items()}
    ranks = {number: evaluated[row.pk][1] for number, row in rows.items()}
    if chosen:
        settle_choices(province, statuses=statuses, keys=_keys(rows))
        changed = []
        for plan in province.nominations:
            row = rows[plan.number]
            if row.state != plan.state:
                row.state = plan.state
                changed.append(row)
        Nomination.objects.bulk_update(changed, ["state"], batch_size=500)
    counts = _create_lists(province, rows=rows, ranks=ranks, users=users)
    counts.update(
        _create_announcement(province, timeline, campaign=campaign, rows=rows, ranks=ranks, users=users)
    )
    return counts


def _keys(rows: dict[str, Nomination]) -> dict[str, str]:
    by_pk = person_keys(rows.values())
    return {number: by_pk[row.pk] for number, row in rows.items() if row.pk in by_pk}


def settle_choices(province: Province, *, statuses: dict[str, str], keys: dict[str, str]) -> None:
    """Make every chosen nomination (拟入选 and beyond) one the product would let the province choose."""
    held: set[str] = set()

    def choosable(plan: NominationPlan) -> bool:
        key = keys.get(plan.number)
        return statuses.get(plan.number) not in NOT_SELECTABLE and (key is None or key not in held)

    def hold(plan: NominationPlan) -> None:
        if plan.number in keys:
            held.add(keys[plan.number])

    by_category: dict[int, list[NominationPlan]] = defaultdict(list)
    for plan in province.nominations:
        by_category[plan.category_number].append(plan)
    for number in sorted(by_category):
        plans = by_category[number]
        spare = [p for p in plans if p.state in (S.RECOMMENDED, S.NOT_SELECTED)]
        for plan in [p for p in plans if p.state in SELECTED_STATES]:
            if choosable(plan):
                hold(plan)
                continue
            partner = next((p for p in spare if choosable(p)), None)
            if partner is None:
                plan.state = S.NOT_SELECTED
                continue
            spare.remove(partner)
            plan.state, partner.state = partner.state, plan.state
            hold(partner)


def _create_lists(
    province: Province,
    *,
    rows: dict[str, Nomination],
    ranks: dict[str, int | None],
    users: dict[str, User],
) -> dict[str, int]:
    """Each reporting unit's 推荐总表, its entries in the default order (rank) of each category."""
    entries, scans = [], []
    pdf = PLACEHOLDERS[EvidenceKind.SEALED_FORM]
    names = {o.code: o.name for o in province.orgs}
    for plan in province.lists:
        reviewer = users.get(REPORTING_USERNAMES.get(plan.reporting_code, ""))
        first = rows[plan.numbers[0]]
        submitted = plan.submitted_at is not None
        rl = RecommendationList.objects.create(
            campaign_id=first.campaign_id,
            reporting_unit_id=first.reporting_unit_id,
            state=ListState.SUBMITTED if submitted else ListState.OPEN,
            changed_at=plan.picked_at,
            submitted_at=plan.submitted_at,
            submitted_by=reviewer if submitted else None,
        )
        picked = sorted(
            (rows[n] for n in plan.numbers),
            key=lambda r: (r.category_id, ranks.get(r.number) is None, ranks.get(r.number) or 0, r.number),
        )
        position: dict[int, int] = defaultdict(int)
        for row in picked:
            position[row.category_id] += 1
            entries.append(
                ListEntry(
                    recommendation_list=rl,
                    nomination=row,
                    category_id=row.category_id,
                    position=position[row.category_id],
                    picked_by=reviewer,
                    picked_at=plan.picked_at,
                )
            )
        if plan.scanned_at is not None:
            scans.append(
                SealedScan(
                    recommendation_list=rl,
                    file=plan.scan_name,
                    original_name=f"{names[plan.reporting_code]}推荐总表（盖章）.pdf",
                    size=pdf.size,
                    sha256=pdf.sha256,
                    content_type=pdf.content_type,
                    uploaded_by=reviewer,
                    uploaded_at=plan.scanned_at,
                )
            )
    ListEntry.objects.bulk_create(entries, batch_size=500)
    SealedScan.objects.bulk_create(scans)
    return {"lists": len(province.lists), "list_entries": len(entries), "scans": len(scans)}


def _create_announcement(
    province: Province,
    timeline: Timeline,
    *,
    campaign: Campaign,
    rows: dict[str, Nomination],
    ranks: dict[str, int | None],
    users: dict[str, User],
) -> dict[str, int]:
    """The 公示 as publish() creates it (its entries' public columns), and the approval once recorded."""
    if timeline.published_at is None:
        return {}
    assert timeline.starts_on and timeline.ends_on and timeline.window_starts_at and timeline.window_ends_at
    province_user = users["province"]
    announcement = Announcement.objects.create(
        campaign=campaign,
        published_at=timeline.published_at,
        published_by=province_user,
        starts_on=timeline.starts_on,
        ends_on=timeline.ends_on,
        working_days=timeline.working_days,
        window_starts_at=timeline.window_starts_at,
        window_ends_at=timeline.window_ends_at,
    )
    orgs = province.org_index()
    units = {p.account_id: orgs[orgs[p.org_code].unit_code or p.org_code].name for p in province.learners}
    published = sorted(
        (p for p in province.nominations if p.state in WAS_PUBLISHED),
        key=lambda p: (
            p.category_number,
            p.reporting_code,
            ranks.get(p.number) is None,
            ranks.get(p.number) or 0,
            p.number,
        ),
    )
    categories = {c.number: c for c in campaign.categories.all()}
    entries = []
    for position, plan in enumerate(published, start=1):
        category = categories[plan.category_number]
        if plan.nominee_org_code:
            name, unit = orgs[plan.nominee_org_code].name, orgs[plan.reporting_code].name
        else:
            name = plan.nominee_name
            unit = units.get(plan.nominee_account, orgs[plan.recommending_code].name)
        entries.append(
            AnnouncementEntry(
                announcement=announcement,
                nomination=rows[plan.number],
                position=position,
                category_name=category.name,
                category_number=category.number,
                is_person=category.is_person,
                display_name=name,
                display_unit=unit,
            )
        )
    AnnouncementEntry.objects.bulk_create(entries, batch_size=500)
    counts = {"announcements": 1, "announcement_entries": len(entries)}
    if timeline.approved_at is not None:
        approved_on = timezone.localdate(timeline.approved_at - timedelta(days=1))
        serial = random.Random(f"{province.seed}:approval").randint(3, 40)
        Approval.objects.create(
            campaign=campaign,
            document_ref=f"晋宣审〔{approved_on.year}〕{serial}号",
            approved_on=approved_on,
            note="演示数据：虚构的批复",
            nomination_count=sum(p.state in (S.APPROVED, S.COMMENDED) for p in province.nominations),
            recorded_by=province_user,
            recorded_at=timeline.approved_at,
        )
        counts["approvals"] = 1
    return counts

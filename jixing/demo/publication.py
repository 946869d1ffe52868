"""审核报送 and 汇总公示 in the demo: the reporting units' lists, the province's choice, the 公示, the
approval and the 通报表扬 — each made by the product's own domain function (lists.set_picks and
submit_list, selection.change_selection, publishing.publish, transition() for a withdrawal,
approval.record_approval and commend) at a moment inside the demo's shifted window for it.

The product decides what may happen, not the generator: the targets planned on the lists go to
nominations the product lets a reporting unit pick (settle_lists: trading plans with nominations planned
to wait, within the seats), and a planned choice the province could not make — ineligible or
incomplete, or a person already chosen in another category (G.3) — trades its plan with a choosable
nomination of the same category that is on a list too (so no quota moves), or else becomes 未入选.
Afterwards each plan's target is what the database holds, so the report and the template files say
what the demo shows.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.utils import timezone

from jixing.accounts.models import User
from jixing.announcements.domain.approval import commend, record_approval
from jixing.announcements.domain.persons import person_keys
from jixing.announcements.domain.publishing import publish
from jixing.announcements.domain.selection import NOT_SELECTABLE, change_selection
from jixing.campaigns.models import Campaign
from jixing.demo.accounts import REPORTING_USERNAMES
from jixing.demo.placeholders import PLACEHOLDERS
from jixing.demo.plan import ListPlan, NominationPlan, Province
from jixing.demo.timeline import Timeline
from jixing.nominations.domain.evaluation import ensure_fresh
from jixing.nominations.domain.list_picks import Pick, candidates, pick_problem, seats_left
from jixing.nominations.domain.lists import set_picks, submit_list
from jixing.nominations.domain.states import Action
from jixing.nominations.domain.transitions import transition
from jixing.nominations.enums import SELECTED_STATES, EvidenceKind
from jixing.nominations.enums import NominationState as S
from jixing.nominations.models import Nomination, RecommendationList, SealedScan
from jixing.orgs.models import Org

# Chosen once (拟入选 and beyond, or withdrawn after the 公示): the province's choice covers these.
CHOSEN = SELECTED_STATES | {S.WITHDRAWN}
# The reason a reviewer gives when a pick passes over a better-ranked nomination (kept only then).
OVERRIDE_REASON = "经报送单位集体研究，按推荐单位意见调整顺序"
WITHDRAW_REASON = "公示期间收到反映，经核实撤销"
# Planned targets on a list, furthest along first: settle_lists gives these to pickable nominations first.
_FURTHEST: list[str] = [
    S.COMMENDED,
    S.APPROVED,
    S.PUBLISHED,
    S.WITHDRAWN,
    S.SELECTED,
    S.NOT_SELECTED,
    S.RECOMMENDED,
    S.SUBMITTED,  # picked on a list still open (审核报送: the `taiyuan` account's)
]
_WAITING = (S.SUBMITTED, S.RETURNED)


class DemoWorkflowError(RuntimeError):
    """The product refused a step the demo planned: a bug of the generator, never hidden."""


def write_outcomes(
    province: Province,
    timeline: Timeline,
    *,
    campaign: Campaign,
    rows: dict[str, Nomination],
    users: dict[str, User],
) -> dict[str, int]:
    """Make the lists, the choice, the 公示, the approval and the commendation as far as `timeline`
    has got, through the domain. Returns counts by kind."""
    if not province.lists:
        return {}
    counts = _make_lists(province, campaign=campaign, rows=rows, users=users)
    if timeline.published_at is not None:
        counts.update(_announce(province, timeline, campaign=campaign, rows=rows, users=users))
    states = dict(Nomination.objects.filter(campaign=campaign).values_list("number", "state"))
    for plan in province.nominations:
        plan.target = states[plan.number]
    return counts


def settle_lists(province: Province, *, campaign: Campaign) -> None:
    """Make the list plans ones the reporting units could pick, once everything planned beyond 已申报
    has been sent up. Reads fresh results (evaluation.ensure_fresh); changes plans only.

    Per category, the targets planned on the lists (已报送 and beyond, withdrawn ones too) go to
    nominations the product lets a unit pick (pick_problem: not ineligible or incomplete, a `warn` rule
    only with the unit's reason): every state once first, furthest along first (_spread); each to a
    pickable nomination of the list it was planned on, else of another unit's list, within the unit's
    seats (G.7). A pickable nomination planned to wait (已申报) or to be returned that takes a target
    hands its own plan to a planned pick the product refuses; a planned pick left without a target
    waits, 已申报. So the numbers in each state hold as far as the product allows.
    """
    if not province.lists:
        return
    ensure_fresh(campaign)
    units = {o.code: o for o in Org.objects.filter(code__in={p.reporting_code for p in province.lists})}
    planned = {p.number: p for p in province.nominations}
    wanted = {number for list_plan in province.lists for number in list_plan.numbers}
    picked: dict[str, list[Nomination]] = defaultdict(list)
    for category in campaign.categories.order_by("number"):
        pools = {
            code: candidates(campaign=campaign, category=category, reporting_unit=unit)
            for code, unit in sorted(units.items())
        }
        seats = {code: seats_left(category=category, reporting_unit=units[code]) for code in pools}
        for code, chosen in _settle_category(pools, seats, wanted, planned).items():
            picked[code] += chosen
    settled = []
    for list_plan in province.lists:
        if picked[list_plan.reporting_code]:
            list_plan.numbers = [n.number for n in picked[list_plan.reporting_code]]
            settled.append(list_plan)
    province.lists = settled


def _settle_category(
    pools: dict[str, list[Nomination]],
    seats: dict[str, int],
    wanted: set[str],
    planned: dict[str, NominationPlan],
) -> dict[str, list[Nomination]]:
    """One category of settle_lists: the picks of each unit's list, in the default order."""
    free: dict[str, list[Nomination]] = {}
    refused: list[Nomination] = []
    targets: list[tuple[str, str]] = []  # (target, the unit whose list it was planned on)
    for code, pool in pools.items():
        pickable = [n for n in pool if pick_problem(n) is None]
        holders = [n for n in pickable if n.number in wanted]
        holders += [n for n in pickable if n.number not in wanted and planned[n.number].target in _WAITING]
        free[code] = holders[: max(seats[code], 0)]
        refused += [n for n in pool if n.number in wanted and n not in pickable]
        targets += [(planned[n.number].target, code) for n in pool if n.number in wanted]
    homes: dict[str, list[str]] = defaultdict(list)
    for target, code in targets:
        homes[target].append(code)
    given: dict[str, str] = {}  # number → target
    for target in _spread(target for target, _ in targets):
        home = homes[target].pop(0)
        code = home if free[home] else max(free, key=lambda c: len(free[c]))
        if not free[code]:
            break  # no unit can pick another nomination of this category
        given[free[code].pop(0).number] = target
    handed = [planned[number].target for number in given if number not in wanted]
    for pool in pools.values():
        for nomination in pool:
            if nomination.number in given:
                planned[nomination.number].target = given[nomination.number]
            elif nomination.number in wanted:
                planned[nomination.number].target = S.SUBMITTED
    for nomination in refused:
        if handed:
            planned[nomination.number].target = handed.pop(0)
    return {code: [n for n in pool if n.number in given] for code, pool in pools.items()}


def _spread(targets: Iterable[str]) -> list[str]:
    """Every target state once before any second one (so a short list still shows them all), each
    round furthest along first."""
    seen: Counter[str] = Counter()
    ranked = []
    for target in sorted(targets, key=_FURTHEST.index):
        ranked.append((seen[target], _FURTHEST.index(target), target))
        seen[target] += 1
    return [target for *_, target in sorted(ranked)]


def _make_lists(
    province: Province, *, campaign: Campaign, rows: dict[str, Nomination], users: dict[str, User]
) -> dict[str, int]:
    """Each reporting unit picks its settled list (set_picks, in the default order, one call per
    category), uploads its sealed scan and sends the list up (submit_list), at the list plan's times."""
    categories = {c.pk: c for c in campaign.categories.all()}
    units = {o.code: o for o in Org.objects.filter(code__in={p.reporting_code for p in province.lists})}
    entries = 0
    for list_plan in province.lists:
        reviewer = users[REPORTING_USERNAMES[list_plan.reporting_code]]
        unit = units[list_plan.reporting_code]
        by_category: dict[int, list[Pick]] = defaultdict(list)
        for number in list_plan.numbers:
            by_category[rows[number].category_id].append(Pick(rows[number].pk, OVERRIDE_REASON))
        for category_id, picks in sorted(by_category.items(), key=lambda item: categories[item[0]].number):
            set_picks(
                campaign=campaign,
                category=categories[category_id],
                actor=reviewer,
                picks=picks,
                now=list_plan.picked_at,
            )
            entries += len(picks)
        if list_plan.scanned_at is not None:
            _scan(list_plan, unit=unit, campaign=campaign, reviewer=reviewer)
        if list_plan.submitted_at is not None:
            submit_list(campaign=campaign, reporting_unit=unit, actor=reviewer, now=list_plan.submitted_at)
    return {
        "lists": len(province.lists),
        "list_entries": entries,
        "scans": sum(p.scanned_at is not None for p in province.lists),
    }


def _scan(list_plan: ListPlan, *, unit: Org, campaign: Campaign, reviewer: User) -> None:
    """The sealed scan, a placeholder PDF beside the evidence (placeholders.py writes the file): a file
    row like the attachments, not a change of state; submit_list checks it was uploaded after the picks."""
    assert list_plan.scanned_at is not None
    pdf = PLACEHOLDERS[EvidenceKind.SEALED_FORM]
    rl = RecommendationList.objects.get(campaign=campaign, reporting_unit=unit)
    SealedScan.objects.create(
        recommendation_list=rl,
        file=list_plan.scan_name,
        original_name=f"{unit.name}推荐总表（盖章）.pdf",
        size=pdf.size,
        sha256=pdf.sha256,
        content_type=pdf.content_type,
        uploaded_by=reviewer,
        uploaded_at=list_plan.scanned_at,
    )


def _announce(
    province: Province,
    timeline: Timeline,
    *,
    campaign: Campaign,
    rows: dict[str, Nomination],
    users: dict[str, User],
) -> dict[str, int]:
    """The province chooses, publishes the 公示, withdraws, chooses late, approves and commends."""
    assert timeline.published_at is not None
    province_user = users["province"]
    published_at = timeline.published_at
    chosen_at = _between(timeline.announce_start, published_at, 0.5)
    ends = timeline.approved_at or min(timeline.now, timeline.announce_end)
    ensure_fresh(campaign)  # evaluated with nobody chosen yet, as the province sees them before choosing
    statuses = dict(Nomination.objects.filter(campaign=campaign).values_list("number", "status"))
    settle_choices(province, statuses=statuses, keys=_keys(rows))
    by_target: dict[str, list[int]] = defaultdict(list)
    for plan in province.nominations:
        by_target[plan.target].append(rows[plan.number].pk)
    first = [pk for state in (S.PUBLISHED, S.APPROVED, S.COMMENDED, S.WITHDRAWN) for pk in by_target[state]]
    _choose(campaign, first, Action.SELECT, province_user, chosen_at)
    _choose(campaign, by_target[S.NOT_SELECTED], Action.DESELECT, province_user, chosen_at)
    announcement = publish(
        campaign=campaign,
        actor=province_user,
        starts_on=timezone.localdate(published_at),
        now=published_at,
    )
    counts = {"announcements": 1, "announcement_entries": announcement.entries.count()}
    # Chosen after the 公示 went out: 拟入选, waiting for another publication.
    _choose(campaign, by_target[S.SELECTED], Action.SELECT, province_user, _between(published_at, ends, 0.3))
    withdrawn_at = _between(published_at, ends, 0.5)
    for pk in by_target[S.WITHDRAWN]:
        nomination = Nomination.objects.get(pk=pk)
        transition(nomination, Action.WITHDRAW, actor=province_user, reason=WITHDRAW_REASON, now=withdrawn_at)
    if timeline.approved_at is not None:
        approved_on = timezone.localdate(timeline.approved_at - timedelta(days=1))
        serial = random.Random(f"{province.seed}:approval").randint(3, 40)
        record_approval(
            campaign=campaign,
            actor=province_user,
            document_ref=f"晋宣审〔{approved_on.year}〕{serial}号",
            approved_on=approved_on,
            note="演示数据：虚构的批复",
            now=timeline.approved_at,
        )
        counts["approvals"] = 1
    if timeline.commended_at is not None:
        commend(campaign=campaign, actor=province_user, now=timeline.commended_at)
    return counts


def _between(start: datetime, end: datetime, share: float) -> datetime:
    return start + (end - start) * share


def _choose(campaign: Campaign, ids: list[int], action: str, actor: User, now: datetime) -> None:
    if not ids:
        return
    result = change_selection(campaign=campaign, ids=ids, action=action, actor=actor, now=now)
    if result.refused:
        refused = "；".join(reason for _, reason in result.refused)
        raise DemoWorkflowError(f"演示数据的入选安排被拒绝：{refused}")


def _keys(rows: dict[str, Nomination]) -> dict[str, str]:
    by_pk = person_keys(rows.values())
    return {number: by_pk[row.pk] for number, row in rows.items() if row.pk in by_pk}


def settle_choices(province: Province, *, statuses: dict[str, str], keys: dict[str, str]) -> None:
    """Make every planned choice (拟入选 and beyond, withdrawn ones too) one the product would let the
    province make; only nominations on a submitted list (已报送 and beyond) are traded."""
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
        spare = [p for p in plans if p.target in (S.RECOMMENDED, S.NOT_SELECTED)]
        for plan in [p for p in plans if p.target in CHOSEN]:
            if choosable(plan):
                hold(plan)
                continue
            partner = next((p for p in spare if choosable(p)), None)
            if partner is None:
                plan.target = S.NOT_SELECTED
                continue
            spare.remove(partner)
            plan.target, partner.target = partner.target, plan.target
            hold(partner)

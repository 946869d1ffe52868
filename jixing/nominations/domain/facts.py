"""Gathering what the rules read, for a whole batch of nominations, in a fixed number of queries.

`build_facts(nominations, ...)` turns nominations into `jixing.eligibility.Facts`: the nominee's snapshot
row, the learner's unit (or the nominated unit), the rank in unit, roles with the figures of the node where
each is held, the roles held in a nominated unit with their holders' annual points, evidence kinds,
reviewer decisions. Nine queries whatever the batch size; the web application and `jixing evaluate` both
come through here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from django.db.models import QuerySet

from jixing import eligibility as el
from jixing.nominations.enums import SELECTED_STATES as SELECTED_STATES  # the old name, still imported
from jixing.nominations.enums import NominationState
from jixing.nominations.models import Attachment, Nomination, RuleDecision
from jixing.orgs.models import Org
from jixing.people.domain.snapshots.figures import STORED_RANKS
from jixing.people.models import Learner, Role, Snapshot

FIGURE_FIELDS = (
    "is_station", "is_legal_entity", "members", "staff", "party_members", "tagged_party_members",
    "daily_active_rate", "articles_submitted", "published_provincial", "published_national",
    "articles_reviewed", "bulletin_errors_provincial", "bulletin_errors_national",
)  # fmt: skip


def org_figures(org: Org) -> el.OrgFigures:
    return el.OrgFigures(
        code=org.code, name=org.name, sector=org.sector or None, **{f: getattr(org, f) for f in FIGURE_FIELDS}
    )


def snapshot_learner(row: Learner, org_code: str) -> el.Learner:
    return el.Learner(
        account=row.account_id,
        org=org_code,
        total_points=row.total_points,
        annual_points=row.annual_points,
        national_total_rank=row.national_total_rank,
        national_annual_rank=row.national_annual_rank,
        perfect_clearances=row.perfect_clearances,
        is_real_name=row.is_real_name,
        is_shanxi_phone=row.is_shanxi_phone,
        is_platform_staff=row.is_platform_staff,
    )


class _Orgs:
    """Orgs by id, loaded once for every node the batch mentions."""

    def __init__(self, ids: Iterable[int | None]) -> None:
        wanted = {i for i in ids if i is not None}
        self.by_id = Org.objects.in_bulk(wanted) if wanted else {}
        self._figures: dict[int, el.OrgFigures] = {}

    def figures(self, org_id: int | None) -> el.OrgFigures | None:
        if org_id is None or org_id not in self.by_id:
            return None
        if org_id not in self._figures:
            self._figures[org_id] = org_figures(self.by_id[org_id])
        return self._figures[org_id]


def _role(role: Role, orgs: _Orgs, annual_points: int | None) -> el.Role:
    node = orgs.by_id.get(role.org_id)
    return el.Role(
        kind=role.kind,
        account=role.account_id,
        node=orgs.figures(role.org_id),
        unit=orgs.figures(node.unit_id if node else None),
        is_full_time=role.is_full_time,
        assessments=role.assessments,
        training_hours=Decimal(role.training_hours),
        volunteer_type=role.volunteer_type or "",
        annual_points=annual_points,
    )


def _ranks(
    snapshot: Snapshot, unit_ids: set[int], keys: set[tuple[str, ...]]
) -> dict[tuple[str, ...], dict[str, int]]:
    """Rank in unit of every learner of the given units, for a ranking key the snapshot does not store
    (a campaign definition may name other fields than the plan's two orders)."""
    if not unit_ids or not keys:
        return {}
    rows = Learner.objects.filter(snapshot=snapshot, unit_id__in=unit_ids).values_list(
        "account_id", "unit_id", "total_points", "annual_points", "perfect_clearances"
    )
    learners = [
        el.Learner(account=a, org=str(u), total_points=t, annual_points=y, perfect_clearances=c)
        for a, u, t, y, c in rows
    ]
    return {key: el.ranks_in_units(learners, unit_of=lambda lr: lr.org, key=key) for key in keys}


def _rank(
    row: Learner | None, key: tuple[str, ...], computed: dict[tuple[str, ...], dict[str, int]]
) -> int | None:
    """The learner's rank in unit by `key`: stored at import for the plan's two orders (figures.py)."""
    if row is None or not key:
        return None
    stored = STORED_RANKS.get(key) if len(key) == 2 else None  # stored ranks are by two columns
    if stored is not None:
        return getattr(row, stored)
    return computed.get(key, {}).get(row.account_id)


def build_facts(
    nominations: QuerySet[Nomination] | Sequence[Nomination],
    *,
    compiled: el.CompiledRules,
    snapshot: Snapshot | None,
    external: Mapping[int, Mapping[str, str]] | None = None,
) -> list[el.Facts]:
    """Facts for each nomination, in order. `external` gives per nomination id the outcomes of rules the
    live campaign decides (G.7, G.8). Queries: a fixed number, independent of the batch size."""
    if isinstance(nominations, QuerySet):
        nominations = nominations.select_related("category", "recommending_org", "reporting_unit")
    batch = list(nominations)
    ids = [n.pk for n in batch]
    accounts = {n.nominee_account for n in batch if n.nominee_account}
    learners: dict[str, Learner] = {}
    if snapshot is not None and accounts:
        learners = {
            row.account_id: row
            for row in Learner.objects.filter(snapshot=snapshot, account_id__in=accounts).select_related(
                "org"
            )
        }
    nominee_roles: dict[str, list[Role]] = defaultdict(list)
    # The roles held in the campaign's own org tree (a batch is one campaign's; its orgs are in that tree).
    tree = batch[0].recommending_org.tree_id if batch else None
    for role in Role.objects.filter(account_id__in=accounts, org__tree_id=tree):
        nominee_roles[role.account_id].append(role)
    nominated_units = {n.nominee_org_id for n in batch if n.nominee_org_id}
    unit_roles: dict[int | None, list[Role]] = defaultdict(list)  # keyed like nominee_org_id
    for role in Role.objects.filter(org__unit_id__in=nominated_units).select_related("org"):
        unit_roles[role.org.unit_id].append(role)
    holders = {r.account_id for roles in unit_roles.values() for r in roles}
    holder_points: dict[str, int] = {}
    if snapshot is not None and holders:
        holder_points = dict(
            Learner.objects.filter(snapshot=snapshot, account_id__in=holders).values_list(
                "account_id", "annual_points"
            )
        )
    orgs = _Orgs(
        [row.unit_id for row in learners.values()]
        + [r.org_id for roles in nominee_roles.values() for r in roles]
        + [r.org_id for roles in unit_roles.values() for r in roles]
        + list(nominated_units)
    )
    # Roles' nodes may sit under units not loaded yet: load those units too (one more query at most).
    missing_units = {o.unit_id for o in orgs.by_id.values() if o.unit_id and o.unit_id not in orgs.by_id}
    if missing_units:
        orgs.by_id.update(Org.objects.in_bulk(missing_units))
    evidence: dict[int, set[str]] = defaultdict(set)
    for nomination_id, kind in Attachment.objects.filter(nomination_id__in=ids).values_list(
        "nomination_id", "kind"
    ):
        evidence[nomination_id].add(kind)
    decisions: dict[int, dict[str, bool]] = defaultdict(dict)
    for nomination_id, rule_id, holds in RuleDecision.objects.filter(nomination_id__in=ids).values_list(
        "nomination_id", "rule_id", "holds"
    ):
        decisions[nomination_id][rule_id] = holds

    other_keys = {compiled.category(n.category.name).rank_in_unit for n in batch} - {()} - set(STORED_RANKS)
    ranks = (
        _ranks(snapshot, {row.unit_id for row in learners.values() if row.unit_id}, other_keys)
        if (snapshot is not None)
        else {}
    )

    facts = []
    for n in batch:
        row = learners.get(n.nominee_account) if n.nominee_account else None
        category = compiled.category(n.category.name)
        if n.nominee_org_id:
            unit = orgs.figures(n.nominee_org_id)
        else:
            unit = orgs.figures(row.unit_id) if row is not None else None
        rank = _rank(row, category.rank_in_unit, ranks)
        facts.append(
            el.Facts(
                id=n.number,
                category=n.category.name,
                recommending_unit=n.recommending_org.code,
                reporting_unit=n.reporting_unit.code,
                submitted_at=n.submitted_at,
                released=n.state in NominationState.released_states(),
                selected=n.state in NominationState.selected_states(),
                ranked=n.state not in NominationState.unranked_states(),
                nominee_account=n.nominee_account or None,
                person_key=row.person_key if row is not None else None,
                decisions=decisions.get(n.pk, {}),
                external_outcomes=(external or {}).get(n.pk, {}),
                learner=snapshot_learner(row, row.org.code) if row is not None else None,
                unit=unit,
                rank_in_unit=rank,
                roles=tuple(
                    _role(r, orgs, row.annual_points if row else None)
                    for r in nominee_roles.get(n.nominee_account, ())
                ),
                unit_roles=tuple(
                    _role(r, orgs, holder_points.get(r.account_id))
                    for r in unit_roles.get(n.nominee_org_id, ())
                ),
                attachments=frozenset(evidence.get(n.pk, set()) | set(n.declared_evidence)),
                activity_count=n.activity_count,
                typed_total_points=n.typed_total_points,
                typed_annual_points=n.typed_annual_points,
                judges_score=n.judges_score,
            )
        )
    return facts

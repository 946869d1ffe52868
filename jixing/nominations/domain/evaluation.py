"""Evaluating a campaign's nominations and keeping the results on each nomination.

Results (status, rank, every rule's outcome with the values that decided it) are stored on the
nomination. Anything the rules read marks results stale (campaigns.domain.staleness): a nomination's own
change (a form save, a transition, a decision, an attachment: changes.mark_changed) makes that nomination
due; data every nomination reads (the snapshot, the org tree, the roles, the quotas) makes the whole
campaign due. Either queues a background task (nominations.tasks.refresh_results → `refresh`).

A refresh is incremental (`evaluate_due`): the whole campaign when it is due as a whole, else only the
nominations a change may have moved and those they are compared with (`due_scope`) — the batch rules and
ranks compare nominations within a reporting unit and category (ranks, G.7), within a recommending unit
and category (G.6) and across the accounts of one person (G.2, G.3) — and its results are exactly those of
a whole evaluation (tests/nominations/domain/test_incremental.py). One save on deadline day re-evaluates
its reporting unit's category and the nominee's other nominations, not the province.

Pages only read the stored results (and say when a refresh is due: staleness.freshness); the domain
actions that decide on results — picking and submitting a list, choosing and publishing the 公示 — call
`ensure_fresh` first, so that they never act on results older than the data.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from jixing import eligibility as el
from jixing.campaigns.domain.eligibility_rules import compiled_rules
from jixing.campaigns.domain.staleness import mark_stale, take_refresh
from jixing.campaigns.models import Campaign, Quota
from jixing.nominations.domain.facts import build_facts
from jixing.nominations.domain.transitions import ON_SUBMITTED_LIST
from jixing.nominations.models import Nomination
from jixing.people.domain.queries import current_snapshot
from jixing.people.models import Learner

RESULT_FIELDS = ["status", "rank", "rule_results", "evaluated_at", "evaluated_version", "evaluated_person"]


def ensure_fresh(campaign: Campaign) -> bool:
    """Re-evaluate what changed since the last evaluation, at once; True when anything was due."""
    return evaluate_due(campaign, only_if_due=True) > 0


def refresh(campaign_id: int) -> int:
    """The background refresh a change queued: re-evaluate what is due (`evaluate_due`); the number of
    nominations evaluated (0 when the campaign is gone or nothing was due).

    Changes written from now on queue the next refresh (take_refresh), so none is missed and at most one
    waits at a time; a change that commits while this one runs keeps its nominations due (their
    data_version moved past the version read here)."""
    take_refresh(campaign_id)
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    return evaluate_due(campaign)


def evaluate_due(campaign: Campaign, *, only_if_due: bool = False) -> int:
    """Evaluate the whole campaign if it is due as a whole, else the due nominations with those compared
    with them; the number evaluated. Stamps the campaign's evaluated_at (what pages show) unless
    `only_if_due` and nothing was due."""
    started = timezone.now()
    campaign.refresh_from_db(fields=["whole_version", "whole_evaluated_version", "evaluated_at"])
    if campaign.whole_version > campaign.whole_evaluated_version:
        return evaluate_campaign(campaign)
    scope = due_scope(campaign)
    count = 0
    if scope.affected:
        rows = Nomination.objects.filter(pk__in=scope.affected + scope.context)
        count = _evaluate(campaign, rows, started, store=set(scope.affected))
    if count or not only_if_due:
        _stamp(campaign, started)
    return count


@dataclass(frozen=True)
class Scope:
    """What a refresh evaluates: the ids whose results may have changed (stored) and those only read
    beside them, so that each of the former sees every nomination its batch rules compare it with."""

    affected: list[int]
    context: list[int]


def due_scope(campaign: Campaign) -> Scope:
    """The nominations whose results a change may have moved, and their context.

    A due nomination's change reaches, through the batch rules, the nominations of its groups: (reporting
    unit, category) for ranks and G.7, (recommending unit, category) for G.6, and the person for G.2/G.3
    (the person_key its last results used and the one its 学号 has in the current snapshot). The batch
    rules read facts, not results; only a rank reads other results — the statuses within its (reporting
    unit, category) — so the ranks of the groups those nominations sit in may move too, and nothing beyond:
    affected = the due nominations' groups, with the (reporting unit, category) groups of their members.
    The context adds every group of an affected nomination, evaluated beside them and not stored (its own
    results would need its own groups whole). Both empty when nothing is due."""
    rows = list(
        Nomination.objects.filter(campaign=campaign).values_list(
            "pk", "reporting_unit_id", "recommending_org_id", "category_id", "evaluated_person",
            "nominee_account", "data_version", "evaluated_version",
        )
    )  # fmt: skip
    due = [i for i, row in enumerate(rows) if row[6] > row[7]]
    if not due:
        return Scope([], [])
    accounts = {rows[i][5] for i in due if rows[i][5]}
    snapshot = current_snapshot(campaign)
    persons: dict[str, str] = {}
    if snapshot is not None and accounts:
        persons = dict(
            Learner.objects.filter(snapshot=snapshot, account_id__in=accounts).values_list(
                "account_id", "person_key"
            )
        )
    keys_of: list[list[tuple[Any, ...]]] = []
    members: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for i, (_pk, reporting, recommending, category, person, account, *_versions) in enumerate(rows):
        keys: list[tuple[Any, ...]] = [
            ("reporting", reporting, category),  # first: the group whose ranks read statuses
            ("recommending", recommending, category),
        ]
        keys += [("person", p) for p in {person, persons.get(account, "")} if p]
        keys_of.append(keys)
        for key in keys:
            members[key].append(i)

    def groups(indices: set[int], *, ranks_only: bool = False) -> set[int]:
        found = set(indices)
        for i in indices:
            for key in keys_of[i][:1] if ranks_only else keys_of[i]:
                found.update(members[key])
        return found

    affected = groups(groups(set(due)), ranks_only=True)
    context = groups(affected) - affected
    return Scope(sorted(rows[i][0] for i in affected), sorted(rows[i][0] for i in context))


def live_outcomes(
    campaign: Campaign, nominations: list[Nomination], now: datetime
) -> dict[int, dict[str, str]]:
    """G.7 and G.8, which only the running campaign can decide.

    G.7: pass while the reporting unit's submitted list in the category is within its quota (submission
    enforces it; a quota lowered afterwards makes it fail). G.8: pass once submitted (the transition
    checked the window then) or while the 申报推荐 window is open; fail for a draft after it closed.
    """
    seats = {(q.reporting_unit_id, q.category_id): q.seats for q in Quota.objects.filter(campaign=campaign)}
    used = {
        (row["reporting_unit_id"], row["category_id"]): row["n"]
        for row in Nomination.objects.filter(campaign=campaign, state__in=ON_SUBMITTED_LIST)
        .values("reporting_unit_id", "category_id")
        .annotate(n=Count("id"))
    }
    apply = campaign.phases.filter(key="apply").first()
    apply_open = apply is not None and (apply.ends_at is None or now < apply.ends_at)
    outcomes: dict[int, dict[str, str]] = {}
    for n in nominations:
        key = (n.reporting_unit_id, n.category_id)
        quota_ok = used.get(key, 0) <= seats.get(key, 0)
        in_time = n.submitted_at is not None or apply_open
        outcomes[n.pk] = {"G.7": "pass" if quota_ok else "fail", "G.8": "pass" if in_time else "fail"}
    return outcomes


def _stored(result: el.Result) -> dict[str, Any]:
    # A reason only where the engine gives one, as in results stored before reasons existed.
    return {
        rule_id: {
            "outcome": r.outcome.value,
            "values": {k: el.engine.displayable(v) for k, v in r.values.items()},
            "reviewed": r.reviewed,
        }
        | ({"reason": r.reason} if r.reason else {})
        for rule_id, r in result.rules.items()
    }


def evaluate_nominations(
    campaign: Campaign,
    nominations: list[Nomination],
    *,
    external: Mapping[int, Mapping[str, str]] | None = None,
) -> list[el.Result]:
    """Results for `nominations` (pass the whole campaign: batch rules and ranks need it), in order."""
    compiled = compiled_rules(campaign)
    facts = build_facts(
        nominations, compiled=compiled, snapshot=current_snapshot(campaign), external=external
    )
    return el.evaluate(compiled, facts)


def evaluate_campaign(campaign: Campaign) -> int:
    """Evaluate every nomination of the campaign against its rules and store the results.

    Side effects: updates the results of every nomination (in short transactions, see _store), the
    campaign's evaluated_at and whole_evaluated_version (the version read before the data, so that a
    whole change committed meanwhile stays due); queues another refresh when another writer kept some
    rows locked throughout. Returns the number of nominations evaluated.
    """
    started = timezone.now()
    whole = Campaign.objects.filter(pk=campaign.pk).values_list("whole_version", flat=True).get()
    count = _evaluate(campaign, Nomination.objects.filter(campaign=campaign), started)
    Campaign.objects.filter(pk=campaign.pk, whole_evaluated_version__lt=whole).update(
        whole_evaluated_version=whole
    )
    _stamp(campaign, started)
    return count


def _stamp(campaign: Campaign, started: datetime) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(evaluated_at=started)
    campaign.evaluated_at = started


def _evaluate(
    campaign: Campaign, rows: QuerySet[Nomination], started: datetime, *, store: set[int] | None = None
) -> int:
    """Evaluate `rows` (the whole campaign, or a due_scope's affected and context) and store the results
    of those in `store` (all when None), each with the data_version it was computed from; how many."""
    nominations = list(rows.select_related("category", "recommending_org", "reporting_unit"))
    compiled = compiled_rules(campaign)
    facts = build_facts(
        nominations,
        compiled=compiled,
        snapshot=current_snapshot(campaign),
        external=live_outcomes(campaign, nominations, started),
    )
    results = el.evaluate(compiled, facts)
    stored = []
    for nomination, fact, result in zip(nominations, facts, results, strict=True):
        if store is not None and nomination.pk not in store:
            continue
        nomination.status = result.status.value
        nomination.rank = result.rank
        nomination.rule_results = _stored(result)
        nomination.evaluated_at = started
        nomination.evaluated_version = nomination.data_version
        nomination.evaluated_person = fact.person_key or ""
        stored.append(nomination)
    if _store(stored):
        mark_stale(campaign, whole=False)  # rows another writer held stay due, for the next refresh
    return len(stored)


# Results are written this many nominations to a transaction; rows another transaction holds are tried again
# LOCKED_RETRIES times, LOCKED_WAIT seconds apart (a transition holds its row for milliseconds).
WRITE_BATCH = 500
LOCKED_RETRIES = 5
LOCKED_WAIT = 0.2


def _store(nominations: list[Nomination]) -> int:
    """Write the nominations' results, a batch to a short transaction of its own, skipping the rows another
    transaction holds (a transition, a list being submitted) and trying them again a little later; the
    number still held at the end.

    Never waiting for a held row while holding others is what keeps the refresh from deadlocking with a
    list submission that locks its nominations one by one on deadline day (on SQLite, where writers queue
    for the one database lock, select_for_update does nothing and each batch simply waits its turn)."""
    pending = nominations
    for attempt in range(LOCKED_RETRIES + 1):
        if attempt:
            time.sleep(LOCKED_WAIT)
        held = []
        for start in range(0, len(pending), WRITE_BATCH):
            batch = pending[start : start + WRITE_BATCH]
            with transaction.atomic():
                free = set(
                    Nomination.objects.select_for_update(skip_locked=True)
                    .filter(pk__in=[n.pk for n in batch])
                    .values_list("pk", flat=True)
                )
                Nomination.objects.bulk_update([n for n in batch if n.pk in free], RESULT_FIELDS)
            held += [n for n in batch if n.pk not in free]
        pending = held
        if not pending:
            break
    return len(pending)


def rule_table(nomination: Nomination) -> list[dict[str, Any]]:
    """Rows for the rule table of one nomination: id, the plan's wording, how it is decided, the values
    that decided it (with the reason in words, if any), the outcome, and the reviewer's decision if one
    was recorded."""
    compiled = compiled_rules(nomination.campaign)
    stored: Mapping[str, Any] = nomination.rule_results or {}
    decisions = {d.rule_id: d for d in nomination.decisions.select_related("decided_by")}
    rows = []
    for rule in compiled.category(nomination.category.name).rules:
        if rule.id not in stored:
            continue
        entry = stored[rule.id]
        rows.append(
            {
                "id": rule.id,
                "wording": rule.wording,
                "decided_by": rule.decided_by or rule.informational or "",
                "confirms": rule.confirms,
                # 7.3: the score's comment and who gave it (a volunteer-group manager, or an import).
                "score": _score_note(nomination) if "judges_score" in rule.reads else None,
                "outcome": entry["outcome"],
                "values": entry["values"],
                "reason": entry.get("reason", ""),
                "reviewed": entry["reviewed"],
                "decision": decisions.get(rule.id),
                "awaits_decision": entry["outcome"] == "manual",
            }
        )
    return rows


def _score_note(nomination: Nomination) -> dict[str, Any] | None:
    if nomination.judges_score is None:
        return None
    return {
        "score": nomination.judges_score,
        "comment": nomination.judges_comment,
        "by": nomination.judges_scored_by,
        "at": nomination.judges_scored_at,
    }

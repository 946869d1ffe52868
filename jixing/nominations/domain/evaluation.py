"""Evaluating a campaign's nominations and keeping the results on each nomination.

Results (status, rank, every rule's outcome with the values that decided it) are stored on the
nomination. Anything the rules read — a nomination, a decision, an attachment, the snapshot, the org
tree, the roles — marks the campaign stale (`mark_stale`), which queues a background task
(nominations.tasks.refresh_results → `refresh`) that re-evaluates the whole campaign once. The whole
campaign, because G.2/G.3/G.6 and the ranks depend on other nominations: a partial recomputation would
be wrong. Pages only read the stored results (and say when a refresh is due: staleness.freshness); the
domain actions that decide on results — picking and submitting a list, choosing and publishing the
公示 — call `ensure_fresh` first, so that they never act on results older than the data.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from jixing import eligibility as el
from jixing.campaigns.domain.rules import compiled_rules
from jixing.campaigns.domain.staleness import is_stale, mark_stale, take_refresh
from jixing.campaigns.models import Campaign, Quota
from jixing.nominations.domain.facts import build_facts
from jixing.nominations.domain.transitions import ON_SUBMITTED_LIST
from jixing.nominations.models import Nomination
from jixing.people.domain.queries import current_snapshot

RESULT_FIELDS = ["status", "rank", "rule_results", "evaluated_at"]


def ensure_fresh(campaign: Campaign) -> bool:
    """Re-evaluate the campaign if anything changed since its last evaluation; True when it did."""
    campaign.refresh_from_db(fields=["data_changed_at", "evaluated_at"])
    if not is_stale(campaign):
        return False
    evaluate_campaign(campaign)
    return True


def refresh(campaign_id: int) -> int:
    """The background refresh a change queued: re-evaluate the whole campaign; the number of
    nominations evaluated (0 when the campaign is gone).

    It evaluates even when the timestamps say fresh: a change stamps the campaign when it is written and
    becomes visible when it commits, so a refresh that started in between did not see it although it
    started later — the refresh that change queued is the one that does. Changes written from now on
    queue the next refresh (take_refresh), so none is missed and at most one waits at a time."""
    take_refresh(campaign_id)
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    return evaluate_campaign(campaign)


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
    facts = build_facts(nominations, compiled=compiled, snapshot=current_snapshot(), external=external)
    return el.evaluate(compiled, facts)


def evaluate_campaign(campaign: Campaign) -> int:
    """Evaluate every nomination of the campaign against its rules and store the results.

    Side effects: updates status/rank/rule_results/evaluated_at of every nomination (in short transactions,
    see _store) and the campaign's evaluated_at; marks the campaign stale again when another writer kept
    some rows locked throughout. Returns the number of nominations evaluated.
    """
    started = timezone.now()
    nominations = list(
        Nomination.objects.filter(campaign=campaign).select_related(
            "category", "recommending_org", "reporting_unit"
        )
    )
    results = evaluate_nominations(
        campaign, nominations, external=live_outcomes(campaign, nominations, started)
    )
    for nomination, result in zip(nominations, results, strict=True):
        nomination.status = result.status.value
        nomination.rank = result.rank
        nomination.rule_results = _stored(result)
        nomination.evaluated_at = started
    locked = _store(nominations)
    Campaign.objects.filter(pk=campaign.pk).update(evaluated_at=started)
    campaign.evaluated_at = started
    if locked:
        mark_stale(campaign)  # rows another writer held keep their old results until the next refresh
    return len(nominations)


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
                "outcome": entry["outcome"],
                "values": entry["values"],
                "reason": entry.get("reason", ""),
                "reviewed": entry["reviewed"],
                "decision": decisions.get(rule.id),
                "awaits_decision": entry["outcome"] == "manual",
            }
        )
    return rows

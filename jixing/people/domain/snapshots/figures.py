"""A snapshot's derived figures, recomputed in the database by SQL: each learner's unit, the two ranks in
unit (window functions, competition ranking) and the learners per unit.

The importer derives them while loading (loading._derive, the same definitions in DuckDB) so that 8
million rows are written once; this module recomputes them where the rows already are — after the org
tree changed (orgs.domain.imports) or rows were written one by one (the demo, tests).
tests/people/domain/test_snapshot_figures.py checks that both give the same figures.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Count

from jixing.orgs.models import Org
from jixing.people.models import Learner, Snapshot, SnapshotUnit

# A category's `rank_in_unit` fields (campaign definition) → the stored rank that answers it.
STORED_RANKS = {
    ("total_points", "annual_points"): "rank_by_total",
    ("annual_points", "total_points"): "rank_by_annual",
}


def refresh_figures(snapshot: Snapshot) -> None:
    """Recompute `snapshot`'s learners' unit and ranks in unit, and its learners per unit.

    Side effects, in one transaction: people_learner rows of the snapshot updated, its SnapshotUnit
    rows replaced.
    """
    learner = connection.ops.quote_name(Learner._meta.db_table)
    org = connection.ops.quote_name(Org._meta.db_table)
    rank = "CASE WHEN unit_id IS NULL THEN NULL ELSE rank() OVER (PARTITION BY unit_id ORDER BY {}) END"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {learner} SET unit_id = (SELECT o.unit_id FROM {org} AS o WHERE o.id = {learner}.org_id)
                WHERE snapshot_id = %s""",
            [snapshot.pk],
        )
        cursor.execute(
            f"""UPDATE {learner} SET rank_by_total = r.by_total, rank_by_annual = r.by_annual
                FROM (SELECT id AS rid,
                             {rank.format("total_points DESC, annual_points DESC")} AS by_total,
                             {rank.format("annual_points DESC, total_points DESC")} AS by_annual
                      FROM {learner} WHERE snapshot_id = %s) AS r
                WHERE {learner}.id = r.rid AND {learner}.snapshot_id = %s""",
            [snapshot.pk, snapshot.pk],
        )
        SnapshotUnit.objects.filter(snapshot=snapshot).delete()
        SnapshotUnit.objects.bulk_create(
            [
                SnapshotUnit(snapshot=snapshot, unit_id=unit, learners=count)
                for unit, count in _counts(snapshot)
            ]
        )


def _counts(snapshot: Snapshot) -> list[tuple[int, int]]:
    return list(
        Learner.objects.filter(snapshot=snapshot, unit__isnull=False)
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )


def refresh_current_snapshot(tree_id: int | None = None) -> None:
    """After an org tree changed: its current snapshot's figures follow the new tree (the rules read only
    the current one; an older snapshot keeps the figures of the tree it was imported under)."""
    snapshot = Snapshot.objects.filter(is_current=True, tree_id=tree_id).first()
    if snapshot is not None:
        refresh_figures(snapshot)

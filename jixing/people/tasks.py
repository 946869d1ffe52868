"""Background tasks of the people app (django-tasks; run by `jixing db_worker`)."""

from __future__ import annotations

from django_tasks import task

from jixing.people.domain.snapshots.search import build_search_indexes
from jixing.people.models import Snapshot


@task()
def search_indexes(snapshot_id: int) -> list[str]:
    """Build the search indexes of a snapshot that became current (people.domain.snapshots.search); the
    names of those built, none when the snapshot is gone."""
    snapshot = Snapshot.objects.filter(pk=snapshot_id).first()
    return build_search_indexes(snapshot) if snapshot is not None else []


def queue_search_indexes(snapshot_id: int) -> None:
    search_indexes.enqueue(snapshot_id)

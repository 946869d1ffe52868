"""Background tasks of the nominations (django-tasks; run by `jixing db_worker`)."""

from __future__ import annotations

from django_tasks import task

from jixing.nominations.domain.evaluation import refresh
from jixing.nominations.domain.packages import run_package


@task()
def refresh_results(campaign_id: int) -> int:
    """Evaluate a campaign whose results are stale (nominations.domain.evaluation.refresh); returns the
    number of nominations evaluated, 0 when they were fresh already."""
    return refresh(campaign_id)


def queue_refresh(campaign_id: int) -> None:
    refresh_results.enqueue(campaign_id)


@task()
def build_evidence_package(package_id: int) -> str:
    """Build one evidence package (nominations.domain.packages.run_package); returns the state it ended in."""
    return run_package(package_id)

"""What the 数据导入 page lists. Imports are the province's business: only province admins reach these
pages (review.views.imports), and they see every job."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from jixing.imports.enums import ACTIVE_STATES, STALE_AFTER, JobState
from jixing.imports.models import ImportJob

RECENT = 10


def active(jobs: QuerySet[ImportJob]) -> QuerySet[ImportJob]:
    """Those queued or running now: a 进行中 silent past STALE_AFTER has lost its worker and is not."""
    return jobs.filter(state__in=ACTIVE_STATES).exclude(
        state=JobState.RUNNING, updated_at__lt=timezone.now() - STALE_AFTER
    )


def active_jobs() -> list[ImportJob]:
    """Every kind's job queued or running now, oldest first."""
    return list(active(ImportJob.objects.select_related("actor")).order_by("created_at", "pk"))


def recent_jobs(limit: int = RECENT) -> QuerySet[ImportJob]:
    return ImportJob.objects.select_related("actor").order_by("-created_at", "-pk")[:limit]

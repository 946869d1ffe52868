"""Background tasks of the imports (django-tasks; run by `jixing db_worker`)."""

from __future__ import annotations

from django_tasks import task

from jixing.imports.domain.jobs import run_job


@task()
def run_import_job(job_id: int) -> str:
    """Run one ImportJob (jixing.imports.domain.jobs.run_job); returns the state it ended in."""
    return run_job(job_id)

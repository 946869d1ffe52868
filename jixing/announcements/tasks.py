"""Background tasks of the announcements (django-tasks; run by `jixing db_worker`)."""

from __future__ import annotations

from django_tasks import task

from jixing.announcements.domain.certificate_batches import run_batch


@task()
def generate_certificates(batch_id: int) -> str:
    """Make one CertificateBatch's zip (announcements.domain.certificate_batches.run_batch); returns the
    state it ended in."""
    return run_batch(batch_id)

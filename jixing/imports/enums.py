from datetime import timedelta

from django.db import models


class ImportKind(models.TextChoices):
    """What a file holds; the values are the import templates' slugs (jixing/tables/templates.py)."""

    ORGS = "orgs", "组织架构"
    LEARNERS = "learners", "积分快照"
    ROLES = "roles", "角色"


class JobState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    REFUSED = "refused", "已拒绝"  # the file had errors: nothing of it was stored
    FAILED = "failed", "失败"  # the import stopped on something other than the file (a bug, a busy importer)
    INTERRUPTED = "interrupted", "中断"  # its worker died; written when a new job of the kind starts


ACTIVE_STATES = (JobState.QUEUED, JobState.RUNNING)
FINISHED_STATES = frozenset({JobState.DONE, JobState.REFUSED, JobState.FAILED, JobState.INTERRUPTED})

# A running job writes its progress at least at every phase change and every ~250,000 rows, which is
# seconds apart even on an 8-million-row snapshot. One silent for this long has lost its worker (killed,
# machine restarted): it is shown as 中断 and no longer keeps the next import of its kind waiting.
STALE_AFTER = timedelta(minutes=5)

"""The nominee as the data knows it: the snapshot row of a person, or the nominated unit."""

from __future__ import annotations

from jixing.nominations.models import Nomination
from jixing.people.domain.queries import current_snapshot
from jixing.people.models import Learner


def nominee_learner(nomination: Nomination) -> Learner | None:
    """The nominee's row in the current snapshot (with org and unit); None for units or when absent."""
    if not nomination.nominee_account:
        return None
    snapshot = current_snapshot(nomination.campaign)
    if snapshot is None:
        return None
    return (
        Learner.objects.filter(snapshot=snapshot, account_id=nomination.nominee_account)
        .select_related("org", "org__unit")
        .first()
    )

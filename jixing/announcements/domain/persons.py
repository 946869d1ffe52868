"""One person across nominations (G.3 one award per person), read from the current snapshot."""

from __future__ import annotations

from collections.abc import Iterable

from jixing.nominations.models import Nomination
from jixing.people.domain.queries import snapshot_of
from jixing.people.models import Learner


def person_keys(nominations: Iterable[Nomination]) -> dict[int, str]:
    """Nomination id → the nominee's person key (the snapshot's keyed hash of ID number, or of name and
    phone); a nominee absent from the snapshot is known by his account alone. Unit nominations have
    no entry. Two queries at most, whatever the number of nominations."""
    rows = [n for n in nominations if n.nominee_account]
    if not rows:
        return {}
    snapshot = snapshot_of(rows)
    keys: dict[str, str] = {}
    if snapshot is not None:
        keys = dict(
            Learner.objects.filter(
                snapshot=snapshot, account_id__in={n.nominee_account for n in rows}
            ).values_list("account_id", "person_key")
        )
    return {n.pk: keys.get(n.nominee_account) or f"account:{n.nominee_account}" for n in rows}

"""Scoped lists of learners and roles."""

from __future__ import annotations

import re

from django.db.models import QuerySet

from jixing.orgs.domain.queries import scope_root, subtree_q
from jixing.people.models import Learner, Role, Snapshot


def current_snapshot() -> Snapshot | None:
    return Snapshot.objects.filter(is_current=True).first()


def learners_visible_to(user, *, snapshot: Snapshot | None = None) -> QuerySet[Learner]:
    """Learners of the current snapshot in the user's subtree; a learner sees his own row only."""
    snapshot = snapshot or current_snapshot()
    if snapshot is None or not getattr(user, "is_authenticated", False):
        return Learner.objects.none()
    rows = Learner.objects.filter(snapshot=snapshot)
    root = scope_root(user)
    if root is not None:
        return rows.filter(subtree_q(root, "org__"))
    if user.account_id:
        return rows.filter(account_id=user.account_id)
    return Learner.objects.none()


# What a 学号 looks like (digits, letters, a hyphen or underscore); a name has at least one other character.
ACCOUNT_SHAPE = re.compile(r"[0-9A-Za-z_-]+")


def matching_learners(rows: QuerySet[Learner], text: str) -> QuerySet[Learner]:
    """`rows` narrowed to a search box's text: a 学号 when it has a 学号's shape — one lookup in the (学号,
    snapshot) index, where `name contains … OR 学号 = …` read every row of the scope (2.5 s on 8 million,
    benchmarks/pages.py) — else names containing it."""
    if ACCOUNT_SHAPE.fullmatch(text):
        return rows.filter(account_id=text)
    return rows.filter(name__contains=text)


def roles_visible_to(user) -> QuerySet[Role]:
    root = scope_root(user)
    if root is not None:
        return Role.objects.filter(subtree_q(root, "org__"))
    if getattr(user, "is_authenticated", False) and user.account_id:
        return Role.objects.filter(account_id=user.account_id)
    return Role.objects.none()

"""Scoped lists of learners and roles."""

from __future__ import annotations

import re
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from jixing.orgs.domain.queries import scope_root, subtree_ids, subtree_q
from jixing.orgs.domain.trees import tree_id_of
from jixing.people.masking import mask_phone
from jixing.people.models import Learner, Role, Snapshot
from jixing.tables import CellProblem
from jixing.tables.checks import check_mobile

# A subtree of at most this many orgs (a unit's, a city's) is named by its org ids; the province's whole
# tree (about 10,000 orgs) keeps the join to orgs.
SUBTREE_IDS_MAX = 3000


def current_snapshot(campaign: Any = None) -> Snapshot | None:
    """The current snapshot of the org tree `campaign` decides from (default: the running campaign's)."""
    return Snapshot.objects.filter(is_current=True, tree_id=tree_id_of(campaign)).first()


def snapshot_of(nominations: Any) -> Snapshot | None:
    """The current snapshot of the campaign that `nominations` (one campaign's, any iterable) belong to."""
    first = next(iter(nominations), None)
    return current_snapshot(first.campaign) if first is not None else None


def learners_visible_to(user, *, snapshot: Snapshot | None = None) -> QuerySet[Learner]:
    """Learners of the current snapshot in the user's subtree; a learner sees his own row only."""
    return searchable_learners(user, snapshot=snapshot)[0]


def searchable_learners(user, *, snapshot: Snapshot | None = None) -> tuple[QuerySet[Learner], bool]:
    """learners_visible_to's rows, and whether a name search in them matches names from their start: in a
    scope too large to name by org ids (the province's), where only the index on names (snapshots.search)
    can answer among millions and a name contained anywhere would read every row; elsewhere anywhere in
    the name. One look at the subtree serves both."""
    snapshot = snapshot or current_snapshot()
    if snapshot is None or not getattr(user, "is_authenticated", False):
        return Learner.objects.none(), False
    rows = Learner.objects.filter(snapshot=snapshot)
    root = scope_root(user)
    if root is not None:
        # By org ids: `org_id IN (…) AND snapshot = …` is one range of the (org, snapshot) index per org,
        # where `org.path LIKE '/1/9/79/%'` through a join made SQLite read every row of the snapshot (a
        # unit admin's name search: 2.5 s on 8 million, benchmarks/pages.py).
        ids = subtree_ids(root, limit=SUBTREE_IDS_MAX)
        if ids is None:
            return rows.filter(subtree_q(root, "org__")), True
        return rows.filter(Q(org_id__in=ids)), False
    if user.account_id:
        return rows.filter(account_id=user.account_id), False
    return Learner.objects.none(), False


# What a 学号 looks like (digits, letters, a hyphen or underscore); a name has at least one other character.
ACCOUNT_SHAPE = re.compile(r"[0-9A-Za-z_-]+")


def _mobile(text: str) -> str | None:
    """The digits of a text typed as a mobile number (spaces or hyphens allowed), as the importers read
    one (tables.checks.check_mobile), else None."""
    try:
        return check_mobile(text)
    except CellProblem:
        return None


def phone_mask_of(text: str) -> str | None:
    """The masked form (`138****5678`) of a search text typed as an 11-digit mobile number, else None."""
    digits = _mobile(text)
    return None if digits is None else mask_phone(digits)


# Above every character: `name < text + NAME_END` bounds the names that start with text.
NAME_END = "\U0010ffff"


def matching_learners(rows: QuerySet[Learner], text: str, *, from_start: bool = False) -> QuerySet[Learner]:
    """`rows` narrowed to a search box's text.

    - A mobile number (11 digits, spaces or hyphens allowed): the snapshot keeps phones masked only, so
      rows whose masked phone is the number's mask (the middle four digits may differ), and a 学号 equal to
      the number;
    - else a 学号 when it has a 学号's shape: one lookup in the (学号, snapshot) index, where `name contains
      … OR 学号 = …` read every row of the scope (2.5 s on 8 million, benchmarks/pages.py);
    - else names containing it, or with `from_start` (searchable_learners) names starting with it — as a
      range too on SQLite, whose LIKE cannot use the index.
    """
    if (digits := _mobile(text)) is not None:
        # The digits may be a 学号 too, as may the text as typed ("138-0013-8000" has a 学号's shape).
        accounts = {digits} | ({text} if ACCOUNT_SHAPE.fullmatch(text) else set())
        return rows.filter(Q(phone_masked=mask_phone(digits)) | Q(account_id__in=sorted(accounts)))
    if ACCOUNT_SHAPE.fullmatch(text):
        return rows.filter(account_id=text)
    if not from_start:
        return rows.filter(name__contains=text)
    rows = rows.filter(name__startswith=text)
    return rows.filter(name__gte=text, name__lt=text + NAME_END) if connection.vendor == "sqlite" else rows


def roles_visible_to(user) -> QuerySet[Role]:
    root = scope_root(user)
    if root is not None:
        return Role.objects.filter(subtree_q(root, "org__"))
    if getattr(user, "is_authenticated", False) and user.account_id:
        return Role.objects.filter(account_id=user.account_id, org__tree_id=tree_id_of(None))
    return Role.objects.none()

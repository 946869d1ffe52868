"""A year's org tree written back as a 组织架构 file, in the template's own columns: the starting point of
next year's file (edit what changed, then `jixing load-campaign … --orgs`), and a record of the tree a
campaign decided from."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jixing.orgs.models import Org
from jixing.tables import ORGS_TEMPLATE

# The columns that are fields of Org under the same key; 上级组织编码 is the parent's code.
_FIELDS = tuple(column.key for column in ORGS_TEMPLATE.columns if column.key != "parent_code")


def org_rows(tree_id: int | None) -> Iterator[dict[str, Any]]:
    """The orgs of one tree (None: the first) as template rows, parents before children (tree order), so
    that the file imports back into an empty tree as it is. Two queries."""
    orgs = Org.objects.filter(tree_id=tree_id)
    codes = dict(orgs.values_list("pk", "code"))
    for org in orgs.order_by("path", "pk").iterator(chunk_size=2000):
        row = {key: getattr(org, key) for key in _FIELDS}
        row["parent_code"] = codes.get(org.parent_id, "") if org.parent_id else ""
        yield row

"""Which org tree a campaign decides from (issue 13, year over year).

Each year's campaign may own an org tree (Campaign.org_tree): its orgs, the snapshots imported into it and
the roles held at its orgs. The tree the platform started with has no OrgTree row: its orgs, snapshots and
campaigns carry tree None, so a single-year platform never sees any of this. Every query of orgs, snapshots
or roles that is not reached through a nomination's own org names the tree it reads.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jixing.orgs.models import Org


def running_tree_id() -> int | None:
    """The tree of the campaign the pages show (campaigns.domain.queries.current_campaign): the one web
    imports write into and the accounts work in."""
    from jixing.campaigns.domain.queries import current_campaign  # campaigns reads orgs: import late

    campaign = current_campaign()
    return campaign.org_tree_id if campaign is not None else None


def tree_id_of(campaign: Any = None) -> int | None:
    """The tree `campaign` decides from; without a campaign, the running one's."""
    return campaign.org_tree_id if campaign is not None else running_tree_id()


def orgs_in(tree_id: int | None) -> QuerySet[Org]:
    """The orgs of one tree (None: the first tree)."""
    return Org.objects.filter(tree_id=tree_id)

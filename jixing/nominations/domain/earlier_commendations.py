"""A nominee's commendations (已表扬) in earlier campaigns, shown to reviewers on the nomination page.

Each campaign decides from its own snapshot, and a person may have changed 学号 between years: a person is
found again by the keyed hash of the ID number (Learner.person_key) of each campaign's own snapshot, never
by a number in clear (the snapshots keep none). A unit is found again by its 组织编码, which names the same
unit in each year's org tree.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from jixing.campaigns.enums import CategoryKind
from jixing.campaigns.models import Campaign
from jixing.nominations.domain.decisions import REVIEWERS
from jixing.nominations.domain.transitions import acts_as
from jixing.nominations.enums import NominationState
from jixing.nominations.models import Nomination
from jixing.orgs.models import Org
from jixing.people.domain.queries import current_snapshot
from jixing.people.models import Learner


@dataclass(frozen=True)
class EarlierCommendation:
    campaign_name: str
    campaign_year: int
    category_name: str
    number: str
    # The nominee's name and unit as that campaign recorded them (a unit may have been renamed since).
    name: str
    unit_name: str


def can_see_earlier_commendations(user, nomination: Nomination) -> bool:
    """The nomination's reviewers (its 报送单位's reviewers and the province) weigh earlier commendations;
    the recommending unit and the nominee have no need of them."""
    return bool(acts_as(user, nomination) & REVIEWERS)


def earlier_commendations(nomination: Nomination) -> list[EarlierCommendation]:
    """The nominee's commendations in campaigns of earlier years, newest first. Reads only: a few
    queries per earlier campaign, none per row."""
    earlier = Campaign.objects.filter(year__lt=nomination.campaign.year).exclude(pk=nomination.campaign_id)
    if nomination.category.kind == CategoryKind.PERSON:
        rows = _person_commendations(nomination, list(earlier))
    else:
        rows = _unit_commendations(nomination, earlier)
    rows.sort(
        key=lambda n: (-n.campaign.year, -n.campaign.created_at.timestamp(), n.category.number, n.number)
    )
    return [
        EarlierCommendation(
            campaign_name=n.campaign.name,
            campaign_year=n.campaign.year,
            category_name=n.category.name,
            number=n.number,
            name=n.nominee_name,
            unit_name=_unit_of(n).name,
        )
        for n in rows
    ]


def _unit_of(nomination: Nomination) -> Org:
    # The nominated unit for unit categories; for a person, the unit that recommended him.
    if nomination.category.kind == CategoryKind.UNIT and nomination.nominee_org is not None:
        return nomination.nominee_org
    return nomination.recommending_org


def _commended(campaign_q: Q, kind: str) -> QuerySet[Nomination]:
    return Nomination.objects.filter(
        campaign_q, state=NominationState.COMMENDED, category__kind=kind
    ).select_related("campaign", "category", "recommending_org", "nominee_org")


def _person_commendations(nomination: Nomination, campaigns: list[Campaign]) -> list[Nomination]:
    account = nomination.nominee_account
    if not account or not campaigns:
        return []
    snapshot = current_snapshot(nomination.campaign)
    key = (
        Learner.objects.filter(snapshot=snapshot, account_id=account)
        .values_list("person_key", flat=True)
        .first()
        if snapshot is not None
        else None
    )
    found: list[Nomination] = []
    for campaign in campaigns:
        candidates = list(_commended(Q(campaign=campaign), CategoryKind.PERSON))
        if not candidates:
            continue
        keys: dict[str, str] = {}
        earlier_snapshot = current_snapshot(campaign)
        if key and earlier_snapshot is not None:
            keys = dict(
                Learner.objects.filter(
                    snapshot=earlier_snapshot, account_id__in={n.nominee_account for n in candidates}
                ).values_list("account_id", "person_key")
            )
        # One 学号 is one person, even when that year's snapshot no longer has the row.
        found += [
            n
            for n in candidates
            if n.nominee_account == account or (key and keys.get(n.nominee_account) == key)
        ]
    return found


def _unit_commendations(nomination: Nomination, campaigns: QuerySet[Campaign]) -> list[Nomination]:
    code = _unit_of(nomination).code
    # A unit nomination without nominee_org is its recommending org's own (the unit fills its own form).
    same_unit = Q(nominee_org__code=code) | Q(nominee_org__isnull=True, recommending_org__code=code)
    return list(_commended(Q(campaign__in=campaigns), CategoryKind.UNIT).filter(same_unit))

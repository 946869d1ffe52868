"""Every move of the state table through the page that offers it one nomination at a time
(/nominations/<id>/act/): the owner's move goes through; every other role gets 403, another subtree 404.

Moves made elsewhere have their own page tests: sending the form up (SUBMIT/APPLY) through the form,
RECOMMEND with the reporting unit's sealed list, PUBLISH/APPROVE for the province's whole list.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from jixing.accounts.enums import UserRole
from jixing.nominations.domain.access import LIST_ACTIONS, SEND_ACTIONS
from jixing.nominations.domain.states import MOVES, Party
from jixing.nominations.enums import NominationState as S
from jixing.nominations.models import Nomination
from tests.factories import make_campaign, make_nomination, make_small_province, make_user

pytestmark = pytest.mark.django_db

PAGE_MOVES = [m for m in MOVES if m.action not in SEND_ACTIONS and m.action not in LIST_ACTIONS]


@pytest.fixture
def world():
    tree = make_small_province()
    campaign = make_campaign()
    users = {
        Party.PROVINCE: make_user(username="p", role=UserRole.PROVINCE_ADMIN, org=tree["province"]),
        Party.REPORTING_UNIT: make_user(username="ty", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"]),
        Party.RECOMMENDER: make_user(username="s", role=UserRole.UNIT_ADMIN, org=tree["school"]),
        Party.NOMINEE: make_user(username="l", role=UserRole.LEARNER, org=tree["dept"], account_id="A1"),
        "other": make_user(username="dt", role=UserRole.REPORTING_REVIEWER, org=tree["datong"]),
    }
    return tree, campaign, users


def _open_phase(campaign, key):
    """Move the windows so that now lies inside phase `key` (time passing, not a user's act)."""
    from django.utils import timezone

    phase = campaign.phases.get(key=key)
    shift = timezone.now() - (phase.starts_at + timedelta(hours=1))
    for p in campaign.phases.all():
        p.starts_at += shift
        p.ends_at = p.ends_at + shift if p.ends_at else None
        p.save()


@pytest.mark.parametrize("move", PAGE_MOVES, ids=lambda m: f"{m.action}:{m.source}")
def test_move_on_the_nomination_page_goes_through_for_its_owner_only(client, world, move):
    tree, campaign, users = world
    _open_phase(campaign, sorted(move.phases)[0])
    nomination = make_nomination(campaign=campaign, recommending_org=tree["school"], state=move.source,
                                 nominee_account="A1")  # fmt: skip
    url = reverse("portal:nomination_act", args=[nomination.pk])
    body = {"action": move.action, "reason": "核查意见"}
    for party, user in users.items():
        if party in move.parties:
            continue
        client.force_login(user)
        # Another unit's nomination does not exist for it; nor does one not yet sent up (a draft, a
        # learner's 待单位确认 application) for the reviewers above the unit.
        unsent = move.source in (S.DRAFT, S.AWAITING_UNIT) and party in (Party.REPORTING_UNIT, Party.PROVINCE)
        expected = 404 if party == "other" or unsent else 403
        response = client.post(url, body)
        assert (party, response.status_code) == (party, expected)
        assert Nomination.objects.get(pk=nomination.pk).state == move.source
    owner = users[sorted(move.parties)[0]]
    client.force_login(owner)
    response = client.post(url, body)
    assert response.status_code == 302
    assert Nomination.objects.get(pk=nomination.pk).state == move.target


def test_recommend_is_refused_one_nomination_at_a_time(client, world):
    tree, campaign, users = world
    _open_phase(campaign, "screen")
    nomination = make_nomination(campaign=campaign, recommending_org=tree["school"], state="submitted")
    client.force_login(users[Party.REPORTING_UNIT])
    client.post(reverse("portal:nomination_act", args=[nomination.pk]), {"action": "recommend"})
    assert Nomination.objects.get(pk=nomination.pk).state == "submitted"

"""Each list view runs a fixed number of queries whether it shows 1 row or 3."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixing.accounts.enums import UserRole
from jixing.orgs.enums import OrgLevel
from tests.factories import (
    make_campaign,
    make_learner,
    make_nomination,
    make_org,
    make_role,
    make_snapshot,
    make_user,
)

pytestmark = pytest.mark.django_db


class World:
    def __init__(self):
        province = make_org(name="省", level=OrgLevel.PROVINCE, code="P")
        self.city = make_org(
            name="市", level=OrgLevel.REPORTING_UNIT, parent=province, code="C", is_station=True
        )
        self.snapshot = make_snapshot()
        self.campaign = make_campaign()
        self.admin = make_user(username="p", role=UserRole.PROVINCE_ADMIN, org=province)
        self.rows = 0

    def add_rows(self, count: int) -> None:
        for i in range(self.rows, self.rows + count):
            unit = make_org(name=f"单位{i}", level=OrgLevel.UNIT, parent=self.city, code=f"U{i}")
            make_learner(snapshot=self.snapshot, org=unit, account_id=f"A{i}")
            make_role(account_id=f"A{i}", org=unit, kind="管理员")
            make_nomination(campaign=self.campaign, recommending_org=unit, number=f"N{i}")
        self.rows += count


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse(url)).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url", ["portal:org_list", "portal:learner_list", "portal:role_list", "portal:nomination_list"]
)
def test_list_query_count_is_the_same_for_1_and_3_rows(client, url):
    world = World()
    client.force_login(world.admin)
    world.add_rows(1)
    one = _queries(client, url)
    world.add_rows(2)
    assert _queries(client, url) == one

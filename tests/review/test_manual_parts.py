"""The parts of 4.1, 9.2 and 9.3 no data can decide, in the plan's words, on the nomination's rule table,
and a reviewer settling them there."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from jixing.accounts.enums import UserRole
from jixing.nominations.domain.evaluation import evaluate_campaign
from tests.factories import (
    make_campaign,
    make_learner,
    make_nomination,
    make_role,
    make_small_province,
    make_snapshot,
    make_user,
)

pytestmark = pytest.mark.django_db

SCOPE_41 = "由审核人确认：「省委各部委、省各委办厅局、省属高校企业本级机关供稿员，或直接向各市委宣传部通讯站供稿的专兼职供稿员」"


@pytest.fixture
def world():
    tree = make_small_province()
    snapshot = make_snapshot()
    make_learner(snapshot=snapshot, org=tree["dept"], account_id="A1", annual_points=8000)
    make_role(account_id="A1", org=tree["school"], kind="供稿员")
    campaign = make_campaign()
    sent = datetime(2023, 1, 5, tzinfo=UTC)
    contributor = make_nomination(campaign=campaign, recommending_org=tree["taiyuan"], category_number=4,
                                  nominee_account="A1", submitted_at=sent)  # fmt: skip
    organisation = make_nomination(campaign=campaign, recommending_org=tree["school"], category_number=9,
                                   nominee_org=tree["school"], nominee_name="清徐县第一中学", submitted_at=sent)  # fmt: skip
    evaluate_campaign(campaign)
    reviewer = make_user(username="ty", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"])
    return campaign, contributor, organisation, reviewer


def test_the_rule_table_shows_the_manual_parts_of_9_2_and_9_3(client, world):
    _, _, organisation, reviewer = world
    client.force_login(reviewer)
    body = client.get(reverse("portal:nomination_detail", args=[organisation.pk])).content.decode()
    assert "由审核人确认：「组织架构规范、党员干部全覆盖」" in body
    assert "由审核人确认：「有相关工作制度」" in body


def test_4_1_asks_the_reviewer_for_the_scope_and_his_decision_settles_it(client, world):
    campaign, contributor, _, reviewer = world
    contributor.refresh_from_db()
    assert contributor.rule_results["4.1"]["outcome"] == "manual"  # a contributor: the data hold
    client.force_login(reviewer)
    url = reverse("portal:nomination_detail", args=[contributor.pk])
    body = client.get(url).content.decode()
    assert SCOPE_41 in body and reverse("review:decide", args=[contributor.pk, "4.1"]) in body
    response = client.post(
        reverse("review:decide", args=[contributor.pk, "4.1"]), {"holds": "1", "comment": "本级机关供稿员"}
    )
    assert response.status_code == 302
    evaluate_campaign(campaign)
    contributor.refresh_from_db()
    assert (contributor.rule_results["4.1"]["outcome"], contributor.rule_results["4.1"]["reviewed"]) == (
        "pass",
        True,
    )
    assert "判定符合：本级机关供稿员" in client.get(url).content.decode()

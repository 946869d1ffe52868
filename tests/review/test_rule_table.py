"""The rule table on a nomination's page, for every role that may see it, and reviewers' decisions."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from jixing.accounts.enums import UserRole
from jixing.nominations.domain.evaluation import evaluate_campaign
from jixing.nominations.models import RuleDecision
from tests.factories import (
    make_evaluated_nomination,
    make_nomination,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    tree, nomination = make_evaluated_nomination()
    users = {
        "province": make_user(username="p", role=UserRole.PROVINCE_ADMIN, org=tree["province"]),
        "taiyuan": make_user(username="ty", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"]),
        "datong": make_user(username="dt", role=UserRole.REPORTING_REVIEWER, org=tree["datong"]),
        "school": make_user(username="s", role=UserRole.UNIT_ADMIN, org=tree["school"]),
        "learner": make_user(username="l", role=UserRole.LEARNER, org=tree["dept"], account_id="A1"),
    }
    return nomination, users


@pytest.mark.parametrize(
    ("user", "decides"), [("province", True), ("taiyuan", True), ("school", False), ("learner", False)]
)
def test_rule_table_is_shown_to_every_role_that_sees_the_nomination(client, world, user, decides):
    nomination, users = world
    client.force_login(users[user])
    body = client.get(reverse("portal:nomination_detail", args=[nomination.pk])).content.decode()
    assert "「所在学习组织为独立法人单位，且不少于30人」" in body  # 1.2 in the plan's words
    assert "单位·学员数：40" in body  # the value that decided it
    assert "需审核人员判断" in body  # G.1 awaits a reviewer
    assert (
        "待人工判定" not in body
        and '<details class="rule-details"><summary>详情</summary>方案条款编号：G.1</details>' in body
    )
    assert (reverse("review:decide", args=[nomination.pk, "G.1"]) in body) is decides


def test_other_subtree_gets_404_for_page_and_decision(client, world):
    nomination, users = world
    client.force_login(users["datong"])
    assert client.get(reverse("portal:nomination_detail", args=[nomination.pk])).status_code == 404
    response = client.post(reverse("review:decide", args=[nomination.pk, "G.1"]), {"holds": "1"})
    assert response.status_code == 404


def test_reviewer_records_a_decision_and_the_table_shows_it(client, world):
    nomination, users = world
    client.force_login(users["taiyuan"])
    response = client.post(
        reverse("review:decide", args=[nomination.pk, "G.1"]), {"holds": "1", "comment": "已核承诺书"}
    )
    assert response.status_code == 302
    decision = RuleDecision.objects.get()
    assert (decision.rule_id, decision.holds, decision.comment, decision.decided_by) == (
        "G.1",
        True,
        "已核承诺书",
        users["taiyuan"],
    )
    body = client.get(reverse("portal:nomination_detail", args=[nomination.pk])).content.decode()
    assert "ty 于" in body and "判定符合：已核承诺书" in body


def test_unit_admin_may_not_decide(client, world):
    nomination, users = world
    client.force_login(users["school"])
    client.get(reverse("portal:nomination_detail", args=[nomination.pk]))
    response = client.post(reverse("review:decide", args=[nomination.pk, "G.1"]), {"holds": "1"})
    assert response.status_code == 403
    assert RuleDecision.objects.count() == 0


def test_decision_post_needs_login(client, world):
    nomination, _ = world
    response = client.post(reverse("review:decide", args=[nomination.pk, "G.1"]), {"holds": "1"})
    assert response.status_code == 302


def test_decision_is_in_the_history_in_words(client, world):
    nomination, users = world
    client.force_login(users["taiyuan"])
    client.post(
        reverse("review:decide", args=[nomination.pk, "G.1"]), {"holds": "1", "comment": "已核承诺书"}
    )
    body = client.get(reverse("portal:nomination_detail", args=[nomination.pk])).content.decode()
    assert "资格条件人工判定" in body and "G.1：符合（已核承诺书）" in body
    assert "nomination.decide" not in body


def test_rule_table_says_why_an_unknown_account_lacks_data(client, world):
    nomination, users = world
    unknown = make_nomination(campaign=nomination.campaign, recommending_org=nomination.recommending_org,
                              category_number=2, nominee_account="A404", nominee_name="查无此号",
                              submitted_at=datetime(2023, 1, 5, tzinfo=UTC))  # fmt: skip
    evaluate_campaign(nomination.campaign)  # as the background refresh would
    client.force_login(users["taiyuan"])
    body = client.get(reverse("portal:nomination_detail", args=[unknown.pk])).content.decode()
    row = next(tr for tr in body.split("<tr")[1:] if "方案条款编号：2.3<" in tr)
    # 核对的数据, then 结果: the reason in words, the 学号 looked for, 缺少数据 (not 不符合).
    assert re.sub(r"<[^>]+>", " ", row).split()[-3:] == [
        "学号不在基准积分快照中",
        "本申报学号：A404",
        "缺少数据",
    ]
    heading = body[body.index('id="rule-table"') :].split("</h2>")[0]
    assert "材料或数据不全" in heading and "不符合" not in heading

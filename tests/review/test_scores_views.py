"""The 志愿者评审分 page (plan 7.3): the volunteer-group manager sees the 优秀志愿者 nominations only and
scores each; the reviewers see score and comment in the rule table; a bad score changes nothing."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from jixing.accounts.enums import UserRole
from jixing.audit.enums import AuditAction
from jixing.audit.models import AuditEvent
from jixing.nominations.domain.evaluation import evaluate_campaign
from jixing.nominations.models import Nomination
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


@pytest.fixture
def world():
    tree = make_small_province()
    snapshot = make_snapshot()
    campaign = make_campaign()
    make_learner(snapshot=snapshot, org=tree["dept"], account_id="V1", name="志愿者甲", annual_points=6000)
    make_role(account_id="V1", org=tree["province"], kind="志愿者")
    volunteer = make_nomination(campaign=campaign, recommending_org=tree["school"], category_number=7,
                                nominee_account="V1", nominee_name="志愿者甲",
                                submitted_at=datetime(2023, 1, 5, tzinfo=UTC))  # fmt: skip
    star = make_nomination(campaign=campaign, recommending_org=tree["school"], category_number=1,
                           nominee_account="V1", nominee_name="学员标兵乙")  # fmt: skip
    users = {
        "manager": make_user(
            username="vm", role=UserRole.VOLUNTEER_MANAGER, org=tree["province"], full_name="王评审"
        ),  # fmt: skip
        "province": make_user(username="p", role=UserRole.PROVINCE_ADMIN, org=tree["province"]),
        "taiyuan": make_user(username="ty", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"]),
        "school": make_user(username="s", role=UserRole.UNIT_ADMIN, org=tree["school"]),
        "learner": make_user(username="l", role=UserRole.LEARNER, org=tree["dept"], account_id="V1"),
    }
    return campaign, volunteer, star, users


def test_the_manager_sees_the_volunteers_with_a_form_each_and_nothing_else(client, world):
    _, volunteer, star, users = world
    client.force_login(users["manager"])
    body = client.get(reverse("review:scores")).content.decode()
    assert "志愿者甲" in body and volunteer.number in body and "尚未评分" in body
    assert reverse("review:score", args=[volunteer.pk]) in body
    assert "学员标兵乙" not in body and star.number not in body
    # The nomination pages are not his: the list is empty and the page a 404.
    assert client.get(reverse("portal:nomination_detail", args=[volunteer.pk])).status_code == 404
    assert volunteer.number not in client.get(reverse("portal:nomination_list")).content.decode()
    # His menu leads to the page.
    assert "志愿者评审分" in client.get(reverse("portal:home")).content.decode()


def test_a_score_is_recorded_and_the_reviewers_see_it_with_the_comment(client, world):
    campaign, volunteer, _, users = world
    client.force_login(users["manager"])
    response = client.post(
        reverse("review:score", args=[volunteer.pk]), {"score": "91.5", "comment": "审读认真"}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#n{volunteer.pk}")
    page = client.get(response["Location"]).content.decode()
    assert "已记录 志愿者甲" in page and "91.50" in page and "王评审" in page
    volunteer.refresh_from_db()
    assert (volunteer.judges_score, volunteer.judges_comment) == (Decimal("91.50"), "审读认真")
    assert AuditEvent.objects.filter(action=AuditAction.NOMINATION_SCORE, actor=users["manager"]).count() == 1
    evaluate_campaign(campaign)
    client.force_login(users["taiyuan"])
    body = client.get(reverse("portal:nomination_detail", args=[volunteer.pk])).content.decode()
    assert "评审分 91.50，王评审（志愿者工作群管理人员）于" in body and "评审意见：审读认真" in body
    volunteer.refresh_from_db()
    assert volunteer.rule_results["7.3"]["outcome"] == "pass"


@pytest.mark.parametrize(
    ("score", "message"),
    [
        ("", "请填写评审分"),
        ("九十", "不是数字"),
        ("101", "评审分应在 0 到 100 之间"),
        ("9.999", "最多保留两位小数"),
    ],
)
def test_a_bad_score_shows_a_chinese_message_and_changes_nothing(client, world, score, message):
    _, volunteer, _, users = world
    client.force_login(users["manager"])
    response = client.post(
        reverse("review:score", args=[volunteer.pk]), {"score": score, "comment": "x"}, follow=True
    )
    body = response.content.decode()
    assert response.status_code == 200 and message in body and "志愿者甲" in body
    volunteer.refresh_from_db()
    assert (volunteer.judges_score, volunteer.judges_comment) == (None, "")
    assert not AuditEvent.objects.filter(action=AuditAction.NOMINATION_SCORE).exists()


def test_the_manager_cannot_score_another_category(client, world):
    _, _, star, users = world
    client.force_login(users["manager"])
    response = client.post(reverse("review:score", args=[star.pk]), {"score": "90", "comment": ""})
    assert response.status_code == 404
    star.refresh_from_db()
    assert star.judges_score is None


@pytest.mark.parametrize("user", ["province", "taiyuan", "school", "learner"])
def test_other_roles_may_neither_see_nor_score(client, world, user):
    _, volunteer, _, users = world
    client.force_login(users[user])
    assert client.get(reverse("review:scores")).status_code == 403
    response = client.post(reverse("review:score", args=[volunteer.pk]), {"score": "90", "comment": ""})
    assert response.status_code == 403
    assert Nomination.objects.get(pk=volunteer.pk).judges_score is None


def test_a_visitor_is_sent_to_the_login(client, world):
    _, volunteer, _, _ = world
    assert client.get(reverse("review:scores"))["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("rows", [1, 3])
def test_the_page_reads_in_a_fixed_number_of_queries(client, world, rows, django_assert_max_num_queries):
    campaign, volunteer, _, users = world
    for n in range(rows - 1):
        make_nomination(campaign=campaign, recommending_org=volunteer.recommending_org, category_number=7,
                        nominee_account=f"V{n + 2}", nominee_name=f"志愿者{n + 2}")  # fmt: skip
    Nomination.objects.filter(category__number=7).update(
        judges_score=Decimal("80"), judges_scored_by=users["manager"]
    )
    client.force_login(users["manager"])
    with django_assert_max_num_queries(12):
        body = client.get(reverse("review:scores")).content.decode()
    assert body.count('name="score"') == rows


def test_the_managers_home_counts_the_volunteers_he_has_not_scored(client, world):
    _, volunteer, _, users = world
    client.force_login(users["manager"])
    body = client.get(reverse("portal:home")).content.decode()
    assert (
        f'<a href="{reverse("review:scores")}">尚未评分的志愿者申报</a><b class="todo-count">1 个</b>' in body
    )
    client.post(reverse("review:score", args=[volunteer.pk]), {"score": "90", "comment": ""})
    body = client.get(reverse("portal:home")).content.decode()
    assert '尚未评分的志愿者申报</a><b class="todo-count">0 个</b>' in body

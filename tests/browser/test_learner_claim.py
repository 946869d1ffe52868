"""Issue 13, item 2 in the browser, on a phone: a learner without an account finds 认领账号 on the login
page, is refused with one message for a wrong ID number and for a wrong name (both counted), claims his
account with the right three, applies for himself (提交给单位确认), and his school confirms it.
Screenshots go to test-artifacts/browser/test_learner_claim/."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from jixing.accounts.domain.claim import MISMATCH
from jixing.accounts.enums import UserRole
from jixing.accounts.models import ClaimFailure, User
from jixing.audit.enums import AuditAction
from jixing.audit.models import AuditEvent
from jixing.nominations.enums import NominationState
from jixing.nominations.models import Nomination
from jixing.people.domain.identity import person_key
from tests.browser.test_accessibility import violations
from tests.browser.test_walkthrough import PDF, Walk, file, log_in, png, see_message, upload_evidence
from tests.browser.world import build_province
from tests.factories import make_learner
from tests.files import id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Synthetic: 清徐县's current district code, born 1991, check digit right; another valid number beside it.
SUN_ID = id_number("14012119910826242")
OTHER_ID = id_number("14010519650117351")
SUN = {"account_id": "14010090", "name": "孙佳怡"}
PASSWORD = "清徐-学习强国-2026"
SUMMARY = (
    "孙佳怡同志坚持每天登录“学习强国”学习平台，连续三年年度积分位居本校前列，"
    "带领高一年级组开展“每日一学”打卡活动，撰写学习心得20余篇。"
)


def claim(page: Page, *, name: str, id_card: str) -> None:
    page.get_by_label("学号").fill(SUN["account_id"])
    page.get_by_label("姓名").fill(name)
    page.get_by_label("身份证号").fill(id_card)
    page.get_by_label("设置密码").fill(PASSWORD)
    page.get_by_label("再次输入密码").fill(PASSWORD)
    page.get_by_role("button", name="核对并开通账号").click()


def test_learner_claims_an_account_applies_and_the_unit_confirms(
    browser, live_server, media_root, screenshots
):
    world = build_province()
    learner = make_learner(
        snapshot=world.nominee.snapshot,
        org=world.tree["dept"],
        total_points=38206,  # the school's top learner, above 王晓明: no reason to write for the rank
        annual_points=13950,
        national_total_rank=1804,
        national_annual_rank=1522,
        is_real_name=True,
        is_shanxi_phone=True,
        phone_masked="100****0090",
        id_masked=f"1401**********{SUN_ID[-4:]}",
        person_key=person_key(id_number=SUN_ID, name="", phone=""),
        **SUN,
    )
    walk = Walk(browser, live_server.url, screenshots)

    # 认领账号 from the login page: a wrong ID number, then a wrong name, get the same words.
    page = walk.page("learner")
    page.goto("/login/")
    page.get_by_role("link", name="学员首次使用：认领账号").click()
    expect(page.get_by_role("heading", name="认领账号")).to_be_visible()
    assert violations(page) == []  # WCAG 2.1 AA (axe-core), as tests/browser/test_accessibility.py asks
    claim(page, name=SUN["name"], id_card=OTHER_ID)
    expect(page.locator(".errors")).to_have_text(MISMATCH)
    assert violations(page) == []
    walk.shot(page, "claim-refused")
    claim(page, name="孙佳宜", id_card=SUN_ID)
    expect(page.locator(".errors")).to_have_text(MISMATCH)
    assert ClaimFailure.objects.filter(account_id=SUN["account_id"]).count() == 2
    assert not User.objects.filter(account_id=SUN["account_id"]).exists()

    # The right three: the account is made and the learner is in, at home.
    claim(page, name=SUN["name"], id_card=SUN_ID)
    see_message(page, f"账号已开通。今后请用学号 {SUN['account_id']} 和刚设置的密码登录")
    walk.shot(page, "claim-done-home")
    user = User.objects.get(username=SUN["account_id"])
    assert (user.role, user.org, user.account_id) == (
        UserRole.LEARNER,
        world.tree["school"],
        SUN["account_id"],
    )
    assert AuditEvent.objects.filter(action=AuditAction.ACCOUNT_CLAIMED, actor=user).count() == 1

    # His own application: he sees only himself, fills the form and sends it to his unit.
    page.get_by_role("link", name="申报", exact=True).click()
    page.get_by_role("link", name="发起申报").click()
    page.locator("li.choice", has_text="学员标兵").get_by_role("button", name="本人申报").click()
    expect(page.get_by_role("heading", name="学员标兵申报表")).to_be_visible()
    expect(page.locator("main")).to_contain_text(SUN["name"])
    page.get_by_label("事迹简介").fill(SUMMARY)
    page.get_by_label("填报总积分").fill(str(learner.total_points))
    page.get_by_label("填报年度积分").fill(str(learner.annual_points))
    page.get_by_label("被推荐人具有中华人民共和国国籍").check()
    page.get_by_label("所填信息及所附材料真实").check()
    expect(page.locator("#autosave-status")).to_contain_text("已自动保存")
    upload_evidence(page, "承诺书", file("承诺书.pdf", "application/pdf", PDF))
    upload_evidence(page, "场景照片", file("场景照片.png", "image/png", png()))
    upload_evidence(page, "积分截图", file("积分截图.png", "image/png", png()))
    walk.shot(page, "learner-form")
    page.get_by_role("button", name="提交给单位确认").click()
    see_message(page, "待单位确认")
    walk.shot(page, "learner-applied")
    nomination = Nomination.objects.get(nominee_account=SUN["account_id"])
    assert (nomination.state, nomination.self_applied, nomination.created_by) == (
        NominationState.AWAITING_UNIT,
        True,
        user,
    )
    # Nobody else's nomination is his to see: 王晓明's stays out of his list.
    page.get_by_role("link", name="申报", exact=True).click()
    expect(page.locator("main")).to_contain_text(SUN["name"])
    expect(page.locator("main")).not_to_contain_text(world.nominee.name)

    # The school confirms it from its home page.
    unit = walk.page("school")
    log_in(unit, "school")
    unit.locator("#worklist").locator("li", has_text="学员本人申报，等待本单位确认").get_by_role(
        "link"
    ).click()
    unit.get_by_role("link", name=SUN["name"]).first.click()
    unit.get_by_role("link", name="审核并提交申报").click()
    expect(unit.get_by_role("heading", name="学员标兵申报表")).to_be_visible()
    expect(unit.get_by_label("事迹简介")).to_have_value(SUMMARY)
    # The one piece only the unit can give: the 报名表 printed, stamped and scanned.
    upload_evidence(unit, "盖章推荐表", file("盖章推荐表.pdf", "application/pdf", PDF))
    walk.shot(unit, "unit-confirming")
    unit.get_by_role("button", name="确认并提交申报").click()
    see_message(unit, "已申报")
    walk.shot(unit, "unit-confirmed")
    nomination.refresh_from_db()
    assert nomination.state == NominationState.SUBMITTED
    assert AuditEvent.objects.filter(
        action=AuditAction.NOMINATION_SUBMIT, target_id=str(nomination.pk)
    ).exists()

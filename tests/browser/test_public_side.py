"""The public side in a real browser (issue 15, item 7): a visitor opens the site root and finds the 公示
and the staff login; objects with a phone number typed with spaces; sending the same objection again is
refused; looks the receipt up; after commendation the root opens on the final list, which prints without
navigation, under its page header.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from jixing.announcements.domain.publishing import publish
from jixing.announcements.models import Approval, Objection
from jixing.nominations.enums import NominationState as S
from tests.announcements.helpers import build_world, evaluated, listed
from tests.portal.conftest import open_phase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def test_public_side_root_objection_lookup_and_printed_final_list(browser, live_server, screenshots):
    cache.clear()  # the per-address limits
    world = build_world()
    open_phase(world.campaign, "announce")
    nomination = listed(world, "A1", state=S.SELECTED)
    evaluated(world, nomination)
    publish(campaign=world.campaign, actor=world.users.province)

    page = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=PHONE).new_page()
    page.goto("/")
    expect(page.get_by_role("heading", name="拟表扬对象名单公示")).to_be_visible()
    expect(page.get_by_role("link", name="工作人员登录")).to_be_visible()
    page.screenshot(path=screenshots / "01-root-announcement.png", full_page=True)

    # The phone typed as people say it; the browser lets it through and the server stores it plainly.
    page.get_by_role("link", name="对张三实名反映").click()
    page.get_by_label("您的姓名").fill("赵六")
    page.get_by_label("联系电话").fill("139 1234 5678")
    page.get_by_label("反映的问题").fill("该同学的积分与实际不符。")
    page.get_by_role("button", name="提交实名反映").click()
    expect(page.get_by_role("heading", name="已收到您的实名反映")).to_be_visible()
    objection = Objection.objects.get()
    assert objection.phone == "13912345678"

    # The same again, the number written with dashes: refused, pointing to the first receipt.
    page.go_back()
    page.get_by_label("联系电话").fill("139-1234-5678")
    page.get_by_role("button", name="提交实名反映").click()
    expect(page.get_by_role("alert")).to_contain_text(f"受理编号 {objection.receipt}")
    assert Objection.objects.count() == 1
    page.get_by_role("link", name=f"查看受理编号 {objection.receipt} 的办理情况").click()
    expect(page.get_by_text("核查中")).to_be_visible()

    # The lookup box on the root page, the receipt typed in lower case.
    page.goto("/")
    page.get_by_label("反映办理查询").fill(objection.receipt.lower())
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", name="已收到您的实名反映")).to_be_visible()
    page.goto("/")
    page.get_by_label("反映办理查询").fill("YYZZZZ0000")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("alert")).to_have_text("没有找到受理编号为 YYZZZZ0000 的反映，请核对后重新输入")

    # Commended: the root opens on the final list, with its 批复文号; printed, only the list remains.
    nomination.refresh_from_db()
    nomination.state = S.COMMENDED
    nomination.save(update_fields=["state"])
    Approval.objects.create(
        campaign=world.campaign, document_ref="晋宣字〔2026〕18号", approved_on=date(2026, 11, 30),
        nomination_count=1, recorded_by=world.users.province, recorded_at=timezone.now(),
    )  # fmt: skip
    page.goto("/")
    expect(page.locator("h1")).to_contain_text("通报表扬名单")
    expect(page.locator("section.list-block", has_text="学员标兵")).to_contain_text("张三")
    expect(page.locator(".print-header")).to_be_hidden()
    page.emulate_media(media="print")
    expect(page.locator("header.public-top")).to_be_hidden()
    expect(page.locator("form.receipt-lookup")).to_be_hidden()
    expect(page.locator(".print-header")).to_be_visible()
    expect(page.locator(".print-header")).to_contain_text("批复文号：晋宣字〔2026〕18号（2026年11月30日）")
    assert page.locator(".public-list li").first.evaluate("e => getComputedStyle(e).display") == "table-row"
    page.screenshot(path=screenshots / "02-final-list-printed.png", full_page=True)
    page.emulate_media(media="screen")
    page.get_by_role("link", name="工作人员登录").click()
    expect(page.get_by_role("heading", name="登录")).to_be_visible()

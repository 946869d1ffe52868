"""The work list and the statistics on a phone (issue 15, item 6; issue 12, item 7): a learner's
提交给单位确认 reaches the school's home page and its notices; the reviewer's home shows what to screen
and the deadline, and 统计 opens his unit's figures as cards and bars that fit the phone's width."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jixing.accounts.enums import UserRole
from jixing.eligibility.outcomes import Status
from jixing.nominations.domain.states import Action
from jixing.nominations.domain.transitions import transition
from jixing.nominations.enums import NominationState as S
from tests.browser.test_walkthrough import Walk, log_in
from tests.browser.world import build_province
from tests.factories import make_nomination, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_home_work_list_and_statistics_on_a_phone(browser, live_server, media_root, screenshots):
    world = build_province()
    walk = Walk(browser, live_server.url, screenshots)
    school = world.tree["school"]
    learner = make_user(username="wxm", role=UserRole.LEARNER, org=world.tree["dept"],
                        account_id=world.nominee.account_id)  # fmt: skip
    draft = make_nomination(campaign=world.campaign, recommending_org=school, state=S.DRAFT,
                            nominee_account=world.nominee.account_id, nominee_name=world.nominee.name,
                            created_by=learner)  # fmt: skip
    transition(draft, Action.APPLY, actor=learner)
    make_nomination(campaign=world.campaign, recommending_org=world.tree["taiyuan"], category_number=4,
                    state=S.SUBMITTED, nominee_name="司马·阿依", status=Status.NEEDS_REVIEW.value)  # fmt: skip

    # The school: the learner's application waits for it, on its home page and in its notices.
    unit = walk.page("school")
    log_in(unit, "school")
    worklist = unit.locator("#worklist")
    row = worklist.locator("li", has_text="学员本人申报，等待本单位确认")
    expect(row).to_contain_text("1 个")
    expect(unit.locator("#deadline")).to_contain_text("申报推荐截止：")
    expect(unit.locator("#deadline")).to_contain_text("（还有 ")
    expect(unit.get_by_role("navigation").get_by_role("link", name="通知 1")).to_be_visible()
    assert _fits_the_width(unit)
    walk.shot(unit, "school-home")
    row.get_by_role("link").click()
    expect(unit.locator("main")).to_contain_text(world.nominee.name)

    # The reviewer: what waits for screening, in plain words; then his unit's statistics.
    reviewer = walk.page("taiyuan")
    log_in(reviewer, "taiyuan")
    expect(reviewer.locator("#worklist li", has_text="已申报、等待审核的申报")).to_contain_text("1 个")
    expect(reviewer.locator("#worklist li", has_text="需要人工核对")).to_contain_text("1 个")
    expect(reviewer.locator("#worklist")).not_to_contain_text("待人工判定")
    expect(reviewer.locator("#figures")).to_contain_text("申报数")
    walk.shot(reviewer, "reviewer-home")
    reviewer.get_by_role("navigation").get_by_role("link", name="统计").click()
    expect(reviewer.get_by_role("heading", name="统计 · 太原市通讯站")).to_be_visible()
    expect(
        reviewer.locator("#by-category tr", has_text="优秀供稿员").locator("td[data-label=申报数]")
    ).to_have_text("1")
    expect(reviewer.locator("svg.bar").first).to_be_visible()
    assert _fits_the_width(reviewer)
    walk.shot(reviewer, "reviewer-statistics")
    with reviewer.expect_download() as download:
        reviewer.get_by_role("link", name="下载统计表（XLSX）").click()
    assert download.value.suggested_filename.endswith("统计（太原市通讯站）.xlsx")

"""Issue 15, "know before you act", in the browser: a category the unit has used is shown as used on the
start page and cannot be started again; a learner is warned before applying into it; the unit takes its
nomination back before the deadline and starts another."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from playwright.sync_api import expect

from jixing.accounts.enums import UserRole
from jixing.nominations.domain.list_picks import Pick
from jixing.nominations.domain.lists import set_picks
from jixing.nominations.enums import NominationState
from jixing.nominations.models import Nomination
from tests.browser.test_walkthrough import (
    PDF,
    Walk,
    click_and_confirm,
    file,
    fill_points_and_pledges,
    log_in,
    see_message,
    upload_all_but_the_stamped_form,
    upload_evidence,
)
from tests.browser.world import PASSWORD, build_province
from tests.factories import make_learner, make_nomination, make_user
from tests.review.screening_world import make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_guidance_a_used_category_is_shown_before_starting_and_the_unit_can_swap_its_nomination(
    browser, live_server, media_root, screenshots
):
    world = build_province()
    walk = Walk(browser, live_server.url, screenshots)
    school = world.tree["school"]
    # The school has sent up 王晓明 for 学员标兵: its one place in the category is taken.
    held = make_nomination(
        campaign=world.campaign,
        recommending_org=school,
        nominee_account=world.nominee.account_id,
        nominee_name=world.nominee.name,
        number="2026-T01-0001",
    )
    make_learner(
        snapshot=world.nominee.snapshot, org=world.tree["dept"], account_id="14010088", name="欧阳可"
    )
    make_user(username="ouyang", role=UserRole.LEARNER, org=world.tree["dept"], account_id="14010088")

    # The learner 欧阳可 sees the category used and is asked before applying into it.
    page = walk.page("learner")
    log_in(page, "ouyang")
    page.goto("/nominations/new/")
    card = page.locator("li.choice", has_text="学员标兵")
    expect(card).to_contain_text("本单位已申报")
    expect(card).to_contain_text("本单位已有 1 项申报（已申报）")
    # Whom the unit sent up is the unit's business: no colleague's name, no link he could not open.
    expect(card).not_to_contain_text(world.nominee.name)
    expect(card.locator("a[href*='/nominations/']")).to_have_count(0)
    expect(card).to_contain_text("每单位每项只能报送 1 个")
    click_and_confirm(
        page,
        card.get_by_role("button", name="本人申报"),
        asks="您所在单位已在“学员标兵”项目申报了 1 人",
        unchanged=lambda: not Nomination.objects.filter(nominee_account="14010088").exists(),
    )
    expect(page.get_by_role("heading", name="学员标兵申报表")).to_be_visible()
    expect(page.locator("#place-taken")).to_contain_text("须单位撤回已申报的一项，才能确认您的申请")
    # The empty form says what it lacks, and its send button what is missing, before anything is sent.
    expect(page.locator("#checklist")).to_contain_text("请填写事迹简介")
    submit = page.locator("#submit-button")
    expect(submit).to_be_disabled()
    expect(submit).to_contain_text("还差")
    assert "仍要提交给单位确认吗" in submit.get_attribute("data-confirm")
    walk.shot(page, "learner-warned")

    # The school cannot start a second one; it takes 王晓明's back and starts 赵丽's instead.
    unit = walk.page("school")
    log_in(unit, "school")
    unit.goto("/nominations/new/")
    card = unit.locator("li.choice", has_text="学员标兵")
    expect(card).to_contain_text(f"已申报：{world.nominee.name} {held.number}")
    expect(card.get_by_role("link", name="选择被推荐学员")).to_have_count(0)
    walk.shot(unit, "start-used-category")
    card.get_by_role("link", name=f"{world.nominee.name} {held.number}").click()
    click_and_confirm(
        unit,
        unit.get_by_role("button", name="撤回申报"),
        asks="撤回后它变回草稿，不再占用本单位在“学员标兵”项目的名额",
        unchanged=lambda: Nomination.objects.get(pk=held.pk).state == NominationState.SUBMITTED,
    )
    see_message(unit, f"申报 {held.number} 现为：草稿")
    unit.goto("/nominations/new/")
    card = unit.locator("li.choice", has_text="学员标兵")
    expect(card).to_contain_text("可申报")
    expect(card).to_contain_text(f"草稿：{world.nominee.name} {held.number}")
    card.get_by_role("link", name="选择被推荐学员").click()
    unit.get_by_role("button", name="推荐赵丽").click()
    expect(unit.get_by_role("heading", name="学员标兵申报表")).to_be_visible()
    assert Nomination.objects.get(pk=held.pk).state == NominationState.DRAFT
    assert Nomination.objects.filter(nominee_account="14010087", recommending_org=school).count() == 1


def start_for_the_nominee(walk: Walk, world):
    """The school's clerk signs in and starts a 学员标兵 form for the province's nominee; the form page."""
    unit = walk.page("school")
    log_in(unit, "school")
    unit.goto("/nominations/new/")
    unit.locator("li.choice", has_text="学员标兵").get_by_role("link", name="选择被推荐学员").click()
    unit.get_by_role("button", name=f"推荐{world.nominee.name}").click()
    expect(unit.get_by_role("heading", name="学员标兵申报表")).to_be_visible()
    return unit


def test_guidance_an_expired_session_keeps_the_text_and_back_after_sending_shows_the_page(
    browser, live_server, media_root, screenshots
):
    world = build_province()
    walk = Walk(browser, live_server.url, screenshots)
    unit = start_for_the_nominee(walk, world)
    form_url = unit.url
    unit.get_by_label("事迹简介").fill("坚持每天学习。")
    expect(unit.locator("#autosave-status")).to_contain_text("已自动保存")

    # The session ends on the server (idle, or signed out elsewhere) while the clerk goes on typing: the
    # next autosave takes the whole page to the login, which says the text is kept in this browser ...
    Session.objects.all().delete()
    text = "坚持每天学习。会话过期之后接着写的这一段，不能丢。"
    unit.get_by_label("事迹简介").fill(text)
    expect(unit.locator("ul.messages")).to_contain_text("登录已过期，内容已暂存在本机", timeout=20_000)
    walk.shot(unit, "session-expired")
    unit.get_by_label("账号").fill("school")
    unit.get_by_label("密码").fill(PASSWORD)
    unit.get_by_role("button", name="登录").click()
    # ... and after it the form is back, with the text restored and saved.
    expect(unit).to_have_url(form_url)
    expect(unit.get_by_label("事迹简介")).to_have_value(text)
    expect(unit.locator("#restored-notice")).to_be_visible()
    nomination = Nomination.objects.get(nominee_account=world.nominee.account_id)

    def saved_text() -> str:
        nomination.refresh_from_db()
        return (nomination.draft_data or {}).get("summary", nomination.summary)

    for _ in range(100):  # the restored copy is sent at once (autosave "change", 300 ms): at most 10 s
        if saved_text() == text:
            break
        unit.wait_for_timeout(100)
    assert saved_text() == text

    # Sent up, then browser back: the nomination's page as it is now, with a plain sentence.
    fill_points_and_pledges(unit, world.nominee)
    upload_all_but_the_stamped_form(unit)
    upload_evidence(unit, "盖章推荐表", file("报名表（盖章）.pdf", "application/pdf", PDF))
    unit.get_by_role("button", name="提交申报").click()
    see_message(unit, "已提交")
    unit.go_back()
    see_message(unit, f"申报 {nomination.number} 已提交，当前状态为“已申报”，不能再修改")
    expect(unit.locator("h1")).not_to_contain_text("申报表")
    walk.shot(unit, "back-after-submit")


def test_guidance_an_autosave_answered_after_the_last_upload_does_not_leave_the_button_saying_missing(
    browser, live_server, media_root, screenshots
):
    """The checklist comes back with every autosave and upload, computed when the server answered. An
    autosave computed before the last upload was stored but arriving after it would leave 还差 1 项 on the
    button with everything in: the page asks once more when its requests overlapped."""
    world = build_province()
    walk = Walk(browser, live_server.url, screenshots)
    unit = start_for_the_nominee(walk, world)
    unit.get_by_label("事迹简介").fill("坚持每天学习。")
    fill_points_and_pledges(unit, world.nominee)
    expect(unit.locator("#autosave-status")).to_contain_text("已自动保存")
    upload_all_but_the_stamped_form(unit)
    send = unit.locator("#submit-button")
    expect(send).to_have_text("还差 1 项，暂不能提交")

    # The next autosave is answered by the server now (one item missing) but held back on its way ...
    held: list = []
    autosaves: list[str] = []

    def hold_first(route) -> None:
        autosaves.append(route.request.url)
        if held:
            route.continue_()
        else:
            held.append((route, route.fetch()))

    unit.route("**/autosave/", hold_first)
    unit.get_by_label("事迹简介").fill("坚持每天学习，带动身边人。")
    for _ in range(100):  # input delay 1200 ms: at most 10 s
        if held:
            break
        unit.wait_for_timeout(100)
    assert held, "the autosave was not sent"
    # ... while the last upload is stored and answered: nothing is missing.
    upload_evidence(unit, "盖章推荐表", file("报名表（盖章）.pdf", "application/pdf", PDF))
    expect(send).to_have_text("提交申报")
    # The stale answer lands last; the page asks again, and the button says what is true.
    route, stale = held[0]
    assert "还差 1 项" in stale.text()
    route.fulfill(response=stale)
    for _ in range(100):  # the second autosave follows the stale answer's swap: at most 10 s
        if len(autosaves) == 2:
            break
        unit.wait_for_timeout(100)
    assert len(autosaves) == 2, "the page did not ask again after its requests overlapped"
    expect(send).to_have_text("提交申报")
    expect(send).to_be_enabled()
    walk.shot(unit, "recheck-after-overlap")


def test_guidance_a_list_with_a_pick_the_rules_refuse_cannot_be_sealed_or_sent(
    browser, live_server, media_root, screenshots
):
    world = make_world()
    first, second, third = world.nominations
    set_picks(
        campaign=world.campaign,
        category=world.campaign.categories.get(number=1),
        actor=world.users.taiyuan,
        picks=[Pick(first.pk, ""), Pick(second.pk, "")],
    )
    third.state = NominationState.RECOMMENDED  # a seat taken outside the list: one left for two picks
    third.save()
    walk = Walk(browser, live_server.url, screenshots)
    page = walk.page("reviewer")
    log_in(page, "ty")
    page.goto(reverse("review:list", args=[world.tree["taiyuan"].pk]))
    expect(page.locator("#readiness")).to_contain_text("还差 2 项")
    expect(page.locator("#readiness")).to_contain_text("超出名额")
    expect(page.get_by_role("link", name="推荐总表（XLSX）")).to_have_count(0)
    expect(page.get_by_text("改正后才能下载盖章用的推荐总表")).to_be_visible()
    expect(page.get_by_role("button", name="报送推荐总表")).to_be_disabled()
    walk.shot(page, "list-not-ready")
    # Typed in by hand, the sheet's address still gives nothing to stamp.
    page.goto(reverse("review:list_sheet_pdf", args=[world.tree["taiyuan"].pk]))
    see_message(page, "推荐名单还有问题，改正后才能下载盖章用的推荐总表")

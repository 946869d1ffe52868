"""判定更新中 in a real browser: a nomination page shows the banner while the results are due, and once the
background refresh has stored them the page puts them in place by itself — no reload, no click.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jixing.accounts.enums import UserRole
from jixing.campaigns.domain.staleness import mark_stale
from jixing.nominations.domain.decisions import record_decision
from jixing.nominations.domain.evaluation import refresh
from tests.factories import (
    make_evaluated_nomination,
    make_user,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "测试口令-jixing-2022"


def test_the_page_updates_itself_once_the_refresh_has_run(browser, live_server, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    tree, nomination = make_evaluated_nomination()
    campaign = nomination.campaign
    reviewer = make_user(username="ty", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"])
    school = make_user(username="school", role=UserRole.UNIT_ADMIN, org=tree["school"])
    school.set_password(PASSWORD)
    school.save()

    page = browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    page.goto("/login/")
    page.get_by_label("账号").fill("school")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    # A reviewer's decision is stored; its refresh waits in the queue for a worker.
    record_decision(nomination, rule_id="G.1", holds=True, comment="承诺书已核", actor=reviewer)
    mark_stale(campaign)
    page.goto(f"/nominations/{nomination.pk}/")
    results = page.locator("#results")
    expect(results.get_by_text("判定更新中")).to_be_visible()
    expect(results.get_by_text("需审核人员判断").first).to_be_visible()  # G.1 as the last results had it
    url = page.url

    refresh(campaign.pk)  # what the task worker does

    expect(results.get_by_text("判定更新中")).to_have_count(0, timeout=20_000)
    expect(results.get_by_text("需审核人员判断")).to_have_count(0)
    assert page.url == url
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1  # never reloaded

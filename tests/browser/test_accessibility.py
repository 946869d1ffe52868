"""axe-core (WCAG 2.1 A and AA) on the pages of every role, in Chromium, on the demo province at 通报表扬
(every state to be seen: rule tables with warn and manual rows, lists, the 公示, the final list)."""

from __future__ import annotations

from pathlib import Path

import axe_playwright_python
import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page

from jixing.demo.accounts import DEMO_PASSWORD
from jixing.nominations.enums import NominationState
from jixing.nominations.models import Nomination
from jixing.orgs.models import Org
from tests.browser.test_walkthrough import Walk, enrol_authenticator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page: Page) -> list[str]:
    """axe-core's WCAG 2.1 AA violations on the page as it is shown: rule, impact, and the elements."""
    page.evaluate(AXE)
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA)
    return [
        f"{page.url} {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(
            f"{' '.join(node['target'])} {node['html'][:120]} {node.get('failureSummary', '')[-120:]}"
            for node in v["nodes"][:3]
        )
        for v in result["violations"]
    ]


def log_in(page: Page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("账号").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_accessibility_every_roles_pages_meet_wcag_21_aa(browser, live_server, media_root, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo_data", learners=2000, phase="commend", stdout=open("/dev/null", "w"))
    walk = Walk(browser, live_server.url, Path("/tmp"))
    taiyuan = Org.objects.get(code="1401")
    unit_nomination = (
        Nomination.objects.filter(recommending_org__code__startswith="1401")
        .exclude(state=NominationState.DRAFT)
        .first()
    )
    commended = Nomination.objects.filter(state=NominationState.COMMENDED).first()
    pages = {
        None: ["/", "/public/", "/public/final/", "/public/objections/", "/public/terms/", "/login/"],
        "learner": ["/", "/nominations/", "/nominations/new/"],
        "school": ["/", "/nominations/", "/nominations/new/", "/learners/", "/orgs/"],
        "taiyuan": [
            "/",
            reverse("review:screening"),
            reverse("review:screening_category", args=[1]),
            reverse("review:list", args=[taiyuan.pk]),
            reverse("review:statistics_unit", args=[taiyuan.pk]),
            reverse("portal:nomination_detail", args=[unit_nomination.pk]),
            reverse("accounts:accounts"),
        ],
        "volunteers": ["/", reverse("review:scores")],
        "province": [
            "/",
            reverse("review:province_lists"),
            reverse("review:province_publication"),
            reverse("review:province_objections"),
            reverse("review:province_approval"),
            reverse("review:province_commendation"),
            reverse("review:statistics"),
            reverse("review:imports"),
            reverse("accounts:accounts"),
            reverse("accounts:accounts_import"),
            reverse("portal:nomination_detail", args=[commended.pk]),
        ],
    }
    found: list[str] = []
    for who, urls in pages.items():
        page = walk.page(who or "public")
        if who:
            log_in(page, who)
            if who == "province":
                enrol_authenticator(page, who)
        for url in urls:
            page.goto(url)
            if who:  # the page itself, not the login page it would send a stranger to
                assert "/login/" not in page.url, (who, url, page.url)
            found += violations(page)
    assert not found, "\n".join(found)

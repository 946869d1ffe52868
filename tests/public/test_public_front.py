"""The public side finished (issue 15, item 7): the site root and /public/ show the 公示 or, once
commended, the final list to anybody; the receipt lookup; duplicate objections refused; the outcome on
the receipt page; phones with spaces or dashes; the final list's 批复文号, date and print stylesheet."""

import re
from datetime import date

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jixing.announcements.domain.objections import handle_objection, submit_objection
from jixing.announcements.domain.publishing import publish
from jixing.announcements.enums import ObjectionOutcome
from jixing.announcements.models import Approval, Objection
from jixing.audit.models import AuditEvent
from jixing.nominations.enums import NominationState as S
from jixing.public.throttle import RECEIPT_LOOKUPS_PER_HOUR
from tests.announcements.helpers import build_world, evaluated, listed
from tests.portal.conftest import open_phase

pytestmark = pytest.mark.django_db

OBJECTOR = {"name": "赵六", "phone": "13900000000", "content": "该同学的积分与实际不符。"}
LOOKUP = reverse("public:receipt_lookup")


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


@pytest.fixture
def world():
    world = build_world()
    open_phase(world.campaign, "announce")
    world.published = listed(world, "A1", state=S.SELECTED)
    world.unit = listed(world, "D1", org="datong_school", state=S.SELECTED)
    evaluated(world, world.published, world.unit)
    world.announcement = publish(campaign=world.campaign, actor=world.users.province)
    world.entry = world.announcement.entries.get(nomination=world.published)
    return world


def _rows(body: str) -> list[tuple[str, str]]:
    return re.findall(r'<div class="who"><b>(.*?)</b><span class="unit">(.*?)</span></div>', body)


def _commend(world, document_ref="晋宣字〔2026〕18号", approved_on=date(2026, 11, 30)):
    for n in (world.published, world.unit):
        n.refresh_from_db()
        n.state = S.COMMENDED
        n.save(update_fields=["state"])
    Approval.objects.create(
        campaign=world.campaign, document_ref=document_ref, approved_on=approved_on, nomination_count=2,
        recorded_by=world.users.province, recorded_at=timezone.now(),
    )  # fmt: skip


# The front page ---------------------------------------------------------------------------------------


def test_site_root_shows_the_announcement_to_a_visitor_with_the_staff_login(client, world):
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "拟表扬对象名单公示" in body
    # The official order (姓氏笔画): 王 (4 strokes) before 张 (7).
    assert _rows(body) == [("王五", "大同市第二中学"), ("张三", "清徐县第一中学")]
    assert f'<a class="staff-login" href="{reverse("login")}">工作人员登录</a>' in body
    assert f'action="{LOOKUP}"' in body


def test_site_root_shows_the_work_home_to_a_signed_in_user(client, world):
    client.force_login(world.users.school)
    response = client.get("/")
    assert response.status_code == 200
    assert "拟表扬对象名单公示" not in response.content.decode()
    assert response.templates[0].name == "portal/home.html"


def test_site_root_and_public_open_on_the_final_list_after_commendation(client, world):
    _commend(world)
    for url in ("/", reverse("public:announcement")):
        response = client.get(url)
        body = response.content.decode()
        assert (url, response.status_code, "通报表扬名单" in body, "拟表扬对象名单公示" in body) == (
            url, 200, True, False,
        )  # fmt: skip
        assert _rows(body) == [("王五", "大同市第二中学"), ("张三", "清徐县第一中学")]
    # The expired 公示 stays readable at its own address.
    assert "拟表扬对象名单公示" in client.get(reverse("public:announcements")).content.decode()


def test_public_opens_on_the_announcement_before_commendation(client, world):
    body = client.get(reverse("public:announcement")).content.decode()
    assert "拟表扬对象名单公示" in body and "通报表扬名单" not in body


def test_login_page_links_to_the_public_lists(client, db):
    body = client.get(reverse("login")).content.decode()
    assert f'<a href="{reverse("public:announcement")}">查看公示名单或表扬名单</a>' in body


# The final list ----------------------------------------------------------------------------------------


def test_final_list_shows_the_approval_reference_and_date(client, world):
    _commend(world)
    body = client.get(reverse("public:final")).content.decode()
    assert "<dt>批复文号</dt><dd><b>晋宣字〔2026〕18号</b></dd>" in body
    assert "<dt>批复日期</dt><dd>2026年11月30日</dd>" in body
    header = re.search(r'<header class="print-header">(.*?)</header>', body, re.S)
    assert header is not None and "批复文号：晋宣字〔2026〕18号（2026年11月30日）" in header.group(1)


def test_final_list_before_commendation_shows_no_approval(client, world):
    body = client.get(reverse("public:final")).content.decode()
    assert "表扬名单尚未发布" in body and "批复文号" not in body


def test_final_list_print_stylesheet_hides_navigation_and_rules_the_table(client, world):
    _commend(world)
    body = client.get(reverse("public:final")).content.decode()
    assert '<link rel="stylesheet" href="/static/jixing/public.css">' in body
    css = open(finders.find("jixing/public.css"), encoding="utf-8").read()
    print_rules = css[css.index("@media print") :]
    hidden = re.search(r"\n  ([^{}]*)\{ display: none !important; \}", print_rules)
    assert hidden is not None and {".public-top", ".public-foot", ".no-print", ".receipt-lookup"} <= {
        s.strip() for s in hidden.group(1).split(",")
    }
    assert ".print-header { display: block;" in print_rules
    assert (
        ".public-list { display: table;" in print_rules
        and ".public-list li { display: table-row;" in print_rules
    )
    assert "@page" in print_rules


# Objections: phones and duplicates ---------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["139 1234 5678", "139-1234-5678"])
def test_objection_form_takes_a_phone_with_spaces_or_dashes_and_stores_it_normalised(client, world, typed):
    response = client.post(reverse("public:objection", args=[world.entry.pk]), {**OBJECTOR, "phone": typed})
    objection = Objection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("public:objection_received", args=[objection.receipt])
    assert objection.phone == "13912345678"


def test_objection_form_phone_field_no_longer_refuses_spaces_in_the_browser(client, world):
    body = client.get(reverse("public:objection", args=[world.entry.pk])).content.decode()
    phone_input = re.search(r'<input type="tel" id="phone"[^>]*>', body).group(0)
    assert "pattern=" not in phone_input


def test_objection_sent_twice_is_refused_pointing_to_the_first_receipt(client, world):
    url = reverse("public:objection", args=[world.entry.pk])
    client.post(url, OBJECTOR)
    first = Objection.objects.get()
    counts = (Objection.objects.count(), AuditEvent.objects.count())
    response = client.post(url, {**OBJECTOR, "phone": "139-0000-0000", "content": OBJECTOR["content"] + "\n"})
    body = response.content.decode()
    assert response.status_code == 400
    assert (
        f"就该公示对象提交过相同内容的反映（受理编号 {first.receipt}），请勿重复提交"
        in response.context["error"]
    )
    assert f'href="{reverse("public:objection_received", args=[first.receipt])}"' in body
    assert (Objection.objects.count(), AuditEvent.objects.count()) == counts
    assert "13900000000" not in body


# The receipt lookup ------------------------------------------------------------------------------------


def test_receipt_lookup_opens_the_receipt_page(client, world):
    objection = submit_objection(entry=world.entry, **OBJECTOR)
    typed = f" {objection.receipt.lower()[:5]} {objection.receipt.lower()[5:]} "
    response = client.get(LOOKUP, {"receipt": typed})
    assert (response.status_code, response["Location"]) == (
        302, reverse("public:objection_received", args=[objection.receipt]),
    )  # fmt: skip


def test_receipt_lookup_of_an_unknown_receipt_says_so(client, world):
    response = client.get(LOOKUP, {"receipt": "YYABCD1234"})
    assert response.status_code == 404
    assert response.context["error"] == "没有找到受理编号为 YYABCD1234 的反映，请核对后重新输入"
    assert "没有找到受理编号为 YYABCD1234 的反映" in response.content.decode()


def test_receipt_lookup_of_a_malformed_receipt_says_how_it_looks(client, world):
    response = client.get(LOOKUP, {"receipt": "13900000000"})
    assert response.status_code == 400
    assert response.context["error"] == "受理编号格式不正确：受理编号以 YY 开头，共 10 位，如 YYKMPQ2580"


def test_receipt_lookup_without_a_receipt_shows_the_box(client, world):
    response = client.get(LOOKUP)
    assert (response.status_code, response.context["error"]) == (200, None)
    assert 'name="receipt"' in response.content.decode()


def test_receipt_lookup_is_rate_limited_per_address(client, world):
    objection = submit_objection(entry=world.entry, **OBJECTOR)
    for i in range(RECEIPT_LOOKUPS_PER_HOUR):
        assert client.get(LOOKUP, {"receipt": f"YYABCD{i:04d}"}).status_code == 404
    response = client.get(LOOKUP, {"receipt": objection.receipt})
    assert (response.status_code, response.context["error"]) == (429, "查询过于频繁，请一小时后再试")
    # Nor can unknown receipts be tried at their address instead.
    assert client.get(reverse("public:objection_received", args=["YYZZZZ0000"])).status_code == 429
    # Another address is not held up.
    other = client.get(LOOKUP, {"receipt": objection.receipt}, REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 302


# The receipt page --------------------------------------------------------------------------------------


def test_receipt_page_shows_pending_until_handled(client, world):
    objection = submit_objection(entry=world.entry, **OBJECTOR)
    body = client.get(reverse("public:objection_received", args=[objection.receipt])).content.decode()
    assert "<dd>核查中</dd>" in body and "处理结果" not in body


@pytest.mark.parametrize(
    ("outcome", "words"),
    [
        (ObjectionOutcome.DISMISSED, "经核查，异议不成立，维持入选"),
        (ObjectionOutcome.UPHELD, "反映属实，异议成立，已撤销其入选"),
    ],
)
def test_receipt_page_shows_the_outcome_and_the_reply_when_handled(client, world, outcome, words):
    objection = submit_objection(entry=world.entry, **OBJECTOR)
    handle_objection(objection=objection, outcome=outcome, note="经核对积分快照，\n情况如下。",
                     actor=world.users.province)  # fmt: skip
    body = client.get(reverse("public:objection_received", args=[objection.receipt])).content.decode()
    assert "<dd>已办结</dd>" in body
    assert f'<dt>处理结果</dt><dd><b class="outcome {outcome}">{words}</b></dd>' in body
    assert '<dt>核查答复</dt><dd class="reply">经核对积分快照，<br>情况如下。</dd>' in body


def test_front_page_query_count_is_the_same_for_1_and_3_commended(client, db):
    world = build_world()
    open_phase(world.campaign, "announce")
    rows = [listed(world, "A1", state=S.SELECTED), listed(world, "D1", org="datong_school", state=S.SELECTED),
            listed(world, "A2", category=2, state=S.SELECTED)]  # fmt: skip
    evaluated(world, *rows)
    publish(campaign=world.campaign, actor=world.users.province)
    Approval.objects.create(
        campaign=world.campaign, document_ref="晋宣字〔2026〕18号", approved_on=date(2026, 11, 30),
        nomination_count=3, recorded_by=world.users.province, recorded_at=timezone.now(),
    )  # fmt: skip

    def commend(*nominations):
        for n in nominations:
            n.refresh_from_db()
            n.state = S.COMMENDED
            n.save(update_fields=["state"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/")
        assert response.templates[0].name == "public/final.html"
        return len(ctx.captured_queries), len(_rows(response.content.decode()))

    commend(rows[0])
    one, shown = count()
    assert shown == 1
    commend(*rows[1:])
    assert count() == (one, 3)

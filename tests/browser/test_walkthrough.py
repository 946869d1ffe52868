"""One nomination from a unit's draft to a commended entry, clicked through in Chromium on a phone.

Each person works in his own browser (context): the unit admin, the reporting unit's reviewer, the
province admin (password, the one-time enrolment code the operator issued on the command line, then a real
TOTP code from the key shown on the enrolment page), and the public (no login). Between the stages the days pass (tests/browser/world.py's clock); nothing else is done
behind the pages. A screenshot per stage goes to test-artifacts/browser/test_walkthrough/.
"""

from __future__ import annotations

import re
import zipfile
from base64 import b32decode
from io import BytesIO
from pathlib import PurePosixPath

import pytest
from django.utils import timezone
from django_otp.oath import TOTP
from docx import Document as DocxDocument
from openpyxl import load_workbook
from PIL import Image
from playwright.sync_api import Page, expect

from jixing.accounts.domain.enrolment import issue_enrolment_code
from jixing.accounts.models import User
from jixing.announcements.models import Certificate
from jixing.campaigns.enums import PhaseKey
from jixing.nominations.enums import NominationState
from jixing.nominations.models import Nomination
from tests.browser.world import PASSWORD, build_province

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# A one-page PDF (no cross-reference table: qpdf rebuilds it, as it does for many real files).
PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)
SUMMARY = (
    "王晓明同志任教以来坚持每天登录“学习强国”学习平台，带动高一年级组全体教师参与学习，"
    "组织“强国课堂”主题活动12次，撰写学习心得30余篇，在全校发挥了引领示范作用。"
)
# Numbers a public page must never show: an 11-digit phone, an 18-character ID, or their masked forms.
PERSONAL_NUMBER = re.compile(r"\d{11}|\d{17}[\dXx]|\*{4}")


def png() -> bytes:
    out = BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 40)).save(out, format="PNG")
    return out.getvalue()


def file(name: str, mime: str, content: bytes) -> dict:
    return {"name": name, "mimeType": mime, "buffer": content}


class Walk:
    """The browsers of the people in the walk, and the screenshots numbered as they are taken."""

    def __init__(self, browser, base_url: str, folder) -> None:
        self.browser, self.base_url, self.folder = browser, base_url, folder
        self.pages: dict[str, Page] = {}
        self.count = 0

    def page(self, who: str) -> Page:
        if who not in self.pages:
            context = self.browser.new_context(
                base_url=self.base_url,
                viewport=PHONE,
                device_scale_factor=2,
                has_touch=True,
                locale="zh-CN",
                timezone_id="Asia/Shanghai",
                accept_downloads=True,
            )
            context.set_default_timeout(15_000)
            self.pages[who] = context.new_page()
        return self.pages[who]

    def shot(self, page: Page, name: str) -> None:
        """The whole page. The window is made as tall as the page rather than taking Chromium's full-page
        capture, which leaves the sticky action bars where the first screen ends, over the content."""
        self.count += 1
        screen = page.viewport_size
        height = page.evaluate("document.documentElement.scrollHeight")
        page.set_viewport_size({"width": screen["width"], "height": max(height, screen["height"])})
        page.screenshot(path=self.folder / f"{self.count:02d}-{name}.png")
        page.set_viewport_size(screen)


def log_in(page: Page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("账号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def enrol_authenticator(page: Page, username: str) -> None:
    """First login of a province admin: the enrolment code the operator gave him (`jixing
    issue-enrolment-code`), then the key shown on the page typed into an 'app' (django-otp's TOTP), then
    the 6 digits it shows."""
    expect(page.get_by_role("heading", name="绑定身份验证器")).to_be_visible()
    expect(page.locator("code")).to_have_count(0)  # no key before the enrolment code
    page.get_by_label("绑定码").fill(issue_enrolment_code(user=User.objects.get(username=username)).code)
    page.get_by_role("button", name="下一步").click()
    key = page.locator("code").inner_text().replace(" ", "")
    secret = b32decode(key + "=" * (-len(key) % 8))
    code = str(TOTP(secret, step=30, t0=0, digits=6).token()).zfill(6)
    page.get_by_label("动态验证码").fill(code)
    page.get_by_role("button", name="完成绑定").click()
    expect(page.get_by_text("身份验证器已绑定")).to_be_visible()


def upload_evidence(page: Page, kind: str, payload: dict) -> None:
    """Choose a file for one kind of evidence; htmx uploads it and swaps in the new panel. htmx binds the
    new panel's inputs one settle delay (20 ms) after the swap, removing the class `htmx-added` as it
    does: until then a file chosen would go nowhere, so wait for that too."""
    page.get_by_label(f"上传{kind}").set_input_files(payload)
    expect(page.get_by_role("link", name=payload["name"])).to_be_visible()
    expect(page.locator("#attachments.htmx-added")).to_have_count(0)


def fill_points_and_pledges(page: Page, nominee) -> None:
    """The 学员标兵 form's points, as the App shows them, and its two declarations."""
    page.get_by_label("填报总积分").fill(str(nominee.total_points))
    page.get_by_label("填报年度积分").fill(str(nominee.annual_points))
    page.get_by_label("被推荐人具有中华人民共和国国籍").check()
    page.get_by_label("所填信息及所附材料真实").check()


def upload_all_but_the_stamped_form(page: Page) -> None:
    """The 学员标兵 evidence a unit has before it prints and stamps the 报名表."""
    upload_evidence(page, "承诺书", file("承诺书.pdf", "application/pdf", PDF))
    upload_evidence(page, "场景照片", file("场景照片.png", "image/png", png()))
    upload_evidence(page, "积分截图", file("积分截图.png", "image/png", png()))


def open_screening(page: Page, category: str) -> None:
    """A reviewer's way to a category: 审核报送 in the header, then the category's row of his list."""
    page.get_by_role("link", name="审核报送").click()
    page.locator("tr", has_text=category).get_by_role("link", name="审核选入").click()
    expect(page.get_by_role("heading", name=f"审核报送 · {category}")).to_be_visible()


def click_and_confirm(page: Page, button, *, asks: str, unchanged=None) -> None:
    """Click `button` of an irreversible action: it must ask first, with `asks` in its question. The first
    answer is 取消 (and `unchanged()`, when given, must still hold: nothing was sent); the second 确定."""
    questions: list[str] = []

    def answer(accept: bool):
        def handle(dialog) -> None:
            questions.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        return handle

    page.once("dialog", answer(False))
    button.click()
    assert len(questions) == 1 and asks in questions[0], questions
    if unchanged is not None:
        assert unchanged()
    page.once("dialog", answer(True))
    button.click()
    assert len(questions) == 2


def see_message(page: Page, text: str) -> None:
    expect(page.locator("ul.messages")).to_contain_text(text)


def test_walkthrough_one_nomination_from_draft_to_commended(browser, live_server, media_root, screenshots):
    world = build_province()
    walk = Walk(browser, live_server.url, screenshots)
    name, school = world.nominee.name, world.tree["school"].name

    # 申报推荐 — the school's unit admin starts 学员标兵 for his top learner, fills the form, uploads.
    unit = walk.page("school")
    log_in(unit, "school")
    unit.get_by_role("link", name="申报", exact=True).click()
    unit.get_by_role("link", name="发起申报").click()
    unit.locator("li.choice", has_text="学员标兵").get_by_role("link", name="选择被推荐学员").click()
    unit.get_by_role("button", name=f"推荐{name}").click()
    expect(unit.get_by_role("heading", name="学员标兵申报表")).to_be_visible()
    unit.get_by_label("事迹简介").fill(SUMMARY)
    fill_points_and_pledges(unit, world.nominee)
    expect(unit.locator("#autosave-status")).to_contain_text("已自动保存")
    upload_all_but_the_stamped_form(unit)
    # The stamped 报名表 is required: the send button says so until it is there.
    expect(unit.locator("#submit-button")).to_have_text("还差 1 项，暂不能提交")
    expect(unit.locator("#submit-button")).to_be_disabled()
    expect(unit.locator("#checklist")).to_contain_text("盖章推荐表")
    # The unit downloads the 报名表 from the form, filled with what was typed, to print and stamp.
    with unit.expect_download() as download:
        unit.get_by_role("link", name="下载报名表（Word）").click()
    assert download.value.suggested_filename == f"【学员标兵】{name}（{school}）.docx"
    form = DocxDocument(BytesIO(download.value.path().read_bytes()))
    cells = [cell.text for table in form.tables for row in table.rows for cell in row.cells]
    assert name in cells and str(world.nominee.total_points) in cells
    assert SUMMARY in "\n".join([p.text for p in form.paragraphs] + cells)
    upload_evidence(unit, "盖章推荐表", file("报名表（盖章）.pdf", "application/pdf", PDF))
    walk.shot(unit, "unit-draft-form")
    unit.get_by_role("button", name="提交申报").click()
    see_message(unit, "已提交，现为：已申报")
    expect(unit.get_by_role("heading", name=f"学员标兵 · {name}")).to_be_visible()
    walk.shot(unit, "unit-submitted")
    nomination = Nomination.objects.get(nominee_account=world.nominee.account_id)
    assert nomination.state == NominationState.SUBMITTED

    # 审核报送 — 太原's reviewer confirms G.1, picks the nomination, gets the sheet, uploads the scan, submits.
    world.clock.enter(PhaseKey.SCREEN)
    reviewer = walk.page("taiyuan")
    log_in(reviewer, "taiyuan")
    open_screening(reviewer, "学员标兵")
    expect(reviewer.locator("tr", has_text=name)).to_contain_text("需审核人员判断 1 项")
    reviewer.get_by_role("link", name="去判定").click()
    reviewer.locator("form.decide", has=reviewer.get_by_label("对第 1 条条件的意见")).get_by_role(
        "button", name="符合", exact=True
    ).click()
    see_message(reviewer, "已记录判定")
    open_screening(reviewer, "学员标兵")
    reviewer.get_by_label("选入名单").check()
    reviewer.get_by_role("button", name="保存推荐名单").click()
    see_message(reviewer, "已保存“学员标兵”推荐名单（1 个）")
    walk.shot(reviewer, "screening-picked")
    reviewer.get_by_role("link", name=f"{world.tree['taiyuan'].name}推荐总表").click()
    with reviewer.expect_download() as download:
        reviewer.get_by_role("link", name="推荐总表（XLSX）").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(BytesIO(download.value.path().read_bytes()), read_only=True).active
    assert any(name in str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)
    reviewer.get_by_label("盖章扫描件（PDF 或图片）").set_input_files(
        file("推荐总表盖章.pdf", "application/pdf", PDF)
    )
    reviewer.get_by_role("button", name="上传", exact=True).click()
    see_message(reviewer, "已上传盖章扫描件")
    # The unit's evidence package: its forms and every file, named 【类型】姓名（单位）-材料名, and a contents
    # sheet; built by a background task (this test's runs at once) and downloaded from its page.
    reviewer.get_by_role("button", name="生成材料包").click()
    with reviewer.expect_download() as download:
        reviewer.get_by_role("link", name="下载材料包").click()
    with zipfile.ZipFile(BytesIO(download.value.path().read_bytes())) as package:
        packed = {PurePosixPath(n).name for n in package.namelist()}
        contents = load_workbook(
            BytesIO(package.read(next(n for n in package.namelist() if n.endswith("目录.xlsx"))))
        )
    stem = f"【学员标兵】{name}（{school}）"
    assert {
        f"{stem}-报名表.docx",
        f"{stem}-盖章推荐表.pdf",
        f"{stem}-积分截图.png",
        f"{stem}-承诺书.pdf",
    } <= packed
    listed = [str(cell) for row in contents.active.iter_rows(values_only=True) for cell in row]
    assert nomination.number in listed and "盖章推荐表" in listed
    reviewer.get_by_role("link", name="返回推荐总表").click()
    click_and_confirm(
        reviewer,
        reviewer.get_by_role("button", name="报送推荐总表"),
        asks="共 1 项申报，学员标兵 1 项。报送后名单不能再修改",
        unchanged=lambda: Nomination.objects.get(pk=nomination.pk).state == NominationState.SUBMITTED,
    )
    see_message(reviewer, "报送省平台")
    walk.shot(reviewer, "list-submitted")

    # 汇总公示 — the province admin (second factor) verifies the lists, selects, publishes.
    world.clock.enter(PhaseKey.ANNOUNCE)
    province = walk.page("province")
    province.set_viewport_size(DESKTOP)
    log_in(province, "province")
    enrol_authenticator(province, "province")
    province.get_by_role("link", name="汇总公示").click()
    expect(province.get_by_role("heading", name="名单核对")).to_be_visible()
    row = province.locator("tr", has_text=nomination.number)
    expect(row).to_contain_text(f"{world.nominee.total_points} / {world.nominee.total_points}")
    walk.shot(province, "province-verification-desktop")
    province.set_viewport_size(PHONE)
    row.get_by_role("button", name="拟入选", exact=True).click()
    see_message(province, "已将 1 项设为“拟入选”")
    walk.shot(province, "province-selected")
    province.get_by_role("link", name="发布公示", exact=True).click()
    click_and_confirm(
        province, province.get_by_role("button", name="发布公示", exact=True), asks="拟入选的 1 项"
    )
    see_message(province, "已发布公示 1 项")
    walk.shot(province, "province-published")

    public = walk.page("public")
    public.goto("/public/")
    entries = public.locator("section.list-block", has_text="学员标兵")
    expect(entries).to_contain_text(name)
    expect(entries).to_contain_text(school)
    body = public.locator("body").inner_text()
    assert world.nominee.account_id not in body and not PERSONAL_NUMBER.search(body)
    assert str(world.nominee.total_points) not in body
    walk.shot(public, "public-announcement")

    # The objection window (5 working days) ends with no objection; the province records the approval.
    world.clock.close_objection_windows(world.campaign)
    province.get_by_role("link", name="审批", exact=True).click()
    expect(province.get_by_text("可以登记审批结果")).to_be_visible()
    province.get_by_label("批复文号").fill("晋宣字〔2026〕18号")
    province.get_by_label("批复日期").fill(timezone.localdate().isoformat())
    click_and_confirm(
        province, province.get_by_role("button", name="登记审批"), asks="公示中的 1 项将全部变为“已审批”"
    )
    see_message(province, "审批通过 1 项")
    walk.shot(province, "province-approved")

    # 通报表扬 — the province commends; the final list shows the entry, inside and in public.
    world.clock.enter(PhaseKey.COMMEND)
    province.get_by_role("link", name="通报表扬", exact=True).click()
    click_and_confirm(
        province,
        province.get_by_role("button", name="将已审批的 1 项通报表扬"),
        asks="将已审批的 1 项通报表扬：表扬名单随即在公开页面发布",
        unchanged=lambda: Nomination.objects.get(pk=nomination.pk).state == NominationState.APPROVED,
    )
    see_message(province, "已通报表扬 1 项")
    final = province.locator("#final-list")
    expect(final).to_contain_text(name)
    expect(final).to_contain_text(school)
    walk.shot(province, "commended-final-list")
    public.goto("/public/final/")
    expect(public.locator("section.list-block", has_text="学员标兵")).to_contain_text(name)
    walk.shot(public, "public-final-list")

    # The certificate: downloaded by the province, verified by anybody at the address of its QR code.
    with province.expect_download() as download:
        final.get_by_role("link", name="下载证书").click()
    assert download.value.suggested_filename == f"【学员标兵】{name}（{school}）-证书.pdf"
    assert download.value.path().read_bytes().startswith(b"%PDF-")
    serial = Certificate.objects.get(nomination=nomination).serial
    public.goto(f"/public/verify/{serial}/")
    expect(public.locator(".verify-result")).to_have_text("此证书真实有效。")
    expect(public.locator("dl.facts")).to_contain_text(name)
    walk.shot(public, "certificate-verified")

    # The nomination's page tells its whole story.
    final.get_by_role("link", name=name).click()
    expect(province.locator(".badge.commended").first).to_have_text("已表扬")
    walk.shot(province, "nomination-history")
    assert province.locator("ol.history > li b").all_inner_texts() == [
        "创建申报",
        "上传材料",
        "上传材料",
        "上传材料",
        "上传材料",
        "提交申报",
        "提交的申报内容",
        "资格条件人工判定",
        "报送省平台",
        "拟入选",
        "公示",
        "审批通过",
        "通报表扬",
    ]
    nomination.refresh_from_db()
    assert nomination.state == NominationState.COMMENDED

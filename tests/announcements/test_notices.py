"""The 公示 notice and the 表扬通报 from the data: stroke order, the window, the contact, the approval;
downloads for the province and (the 公示 PDF) for anybody while a 公示 is published; each audited."""

import io
from datetime import date
from urllib.parse import quote

import pytest
from django.urls import reverse
from docx import Document

from jixing.announcements.domain.approval import record_approval
from jixing.announcements.domain.notices import NoticeRefused, commendation_notice_data
from jixing.announcements.domain.publishing import publish
from jixing.announcements.models import Announcement
from jixing.audit.enums import AuditAction
from jixing.audit.models import AuditEvent
from jixing.nominations.enums import NominationState as S
from jixing.orgs.enums import OrgLevel
from tests.announcements.helpers import GOOD, at, evaluated, listed
from tests.documents.pdf_reading import pdf_fonts, pdf_text
from tests.factories import make_campaign, make_learner, make_org

CAMPAIGN = "2022年度“学习强国”山西学习之星集结活动"
NOTICE_NAME = f"{CAMPAIGN}拟表扬对象公示（2023年1月20日）"


@pytest.fixture
def published(world):
    world.campaign.contact = {
        "organisation": "省委教育工委",
        "person": "周老师",
        "phone": "0351-0000000",
        "email": "",
    }
    world.campaign.save(update_fields=["contact"])
    # 李四 in a unit of his own: one person per unit passes 1.1.
    world.tree["fifth"] = make_org(name="太原市第五中学", level=OrgLevel.UNIT, parent=world.tree["county"],
                                   code="TY-QX-S5", is_legal_entity=True, members=40, staff=45)  # fmt: skip
    world.learners["A5"] = make_learner(snapshot=world.snapshot, org=world.tree["fifth"], account_id="A5",
                                        name="李四", **GOOD)  # fmt: skip
    nominations = [
        listed(world, "A1", state=S.SELECTED),  # 张三
        listed(world, "A5", org="fifth", state=S.SELECTED),  # 李四
        listed(world, "D1", org="datong_school", state=S.SELECTED),  # 王五
    ]
    evaluated(world, *nominations)
    publish(campaign=world.campaign, actor=world.users.province, now=at(2023, 1, 20))
    return Announcement.objects.get()


def _names_in_order(text, names):
    positions = {name: text.find(name) for name in names}
    assert -1 not in positions.values(), positions
    return sorted(names, key=positions.get)


def _disposition(response, filename):
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith(f"filename*=UTF-8''{quote(filename)}")


def _events():
    return list(
        AuditEvent.objects.filter(action=AuditAction.ANNOUNCEMENT_DOCUMENT_DOWNLOAD)
        .order_by("seq")
        .values_list("actor__username", "after__document", "after__format", "after__rows")
    )


def test_announcement_notice_word_lists_in_stroke_order_with_window_objection_and_contact(
    client, world, published
):
    positions = dict(published.entries.values_list("display_name", "position"))
    assert sorted(positions, key=positions.get) != ["王五", "李四", "张三"]  # published in another order
    client.force_login(world.users.province)
    response = client.get(reverse("review:province_announcement_docx", args=[published.pk]))
    assert response.status_code == 200
    _disposition(response, f"{NOTICE_NAME}.docx")
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    # 王 (4 strokes), 李 (7, first stroke 横), 张 (7, first stroke 折)
    assert [r[1] for r in rows] == ["姓名", "王五", "李四", "张三"]
    assert "一、学员标兵（3名）" in text
    assert (
        f"公示期为2023年1月20日至{published.ends_on.year}年{published.ends_on.month}月{published.ends_on.day}日（5个工作日）"
        in text
    )
    assert "反映方式：访问公示页面 http://testserver/public/ ，在公示对象后点击“实名反映”填写提交。" in text
    assert "匿名反映不予受理" in text and "每条不超过2000字" in text
    assert ("联系单位：省委教育工委" in text, "联系人：周老师" in text, "电子邮箱" in text) == (
        True,
        True,
        False,
    )
    assert _events() == [("p", "公示", "docx", 3)]


def test_announcement_notice_pdf_for_the_province_in_stroke_order_with_fonts(client, world, published):
    client.force_login(world.users.province)
    response = client.get(reverse("review:province_announcement_pdf", args=[published.pk]))
    assert response["Content-Type"] == "application/pdf"
    _disposition(response, f"{NOTICE_NAME}.pdf")
    text = pdf_text(response.content)
    assert _names_in_order(text, ["张三", "李四", "王五"]) == ["王五", "李四", "张三"]
    assert ("拟表扬对象的公示" in text, "联系人：周老师" in text) == (True, True)
    assert all(pdf_fonts(response.content).values())
    assert _events() == [("p", "公示", "pdf", 3)]


def test_announcement_notice_leaves_out_a_withdrawn_nomination(client, world, published):
    withdrawn = published.entries.get(display_name="李四").nomination
    withdrawn.state = S.WITHDRAWN
    withdrawn.save(update_fields=["state"])
    client.force_login(world.users.province)
    response = client.get(reverse("review:province_announcement_docx", args=[published.pk]))
    rows = [[c.text for c in row.cells] for row in Document(io.BytesIO(response.content)).tables[0].rows]
    assert [r[1] for r in rows] == ["姓名", "王五", "张三"]


@pytest.mark.parametrize("name", ["province_announcement_docx", "province_announcement_pdf"])
def test_announcement_notice_is_for_the_province_only(client, world, published, name):
    url = reverse(f"review:{name}", args=[published.pk])
    statuses = {}
    for user in ("taiyuan", "school", "learner"):
        client.force_login(getattr(world.users, user))
        statuses[user] = client.get(url).status_code
    client.logout()
    assert (statuses, client.get(url).status_code) == ({"taiyuan": 403, "school": 403, "learner": 403}, 302)
    assert _events() == []


def test_announcement_notice_of_another_campaign_is_not_found(client, world, published):
    client.force_login(world.users.province)
    url = reverse("review:province_announcement_docx", args=[published.pk + 1000])
    assert client.get(url).status_code == 404


def test_public_announcement_pdf_without_login_while_published(client, world, published):
    response = client.get(reverse("public:announcement_pdf", args=[published.pk]))
    assert response.status_code == 200
    _disposition(response, f"{NOTICE_NAME}.pdf")
    text = pdf_text(response.content)
    assert _names_in_order(text, ["张三", "李四", "王五"]) == ["王五", "李四", "张三"]
    assert _events() == [(None, "公示", "pdf", 3)]
    page = client.get(reverse("public:announcement")).content.decode()
    assert reverse("public:announcement_pdf", args=[published.pk]) in page


def test_public_announcement_pdf_is_not_found_before_publication_or_for_another_campaign(client, world):
    assert client.get(reverse("public:announcement_pdf", args=[1])).status_code == 404
    nomination = listed(world, "A1", state=S.SELECTED)
    evaluated(world, nomination)
    publish(campaign=world.campaign, actor=world.users.province, now=at(2023, 1, 20))
    announcement = Announcement.objects.get()
    assert client.get(reverse("public:announcement_pdf", args=[announcement.pk])).status_code == 200
    # A newer campaign becomes the current one: the old 公示 is no longer published here.
    newer = make_campaign(slug="newer-campaign")
    newer.year += 1
    newer.save(update_fields=["year"])
    assert client.get(reverse("public:announcement_pdf", args=[announcement.pk])).status_code == 404
    assert [e[0] for e in _events()] == [None]


def _approve(world):
    return record_approval(
        campaign=world.campaign, actor=world.users.province, document_ref="晋宣批〔2023〕5号",
        approved_on=date(2023, 2, 3), note="同意", now=at(2023, 2, 3),
    )  # fmt: skip


def test_commendation_notice_before_approval_is_refused_and_sends_back(client, world, published):
    with pytest.raises(NoticeRefused, match="尚无审批通过的名单"):
        commendation_notice_data(world.campaign)
    client.force_login(world.users.province)
    response = client.get(reverse("review:province_commendation_pdf"))
    assert (response.status_code, response["Location"]) == (302, reverse("review:province_approval"))
    assert _events() == []


def test_commendation_notice_has_the_approval_and_the_final_list_in_stroke_order(client, world, published):
    _approve(world)
    client.force_login(world.users.province)
    response = client.get(reverse("review:province_commendation_docx"))
    _disposition(response, f"{CAMPAIGN}表扬通报.docx")
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert document.paragraphs[0].text == f"关于对{CAMPAIGN}先进典型予以通报表扬的通报"
    assert "并报省委宣传部批复同意（晋宣批〔2023〕5号，2023年2月3日），决定对以下3名个人予以通报表扬" in text
    assert "联系人：周老师" in text and "联系电话：0351-0000000" in text  # the campaign's contact
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows[1:] == [
        ["1", "王五", "大同市第二中学"],
        ["2", "李四", "太原市第五中学"],
        ["3", "张三", "清徐县第一中学"],
    ]
    response = client.get(reverse("review:province_commendation_pdf"))
    _disposition(response, f"{CAMPAIGN}表扬通报.pdf")
    text = pdf_text(response.content)
    assert ("晋宣批〔2023〕5号" in text, _names_in_order(text, ["张三", "李四", "王五"])) == (
        True,
        ["王五", "李四", "张三"],
    )
    assert "联系人：周老师" in text
    assert all(pdf_fonts(response.content).values())
    assert _events() == [("p", "表扬通报", "docx", 3), ("p", "表扬通报", "pdf", 3)]


@pytest.mark.parametrize("name", ["province_commendation_docx", "province_commendation_pdf"])
def test_commendation_notice_is_for_the_province_only(client, world, published, name):
    _approve(world)
    for user in ("taiyuan", "school", "learner"):
        client.force_login(getattr(world.users, user))
        assert client.get(reverse(f"review:{name}")).status_code == 403
    assert _events() == []


def test_province_pages_link_the_notices(client, world, published):
    _approve(world)
    client.force_login(world.users.province)
    publication = client.get(reverse("review:province_publication")).content.decode()
    approval = client.get(reverse("review:province_approval")).content.decode()
    assert reverse("review:province_announcement_docx", args=[published.pk]) in publication
    assert reverse("review:province_announcement_pdf", args=[published.pk]) in publication
    assert reverse("review:province_commendation_docx") in approval
    assert reverse("review:province_commendation_pdf") in approval

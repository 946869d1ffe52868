"""The campaign's 联系方式 on the public pages and in the 公示 notice."""

import io

import pytest
from django.urls import reverse
from docx import Document

from jixing.announcements.domain.notices import NoticeFormat, build_announcement_notice, contact_lines
from jixing.announcements.domain.publishing import publish
from jixing.nominations.enums import NominationState as S
from tests.announcements.helpers import build_world, evaluated, listed
from tests.portal.conftest import open_phase

pytestmark = pytest.mark.django_db

CONTACT = {
    "organisation": "省委教育工委",
    "person": "李明（演示）",
    "phone": "0351-0000000",
    "email": "contact@example.org",
}
SHOWN = "联系方式：联系人 李明（演示），电话 0351-0000000，电子邮箱"


@pytest.fixture
def world():
    world = build_world()
    world.campaign.contact = CONTACT
    world.campaign.save(update_fields=["contact"])
    open_phase(world.campaign, "announce")
    nomination = listed(world, "A1", state=S.SELECTED)
    evaluated(world, nomination)
    world.announcement = publish(campaign=world.campaign, actor=world.users.province)
    world.entry = world.announcement.entries.get()
    return world


def test_public_pages_show_the_contact(client, world):
    for url in (reverse("public:announcement"), reverse("public:final"), reverse("public:announcements"),
                reverse("public:objection", args=[world.entry.pk]), reverse("public:receipt_lookup")):  # fmt: skip
        body = client.get(url).content.decode()
        assert SHOWN in body and 'href="mailto:contact@example.org"' in body, url


def test_without_a_contact_the_pages_say_nothing_of_it(client, world):
    world.campaign.contact = {"organisation": "省委教育工委"}
    world.campaign.save(update_fields=["contact"])
    assert "联系方式：" not in client.get(reverse("public:announcement")).content.decode()


def test_the_announcement_notice_names_the_contact(world):
    assert contact_lines(world.campaign) == ["联系单位：省委教育工委", "联系人：李明（演示）",
                                             "联系电话：0351-0000000", "电子邮箱：contact@example.org"]  # fmt: skip
    notice = build_announcement_notice(world.announcement, fmt=NoticeFormat.DOCX, objection_url="http://testserver/",
                                       actor=world.users.province)  # fmt: skip
    text = "\n".join(p.text for p in Document(io.BytesIO(notice.content)).paragraphs)
    assert "联系人：李明（演示）" in text and "电子邮箱：contact@example.org" in text

"""The 公示 notice and the 表扬通报 as documents to post (DOCX and PDF): the data gathered from a published
list or the approved one, in official order (category, then 姓氏笔画), and each download an audit event.

The lists come from the entries' public columns (name, unit, category, copied at publication): never a
nomination's personal data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from jixing.accounts.permissions import is_province_admin
from jixing.announcements.domain.certificates import signed, signing_key
from jixing.announcements.domain.objections import CONTENT_MAX
from jixing.announcements.domain.ordering import official_order
from jixing.announcements.domain.public import ON_PUBLIC_LIST
from jixing.announcements.models import Announcement, AnnouncementEntry, Approval
from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.campaigns.domain.queries import current_campaign
from jixing.campaigns.models import Campaign
from jixing.documents import announcement_notice, commendation_notice
from jixing.documents.announcement_notice import AnnouncementNotice
from jixing.documents.commendation_notice import CommendationNotice
from jixing.documents.filenames import safe_filename
from jixing.documents.official_list import ListBlock, ListEntry, chinese_date
from jixing.nominations.enums import NominationState as S
from jixing.nominations.models import Nomination
from jixing.refusals import Refused

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
# The approved list: approved by the 省委宣传部, and commended once 通报表扬 is done.
ON_FINAL_LIST = (S.APPROVED, S.COMMENDED)
CONTACT_LABELS = (
    ("organisation", "联系单位"),
    ("person", "联系人"),
    ("phone", "联系电话"),
    ("email", "电子邮箱"),
)


class NoticeFormat(StrEnum):
    DOCX = "docx"
    PDF = "pdf"


class NoticeRefused(Refused):
    """A notice that cannot be made now (nothing approved yet); the message says why, in Chinese."""


@dataclass(frozen=True)
class BuiltNotice:
    filename: str
    content_type: str
    content: bytes


def _blocks(rows: Iterable[tuple[int, str, bool, str, str]]) -> list[ListBlock]:
    """(category number, category name, is person, name, unit) → blocks by category, each in 姓氏笔画
    order (a unit's name by the same rule); rows that compare equal keep the order given."""
    ordered = sorted(rows, key=lambda r: official_order(category_number=r[0], is_person=r[2], name=r[3]))
    blocks: dict[int, tuple[str, bool, list[ListEntry]]] = {}
    for number, category, is_person, name, unit in ordered:
        entries = blocks.setdefault(number, (category, is_person, []))[2]
        entries.append(ListEntry(name=name, unit=unit if is_person else ""))
    return [ListBlock(category, is_person, entries) for category, is_person, entries in blocks.values()]


def contact_lines(campaign: Campaign) -> list[str]:
    """「联系单位：…」「联系人：…」「联系电话：…」「电子邮箱：…」 for what the campaign's contact names."""
    contact = campaign.contact if isinstance(campaign.contact, dict) else {}
    return [
        f"{label}：{str(contact[key]).strip()}"
        for key, label in CONTACT_LABELS
        if str(contact.get(key) or "").strip()
    ]


def _issuer(campaign: Campaign) -> str:
    contact = campaign.contact if isinstance(campaign.contact, dict) else {}
    return str(contact.get("organisation") or "").strip()


def objection_rules(announcement: Announcement) -> list[str]:
    """The rules of a real-name objection (objections.check_objection), as the notice states them."""
    return [
        "实名反映须填写反映人真实姓名和联系电话（11位手机号码或带区号的固定电话），匿名反映不予受理；"
        "反映人信息严格保密。",
        f"反映内容应客观真实、具体明确，每条不超过{CONTENT_MAX}字。",
        f"受理时间为{chinese_date(announcement.starts_on)}0时至{chinese_date(announcement.ends_on)}24时，"
        "公示期外不予受理；已撤销的公示对象不再受理反映。",
    ]


def announcement_notice_data(
    announcement: Announcement, *, objection_url: str, today: date | None = None
) -> AnnouncementNotice:
    """Plain data of the 公示 notice: the entries still on the public list, by category in stroke order,
    the window, how to object at `objection_url` (the public 公示 page), the contact. One query for the
    entries."""
    campaign = announcement.campaign
    entries = (
        AnnouncementEntry.objects.filter(announcement=announcement, nomination__state__in=ON_PUBLIC_LIST)
        .order_by("position")
        .values_list("category_number", "category_name", "is_person", "display_name", "display_unit")
    )
    return AnnouncementNotice(
        campaign=campaign.name,
        blocks=_blocks(entries),
        starts_on=announcement.starts_on,
        ends_on=announcement.ends_on,
        working_days=announcement.working_days,
        objection_url=objection_url,
        objection_rules=objection_rules(announcement),
        contact=contact_lines(campaign),
        issuer=_issuer(campaign),
        issued_on=today or timezone.localdate(announcement.published_at),
    )


def latest_approval(campaign: Campaign) -> Approval | None:
    return Approval.objects.filter(campaign=campaign).order_by("-recorded_at").first()


def commendation_notice_data(campaign: Campaign, *, today: date | None = None) -> CommendationNotice:
    """Plain data of the 表扬通报: the approved (and commended) nominations by category in stroke order,
    with their public name and unit, and the latest approval's 批复文号 and date when recorded.

    Raises NoticeRefused when nothing is approved yet."""
    rows = []
    nominations = (
        Nomination.objects.filter(campaign=campaign, state__in=ON_FINAL_LIST)
        .select_related("category", "nominee_org", "recommending_org", "announcement_entry")
        .order_by("category__number", "announcement_entry__position", "number")
    )
    for n in nominations:
        entry = getattr(n, "announcement_entry", None)
        if entry is not None:
            name, unit = entry.display_name, entry.display_unit
        else:  # approved without a published entry (data from before this app): the nomination's names
            name = n.nominee_org.name if n.nominee_org is not None else n.nominee_name
            unit = n.recommending_org.name
        rows.append((n.category.number, n.category.name, n.category.is_person, name, unit))
    if not rows:
        raise NoticeRefused("尚无审批通过的名单：请先登记省委宣传部审批结果")
    approval = latest_approval(campaign)
    return CommendationNotice(
        campaign=campaign.name,
        blocks=_blocks(rows),
        issuer=_issuer(campaign),
        issued_on=today or timezone.localdate(),
        document_ref=approval.document_ref if approval else "",
        approved_on=approval.approved_on if approval else None,
        contact=contact_lines(campaign),
    )


def public_announcement(pk: int) -> Announcement | None:
    """A published 公示 of the current campaign, for its public PDF; None for any other."""
    campaign = current_campaign()
    if campaign is None:
        return None
    return Announcement.objects.select_related("campaign").filter(pk=pk, campaign=campaign).first()


def build_announcement_notice(
    announcement: Announcement,
    *,
    fmt: NoticeFormat,
    objection_url: str,
    actor,
    ip: str | None = None,
    public: bool = False,
) -> BuiltNotice:
    """The 公示 notice in `fmt`, named 「{活动}拟表扬对象公示（2023年1月20日）.pdf」. Province admins
    only, unless `public` (the public page's PDF, which anybody may download: the caller passes only
    a published 公示, see public_announcement).

    Side effects: an audit event `announcement.document_download` naming the document and format.
    """
    if not public and not is_province_admin(actor):
        raise PermissionDenied("只有省平台管理员可以下载公示文件")
    data = announcement_notice_data(announcement, objection_url=objection_url)
    content = (
        announcement_notice.to_docx(data) if fmt == NoticeFormat.DOCX else announcement_notice.to_pdf(data)
    )
    filename = safe_filename(
        f"{announcement.campaign.name}拟表扬对象公示（{chinese_date(announcement.starts_on)}）", str(fmt)
    )
    rows = sum(len(b.entries) for b in data.blocks)
    _record(target=announcement, document="公示", fmt=fmt, filename=filename, rows=rows, actor=actor, ip=ip)
    return BuiltNotice(filename, DOCX if fmt == NoticeFormat.DOCX else PDF, content)


def build_commendation_notice(
    campaign: Campaign, *, fmt: NoticeFormat, actor, ip: str | None = None
) -> BuiltNotice:
    """The 表扬通报 in `fmt`, named 「{活动}表扬通报.docx」. Province admins only.

    The PDF is signed (certificates.signed). Side effects: an audit event
    `announcement.document_download` naming the document and format. Raises NoticeRefused when nothing
    is approved yet.
    """
    if not is_province_admin(actor):
        raise PermissionDenied("只有省平台管理员可以下载表扬通报")
    data = commendation_notice_data(campaign)
    if fmt == NoticeFormat.DOCX:
        content = commendation_notice.to_docx(data)
    else:  # the final list as PDF is signed (PAdES) with the province's key, or the demo's
        content = signed(commendation_notice.to_pdf(data), reason="通报表扬名单", key=signing_key())
    filename = safe_filename(f"{campaign.name}表扬通报", str(fmt))
    rows = sum(len(b.entries) for b in data.blocks)
    _record(target=campaign, document="表扬通报", fmt=fmt, filename=filename, rows=rows, actor=actor, ip=ip)
    return BuiltNotice(filename, DOCX if fmt == NoticeFormat.DOCX else PDF, content)


def _record(
    *, target, document: str, fmt: NoticeFormat, filename: str, rows: int, actor, ip: str | None
) -> None:
    with transaction.atomic():
        record_event(
            action=AuditAction.ANNOUNCEMENT_DOCUMENT_DOWNLOAD,
            actor=actor,
            target=target,
            summary=f"下载{document}（{fmt.upper()}，{rows} 项）",
            after={"document": document, "format": str(fmt), "filename": filename, "rows": rows},
            ip=ip,
        )

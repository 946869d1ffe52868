"""The final list (通报表扬名单) for the province: shown and exported; each export is an audit event."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from jixing.accounts.permissions import is_province_admin
from jixing.announcements.domain.ordering import official_order
from jixing.announcements.models import Approval
from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.campaigns.models import Campaign
from jixing.documents.final_list import FinalListRow, build_final_list
from jixing.nominations.enums import NominationState as S
from jixing.nominations.models import Nomination


@dataclass(frozen=True)
class FinalEntry:
    nomination: Nomination
    name: str
    unit: str


def final_entries(*, campaign: Campaign) -> list[FinalEntry]:
    """Commended nominations in list order (category, then surname stroke order of the name; equal
    names as published), with the public name and unit recorded at publication. One query."""
    rows = (
        Nomination.objects.filter(campaign=campaign, state=S.COMMENDED)
        .select_related("category", "recommending_org", "reporting_unit", "nominee_org", "announcement_entry")
        .order_by("category__number", "announcement_entry__position", "number")
    )
    entries = [_final_entry(n) for n in rows]
    return sorted(
        entries,
        key=lambda e: official_order(
            category_number=e.nomination.category.number,
            is_person=e.nomination.category.is_person,
            name=e.name,
        ),
    )


def _final_entry(n: Nomination) -> FinalEntry:
    entry = getattr(n, "announcement_entry", None)
    if entry is not None:
        return FinalEntry(n, entry.display_name, entry.display_unit)
    # Commended without a published entry (data from before this app): the nomination's own names.
    name = n.nominee_org.name if n.nominee_org is not None else n.nominee_name
    return FinalEntry(n, name, n.recommending_org.name)


def export_final_list(*, campaign: Campaign, actor, ip: str | None = None) -> tuple[str, bytes]:
    """The final list as XLSX: (file name, content). No ID or phone numbers in it.

    Side effects: an audit event `export.final_list` with the number of rows.
    """
    if not is_province_admin(actor):
        raise PermissionDenied("只有省平台管理员可以导出表扬名单")
    entries = final_entries(campaign=campaign)
    approval = Approval.objects.filter(campaign=campaign).order_by("-recorded_at").first()
    subtitle = f"共 {len(entries)} 项"
    if approval is not None:
        subtitle = (
            f"省委宣传部批复：{approval.document_ref}（{approval.approved_on:%Y年%m月%d日}） · " + subtitle
        )
    content = build_final_list(
        title=f"{campaign.name}通报表扬名单",
        subtitle=subtitle,
        rows=[
            FinalListRow(
                category=e.nomination.category.name,
                is_person=e.nomination.category.is_person,
                name=e.name,
                unit=e.unit,
                recommending_unit=e.nomination.recommending_org.name,
                reporting_unit=e.nomination.reporting_unit.name,
                number=e.nomination.number,
            )
            for e in entries
        ],
    )
    with transaction.atomic():
        record_event(
            action=AuditAction.EXPORT_FINAL_LIST,
            actor=actor,
            target=campaign,
            summary=f"导出通报表扬名单（{len(entries)} 项）",
            after={"rows": len(entries)},
            ip=ip,
        )
    return f"{campaign.name}通报表扬名单.xlsx", content

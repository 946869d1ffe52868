"""What the public sees: the published list and the final list, from the entries' public columns
(name, unit, category) only — never a nomination's personal data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet

from jixing.announcements.domain.ordering import official_order
from jixing.announcements.enums import WindowState
from jixing.announcements.models import Announcement, AnnouncementEntry, Approval, Objection
from jixing.campaigns.models import Campaign
from jixing.nominations.enums import NominationState as S
from jixing.tables.strokes import NameKey

# A published entry stays on the public list unless it was withdrawn (公示异议成立 or otherwise).
ON_PUBLIC_LIST = (S.PUBLISHED, S.APPROVED, S.COMMENDED)


@dataclass
class CategoryBlock:
    name: str
    is_person: bool
    entries: list[AnnouncementEntry] = field(default_factory=list)


def _official_order(entry: AnnouncementEntry) -> tuple[int, NameKey]:
    return official_order(
        category_number=entry.category_number, is_person=entry.is_person, name=entry.display_name
    )


def _blocks(entries: QuerySet[AnnouncementEntry]) -> list[CategoryBlock]:
    blocks: dict[int, CategoryBlock] = {}
    for entry in sorted(entries.order_by("announcement__published_at", "position"), key=_official_order):
        block = blocks.setdefault(entry.category_number, CategoryBlock(entry.category_name, entry.is_person))
        block.entries.append(entry)
    return list(blocks.values())


def _public_entries() -> QuerySet[AnnouncementEntry]:
    # Only the public columns and the state are read; `only` keeps the nomination's other fields out.
    return AnnouncementEntry.objects.select_related("announcement", "nomination").only(
        "position", "category_name", "category_number", "is_person", "display_name", "display_unit",
        "announcement__starts_on", "announcement__ends_on", "announcement__published_at",
        "announcement__window_starts_at", "announcement__window_ends_at", "nomination__state",
    )  # fmt: skip


@dataclass
class PublicAnnouncement:
    announcement: Announcement
    blocks: list[CategoryBlock]
    window: WindowState


def window_state(announcement: Announcement, now: datetime) -> WindowState:
    if now < announcement.window_starts_at:
        return WindowState.UPCOMING
    return WindowState.CLOSED if announcement.has_closed(now) else WindowState.OPEN


def public_announcements(campaign: Campaign, *, now: datetime) -> list[PublicAnnouncement]:
    """The campaign's published lists, newest first, each by category in surname stroke order. Two
    queries."""
    announcements = list(Announcement.objects.filter(campaign=campaign).order_by("-published_at"))
    entries = _public_entries().filter(announcement__campaign=campaign, nomination__state__in=ON_PUBLIC_LIST)
    by_announcement: dict[int, list[AnnouncementEntry]] = {}
    for entry in entries.order_by("position"):
        by_announcement.setdefault(entry.announcement_id, []).append(entry)
    result = []
    for a in announcements:
        blocks: dict[int, CategoryBlock] = {}
        for entry in sorted(by_announcement.get(a.pk, []), key=_official_order):
            blocks.setdefault(entry.category_number, CategoryBlock(entry.category_name, entry.is_person))
            blocks[entry.category_number].entries.append(entry)
        result.append(PublicAnnouncement(a, list(blocks.values()), window_state(a, now)))
    return result


def final_list(campaign: Campaign) -> list[CategoryBlock]:
    """The commended people and units (通报表扬名单), by category in surname stroke order. One query.
    Once it has anyone, the public front page (/ and /public/) shows it instead of the expired 公示."""
    return _blocks(_public_entries().filter(announcement__campaign=campaign, nomination__state=S.COMMENDED))


def final_approvals(campaign: Campaign) -> list[Approval]:
    """The 省委宣传部's approvals the final list rests on (批复文号 and date), in the order given. One
    query."""
    return list(
        Approval.objects.filter(campaign=campaign)
        .order_by("approved_on", "recorded_at")
        .only("document_ref", "approved_on")
    )


def entry_open_to_objection(pk: int) -> AnnouncementEntry | None:
    """A public entry by id, with its announcement and nomination, if it is still on a public list."""
    return (
        AnnouncementEntry.objects.select_related("announcement__campaign", "nomination__category")
        .filter(pk=pk, nomination__state__in=ON_PUBLIC_LIST)
        .first()
    )


def objection_by_receipt(receipt: str) -> Objection | None:
    """An objection by its receipt, with what its sender may see: whom it is about, when it was
    received, and once handled the outcome, when and the finding (核查情况) as the reply."""
    return (
        Objection.objects.select_related("nomination__announcement_entry")
        .only(
            "receipt",
            "received_at",
            "outcome",
            "handled_at",
            "note",
            "nomination__announcement_entry__display_name",
            "nomination__announcement_entry__category_name",
            "nomination__id",
        )
        .filter(receipt=receipt)
        .first()
    )

"""The world the access matrix runs in: one nomination of 太原 at every stage's objects, six roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.core.files.base import ContentFile

from jixing.accounts.enums import UserRole
from jixing.announcements.models import Announcement, AnnouncementEntry, Objection
from jixing.imports.enums import ImportKind, JobState
from jixing.imports.models import ImportJob
from jixing.nominations.models import Attachment, RecommendationList, SealedScan
from tests.factories import (
    make_campaign,
    make_learner,
    make_nomination,
    make_small_province,
    make_snapshot,
    make_user,
)

ROLES = ("anonymous", "learner", "unit_admin", "reviewer", "other_reviewer", "province")


@dataclass
class AccessWorld:
    users: dict
    ids: dict


def build_access_world() -> AccessWorld:
    tree = make_small_province()
    snapshot = make_snapshot()
    make_learner(snapshot=snapshot, org=tree["dept"], account_id="A1")
    campaign = make_campaign()
    nomination = make_nomination(campaign=campaign, recommending_org=tree["school"], nominee_account="A1",
                                 state="published", submitted_at=datetime(2023, 1, 5, tzinfo=UTC))  # fmt: skip
    attachment = Attachment(nomination=nomination, kind="承诺书", original_name="承诺书.pdf", size=8)
    attachment.file.save("a.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    lst = RecommendationList.objects.create(campaign=campaign, reporting_unit=tree["taiyuan"])
    scan = SealedScan(
        recommendation_list=lst,
        original_name="盖章.pdf",
        size=8,
        uploaded_at=datetime(2023, 1, 12, tzinfo=UTC),
    )
    scan.file.save("s.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    moment = datetime(2023, 1, 20, tzinfo=UTC)
    announcement = Announcement.objects.create(
        campaign=campaign, published_at=moment, starts_on=date(2023, 1, 20), ends_on=date(2023, 2, 1),
        working_days=5, window_starts_at=moment, window_ends_at=datetime(2023, 2, 1, 16, tzinfo=UTC),
    )  # fmt: skip
    entry = AnnouncementEntry.objects.create(
        announcement=announcement, nomination=nomination, position=1, category_name="学员标兵",
        category_number=1, display_name="测试学员", display_unit="清徐县第一中学",
    )  # fmt: skip
    objection = Objection.objects.create(nomination=nomination, receipt="R2023ABC", name="反映人", phone="10000000009",
                                         content="内容", received_at=moment)  # fmt: skip
    users = {
        "anonymous": None,
        "learner": make_user(username="l", role=UserRole.LEARNER, org=tree["dept"], account_id="A1"),
        "unit_admin": make_user(username="s", role=UserRole.UNIT_ADMIN, org=tree["school"]),
        "reviewer": make_user(username="ty", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"]),
        "other_reviewer": make_user(username="dt", role=UserRole.REPORTING_REVIEWER, org=tree["datong"]),
        "province": make_user(
            username="p", role=UserRole.PROVINCE_ADMIN, org=tree["province"], is_staff=True
        ),
    }
    job = ImportJob.objects.create(kind=ImportKind.ORGS, state=JobState.DONE, original_name="组织架构.csv")
    ids = {
        "pk": nomination.pk, "job_pk": job.pk, "attachment_pk": attachment.pk, "org_pk": tree["taiyuan"].pk, "scan_pk": scan.pk,
        "entry_pk": entry.pk, "receipt": objection.receipt, "objection_pk": objection.pk,
        "phase_pk": campaign.phases.get(key="apply").pk, "campaign_pk": campaign.pk, "announcement_pk": announcement.pk,
    }  # fmt: skip
    return AccessWorld(users, ids)

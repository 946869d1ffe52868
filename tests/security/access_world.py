"""The world the access matrix runs in: a 公示 under way (announce phase open) with 太原's published
nomination and every stage's objects, a submitted and a recommended one beside it, and two users of every
role but the province, the second in another subtree (大同)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.core.files.base import ContentFile

from jixing.accounts.enums import UserRole
from jixing.announcements.models import Announcement, AnnouncementEntry, Objection
from jixing.imports.enums import ImportKind, JobState
from jixing.imports.models import ImportJob
from jixing.nominations.enums import PackageScope
from jixing.nominations.models import Attachment, EvidencePackage, RecommendationList, SealedScan
from jixing.notifications.models import Notification
from jixing.orgs.enums import OrgLevel
from tests.factories import (
    make_campaign,
    make_learner,
    make_nomination,
    make_org,
    make_small_province,
    make_snapshot,
    make_user,
)
from tests.portal.conftest import open_phase

ROLES = ("anonymous", "learner", "other_learner", "unit_admin", "other_unit_admin", "reviewer", "other_reviewer",
         "province", "volunteer_manager")  # fmt: skip


@dataclass
class AccessWorld:
    users: dict
    ids: dict


def build_access_world() -> AccessWorld:
    tree = make_small_province()
    snapshot = make_snapshot()
    make_learner(snapshot=snapshot, org=tree["dept"], account_id="A1")
    make_learner(snapshot=snapshot, org=tree["datong_school"], account_id="D1", name="司马·文静")
    campaign = make_campaign()
    open_phase(campaign, "announce")
    # G.1 awaits a reviewer's judgement on each: review:decide has something to decide.
    manual = {"G.1": {"outcome": "manual", "values": {}, "reviewed": False}}
    nomination = make_nomination(campaign=campaign, recommending_org=tree["school"], nominee_account="A1",
                                 state="published", submitted_at=datetime(2023, 1, 5, tzinfo=UTC),
                                 rule_results=manual)  # fmt: skip
    # Before 太原's reviewer (screening_act returns it), and on 太原's list before the province (select).
    sibling = make_org(name="清徐县第二中学", level=OrgLevel.UNIT, parent=tree["county"], code="TY-QX-S2",
                       is_legal_entity=True)  # fmt: skip
    submitted = make_nomination(campaign=campaign, recommending_org=sibling, category_number=1,
                                state="submitted", submitted_at=datetime(2023, 1, 6, tzinfo=UTC))  # fmt: skip
    recommended = make_nomination(campaign=campaign, recommending_org=tree["school"], category_number=3,
                                  state="recommended", submitted_at=datetime(2023, 1, 6, tzinfo=UTC))  # fmt: skip
    # A volunteer before 太原's reviewer: the 志愿者工作群管理人员 scores it (plan 7.3).
    volunteer = make_nomination(campaign=campaign, recommending_org=sibling, category_number=7, state="submitted",
                                nominee_name="志愿者", submitted_at=datetime(2023, 1, 6, tzinfo=UTC))  # fmt: skip
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
        "other_learner": make_user(
            username="l2", role=UserRole.LEARNER, org=tree["datong_school"], account_id="D1"
        ),
        "unit_admin": make_user(username="s", role=UserRole.UNIT_ADMIN, org=tree["school"]),
        "other_unit_admin": make_user(username="s2", role=UserRole.UNIT_ADMIN, org=tree["datong_school"]),
        "reviewer": make_user(username="ty", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"]),
        "other_reviewer": make_user(username="dt", role=UserRole.REPORTING_REVIEWER, org=tree["datong"]),
        "province": make_user(
            username="p", role=UserRole.PROVINCE_ADMIN, org=tree["province"], is_staff=True
        ),
        "volunteer_manager": make_user(username="vm", role=UserRole.VOLUNTEER_MANAGER, org=tree["province"]),
    }
    SealedScan.objects.filter(pk=scan.pk).update(uploaded_by=users["reviewer"])
    for user in users.values():  # one unread notice each: notifications:read_all has something to mark
        if user is not None:
            Notification.objects.create(recipient=user, nomination=nomination, message="申报状态已更新")
    job = ImportJob.objects.create(kind=ImportKind.ORGS, state=JobState.DONE, original_name="组织架构.csv")
    # Evidence packages still queued (no worker runs here): a request to build 太原's or category 1's gets
    # them back instead of writing a zip.
    package = EvidencePackage.objects.create(
        campaign=campaign, scope=PackageScope.UNIT, scope_key=f"unit:{tree['taiyuan'].pk}",
        reporting_unit=tree["taiyuan"], created_at=moment, updated_at=moment, filename="材料包.zip",
    )  # fmt: skip
    category = campaign.categories.get(number=1)
    EvidencePackage.objects.create(
        campaign=campaign, scope=PackageScope.CATEGORY, scope_key=f"category:{category.pk}",
        category=category, created_at=moment, updated_at=moment, filename="材料包.zip",
    )  # fmt: skip
    ids = {
        "pk": nomination.pk, "job_pk": job.pk, "attachment_pk": attachment.pk, "org_pk": tree["taiyuan"].pk, "scan_pk": scan.pk,
        "entry_pk": entry.pk, "receipt": objection.receipt, "objection_pk": objection.pk,
        "phase_pk": campaign.phases.get(key="apply").pk, "campaign_pk": campaign.pk, "announcement_pk": announcement.pk,
        "package_pk": package.pk, "submitted_pk": submitted.pk, "recommended_pk": recommended.pk,
        "volunteer_pk": volunteer.pk,
    }  # fmt: skip
    return AccessWorld(users, ids)

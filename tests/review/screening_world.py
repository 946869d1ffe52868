"""A small province in the 审核报送 window: 太原 has units with good 学员标兵 nominations, 大同 has one.

Good means every rule passes but G.1 (a reviewer confirms the pledge): status needs_review, pickable.
Nominees' total points fall with their index, so the default order is the order of creation.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jixing.accounts.enums import UserRole
from jixing.campaigns.models import Quota
from jixing.nominations.domain.evaluation import evaluate_campaign
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

# A one-page PDF (no cross-reference table: qpdf rebuilds it, as it does for many real files).
PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


def open_phase(campaign, key: str) -> None:
    """Move the campaign's windows so that `key` holds now and every other phase lies in the future."""
    now = timezone.now()
    for offset, phase in enumerate(campaign.phases.order_by("position")):
        if phase.key == key:
            phase.starts_at, phase.ends_at = now - timedelta(days=1), now + timedelta(days=1)
        else:
            phase.starts_at = now + timedelta(days=30 + 2 * offset)
            phase.ends_at = phase.starts_at + timedelta(days=1)
        phase.save()


def set_seats(world, seats: int, *, number: int = 1, unit: str = "taiyuan") -> None:
    Quota.objects.filter(
        campaign=world.campaign, category__number=number, reporting_unit=world.tree[unit]
    ).update(seats=seats)


def add_unit(world, name: str, *, parent: str = "county", members: int = 40):
    return make_org(
        name=name,
        level=OrgLevel.UNIT,
        parent=world.tree[parent],
        is_legal_entity=True,
        members=members,
        staff=members + 5,
    )


def add_nomination(world, unit, *, account: str, name: str, total: int, top_of_unit: bool = True, **fields):
    """A submitted 学员标兵 nomination of `unit` for a new learner with `total` points (annual = total - 2000).

    top_of_unit=False adds a colleague with more points, so rule 1.1 (原则上第一名) gives `warn`.
    """
    annual = total - 2000
    make_learner(
        snapshot=world.snapshot,
        org=unit,
        account_id=account,
        name=name,
        total_points=total,
        annual_points=annual,
        national_total_rank=1000,
        national_annual_rank=1000,
        is_real_name=True,
        is_shanxi_phone=True,
    )
    if not top_of_unit:
        make_learner(snapshot=world.snapshot, org=unit, account_id=f"{account}-top", total_points=total + 1, annual_points=annual, national_total_rank=900, is_real_name=True, is_shanxi_phone=True)  # fmt: skip
    defaults = {
        "nominee_account": account,
        "nominee_name": name,
        "typed_total_points": total,
        "typed_annual_points": annual,
        "declared_evidence": ["承诺书", "场景照片"],
        "submitted_at": timezone.now() - timedelta(days=3),
    }
    defaults.update(fields)
    return make_nomination(campaign=world.campaign, recommending_org=unit, category_number=1, **defaults)


def make_world(*, nominations: int = 3, seats: int = 2, phase: str = "screen"):
    tree = make_small_province()
    snapshot = make_snapshot()
    campaign = make_campaign()
    open_phase(campaign, phase)
    world = SimpleNamespace(tree=tree, snapshot=snapshot, campaign=campaign)
    world.users = SimpleNamespace(
        province=make_user(username="p", role=UserRole.PROVINCE_ADMIN, org=tree["province"], full_name="省平台"),
        taiyuan=make_user(username="ty", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"], full_name="太原审核员"),
        taiyuan2=make_user(username="ty2", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"]),
        datong=make_user(username="dt", role=UserRole.REPORTING_REVIEWER, org=tree["datong"]),
        school=make_user(username="s", role=UserRole.UNIT_ADMIN, org=tree["school"]),
        learner=make_user(username="l", role=UserRole.LEARNER, org=tree["dept"], account_id="L1"),
    )  # fmt: skip
    set_seats(world, seats)
    world.nominations = [
        add_nomination(
            world,
            add_unit(world, f"太原市第{i + 1}中学"),
            account=f"T{i + 1}",
            name=f"学员{i + 1}",
            total=30000 - 1000 * i,
        )  # fmt: skip
        for i in range(nominations)
    ]
    world.datong_nomination = add_nomination(
        world, world.tree["datong_school"], account="D1", name="大同学员", total=25000
    )
    world.tree["datong_school"].members = 40
    world.tree["datong_school"].save()
    evaluate_campaign(campaign)
    return world


def refresh(nominations):
    for n in nominations:
        n.refresh_from_db()
    return nominations


def pdf_upload(name: str = "推荐总表盖章.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")

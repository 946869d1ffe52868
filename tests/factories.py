"""Plain factories: each makes exactly what its arguments say, saved, with derived tree fields filled."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from jixing.accounts.enums import UserRole
from jixing.accounts.models import User
from jixing.orgs.domain.tree import rebuild_tree
from jixing.orgs.enums import OrgLevel
from jixing.orgs.models import Org
from jixing.people.domain.snapshots.figures import refresh_figures
from jixing.people.models import Learner, Role, Snapshot

_seq = itertools.count(1)


def make_org(*, name: str, level: str, parent: Org | None = None, code: str | None = None, **fields) -> Org:
    org = Org.objects.create(
        code=code or f"T{next(_seq):05d}", name=name, level=level, parent=parent, **fields
    )
    rebuild_tree()
    org.refresh_from_db()
    return org


def make_small_province() -> dict[str, Org]:
    """省 → two reporting units (太原, 大同) → a county under 太原 → units → a department."""
    p = make_org(name="山西省", level=OrgLevel.PROVINCE, code="P")
    ty = make_org(name="太原市通讯站", level=OrgLevel.REPORTING_UNIT, parent=p, code="TY", is_station=True)
    dt = make_org(name="大同市通讯站", level=OrgLevel.REPORTING_UNIT, parent=p, code="DT", is_station=True)
    county = make_org(name="清徐县通讯站", level=OrgLevel.COUNTY, parent=ty, code="TY-QX", is_station=True)
    school = make_org(
        name="清徐县第一中学",
        level=OrgLevel.UNIT,
        parent=county,
        code="TY-QX-S1",
        is_legal_entity=True,
        members=40,
        staff=45,
    )
    dept = make_org(name="高一年级组", level=OrgLevel.DEPARTMENT, parent=school, code="TY-QX-S1-D1")
    other = make_org(
        name="大同市第二中学", level=OrgLevel.UNIT, parent=dt, code="DT-S2", is_legal_entity=True
    )
    return {
        "province": p,
        "taiyuan": ty,
        "datong": dt,
        "county": county,
        "school": school,
        "dept": dept,
        "datong_school": other,
    }


def make_user(*, username: str, role: str = UserRole.LEARNER, org: Org | None = None, **fields) -> User:
    return User.objects.create_user(
        username=username, password="pw-for-tests-only", role=role, org=org, **fields
    )


def make_snapshot(*, current: bool = True) -> Snapshot:
    return Snapshot.objects.create(
        name="测试快照", taken_at=datetime(2023, 1, 3, 2, tzinfo=UTC), is_current=current
    )


def make_learner(
    *, snapshot: Snapshot, org: Org, account_id: str, name: str = "测试学员", **fields
) -> Learner:
    defaults = {"total_points": 10000, "annual_points": 8000, "person_key": f"k-{account_id}"}
    defaults.update(fields)
    learner = Learner.objects.create(snapshot=snapshot, org=org, account_id=account_id, name=name, **defaults)
    refresh_figures(snapshot)  # unit and ranks in unit, as an import derives them
    learner.refresh_from_db()
    return learner


def make_role(*, account_id: str, org: Org, kind: str, **fields) -> Role:
    return Role.objects.create(account_id=account_id, org=org, kind=kind, **fields)


def make_campaign(*, slug: str = "test-campaign"):
    from jixing.campaigns.domain.definitions import install_campaign, read_definition

    return install_campaign(read_definition("shanxi-2022"), slug=slug)


def make_nomination(
    *, campaign, recommending_org: Org, category_number: int = 1, state: str = "submitted", **fields
):
    from jixing.nominations.models import Nomination

    category = campaign.categories.get(number=category_number)
    defaults = {"nominee_name": "测试学员", "number": f"N{next(_seq):05d}"}
    defaults.update(fields)
    return Nomination.objects.create(
        campaign=campaign,
        category=category,
        recommending_org=recommending_org,
        reporting_unit=recommending_org.reporting_unit,
        state=state,
        **defaults,
    )


def make_evaluated_nomination():
    """A small province, a snapshot with learner A1, and one submitted 学员标兵 nomination of A1 with its
    承诺书, evaluated as the background refresh would have: (tree, nomination). G.1 awaits a reviewer."""
    from jixing.nominations.domain.evaluation import evaluate_campaign
    from jixing.nominations.models import Attachment

    tree = make_small_province()
    snapshot = make_snapshot()
    make_learner(snapshot=snapshot, org=tree["dept"], account_id="A1", national_total_rank=1000)
    campaign = make_campaign()
    nomination = make_nomination(campaign=campaign, recommending_org=tree["school"], nominee_account="A1",
                                 submitted_at=datetime(2023, 1, 5, tzinfo=UTC))  # fmt: skip
    Attachment.objects.create(nomination=nomination, kind="承诺书", file="x.pdf", original_name="承诺书.pdf")
    evaluate_campaign(campaign)
    nomination.refresh_from_db()
    return tree, nomination

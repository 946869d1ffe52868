"""The demo province as plain data, before it touches the database.

The generator builds one `Province` from a seed; the loader (load.py) writes it into the database and
the file writer (files.py) writes it as the template files, so both always show the same province.
Field names follow the models', so the loader copies them without a mapping of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal


@dataclass(slots=True)
class OrgPlan:
    code: str
    name: str
    parent_code: str | None
    level: str
    is_station: bool = False
    is_legal_entity: bool = False
    uscc: str = ""
    sector: str = ""
    members: int | None = None
    staff: int | None = None
    party_members: int | None = None
    tagged_party_members: int | None = None
    daily_active_rate: Decimal | None = None
    articles_submitted: int | None = None
    published_provincial: int | None = None
    published_national: int | None = None
    articles_reviewed: int | None = None
    bulletin_errors_provincial: int | None = None
    bulletin_errors_national: int | None = None
    # Not stored: where the node sits, for the generators.
    city_key: str = ""  # "" for the province and the provincial committees
    unit_code: str | None = None  # nearest 单位 or station at or above (the node itself for units)
    reporting_code: str | None = None


ORG_MODEL_FIELDS = (
    "code", "name", "level", "is_station", "is_legal_entity", "uscc", "sector", "members", "staff",
    "party_members", "tagged_party_members", "daily_active_rate", "articles_submitted",
    "published_provincial", "published_national", "articles_reviewed", "bulletin_errors_provincial",
    "bulletin_errors_national",
)  # fmt: skip


@dataclass(slots=True)
class LearnerPlan:
    account_id: str
    name: str
    phone: str
    id_number: str
    org_code: str
    total_points: int
    annual_points: int
    national_total_rank: int | None
    national_annual_rank: int | None
    perfect_clearances: int
    is_real_name: bool
    is_shanxi_phone: bool
    is_platform_staff: bool


@dataclass(slots=True)
class RolePlan:
    account_id: str
    org_code: str
    kind: str
    is_full_time: bool = False
    assessments: int = 0
    training_hours: Decimal = Decimal("0")
    volunteer_type: str = ""


@dataclass(slots=True)
class NominationPlan:
    number: str
    category_number: int
    category_name: str
    recommending_code: str
    reporting_code: str
    target: str  # the state the workflow brings it to (transitions, list operations), never set directly
    summary: str
    nominee_account: str = ""
    nominee_name: str = ""
    nominee_org_code: str | None = None
    typed_total_points: int | None = None
    typed_annual_points: int | None = None
    judges_score: Decimal | None = None
    activity_count: int | None = None
    warn_reason: str = ""
    submitted_at: datetime | None = None
    created_by: str | None = None  # a demo username
    self_applied: bool = False  # a learner's own application (待单位确认 before his unit confirms)
    declarations: list[str] = field(default_factory=list)  # keys of the definition's declarations ticked
    attachments: list[str] = field(default_factory=list)  # EvidenceKind values
    confirmed: list[str] = field(default_factory=list)  # rule ids judged pass by a reviewer
    refused: list[str] = field(default_factory=list)  # rule ids judged fail
    decided_by: str | None = None


@dataclass(slots=True)
class ListPlan:
    """A reporting unit's 推荐总表: its picked nominations (by number) and, once sent, its sealed scan."""

    reporting_code: str
    numbers: list[str]
    picked_at: datetime
    submitted_at: datetime | None = None  # None: still open (being picked)
    scanned_at: datetime | None = None

    @property
    def scan_name(self) -> str:
        """Storage name of the sealed scan's placeholder (a PDF beside the evidence, under demo/)."""
        return f"demo/list-{self.reporting_code}.pdf"


@dataclass(slots=True)
class UserPlan:
    username: str
    role: str
    org_code: str
    full_name: str
    account_id: str = ""
    is_staff: bool = False
    is_superuser: bool = False


@dataclass(slots=True)
class Province:
    seed: int
    orgs: list[OrgPlan]
    learners: list[LearnerPlan] = field(default_factory=list)
    roles: list[RolePlan] = field(default_factory=list)
    nominations: list[NominationPlan] = field(default_factory=list)
    users: list[UserPlan] = field(default_factory=list)
    lists: list[ListPlan] = field(default_factory=list)

    def org_index(self) -> dict[str, OrgPlan]:
        return {org.code: org for org in self.orgs}

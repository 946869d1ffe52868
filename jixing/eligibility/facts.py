"""What the rules read: plain records, one `Facts` per nomination, built by the caller.

Both the web application (`nominations/domain/facts.py`, from the database) and the batch command
build these; nothing here touches a database. Every figure is an int or a Decimal (floats are accepted
and read through their decimal text); `None` means "not known", and a condition that needs a value that
is `None` gives the outcome `missing`.

The fields marked `expr=True` are the names conditions in rules.toml may read: `learner.annual_points`,
`unit.members`, `roles`, `attachments`, … Inside a list function (`any(roles, …)`) the names are those
of one element (`kind`, `node.members`, …). The other fields drive the cross-nomination rules and the
ranking and are not visible to conditions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any


def _expr(default: Any = None, **kwargs: Any) -> Any:
    """A field conditions may read by name."""
    if "default_factory" in kwargs:
        return field(metadata={"expr": True}, **kwargs)
    return field(default=default, metadata={"expr": True})


@dataclass(frozen=True, slots=True, kw_only=True)
class OrgFigures:
    """One org node with the figures of the 组织架构 import (data-formats.md, orgs).

    For a unit, the figures cover the unit with its departments. Article figures are the node's
    2022 figures; review figures and bulletin errors are a station's.
    """

    code: str
    name: str = ""
    is_station: bool | None = _expr(False)  # 是否通讯站
    is_legal_entity: bool | None = _expr()  # 是否独立法人
    sector: str | None = (
        _expr()
    )  # 单位性质: 党政机关 | 事业单位 | 人民团体 | 企业 | 高校 | 中小学 | 社会组织 | 其他
    members: int | None = _expr()  # 学员数
    staff: int | None = _expr()  # 在职人数
    party_members: int | None = _expr()  # 党员数
    tagged_party_members: int | None = _expr()  # 已标记党员数
    daily_active_rate: Decimal | None = _expr()  # 日活跃率 as a fraction: 0.35 for 35 %
    articles_submitted: int | None = _expr()  # 年度提交稿件数
    published_provincial: int | None = _expr()  # 省平台刊发数
    published_national: int | None = _expr()  # 总平台刊发数
    articles_reviewed: int | None = _expr()  # 年度审核稿件数
    bulletin_errors_provincial: int | None = _expr()  # 省平台简报差错数
    bulletin_errors_national: int | None = _expr()  # 总平台简报差错数


@dataclass(frozen=True, slots=True, kw_only=True)
class Learner:
    """The nominee's row of the baseline snapshot (积分快照)."""

    account: str  # 学号
    org: str = ""  # 组织编码 of the learner's node (unit or department)
    total_points: int | None = _expr()  # 总积分
    annual_points: int | None = _expr()  # 年度积分
    national_total_rank: int | None = _expr()  # 全国总积分排名; None = beyond the published list
    national_annual_rank: int | None = _expr()  # 全国年度积分排名; None = beyond the published list
    perfect_clearances: int | None = _expr()  # 完美通关次数 in 2022
    is_real_name: bool | None = _expr()  # 是否实名认证
    is_shanxi_phone: bool | None = _expr()  # 是否山西号码
    is_platform_staff: bool | None = _expr()  # 是否省平台工作人员


@dataclass(frozen=True, slots=True, kw_only=True)
class Role:
    """A role (角色) held by an account at one org node.

    In `Facts.roles` these are the nominee's roles; in `Facts.unit_roles` the roles held in a nominated
    unit (at its own node or at one of its departments). `node` is where the role is held: rules about
    "本单位/本结点" figures of a role read `node.…`. `unit` is that node's unit (the node itself when the
    role is held at a unit or station). `annual_points` is the holder's snapshot annual points (read by 9.2
    for 班子成员); None when the holder has no snapshot row.
    """

    kind: str = _expr("")  # 供稿员 | 审核员 | 管理员 | 志愿者 | 班子成员
    account: str = _expr("")  # 学号
    node: OrgFigures | None = _expr()
    unit: OrgFigures | None = _expr()
    is_full_time: bool | None = _expr(False)  # 是否专职
    assessments: int | None = _expr(0)  # 编审技能考核次数
    training_hours: Decimal | None = _expr(Decimal(0))  # 培训学时
    volunteer_type: str | None = _expr("")  # 审读 | 播音 | 其他
    annual_points: int | None = _expr()


# What a person nomination knows through the nominee's snapshot row: the row itself, the unit and the rank
# in unit derived from it, and the roles (held by a learner of the snapshot; a 学号 it does not have is
# more likely mistyped than a person without the role). For a 学号 the snapshot does not have, every rule
# reading one of these is `missing` (reason NOT_IN_SNAPSHOT), never `fail`. Unit nominations have no
# nominee account and are not concerned.
SNAPSHOT_FACTS = frozenset({"learner", "unit", "rank_in_unit", "roles"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Facts:
    """Everything the rules read about one nomination.

    Identity and batch fields (not visible to conditions):
      id                  申报编号, echoed in the result
      category            category name as in the plan (学员标兵 … 模范学习组织); visible to conditions too
      recommending_unit   推荐单位 org code: G.6 counts per (recommending_unit, category)
      reporting_unit      报送单位 org code: the rank is computed per (reporting_unit, category)
      submitted_at        aware datetime of submission; None for a draft (sorts after every submitted one)
      released            withdrawn or rejected: holds no place for G.6 and takes no part in G.2/G.3
      selected            chosen by the province: G.3 then fails the person's other nominations
      ranked              takes part in the rank (the application leaves out what has not been sent up:
                          drafts and nominations back with their unit); True in a batch
      nominee_account     学号 of the nominee (person categories); G.2 compares these
      person_key          one person across accounts (people.domain.identity.person_key); None when the
                          nominee has no snapshot row, which makes G.2/G.3 `missing`
      decisions           rule id → True (已确认) / False (已否决): settles a `manual` outcome
      external_outcomes   rule id → outcome for rules the engine cannot decide alone (G.7 quotas, G.8
                          deadlines: the live campaign knows them); a rule marked `external` in
                          rules.toml is left out of the result when its id is absent here

    Condition names:
      learner             the nominee's snapshot row; None when there is none: every rule reading
                          `learner` is then `missing`, and for a nominee whose 学号 the snapshot does not
                          have, every rule reading one of SNAPSHOT_FACTS too
      unit                person categories: the learner's unit (nearest 单位 or station at or above the
                          learner's node); unit categories: the nominated unit
      rank_in_unit        position of the learner among the snapshot learners of the same unit by the
                          category's `rank_in_unit` fields (competition ranking, see ranking.rank_in_unit);
                          None when not computed
      roles               the nominee's roles (person categories)
      unit_roles          roles held in the nominated unit (unit categories)
      attachments         evidence kinds present: 承诺书 场景照片 积分截图 新闻报道 获奖证书 通关证书 现场视频
                          活动记录 盖章推荐表
      activity_count      活动次数 with evidence (9.4)
      typed_total_points, typed_annual_points   points typed on the form (G.9)
      judges_score        评审分 of the volunteer-group managers (7.3)
    """

    id: str
    category: str = field(metadata={"expr": True})
    recommending_unit: str = ""
    reporting_unit: str = ""
    submitted_at: datetime | None = None
    released: bool = False
    selected: bool = False
    ranked: bool = True
    nominee_account: str | None = None
    person_key: str | None = None
    decisions: Mapping[str, bool] = field(default_factory=dict)
    external_outcomes: Mapping[str, str] = field(default_factory=dict)

    learner: Learner | None = _expr()
    unit: OrgFigures | None = _expr()
    rank_in_unit: int | None = _expr()
    roles: tuple[Role, ...] = _expr(default_factory=tuple)
    unit_roles: tuple[Role, ...] = _expr(default_factory=tuple)
    attachments: frozenset[str] = _expr(default_factory=frozenset)
    activity_count: int | None = _expr()
    typed_total_points: int | None = _expr()
    typed_annual_points: int | None = _expr()
    judges_score: Decimal | None = _expr()

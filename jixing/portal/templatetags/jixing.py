"""Small display helpers shared by the faces' templates."""

from __future__ import annotations

from typing import Any

from django import template

from jixing.eligibility import outcomes
from jixing.tables import TEMPLATES

register = template.Library()

# Field names of the facts, in the words of the import templates (学员数, 年度积分 …), plus the few
# names the templates do not carry.
_FIELD_LABELS: dict[str, str] = {c.key: c.header for spec in TEMPLATES.values() for c in spec.columns}
_FIELD_LABELS.update(
    {
        "learner": "积分快照",
        "attachments": "已上传材料",
        "rank_in_unit": "单位内排名",
        "roles": "角色",
        "unit_roles": "单位角色",
        "node": "任职结点",
        "unit": "单位",
        "kind": "角色",
        "judges_score": "评审分",
        "submitted_at": "提交时间",
        "nominee_account": "本申报学号",
        "first_account": "此人最早申报所用学号",
        "recommending_unit": "推荐单位",
        "count": "件数",
        "earliest": "最早提交的申报",
        "categories": "此人申报的项目",
        "source": "判定依据",
    }
)
# Values that are words of the engine rather than data.
_VALUE_LABELS = {"external": "活动进行中的名额与时间窗口"}


@register.filter
def outcome_label(outcome: str) -> str:
    return outcomes.outcome_label(outcome)


@register.filter
def status_label(status: str) -> str:
    return outcomes.status_label(status)


@register.filter
def fact_label(name: str) -> str:
    """`learner.annual_points` → 积分快照·年度积分; `params.annual_points_min` → 阈值."""
    if name.startswith("params."):
        return "阈值"
    parts = [p.split("[", 1)[0] for p in name.split(".")]
    return "·".join(_FIELD_LABELS.get(p, p) for p in parts)


@register.filter
def fact_value(value: Any) -> str:
    if value is None:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "（无）"
    return _VALUE_LABELS.get(str(value), str(value))

"""Small display helpers shared by the faces' templates."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from jixing.campaigns.domain.eligibility_rules import compiled_rules
from jixing.campaigns.enums import PhaseKey
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
        "source": "依据",
    }
)
# Values that are words of the engine rather than data.
_VALUE_LABELS = {"external": "本次活动的名额和各阶段时间"}


@register.filter
def outcome_label(outcome: str) -> str:
    return outcomes.outcome_label(outcome)


@register.filter
def status_label(status: str) -> str:
    return outcomes.status_label(status)


@register.filter
def fact_label(name: str) -> str:
    """`learner.annual_points` → 积分快照·年度积分; `params.annual_points_min` → 评选标准."""
    if name.startswith("params."):
        return "评选标准"
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


# --- plain words (issue 15, item 5): rule ids only under 详情, the plan's words only as marked quotes ---


@register.simple_tag
def rule_details(*rule_ids: str) -> str:
    """The rule ids (G.1, 1.1 …) for reviewers, folded under 详情 (`details.rule-details`)."""
    ids = [i for i in rule_ids if i]
    if not ids:
        return ""
    return format_html(
        '<details class="rule-details"><summary>详情</summary>方案条款编号：{}</details>', "、".join(ids)
    )


@register.simple_tag
def rule_details_of(flagged: list[tuple[str, str]]) -> str:
    """rule_details for (rule id, outcome) pairs: 「G.1 需审核人员判断」 …"""
    if not flagged:
        return ""
    return format_html(
        '<details class="rule-details"><summary>详情</summary>方案条款编号：{}</details>',
        "、".join(f"{rule_id} {outcomes.outcome_label(outcome)}" for rule_id, outcome in flagged),
    )


@register.simple_tag
def rule_quotes(campaign: Any, rule_ids: list[str]) -> str:
    """The plan's wording of each rule (`q.plan-quote`: the plan's words, not the running campaign's),
    then their ids under 详情: what a list row says about the rules a nomination does not meet."""
    if not rule_ids:
        return ""
    wording: dict[str, str] = {}
    if campaign is not None:
        for rules in compiled_rules(campaign).categories.values():
            wording.update({r.id: r.wording for r in rules.rules})
    quotes = format_html_join(
        "、", '<q class="plan-quote">{}</q>', ((wording.get(i, "方案条款"),) for i in rule_ids)
    )
    return format_html("{}{}", quotes, rule_details(*rule_ids))


@register.filter
def local_date(moment: Any) -> str:
    """2026年12月9日 16:00, in Beijing time ("" for none)."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def _phase(campaign: Any, key: str) -> Any:
    return next((p for p in campaign.phases.all() if p.key == key), None) if campaign is not None else None


@register.filter
def baseline_moment(campaign: Any) -> Any:
    """When the running campaign's points are read (its 基准积分截图 phase), else the definition's baseline."""
    phase = _phase(campaign, PhaseKey.BASELINE)
    if phase is not None:
        return phase.starts_at
    return campaign.baseline_at if campaign is not None else None


# The rule the running campaign decides by the 申报推荐 deadline (nominations.domain.evaluation.live_outcomes).
_DEADLINE_RULE = "G.8"


@register.filter
def is_deadline_rule(rule_id: str) -> bool:
    return rule_id == _DEADLINE_RULE


@register.filter
def apply_deadline(campaign: Any) -> Any:
    """The end of the running campaign's 申报推荐 phase (None when it has none)."""
    phase = _phase(campaign, PhaseKey.APPLY)
    return phase.ends_at if phase is not None else None

"""What a category's form asks, read from the campaign definition (campaign.toml `fields`, …).

A campaign installed before the definition carried these keys still gets a sensible form: the defaults
below follow the plan (person categories type their points, unit categories do not).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jixing.campaigns.models import Category
from jixing.nominations.enums import EvidenceKind

FIELD_LABELS: dict[str, str] = {
    "summary": "事迹简介",
    "typed_total_points": "填报总积分",
    "typed_annual_points": "填报年度积分",
    "activity_count": "活动次数",
    "warn_reason": "推荐理由说明",
}
# Fields a form may leave empty at submission.
OPTIONAL_FIELDS = frozenset({"warn_reason"})

_DEFAULT_FIELDS = {
    "person": ["summary", "typed_total_points", "typed_annual_points"],
    "unit": ["summary"],
}
# Evidence only the recommending unit can give: the 报名表 printed, stamped by the unit (「本级单位盖章」)
# and scanned. A learner's own application (APPLY, to 待单位确认) goes without it; the unit's SUBMIT,
# confirming that application or sending its own, needs it when the category requires it.
UNIT_PROVIDED = frozenset({EvidenceKind.SEALED_FORM})
# What each kind of evidence is, told beside its upload button.
EVIDENCE_HINTS: dict[str, str] = {
    EvidenceKind.SEALED_FORM: "下载本申报的报名表（上方“报名表与承诺书”），打印后由本级单位盖章，拍照或扫描上传",
    EvidenceKind.POINTS_SCREENSHOT: "学习强国 App“我的—学习积分”页面的截图，能看清姓名、总积分和年度积分",
    EvidenceKind.PLEDGE: "下载承诺书，本人签字后拍照或扫描上传",
}
_DEFAULT_EVIDENCE = {
    "person": [EvidenceKind.PLEDGE, EvidenceKind.SCENE_PHOTO, EvidenceKind.POINTS_SCREENSHOT],
    "unit": [EvidenceKind.SCENE_PHOTO],
}


@dataclass(frozen=True)
class Declaration:
    key: str
    text: str

    @property
    def field_name(self) -> str:
        return f"decl_{self.key}"


@dataclass(frozen=True)
class FormSpec:
    """The form of one category: typed fields, declarations to tick, attachment kinds."""

    category: Category
    fields: tuple[str, ...]
    declarations: tuple[Declaration, ...]
    evidence: tuple[str, ...]
    required_evidence: tuple[str, ...]

    @property
    def summary_limit(self) -> int:
        return self.category.summary_limit

    def is_required(self, field: str) -> bool:
        return field not in OPTIONAL_FIELDS

    def required_kinds(self, *, applying: bool = False) -> tuple[str, ...]:
        """The evidence that must be attached to send the form up: all of `required_evidence` for the
        unit, without what only the unit can give (UNIT_PROVIDED) when a learner applies for himself."""
        if not applying:
            return self.required_evidence
        return tuple(k for k in self.required_evidence if k not in UNIT_PROVIDED)


def form_spec(category: Category) -> FormSpec:
    """The form of `category`, from its campaign's stored definition. Reads no further rows."""
    definition = category.campaign.definition or {}
    entry: dict[str, Any] = next(
        (c for c in definition.get("categories", []) if c.get("number") == category.number), {}
    )
    texts: dict[str, str] = definition.get("declarations", {})
    evidence = entry.get("evidence", _DEFAULT_EVIDENCE[category.kind])
    return FormSpec(
        category=category,
        fields=tuple(entry.get("fields", _DEFAULT_FIELDS[category.kind])),
        declarations=tuple(Declaration(key, texts[key]) for key in entry.get("declarations", [])),
        evidence=tuple(evidence),
        required_evidence=tuple(entry.get("required_evidence", [])),
    )

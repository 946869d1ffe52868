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

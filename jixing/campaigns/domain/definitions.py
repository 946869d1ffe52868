"""Reading, validating and installing campaign definition files (campaigns/definitions/<id>/).

A definition folder holds `campaign.toml` (name, phases, categories, quotas, contact) and `rules.toml`
(the eligibility rules, read by `jixing.eligibility`). A malformed file is refused whole with a Chinese
message naming the place and the reason.
"""

from __future__ import annotations

import re
import tomllib
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from jixing.campaigns.domain.calendar import CalendarUnknown, calendar_for
from jixing.campaigns.enums import CategoryKind, PhaseKey, Recommender
from jixing.campaigns.models import Campaign, Category, Phase, Quota
from jixing.nominations.enums import EvidenceKind
from jixing.orgs.enums import OrgLevel
from jixing.orgs.models import Org

DEFINITIONS_DIR = Path(__file__).resolve().parent.parent / "definitions"

# What a category's form may ask the filler to type (`fields` of a category); each is a column of the
# nomination. Personal data is never typed: it comes from the snapshot.
FORM_FIELDS = ("summary", "typed_total_points", "typed_annual_points", "activity_count", "warn_reason")

# The 公示 objection window in working days (`[announcement] objection_working_days`), when a definition
# does not say: the plan's custom of 5 working days.
DEFAULT_OBJECTION_WORKING_DAYS = 5


class DefinitionError(ValueError):
    """A campaign definition that cannot be used; the message says where and why, in Chinese."""


def available_definitions() -> list[str]:
    return sorted(p.name for p in DEFINITIONS_DIR.iterdir() if (p / "campaign.toml").is_file())


def definition_dir(definition_id: str) -> Path:
    candidate = Path(definition_id)
    if (candidate / "campaign.toml").is_file():
        return candidate
    folder = DEFINITIONS_DIR / definition_id
    if not (folder / "campaign.toml").is_file():
        known = "、".join(available_definitions())
        raise DefinitionError(f"找不到评选活动定义“{definition_id}”（已有：{known}）")
    return folder


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise DefinitionError(f"{path.name} 格式错误：{exc}") from exc


def read_definition(definition_id: str) -> dict[str, Any]:
    """Read and validate a definition folder; returns the merged, JSON-safe definition."""
    folder = definition_dir(definition_id)
    data = _read_toml(folder / "campaign.toml")
    rules_path = folder / "rules.toml"
    if rules_path.is_file():
        data["rules_file"] = _read_toml(rules_path)
    validate_definition(data)
    return _json_safe(data)


def _require(data: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in data:
        raise DefinitionError(f"{where}缺少“{key}”")
    value = data[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise DefinitionError(f"{where}“{key}”的值 {value!r} 类型不对")
    return value


# The plan's 联系方式 (its section 八): who answers questions about the campaign. Shown on the public pages
# and in the 公示 notice and the 表扬通报; every key optional, none but these.
CONTACT_KEYS = ("organisation", "person", "phone", "email")
_PHONE_CHARS = re.compile(r"[0-9+\- ()（）]{5,30}")


def _validate_contact(raw: Any) -> None:
    if not isinstance(raw, dict):
        raise DefinitionError("活动定义“contact”必须是表（organisation、person、phone、email）")
    unknown = sorted(set(raw) - set(CONTACT_KEYS))
    if unknown:
        raise DefinitionError(
            f"活动定义“contact”中有未知的键“{'、'.join(unknown)}”（可用：{'、'.join(CONTACT_KEYS)}）"
        )
    for key, value in raw.items():
        if not isinstance(value, str):
            raise DefinitionError(f"活动定义“contact.{key}”的值 {value!r} 应为文字")
    phone = raw.get("phone", "").strip()
    if phone and not _PHONE_CHARS.fullmatch(phone):
        raise DefinitionError(f"活动定义“contact.phone”“{phone}”不是电话号码（如 0351-1234567）")
    email = raw.get("email", "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise DefinitionError(f"活动定义“contact.email”“{email}”不是电子邮箱地址") from None


def validate_definition(data: dict[str, Any]) -> None:
    _require(data, "id", str, "活动定义")
    _validate_contact(data.get("contact", {}))
    _require(data, "name", str, "活动定义")
    _require(data, "year", int, "活动定义")
    baseline = _require(data, "baseline_at", datetime, "活动定义")
    if baseline.tzinfo is None:
        raise DefinitionError("活动定义“baseline_at”必须带时区，例如 2023-01-03T10:00:00+08:00")
    phases = _require(data, "phases", list, "活动定义")
    seen_keys: set[str] = set()
    for index, phase in enumerate(phases, start=1):
        where = f"第{index}个阶段"
        key = _require(phase, "key", str, where)
        if key not in PhaseKey.values:
            raise DefinitionError(f"{where}的 key “{key}” 不是已知阶段（{'、'.join(PhaseKey.values)}）")
        if key in seen_keys:
            raise DefinitionError(f"{where}的 key “{key}” 重复")
        seen_keys.add(key)
        _require(phase, "name", str, where)
        starts = _require(phase, "starts_at", datetime, where)
        ends = phase.get("ends_at")
        for label, moment in (("starts_at", starts), ("ends_at", ends)):
            if moment is not None and (not isinstance(moment, datetime) or moment.tzinfo is None):
                raise DefinitionError(f"{where}“{label}”必须是带时区的时间")
        if ends is not None and ends < starts:
            raise DefinitionError(f"{where}（{phase['name']}）结束时间早于开始时间")
    declarations = data.get("declarations", {})
    if not isinstance(declarations, dict) or not all(
        isinstance(text, str) and text.strip() for text in declarations.values()
    ):
        raise DefinitionError("活动定义“declarations”必须是“键 = 承诺内容”的表，内容不能为空")
    categories = _require(data, "categories", list, "活动定义")
    numbers: set[int] = set()
    names: set[str] = set()
    for index, category in enumerate(categories, start=1):
        where = f"第{index}个评选项目"
        number = _require(category, "number", int, where)
        name = _require(category, "name", str, where)
        if number in numbers or name in names:
            raise DefinitionError(f"{where}（{name}）序号或名称重复")
        numbers.add(number)
        names.add(name)
        if _require(category, "kind", str, where) not in CategoryKind.values:
            raise DefinitionError(f"{where}（{name}）kind 必须是 person 或 unit")
        if _require(category, "recommender", str, where) not in Recommender.values:
            raise DefinitionError(f"{where}（{name}）recommender 必须是 unit 或 reporting_unit")
        quota = _require(category, "default_quota", int, where)
        if quota < 0:
            raise DefinitionError(f"{where}（{name}）default_quota 不能为负数")
        _validate_form(category, f"{where}（{name}）", declarations)
    for code, seats in data.get("quotas", {}).get("by_unit", {}).items():
        for category_name, value in seats.items():
            if category_name not in names:
                raise DefinitionError(f"名额“{code}”中的项目“{category_name}”不存在")
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise DefinitionError(f"名额“{code}”的“{category_name}”必须是非负整数")
    _validate_announcement(data.get("announcement", {}))
    try:
        calendar_for(data)
    except CalendarUnknown as exc:
        raise DefinitionError(str(exc)) from exc
    if "rules_file" in data:
        # The eligibility floor compiles the rules and refuses a malformed one with its id and reason.
        from jixing.eligibility import compile_definition

        try:
            compile_definition(data["rules_file"], categories=[c["name"] for c in categories])
        except ValueError as exc:
            raise DefinitionError(str(exc)) from exc


def _validate_announcement(announcement: Any) -> None:
    if not isinstance(announcement, dict):
        raise DefinitionError(
            "活动定义“announcement”必须是表，例如 [announcement] objection_working_days = 5"
        )
    days = announcement.get("objection_working_days", DEFAULT_OBJECTION_WORKING_DAYS)
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 30:
        raise DefinitionError(
            f"活动定义 [announcement] objection_working_days 必须是 1 到 30 之间的整数，现为 {days!r}"
        )


def objection_working_days(definition: dict[str, Any]) -> int:
    """Working days of the 公示 objection window for a campaign definition (default 5)."""
    return int(
        definition.get("announcement", {}).get("objection_working_days", DEFAULT_OBJECTION_WORKING_DAYS)
    )


def _string_list(category: dict[str, Any], key: str, where: str) -> list[str]:
    value = category.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise DefinitionError(f"{where}“{key}”必须是字符串列表")
    if len(set(value)) != len(value):
        raise DefinitionError(f"{where}“{key}”有重复项")
    return value


def _validate_form(category: dict[str, Any], where: str, declarations: dict[str, str]) -> None:
    """The optional form keys of a category: fields, declarations, evidence, required_evidence."""
    if "summary_limit" in category:
        limit = category["summary_limit"]
        if not isinstance(limit, int) or isinstance(limit, bool) or limit <= 0:
            raise DefinitionError(f"{where}summary_limit 必须是正整数")
    for field in _string_list(category, "fields", where):
        if field not in FORM_FIELDS:
            raise DefinitionError(f"{where}的填报项“{field}”不是已知填报项（{'、'.join(FORM_FIELDS)}）")
    for key in _string_list(category, "declarations", where):
        if key not in declarations:
            raise DefinitionError(f"{where}的承诺事项“{key}”未在 [declarations] 中定义")
    evidence = _string_list(category, "evidence", where)
    for kind in evidence:
        if kind not in EvidenceKind.values:
            raise DefinitionError(
                f"{where}的材料类型“{kind}”不是已知类型（{'、'.join(EvidenceKind.values)}）"
            )
    for kind in _string_list(category, "required_evidence", where):
        if kind not in evidence:
            raise DefinitionError(f"{where}的必传材料“{kind}”不在该项目的 evidence 中")


def _json_safe(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return value


def _moment(raw: str | None, shift: timedelta) -> datetime | None:
    return None if raw is None else datetime.fromisoformat(raw) + shift


@transaction.atomic
def install_campaign(
    definition: dict[str, Any],
    *,
    slug: str | None = None,
    name: str | None = None,
    shift: timedelta = timedelta(),
    org_tree: Any = None,
) -> Campaign:
    """Create or update the campaign `slug` from a validated definition, its windows moved by `shift`.

    Idempotent: installing twice gives the same rows. Quotas are created for every 报送单位 present in the
    campaign's org tree: `org_tree` for a new campaign that gets a tree of its own (campaigns.domain.
    next_year), else the first tree; an existing campaign keeps the tree it has.
    """
    slug = slug or definition["id"]
    values = {
        "definition_id": definition["id"],
        "name": name or definition["name"],
        "year": definition["year"],
        "baseline_at": _moment(definition["baseline_at"], timedelta()),
        "contact": definition.get("contact", {}),
        "definition": definition,
        "is_active": True,
    }
    campaign, _ = Campaign.objects.update_or_create(
        slug=slug, create_defaults={**values, "org_tree": org_tree}, defaults=values
    )
    for position, phase in enumerate(definition["phases"]):
        Phase.objects.update_or_create(
            campaign=campaign,
            key=phase["key"],
            defaults={
                "name": phase["name"],
                "position": position,
                "starts_at": _moment(phase["starts_at"], shift),
                "ends_at": _moment(phase.get("ends_at"), shift),
            },
        )
    for category in definition["categories"]:
        Category.objects.update_or_create(
            campaign=campaign,
            number=category["number"],
            defaults={
                "name": category["name"],
                "kind": category["kind"],
                "recommender": category["recommender"],
                "summary_limit": category.get("summary_limit", 1000),
            },
        )
    ensure_quotas(campaign)
    return campaign


def ensure_quotas(campaign: Campaign) -> int:
    """Give every 报送单位 a quota row per category (definition default or override); keeps edited rows."""
    overrides: dict[str, dict[str, int]] = campaign.definition.get("quotas", {}).get("by_unit", {})
    defaults = {c["name"]: c["default_quota"] for c in campaign.definition["categories"]}
    existing = set(Quota.objects.filter(campaign=campaign).values_list("category_id", "reporting_unit_id"))
    new = []
    units = Org.objects.filter(tree_id=campaign.org_tree_id, level=OrgLevel.REPORTING_UNIT)
    for unit in units.only("id", "code"):
        for category in campaign.categories.all():
            if (category.id, unit.id) in existing:
                continue
            seats = overrides.get(unit.code, {}).get(category.name, defaults[category.name])
            new.append(Quota(campaign=campaign, category=category, reporting_unit=unit, seats=seats))
    Quota.objects.bulk_create(new)
    return len(new)

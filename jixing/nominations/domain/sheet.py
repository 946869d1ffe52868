"""The data of a reporting unit's 推荐总表 and its download (an audited export)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Literal

from django.utils import timezone

from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.documents import recommendation_sheet
from jixing.documents.filenames import safe_filename
from jixing.documents.recommendation_sheet import (
    CategoryBlock,
    RecommendationSheet,
    SheetRow,
    build_recommendation_sheet,
)
from jixing.eligibility.outcomes import Outcome, status_label
from jixing.nominations.domain.evaluation import ensure_fresh
from jixing.nominations.domain.list_picks import rules_with
from jixing.nominations.domain.screening import learners_by_account, seats_by_category
from jixing.nominations.models import ListEntry, RecommendationList
from jixing.people.models import Learner

# The rules that keep a nomination from plain 符合条件, in the order the sheet names them.
OUTCOME_WORDS = (
    (Outcome.WARN, "须书面说明"),
    (Outcome.MANUAL, Outcome.MANUAL.label),
    (Outcome.MISSING, Outcome.MISSING.label),
    (Outcome.FAIL, Outcome.FAIL.label),
)


def sheet_title(campaign) -> str:
    """「2022年度“学习强国”山西学习之星推荐总表」 from the campaign's name (…集结活动), a trailing note such
    as （演示） kept at the end."""
    name, note = campaign.name, ""
    if name.endswith("）") and "（" in name:
        name, note = name[: name.rindex("（")], name[name.rindex("（") :]
    for suffix in ("集结活动", "评选活动", "活动"):
        if name.endswith(suffix):
            return name.removesuffix(suffix) + "推荐总表" + note
    return name + "推荐总表" + note


def eligibility_text(nomination) -> str:
    """The status in words, with the rules that keep it from plain 符合条件, e.g. 待审核（须书面说明：1.1）."""
    words = status_label(nomination.status)
    notes = [
        f"{word}：{'、'.join(ids)}"
        for outcome, word in OUTCOME_WORDS
        if (ids := rules_with(nomination, outcome))
    ]
    return words + (f"（{'；'.join(notes)}）" if notes else "")


def _row(entry: ListEntry, learner: Learner | None) -> SheetRow:
    n = entry.nomination
    if n.category.is_person:
        name = n.nominee_name
        unit = learner.org.unit.name if learner and learner.org.unit else n.recommending_org.name
    else:
        name = n.nominee_org.name if n.nominee_org else n.nominee_name
        unit = n.recommending_org.name if n.recommending_org_id != n.nominee_org_id else ""
    typed = ""
    if n.typed_total_points is not None or n.typed_annual_points is not None:
        typed = f"总 {n.typed_total_points if n.typed_total_points is not None else '—'} / 年度 " + (
            str(n.typed_annual_points) if n.typed_annual_points is not None else "—"
        )
    reasons = []
    if n.warn_reason.strip():
        reasons.append(n.warn_reason.strip())
    if entry.override_reason:
        reasons.append(f"排序调整：{entry.override_reason}")
    return SheetRow(
        name=name,
        unit=unit,
        account=n.nominee_account,
        total_points=learner.total_points if learner else None,
        annual_points=learner.annual_points if learner else None,
        typed_points=typed,
        eligibility=eligibility_text(n),
        reason="\n".join(reasons),
    )


def sheet_data(recommendation_list: RecommendationList, *, today) -> RecommendationSheet:
    """Plain data for the builder: every category with picks, its seats and its rows in list order."""
    campaign = recommendation_list.campaign
    categories = seats_by_category(
        campaign=campaign,
        reporting_unit=recommendation_list.reporting_unit,
        recommendation_list=recommendation_list,
    )
    entries = [e for c in categories for e in c.entries]
    learners = learners_by_account([e.nomination.nominee_account for e in entries], campaign)
    blocks = [
        CategoryBlock(
            name=c.category.name,
            seats=c.seats,
            rows=[_row(e, learners.get(e.nomination.nominee_account)) for e in c.entries],
        )
        for c in categories
        if c.entries
    ]
    return RecommendationSheet(
        title=sheet_title(campaign),
        reporting_unit=recommendation_list.reporting_unit.name,
        made_on=today,
        blocks=blocks,
    )


def export_sheet(
    *,
    recommendation_list: RecommendationList,
    actor,
    now: datetime | None = None,
    ip: str | None = None,
    fmt: Literal["xlsx", "pdf"] = "xlsx",
) -> tuple[bytes, str]:
    """The 推荐总表 as XLSX (or, with fmt="pdf", a landscape PDF of the same rows) and its file name.
    Side effect: an "export" audit event (who, which list, the format, how many rows, the file's
    sha256). Callers check the actor may see the list (nominations.view_list). The statuses on the sheet are
    made fresh first (evaluation.ensure_fresh)."""
    now = now or timezone.now()
    ensure_fresh(recommendation_list.campaign)
    data = sheet_data(recommendation_list, today=timezone.localdate(now))
    content = recommendation_sheet.to_pdf(data) if fmt == "pdf" else build_recommendation_sheet(data)
    unit = recommendation_list.reporting_unit.name
    record_event(
        action=AuditAction.EXPORT,
        actor=actor,
        target=recommendation_list,
        summary=f"下载推荐总表（{fmt.upper()}）：{unit}",
        after={
            "document": "推荐总表",
            "format": fmt,
            "rows": data.total,
            "sha256": hashlib.sha256(content).hexdigest(),
        },
        ip=ip,
    )
    filename = safe_filename(f"{data.title}（{unit}）", fmt)
    return content, filename

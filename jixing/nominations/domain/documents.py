"""A nomination's printable documents: the 报名表 (every category) and the 承诺书 (person categories, G.1),
as Word or PDF, named 「【报名类型】人员姓名（单位名称）」. Each download is an audit event."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction

from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.documents import application_form, pledge
from jixing.documents.application_form import ApplicationForm, FormRow
from jixing.documents.filenames import entry_filename
from jixing.documents.pledge import Pledge, pledge_paragraphs
from jixing.nominations.domain.forms_spec import FIELD_LABELS, form_spec
from jixing.nominations.domain.nominee import nominee_learner
from jixing.nominations.models import Nomination
from jixing.refusals import Refused

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
# The pledge's conditions when a definition has no G.1 (the plan's 五、项目标准).
DEFAULT_CONDITIONS = (
    "具有中华人民共和国国籍，享有中国公民政治权利，无犯罪记录，拥护中国共产党的领导，遵纪守法，品行良好"
)


class DocumentKind(StrEnum):
    FORM = "form"
    PLEDGE = "pledge"


class DocumentFormat(StrEnum):
    DOCX = "docx"
    PDF = "pdf"


KIND_LABELS = {DocumentKind.FORM: "报名表", DocumentKind.PLEDGE: "承诺书"}


class DocumentRefused(Refused):
    """A document this nomination does not have (a unit signs no 承诺书)."""


@dataclass(frozen=True)
class BuiltDocument:
    filename: str
    content_type: str
    content: bytes


def nominee_unit(nomination: Nomination) -> str:
    """The 单位名称 of the plan's file name: the nominated unit, or the person's unit in the snapshot
    (the recommending unit when the snapshot does not know the person)."""
    if nomination.nominee_org is not None:
        return nomination.nominee_org.name
    learner = nominee_learner(nomination)
    unit = getattr(learner, "unit", None) if learner is not None else None
    return unit.name if unit is not None else nomination.recommending_org.name


def nominee_display_name(nomination: Nomination) -> str:
    if nomination.nominee_org is not None and not nomination.category.is_person:
        return nomination.nominee_org.name
    return nomination.nominee_name


def application_form_data(nomination: Nomination) -> ApplicationForm:
    """The 报名表's plain data: who, which unit, and the category's fields as typed on the form."""
    spec = form_spec(nomination.category)
    category = nomination.category
    unit = nominee_unit(nomination)
    name = nominee_display_name(nomination)
    rows = [FormRow("申报项目", category.name), FormRow("申报编号", nomination.number)]
    if category.is_person:
        rows += [
            FormRow("姓名", name),
            FormRow("学号", nomination.nominee_account),
            FormRow("所在单位", unit),
        ]
    else:
        rows.append(FormRow("单位名称", name))
    rows += [
        FormRow("推荐单位", nomination.recommending_org.name),
        FormRow("报送单位", nomination.reporting_unit.name),
    ]
    for key in spec.fields:
        if key == "summary":
            continue
        value = getattr(nomination, key, None)
        if key == "warn_reason" and not value:
            continue
        rows.append(FormRow(FIELD_LABELS.get(key, key), "" if value is None else str(value)))
    ticked = set(nomination.declarations or [])
    return ApplicationForm(
        campaign=nomination.campaign.name,
        category=category.name,
        number=nomination.number,
        name=name,
        unit=unit,
        recommending_unit=nomination.recommending_org.name,
        rows=rows,
        summary=nomination.summary,
        summary_label=FIELD_LABELS["summary"],
        declarations=[d.text for d in spec.declarations if d.key in ticked],
    )


def pledge_conditions(nomination: Nomination) -> str:
    """G.1's wording from the campaign's definition (rules.toml), the plan's text when it has none."""
    rules = ((nomination.campaign.definition or {}).get("rules_file") or {}).get("rules", [])
    return next((r.get("wording", "") for r in rules if r.get("id") == "G.1"), "") or DEFAULT_CONDITIONS


def pledge_data(nomination: Nomination) -> Pledge:
    """The 承诺书's plain data; refused for unit categories (G.1 reads a person's pledge)."""
    if not nomination.category.is_person:
        raise DocumentRefused("单位项目无需签署承诺书", rule_id="G.1")
    unit = nominee_unit(nomination)
    name = nomination.nominee_name
    return Pledge(
        campaign=nomination.campaign.name,
        category=nomination.category.name,
        name=name,
        unit=unit,
        paragraphs=pledge_paragraphs(
            name=name,
            unit=unit,
            category=nomination.category.name,
            campaign=nomination.campaign.name,
            conditions=pledge_conditions(nomination),
        ),
    )


def document_filename(nomination: Nomination, kind: DocumentKind, fmt: DocumentFormat) -> str:
    """「【学员标兵】张三（太原市第五中学）.docx」 for the form; the pledge adds 「-承诺书」."""
    filename = entry_filename(
        category=nomination.category.name,
        name=nominee_display_name(nomination),
        unit=nominee_unit(nomination),
        extension=str(fmt),
    )
    if kind == DocumentKind.PLEDGE:
        stem, _, extension = filename.rpartition(".")
        filename = f"{stem}-承诺书.{extension}"
    return filename


def build_document(
    nomination: Nomination, *, kind: DocumentKind, fmt: DocumentFormat, actor, ip: str | None = None
) -> BuiltDocument:
    """The nomination's 报名表 or 承诺书 in `fmt`. The caller has checked that `actor` may see it.

    Side effects: an audit event `nomination.document_download` naming the document and format.
    Raises DocumentRefused for a 承诺书 of a unit category.
    """
    if kind == DocumentKind.FORM:
        data = application_form_data(nomination)
        content = (
            application_form.to_docx(data) if fmt == DocumentFormat.DOCX else application_form.to_pdf(data)
        )
    else:
        pledge_form = pledge_data(nomination)
        content = pledge.to_docx(pledge_form) if fmt == DocumentFormat.DOCX else pledge.to_pdf(pledge_form)
    filename = document_filename(nomination, kind, fmt)
    with transaction.atomic():
        record_event(
            action=AuditAction.NOMINATION_DOCUMENT_DOWNLOAD,
            actor=actor,
            target=nomination,
            summary=f"{nomination.number} 下载{KIND_LABELS[kind]}（{fmt.upper()}）",
            after={"document": str(kind), "format": str(fmt), "filename": filename},
            ip=ip,
        )
    return BuiltDocument(filename, DOCX if fmt == DocumentFormat.DOCX else PDF, content)

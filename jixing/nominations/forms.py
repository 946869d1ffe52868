"""The nomination form of a category, built from its FormSpec.

Two strengths: a draft (`strict=False`) accepts anything partly filled and keeps what parses; a
submission (`strict=True`) needs every required field, every declaration ticked, the 事迹简介 within
the category's limit and the required attachments present. Messages are Chinese and name the field.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from django import forms

from jixing.nominations.domain.forms_spec import FIELD_LABELS, FormSpec
from jixing.nominations.domain.text_limits import STATEMENT_MAX

# A draft may hold more than the limit while one edits; beyond this, text is refused even in a draft.
DRAFT_TEXT_CAP = 20000
POINTS_MAX = 10**9


def count_characters(text: str) -> int:
    """Characters as a reader counts them: code points, a line break counting once ("\\r\\n" too)."""
    return len(text.replace("\r\n", "\n"))


class WholeNumberField(forms.IntegerField):
    """An integer typed on a phone: full-width digits, spaces and thousands separators accepted."""

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value).replace(",", "").replace(" ", "").strip()
        return super().to_python(value)


def _text_field(label: str, *, rows: int = 4, cap: int = DRAFT_TEXT_CAP) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=cap,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": f"{label}最多 {cap} 字，请精简"},
    )


def _number_field(label: str) -> WholeNumberField:
    return WholeNumberField(
        label=label,
        required=False,
        min_value=0,
        max_value=POINTS_MAX,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "invalid": f"{label}须为整数，例如 12345",
            "min_value": f"{label}不能为负数",
            "max_value": f"{label}数值过大",
        },
    )


class NominationForm(forms.Form):
    def __init__(
        self,
        *args,
        spec: FormSpec,
        strict: bool = False,
        present_evidence: frozenset[str] = frozenset(),
        applying: bool = False,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.spec, self.strict, self.present_evidence = spec, strict, present_evidence
        self.required_evidence = spec.required_kinds(applying=applying)
        for name in spec.fields:
            label = FIELD_LABELS[name]
            if name == "summary":
                self.fields[name] = _text_field(label, rows=8)
                self.fields[name].widget.attrs["data-limit"] = str(spec.summary_limit)
            elif name == "warn_reason":
                self.fields[name] = _text_field(label, rows=3, cap=STATEMENT_MAX)
            else:
                self.fields[name] = _number_field(label)
            # Read by portal/nominations/edit.html (the asterisk); Django fields take extra attributes.
            self.fields[name].required_on_submit = spec.is_required(name)  # type: ignore[attr-defined]
        for declaration in spec.declarations:
            self.fields[declaration.field_name] = forms.BooleanField(label=declaration.text, required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        summary = cleaned.get("summary")
        if summary is not None:
            cleaned["summary"] = summary.replace("\r\n", "\n")
        if not self.strict:
            return cleaned
        for name in self.spec.fields:
            if name in self.errors or not self.spec.is_required(name):
                continue
            if cleaned.get(name) in (None, ""):
                self.add_error(name, f"请填写{FIELD_LABELS[name]}")
        if "summary" in cleaned and "summary" not in self.errors:
            used = count_characters(cleaned["summary"])
            if used > self.spec.summary_limit:
                self.add_error(
                    "summary", f"事迹简介不能超过 {self.spec.summary_limit} 字，当前 {used} 字，请删减"
                )
        for declaration in self.spec.declarations:
            if not cleaned.get(declaration.field_name):
                self.add_error(declaration.field_name, "请阅读并勾选此项承诺")
        missing = [k for k in self.required_evidence if k not in self.present_evidence]
        if missing:
            self.add_error(None, f"请上传以下材料后再提交：{'、'.join(missing)}")
        return cleaned

    def typed_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.spec.fields]

    def declaration_fields(self) -> list[forms.BoundField]:
        return [self[d.field_name] for d in self.spec.declarations]

    def declared_keys(self) -> list[str]:
        """Keys of the declarations ticked (of those that validated)."""
        return [d.key for d in self.spec.declarations if self.cleaned_data.get(d.field_name)]


def raw_values(spec: FormSpec, data: Mapping[str, Any]) -> dict[str, Any]:
    """The form's values exactly as typed (strings; declarations as booleans), capped in length."""
    values: dict[str, Any] = {}
    for name in spec.fields:
        value = data.get(name)
        if value is not None:
            values[name] = str(value)[:DRAFT_TEXT_CAP]
    for declaration in spec.declarations:
        values[declaration.field_name] = bool(data.get(declaration.field_name))
    return values

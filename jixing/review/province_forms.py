"""Forms of the province's 汇总公示 / 通报表扬 / phase pages: parsing only; the domain decides."""

from __future__ import annotations

from django import forms

from jixing.announcements.enums import ObjectionOutcome
from jixing.nominations.domain.text_limits import REASON_MAX, STATEMENT_MAX, hint


class _Form(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # an ASCII colon after Chinese labels looks wrong
        super().__init__(*args, **kwargs)


class PublishForm(_Form):
    starts_on = forms.DateField(
        label="公示开始日期",
        required=False,
        help_text="默认今天；公示期自该日起，按工作日计算（节假日顺延，调休上班日计入）",
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ObjectionOutcomeForm(_Form):
    outcome = forms.ChoiceField(
        label="处理结果",
        choices=[(o.value, o.label) for o in (ObjectionOutcome.DISMISSED, ObjectionOutcome.UPHELD)],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="核查情况",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=STATEMENT_MAX,
        help_text=hint(STATEMENT_MAX),
        error_messages={"max_length": f"核查情况最多 {STATEMENT_MAX} 字，请精简"},
    )

    def problem(self, missing: str) -> str:
        """What to tell when the form is invalid: the cap when the note is too long, else `missing`."""
        return str(self.errors["note"][0]) if self.has_error("note", "max_length") else missing


class ApprovalForm(_Form):
    document_ref = forms.CharField(label="批复文号", max_length=100, help_text=hint(100))
    approved_on = forms.DateField(label="批复日期", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label="备注",
        required=False,
        max_length=REASON_MAX,
        help_text=hint(REASON_MAX),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": f"备注最多 {REASON_MAX} 字，请精简"},
    )


class PhaseExtendForm(_Form):
    ends_at = forms.DateTimeField(
        label="新的截止时间（北京时间）", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    reason = forms.CharField(
        label="延长理由",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=REASON_MAX,
        help_text=hint(REASON_MAX),
        error_messages={"max_length": f"最多 {REASON_MAX} 字，请精简"},
    )

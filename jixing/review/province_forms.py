"""Forms of the province's 汇总公示 / 通报表扬 / phase pages: parsing only; the domain decides."""

from __future__ import annotations

from django import forms

from jixing.announcements.enums import ObjectionOutcome


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
    note = forms.CharField(label="核查情况", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ApprovalForm(_Form):
    document_ref = forms.CharField(label="批复文号", max_length=100)
    approved_on = forms.DateField(label="批复日期", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PhaseExtendForm(_Form):
    ends_at = forms.DateTimeField(
        label="新的截止时间（北京时间）", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    reason = forms.CharField(label="延长理由", widget=forms.Textarea(attrs={"rows": 2}), max_length=500)

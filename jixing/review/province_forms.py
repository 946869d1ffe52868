"""Forms of the province's 汇总公示 / 通报表扬 / phase pages: parsing only; the domain decides."""

from __future__ import annotations

from django import forms

from jixing.announcements.enums import RECORDED_CHANNELS, ObjectionOutcome
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


class RecordedObjectionForm(_Form):
    """An objection received by phone, letter or e-mail, as the province records it. The checks of a real
    name, the phone number, the window and duplicates are the domain's (objections.record_objection)."""

    entry = forms.TypedChoiceField(label="被反映的公示对象", coerce=int, error_messages={
        "required": "请选择被反映的公示对象", "invalid_choice": "请选择被反映的公示对象（该对象已不在公示名单中）"})  # fmt: skip
    channel = forms.ChoiceField(
        label="反映方式",
        choices=[(c.value, c.label) for c in RECORDED_CHANNELS],
        widget=forms.RadioSelect,
        error_messages={
            "required": "请选择收到反映的方式",
            "invalid_choice": "请选择收到反映的方式：电话、信函或电子邮件",
        },
    )
    name = forms.CharField(label="反映人真实姓名", required=False, max_length=64)
    phone = forms.CharField(label="联系电话", required=False, max_length=64,
                            help_text="11 位手机号码，或带区号的固定电话")  # fmt: skip
    received_at = forms.DateTimeField(
        label="收到时间",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": "请填写收到反映的时间",
            "invalid": "收到时间格式不正确，请按“年-月-日 时:分”填写",
        },
    )
    content = forms.CharField(
        label="反映内容",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=STATEMENT_MAX,
        help_text=hint(STATEMENT_MAX),
        error_messages={"max_length": f"反映内容最多 {STATEMENT_MAX} 字，请精简"},
    )

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [("", "请选择…")] + [
            (e.pk, f"{e.category_name} · {e.display_name}（{e.display_unit}）" if e.display_unit
             else f"{e.category_name} · {e.display_name}") for e in entries
        ]  # fmt: skip

    def problem(self) -> str:
        """The first field's error, in the form's order."""
        for name in self.fields:
            if name in self.errors:
                return str(self.errors[name][0])
        return "请检查填写的内容"


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

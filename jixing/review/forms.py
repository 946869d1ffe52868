from __future__ import annotations

from django import forms

from jixing.tables import TEMPLATES

KIND_CHOICES = [(slug, spec.title) for slug, spec in TEMPLATES.items()]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="数据类型", choices=KIND_CHOICES, widget=forms.RadioSelect)
    file = forms.FileField(
        label="文件（CSV 或 XLSX）", widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"})
    )
    name = forms.CharField(
        label="快照名称", max_length=200, required=False, help_text="仅积分快照；默认用文件名"
    )
    taken_at = forms.DateTimeField(
        label="截取时间",
        required=False,
        help_text="仅积分快照；默认为当前评选活动的基准积分时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # an ASCII colon after Chinese labels looks wrong
        super().__init__(*args, **kwargs)

"""The forms of the 账号管理 pages (stewardship_views.py)."""

from __future__ import annotations

from django import forms


class AccountFileForm(forms.Form):
    file = forms.FileField(
        label="账号文件（CSV 或 XLSX）",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
        error_messages={"required": "请选择要导入的账号文件。"},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # an ASCII colon after Chinese labels looks wrong
        super().__init__(*args, **kwargs)


class AccountActionForm(forms.Form):
    """One account (its id, among those the user looks after) and what to do with it."""

    ACTIONS = (("disable", "停用"), ("enable", "启用"), ("reset", "重置密码"))

    account = forms.IntegerField(
        min_value=1, max_value=2**63 - 1, error_messages={"required": "请选择账号。"}
    )
    action = forms.ChoiceField(choices=ACTIONS, error_messages={"invalid_choice": "未知的操作。"})

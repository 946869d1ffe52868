"""The account claim's form (domain/claim.py): what can be told without the snapshot is told here, per
field — an empty field, an ID number that cannot be one, a password too weak. Nothing said here depends on
the snapshot, so it gives away nothing about anyone; the comparison with the snapshot is the domain's."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from jixing.accounts.domain.claim import ClaimRequest, normalise_account_id, normalise_name
from jixing.accounts.enums import UserRole
from jixing.accounts.models import User
from jixing.tables.checks import check_id_number
from jixing.tables.columns import CellProblem


class ClaimForm(forms.Form):
    account_id = forms.CharField(
        label="学号",
        max_length=64,
        help_text="学习平台上的学号（积分导出表中的“学号”）。",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "username",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
        error_messages={"required": "请输入学号。"},
    )
    name = forms.CharField(
        label="姓名",
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "请输入姓名。"},
    )
    id_number = forms.CharField(
        label="身份证号",
        max_length=32,
        help_text="18 位居民身份证号码，仅用于核对身份，不会保存。",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={"required": "请输入身份证号。"},
    )
    password1 = forms.CharField(
        label="设置密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
        error_messages={"required": "请设置密码。"},
    )
    password2 = forms.CharField(
        label="再次输入密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "请再次输入密码。"},
    )

    def clean_account_id(self) -> str:
        account_id = normalise_account_id(self.cleaned_data["account_id"])
        if not account_id:
            raise ValidationError("请输入学号。", code="required")
        # A failed claim keeps the 学号 typed (throttle, audit): an ID number typed into this box would
        # be kept in clear. A valid ID number is refused here, before anything is checked or counted.
        try:
            check_id_number(account_id)
        except CellProblem:
            return account_id
        raise ValidationError(
            "这里请填写学号，不是身份证号。学号可在学习平台或积分导出表中查到。", code="id_number"
        )

    def clean_name(self) -> str:
        name = normalise_name(self.cleaned_data["name"])
        if not name:
            raise ValidationError("请输入姓名。", code="required")
        return name

    def clean_id_number(self) -> str:
        try:
            return check_id_number(self.cleaned_data["id_number"])
        except CellProblem as exc:
            raise ValidationError(f"{exc}，请核对。", code="id_number") from None

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", ValidationError("两次输入的密码不一致。", code="password_mismatch"))
        elif first:
            # The account that would be made: the similarity check compares the password with its names.
            candidate = User(
                username=cleaned.get("account_id", ""),
                account_id=cleaned.get("account_id", ""),
                full_name=cleaned.get("name", ""),
                role=UserRole.LEARNER,
            )
            try:
                password_validation.validate_password(first, candidate)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned

    def claim_request(self) -> ClaimRequest:
        data = self.cleaned_data
        return ClaimRequest(
            account_id=data["account_id"],
            name=data["name"],
            id_number=data["id_number"],
            password=data["password1"],
        )

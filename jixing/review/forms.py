from __future__ import annotations

from dataclasses import dataclass

from django import forms

from jixing.imports.enums import ImportKind
from jixing.nominations.domain.list_picks import Pick
from jixing.nominations.domain.text_limits import REASON_MAX, hint
from jixing.security.params import parse_ids, parse_int

# The order typed beside a pick only sorts the list; no list is longer.
MAX_ORDER = 9999


class ImportForm(forms.Form):
    # The files the page imports (the 申报 template is read by `jixing evaluate`, not imported here).
    kind = forms.ChoiceField(label="数据类型", choices=ImportKind.choices, widget=forms.RadioSelect)
    file = forms.FileField(
        label="文件（CSV 或 XLSX）", widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"})
    )
    name = forms.CharField(
        label="快照名称",
        max_length=200,
        required=False,
        help_text="仅积分快照；默认用文件名；最多 200 字",
        error_messages={"max_length": "快照名称最多 200 字，请精简"},
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


class ReasonForm(forms.Form):
    """A reason the record keeps: returning, rejecting, reopening."""

    reason = forms.CharField(
        label="理由",
        max_length=REASON_MAX,
        help_text=hint(REASON_MAX),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"理由最多 {REASON_MAX} 字，请精简"},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def problem(self, missing: str) -> str:
        """What to tell when the form is invalid: the cap when the reason is too long, else `missing`."""
        return str(self.errors["reason"][0]) if self.has_error("reason", "max_length") else missing


class ScanForm(forms.Form):
    file = forms.FileField(
        label="盖章扫描件（PDF 或图片）",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/*"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


@dataclass
class PickValues:
    """What the screening form holds for one nomination, as typed (shown again after a refusal)."""

    picked: bool
    order: str
    reason: str


def picks_from_post(data, *, ids: list[int]) -> tuple[list[Pick], dict[int, PickValues]]:
    """The picks of the screening form in the order typed (`order-<id>`; empty after the numbered ones,
    ties and empties in the default order, which `ids` follows), and every row's values as typed."""
    chosen = set(parse_ids(data.getlist("pick")))
    values = {
        pk: PickValues(
            picked=pk in chosen,
            order=data.get(f"order-{pk}", "").strip(),
            reason=data.get(f"reason-{pk}", "").strip(),
        )
        for pk in ids
    }

    def place(item: tuple[int, int]) -> tuple[bool, int, int]:
        index, pk = item
        # A number out of bounds or in other digits ('²', '٣') counts as empty: placed after the numbered.
        order = parse_int(values[pk].order, high=MAX_ORDER)
        return (order is None, order or 0, index)

    ordered = sorted(((i, pk) for i, pk in enumerate(ids) if pk in chosen), key=place)
    return [Pick(pk, values[pk].reason) for _, pk in ordered], values

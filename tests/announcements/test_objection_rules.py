"""The objection rules added for the public side (issue 15, item 7): phone numbers typed with spaces or
dashes are taken and stored normalised; the same objection twice is refused and points to the first."""

import pytest

from jixing.announcements.domain.objections import (
    DuplicateObjection,
    ObjectionRefused,
    handle_objection,
    normalise_phone,
    normalise_receipt,
    submit_objection,
)
from jixing.announcements.domain.publishing import publish
from jixing.announcements.enums import ObjectionOutcome
from jixing.announcements.models import Objection
from jixing.audit.models import AuditEvent
from jixing.nominations.enums import NominationState as S
from jixing.notifications.models import Notification
from tests.announcements.helpers import at, evaluated, listed

CONTENT = "该同学积分有误。"


@pytest.fixture
def entries(world):
    first = listed(world, "A1", state=S.SELECTED)
    second = listed(world, "D1", org="datong_school", state=S.SELECTED)
    evaluated(world, first, second)
    announcement = publish(campaign=world.campaign, actor=world.users.province, now=at(2023, 1, 20))
    return [announcement.entries.get(nomination=first), announcement.entries.get(nomination=second)]


def _submit(entry, **overrides):
    values = {"name": "赵六", "phone": "13900000000", "content": CONTENT, "now": at(2023, 1, 30)}
    values.update(overrides)
    return submit_objection(entry=entry, ip="203.0.113.9", **values)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("139 1234 5678", "13912345678"),
        ("139-1234-5678", "13912345678"),
        (" 13912345678 ", "13912345678"),
        ("１３９　１２３４　５６７８", "13912345678"),  # full-width, as a Chinese input method types it
        ("0351 3183924", "0351-3183924"),
        ("03513183924", "0351-3183924"),
        ("010-1234 5678", "010-12345678"),
    ],
)
def test_normalise_phone_accepts_spaces_and_dashes(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize(
    "typed", ["139 1234 567", "2391234567", "12345", "139/1234/5678", "٣٩١٢٣٤٥٦٧٨٩", "0351-31839"]
)
def test_normalise_phone_refuses_what_is_no_phone_number(typed):
    with pytest.raises(ObjectionRefused, match="联系电话格式不正确"):
        normalise_phone(typed)


@pytest.mark.parametrize("typed", ["139 1234 5678", "139-1234-5678"])
def test_objection_phone_with_spaces_or_dashes_is_stored_normalised(entries, typed):
    objection = _submit(entries[0], phone=typed)
    assert Objection.objects.get(pk=objection.pk).phone == "13912345678"


def test_objection_same_phone_and_content_again_is_refused_and_changes_nothing(entries):
    first = _submit(entries[0], phone="139 1234 5678")
    counts = (Objection.objects.count(), AuditEvent.objects.count(), Notification.objects.count())
    with pytest.raises(DuplicateObjection) as excinfo:
        # Another spelling of the same number, another name, the same words with other spacing.
        _submit(
            entries[0],
            name="赵 六",
            phone="139-1234-5678",
            content="  该同学积分\n有误。 ",
            now=at(2023, 1, 31),
        )
    assert excinfo.value.receipt == first.receipt
    assert str(excinfo.value) == (
        f"您已于2023年01月30日 10:00就该公示对象提交过相同内容的反映（受理编号 {first.receipt}），"
        "请勿重复提交。可凭受理编号查询办理情况。"
    )
    assert (Objection.objects.count(), AuditEvent.objects.count(), Notification.objects.count()) == counts


def test_objection_duplicate_is_refused_also_after_the_first_was_handled(world, entries):
    first = _submit(entries[0])
    handle_objection(objection=first, outcome=ObjectionOutcome.DISMISSED, note="积分无误",
                     actor=world.users.province, now=at(2023, 1, 31))  # fmt: skip
    with pytest.raises(DuplicateObjection) as excinfo:
        _submit(entries[0], now=at(2023, 2, 1))
    assert (excinfo.value.receipt, Objection.objects.count()) == (first.receipt, 1)


@pytest.mark.parametrize(
    "other",
    [
        {"content": "该同学的材料与事实不符。"},  # something else said
        {"phone": "13900000001"},  # somebody else
    ],
)
def test_objection_differing_in_phone_or_content_is_taken(entries, other):
    first = _submit(entries[0])
    second = _submit(entries[0], **other)
    assert (Objection.objects.count(), second.receipt != first.receipt) == (2, True)


def test_objection_same_words_about_another_entry_is_taken(entries):
    _submit(entries[0])
    _submit(entries[1])
    assert sorted(Objection.objects.values_list("nomination_id", flat=True)) == sorted(
        [entries[0].nomination_id, entries[1].nomination_id]
    )


@pytest.mark.parametrize(
    ("typed", "receipt"),
    [("YYABCD1234", "YYABCD1234"), (" yyab cd1234 ", "YYABCD1234"), ("ＹＹＡＢＣＤ１２３４", "YYABCD1234"),
     ("YYABCD123", None), ("13912345678", None), ("", None), ("YYABC1D234", None)],
)  # fmt: skip
def test_normalise_receipt_takes_any_case_and_spacing(typed, receipt):
    assert normalise_receipt(typed) == receipt

"""Masked forms of personal numbers, and the template filters that choose masked or whole."""

import pytest
from django.template import Context, Template

from jixing.accounts.enums import UserRole
from jixing.people.masking import mask_id_number, mask_phone
from tests.factories import make_small_province, make_user


def test_mask_id_number_keeps_the_first_four_and_last_four():
    assert mask_id_number("14010019900101123X") == "1401**********123X"


def test_mask_phone_keeps_the_first_three_and_last_four():
    assert mask_phone("10012345678") == "100****5678"


def test_masks_leave_empty_values_empty():
    assert (mask_id_number(""), mask_phone("")) == ("", "")


def test_masks_hide_a_too_short_value_whole():
    assert (mask_id_number("1234567"), mask_phone("1234")) == ("*******", "****")


@pytest.mark.django_db
def test_phone_for_shows_the_whole_number_to_province_admins_only():
    tree = make_small_province()
    admin = make_user(username="p", role=UserRole.PROVINCE_ADMIN, org=tree["province"])
    unit = make_user(username="u", role=UserRole.UNIT_ADMIN, org=tree["school"])
    template = Template("{% load personal_data %}{{ phone|phone_for:user }} {{ id|id_number_for:user }}")

    def shown(user) -> str:
        return template.render(Context({"phone": "10012345678", "id": "14010019900101123X", "user": user}))

    assert shown(admin) == "10012345678 14010019900101123X"
    assert shown(unit) == "100****5678 1401**********123X"

"""Template filters for personal numbers: masked by default, whole only for roles that need them.

{% load personal_data %}
{{ learner.phone_masked }}                      the snapshot stores masked forms only
{{ objection.phone|phone_for:request.user }}    whole for province admins, masked for anyone else
{{ value|masked_phone }}  {{ value|masked_id_number }}
"""

from __future__ import annotations

from django import template

from jixing.people.masking import mask_id_number, mask_phone

register = template.Library()
PERMISSION = "people.view_personal_numbers"


def _may_see_whole(user) -> bool:
    return bool(user is not None and user.has_perm(PERMISSION))


@register.filter
def masked_phone(value: str | None) -> str:
    return mask_phone(value or "")


@register.filter
def masked_id_number(value: str | None) -> str:
    return mask_id_number(value or "")


@register.filter
def phone_for(value: str | None, user) -> str:
    return (value or "") if _may_see_whole(user) else mask_phone(value or "")


@register.filter
def id_number_for(value: str | None, user) -> str:
    return (value or "") if _may_see_whole(user) else mask_id_number(value or "")

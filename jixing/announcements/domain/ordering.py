"""The order of every official list a person reads (公示, the final list and their exports): by category,
then by surname stroke order (姓氏笔画) of the name; a unit's name character by character by the same
rule."""

from __future__ import annotations

from jixing.tables.strokes import NameKey, name_key, text_key


def official_order(*, category_number: int, is_person: bool, name: str) -> tuple[int, NameKey]:
    """Sort key of one entry of an official list. Equal keys keep their order (sorts are stable)."""
    return (category_number, name_key(name) if is_person else text_key(name))

"""Numbers typed into URLs and forms, read strictly.

`str.isdigit()` accepts '²' and '٣', which `int()` then refuses or reads as another digit, and `int()` of a
string longer than 4,300 digits raises: a parameter parsed by hand must go through `parse_int`, which takes
ASCII digits only, within bounds, and answers None for anything else — never an exception.
"""

from __future__ import annotations

from collections.abc import Iterable

# Primary keys are BigAutoField: anything above is no row of ours.
MAX_ID = 2**63 - 1


def parse_int(value: object, *, low: int = 0, high: int = MAX_ID) -> int | None:
    """`value` as an int when it is a string of ASCII digits between `low` and `high`, else None."""
    if not isinstance(value, str) or not value or not value.isascii() or not value.isdigit():
        return None
    # Checked before int(): a longer number is out of bounds anyway, and int() of a very long string is
    # slow and raises past 4,300 characters — leading zeros included, so they go first.
    digits = value.lstrip("0") or "0"
    if len(digits) > len(str(high)):
        return None
    number = int(digits)
    return number if low <= number <= high else None


def parse_id(value: object) -> int | None:
    """A primary key: 1 or more, within BigAutoField's range."""
    return parse_int(value, low=1, high=MAX_ID)


def parse_ids(values: Iterable[object]) -> list[int]:
    """The valid primary keys among `values`, in order; the rest are ignored."""
    return [number for number in map(parse_id, values) if number is not None]


# A name, a 学号, an org or a number: no search term is longer. (SQLite refuses LIKE patterns past 50,000
# bytes; a longer term finds nothing anyway.)
SEARCH_MAX_CHARS = 100


def search_text(value: object) -> str:
    """A search box's text: stripped, at most SEARCH_MAX_CHARS characters, '' for anything not a string."""
    return value.strip()[:SEARCH_MAX_CHARS] if isinstance(value, str) else ""

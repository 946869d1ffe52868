"""Numbers typed into URLs and forms are read strictly: ASCII digits within bounds, or nothing."""

import pytest
from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from jixing.review.forms import picks_from_post
from jixing.security.params import MAX_ID, parse_id, parse_ids, parse_int, search_text


@pytest.mark.parametrize(
    ("value", "expected"),
    [("7", 7), ("007", 7), ("0", 0), ("9999", 9999), ("10000", None), ("²", None), ("٣", None),
     ("１２", None), (" 7", None), ("7 ", None), ("-1", None), ("+1", None), ("1_000", None), ("", None),
     (None, None), (7, None), ("9" * 5000, None), ("0" * 5000 + "12", 12)],
)  # fmt: skip
def test_params_parse_int_takes_ascii_digits_within_bounds(value, expected):
    assert parse_int(value, low=0, high=9999) == expected


def test_params_ids_are_positive_and_within_bigint():
    assert (parse_id("0"), parse_id("1"), parse_id(str(MAX_ID)), parse_id(str(MAX_ID + 1))) == (
        None,
        1,
        MAX_ID,
        None,
    )
    assert parse_ids(["3", "²", "x", "", "0", "4"]) == [3, 4]


@given(st.text())
def test_params_parse_int_never_raises_and_agrees_with_int_on_ascii(text):
    number = parse_int(text, low=0, high=10**6)
    if number is not None:
        assert text.isascii() and text.isdigit() and int(text) == number


def test_params_search_text_is_stripped_and_capped():
    assert (search_text("  王五 "), len(search_text("x" * 100_000)), search_text(None)) == ("王五", 100, "")


def test_params_picks_with_other_digits_sort_after_the_numbered():
    post = QueryDict(mutable=True)
    post.setlist("pick", ["11", "12", "13", "²"])
    post.update({"order-11": "²", "order-12": "2", "order-13": "1"})
    picks, _ = picks_from_post(post, ids=[11, 12, 13])
    assert [p.nomination_id for p in picks] == [13, 12, 11]

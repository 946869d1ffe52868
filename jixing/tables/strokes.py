"""Names in surname stroke order (姓氏笔画排序), the order of Chinese official lists. Pure Python.

The rule, as official lists apply it:
1. the surname first, a compound surname (欧阳, 司马 …) as one unit: its characters are compared one by
   one, and a single surname comes before a compound surname that starts with it (欧 before 欧阳);
2. each character by its stroke count, fewer first; equal counts by the first stroke's shape in the order
   横 竖 撇 点 折, then by the following strokes (王 before 巴: both 4 strokes, 王 starts with 横, 巴 with 折);
3. then the given name, character by character, the same way;
4. what is still equal stays in a stable order: by the name's characters' code points.

Stroke data, offline and maintained by others:
- cn-sort's character table (`res/all_word.json` of the `cn-sort` package; its `stroke_increment_level`
  ranks 20,000 characters by stroke count, then stroke by stroke from the first, 横竖撇点折). The table is
  read directly: importing `cn_sort` runs `logging.config.fileConfig`, which disables every logger already
  configured (Django's included), sets the root logger to DEBUG on stdout and opens all.log/error.log in
  the working directory.
- Unihan `kTotalStrokes` (Debian `unicode-data`, /usr/share/unicode/Unihan_IRGSources.txt.bz2): the
  stroke count of every character (the zh-Hans value), and so the place of the rare characters cn-sort
  lacks (Extension A and beyond): after the characters cn-sort knows with the same count. Without the file
  cn-sort's order alone is used.
A character neither knows (a Latin letter, a digit, a character of a newer Unicode) sorts after every
known one, by code point; nothing here raises for an odd name. Separators inside a name (巴依卡·凯力迪别克)
and spaces are not compared.
"""

from __future__ import annotations

import bz2
import importlib.util
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import TypeVar

UNIHAN_IRG_SOURCES = Path("/usr/share/unicode/Unihan_IRGSources.txt.bz2")

# The compound surnames of the 百家姓 (its 复姓 section), 独孤, and two Manchu clan names (four characters).
# A name starts with one of them only when something follows it: a two-character name 司马 is 司 + 马.
COMPOUND_SURNAMES = frozenset(
    """
    万俟 司马 上官 欧阳 夏侯 诸葛 闻人 东方 赫连 皇甫 尉迟 公羊 澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠
    公孙 仲孙 轩辕 令狐 钟离 宇文 长孙 慕容 鲜于 闾丘 司徒 司空 亓官 司寇 子车 颛孙 端木 巫马 公西 漆雕
    乐正 壤驷 公良 拓跋 夹谷 宰父 谷梁 段干 百里 东郭 南门 呼延 归海 羊舌 微生 梁丘 左丘 东门 西门 南宫
    第五 伯赏 独孤 爱新觉罗 叶赫那拉
    """.split()
)
# Between the parts of a transcribed name (巴依卡·凯力迪别克) and stray spaces: not compared.
SEPARATORS = frozenset("·•・‧.．-－—  \u3000\t")

UNKNOWN_STROKES = 1_000  # more than any character has (the most has 64)
_AFTER_KNOWN = 1 << 30  # rank of a character cn-sort lacks: after those it knows with the same count

CharKey = tuple[int, int, int]
NameKey = tuple[int, tuple[CharKey, ...], tuple[CharKey, ...], str]


def _is_han(char: str) -> bool:
    return unicodedata.name(char, "").startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH"))


@cache
def _cn_sort_ranks() -> dict[str, int]:
    """Han character → cn-sort's stroke-order rank; empty if the package is missing."""
    spec = importlib.util.find_spec("cn_sort")  # finds the package without importing it (see above)
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / "res" / "all_word.json"
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["all_word"]
    except (OSError, ValueError, KeyError):
        return {}
    return {
        e["chinese"]: int(e["stroke_increment_level"])
        for e in entries
        if len(e["chinese"]) == 1 and _is_han(e["chinese"])
    }


_TOTAL_STROKES = re.compile(rb"^U\+([0-9A-F]{4,6})\tkTotalStrokes\t(\d+)", re.MULTILINE)


@cache
def _unihan_strokes() -> dict[str, int]:
    """Han character → kTotalStrokes (the first value, preferred for zh-Hans); empty without the file."""
    try:
        with bz2.open(UNIHAN_IRG_SOURCES, "rb") as stream:
            data = stream.read()
    except (OSError, EOFError, ValueError):
        return {}
    return {chr(int(code, 16)): int(count) for code, count in _TOTAL_STROKES.findall(data)}


@cache
def char_key(char: str) -> CharKey:
    """(stroke count, rank among that count, code point) of one character."""
    strokes = _unihan_strokes().get(char)
    rank = _cn_sort_ranks().get(char)
    if rank is not None:
        # Where the two disagree on a count (some 30 characters, 达 among them), Unihan's is taken.
        return (strokes or 0, rank, ord(char))
    if strokes is not None:
        return (strokes, _AFTER_KNOWN, ord(char))
    return (UNKNOWN_STROKES, _AFTER_KNOWN, ord(char))


def stroke_count(char: str) -> int | None:
    """The character's stroke count from the stroke data, None when neither source knows it."""
    return _unihan_strokes().get(char)


def _clean(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFC", text) if c not in SEPARATORS)


def split_surname(name: str) -> tuple[str, str]:
    """(surname, given name) of a name: a compound surname when the name starts with one and goes on."""
    cleaned = _clean(name)
    for length in (4, 2):
        if len(cleaned) > length and cleaned[:length] in COMPOUND_SURNAMES:
            return cleaned[:length], cleaned[length:]
    return cleaned[:1], cleaned[1:]


def name_key(name: str) -> NameKey:
    """Sort key of a person's name in surname stroke order; an empty name sorts last."""
    surname, given = split_surname(name)
    return (
        0 if surname else 1,
        tuple(char_key(c) for c in surname),
        tuple(char_key(c) for c in given),
        name,
    )


def text_key(text: str) -> NameKey:
    """Sort key of a unit's name (no surname): character by character in stroke order."""
    cleaned = _clean(text)
    return (0 if cleaned else 1, tuple(char_key(c) for c in cleaned), (), text)


T = TypeVar("T")


def stroke_sorted(items: Iterable[T], *, name: Callable[[T], str] | None = None) -> list[T]:
    """`items` in surname stroke order of `name(item)` (the items themselves when they are names);
    stable: equal names keep their order."""
    get = name or (lambda item: str(item))
    return sorted(items, key=lambda item: name_key(get(item)))

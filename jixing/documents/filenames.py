"""File names for documents people save, mail and unpack on Windows: 「【学员标兵】张三（太原市第五中学）.docx」."""

from __future__ import annotations

import re
import unicodedata

# Characters Windows refuses in a file name, and the C0/C1 control characters.
_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f-\x9f]')
# Device names Windows reserves whatever the extension (CON.docx opens the console).
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{i}" for i in "123456789¹²³"}
    | {f"LPT{i}" for i in "123456789¹²³"}
)
# Most file systems allow 255 bytes or UTF-16 units per name; a zip's names and a path prefix need room,
# so a name stays well under that. Counted in characters: a Chinese character is one UTF-16 unit.
MAX_CHARS = 120


def safe_filename(stem: str, extension: str, *, max_chars: int = MAX_CHARS) -> str:
    """`stem.extension` safe on Windows, macOS and Linux: forbidden and control characters dropped,
    whitespace runs made one space, no leading/trailing dots or spaces, a reserved device name prefixed
    with 「_」, and the stem cut so that the whole name has at most `max_chars` characters. An empty stem
    becomes 「文件」."""
    text = unicodedata.normalize("NFC", stem)
    text = _FORBIDDEN.sub("", re.sub(r"\s+", " ", text)).strip(" .")
    extension = _FORBIDDEN.sub("", extension).strip(" .")
    suffix = f".{extension}" if extension else ""
    room = max(1, max_chars - len(suffix))
    text = text[:room].rstrip(" .") or "文件"
    if text.split(".", 1)[0].upper() in _RESERVED:
        text = f"_{text}"[:room]
    return f"{text}{suffix}"


def entry_filename(*, category: str, name: str, unit: str, extension: str) -> str:
    """The plan's name for a nomination's form: 「【报名类型】人员姓名（单位名称）」, safe on Windows. For a
    unit category the unit's name stands in both places."""
    return safe_filename(f"【{category}】{name}（{unit}）", extension)

"""An evidence package: one zip of nominations' 报名表 and evidence files, with a contents sheet (目录.xlsx)
listing every file with its nomination, size and SHA-256. Fed plain PackageFile items, no database inside.

Memory stays bounded whatever the package's size: a stored file is copied into the zip in chunks while
its digest is computed, a built file (a 报名表) is held only while it is written, and the contents sheet
is a write-only workbook. Files that are compressed already (pictures, PDF, video, Office files) are
stored as they are; only the rest is deflated.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from typing import IO

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from jixing.tables.formula_safe import new_workbook

CONTENTS_NAME = "目录.xlsx"
MISSING_NOTE = "存储中找不到该文件，未打包"
CHUNK = 1024 * 1024
# Deflating these again gains nothing and costs time: they are stored as they are.
COMPRESSED_EXTENSIONS = frozenset(
    {"jpg", "jpeg", "png", "gif", "webp", "heic", "heif", "pdf", "mp4", "mov", "m4v", "avi", "mkv", "wmv",
     "mp3", "m4a", "aac", "zip", "rar", "7z", "gz", "docx", "xlsx", "pptx", "ofd"}
)  # fmt: skip
HEADERS = (
    "序号",
    "文件名",
    "申报编号",
    "项目",
    "姓名／单位名称",
    "单位",
    "材料类型",
    "大小（字节）",
    "SHA-256",
    "备注",
)
WIDTHS = (6, 60, 14, 14, 18, 28, 12, 14, 66, 24)


@dataclass(frozen=True)
class PackageFile:
    """One file of the package: its path inside the zip, what it belongs to, and where its bytes come
    from — a stored file (`source` opens it; copied in chunks; missing when it raises FileNotFoundError)
    or bytes built just now (`content`)."""

    path: str
    number: str
    category: str
    name: str
    unit: str
    material: str
    source: Callable[[], IO[bytes]] | None = None
    content: bytes | None = None


@dataclass(frozen=True)
class PackedFile:
    """A line of the contents sheet: the file as packed (its final path), or missing when its source was
    not found."""

    file: PackageFile
    path: str
    size: int
    sha256: str
    missing: bool = False


@dataclass(frozen=True)
class PackageSummary:
    files: int
    missing: int


def write_package(
    target: IO[bytes],
    files: Iterable[PackageFile],
    *,
    when: datetime,
    on_file: Callable[[int], None] | None = None,
) -> PackageSummary:
    """Write the zip to `target` (a file opened for writing): every file in the order given — a path used
    twice gets 「（2）」, 「（3）」… before its extension — then CONTENTS_NAME. `when` (local time) stamps
    the entries; `on_file(n)` is called after the n-th file (packed or missing), for progress."""
    packed: list[PackedFile] = []
    used: set[str] = {CONTENTS_NAME.casefold()}
    stamp = when.timetuple()[:6]
    with zipfile.ZipFile(target, "w", allowZip64=True) as archive:
        for count, item in enumerate(files, start=1):
            path = _unique(item.path, used)
            try:
                handle = _open(item)
            except FileNotFoundError:
                packed.append(PackedFile(item, path, 0, "", missing=True))
            else:
                size, digest = _write_entry(archive, path, handle, stamp)
                packed.append(PackedFile(item, path, size, digest))
            if on_file is not None:
                on_file(count)
        info = zipfile.ZipInfo(CONTENTS_NAME, date_time=stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, contents_xlsx(packed))
    return PackageSummary(files=len(packed), missing=sum(1 for p in packed if p.missing))


def _unique(path: str, used: set[str]) -> str:
    """`path`, or with 「（n）」 before the extension when a file of that name is in the zip already.
    Compared case-insensitively: Windows would unpack 「a.PDF」 over 「a.pdf」."""
    candidate, n = path, 1
    pure = PurePosixPath(path)
    while candidate.casefold() in used:
        n += 1
        candidate = str(pure.with_name(f"{pure.stem}（{n}）{pure.suffix}"))
    used.add(candidate.casefold())
    return candidate


def _open(item: PackageFile) -> IO[bytes]:
    if item.content is not None:
        return io.BytesIO(item.content)
    if item.source is None:
        raise FileNotFoundError(item.path)
    return item.source()


def _write_entry(
    archive: zipfile.ZipFile, path: str, handle: IO[bytes], stamp: tuple[int, ...]
) -> tuple[int, str]:
    info = zipfile.ZipInfo(path, date_time=stamp)  # type: ignore[arg-type]  # a 6-tuple
    extension = PurePosixPath(path).suffix.lower().lstrip(".")
    info.compress_type = zipfile.ZIP_STORED if extension in COMPRESSED_EXTENSIONS else zipfile.ZIP_DEFLATED
    digest = hashlib.sha256()
    size = 0
    with handle, archive.open(info, "w", force_zip64=True) as entry:
        while chunk := handle.read(CHUNK):
            entry.write(chunk)
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def contents_xlsx(packed: Iterable[PackedFile]) -> bytes:
    """The contents sheet: one row per file, in the zip's order, text cells never formulas."""
    book = new_workbook(write_only=True)
    sheet = book.create_sheet("目录")
    for number, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    bold = Font(bold=True)
    header = []
    for text in HEADERS:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for position, p in enumerate(packed, start=1):
        f = p.file
        sheet.append(
            [
                position,
                p.path,
                f.number,
                f.category,
                f.name,
                f.unit,
                f.material,
                None if p.missing else p.size,
                p.sha256,
                MISSING_NOTE if p.missing else "",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

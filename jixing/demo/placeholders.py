"""Placeholder evidence files: a tiny PNG and a tiny PDF, made here without any imaging library.

Every demo attachment gets a copy under MEDIA_ROOT/demo/ (through the default storage), so the pages that
list or serve evidence have a real file to show without the demo shipping any.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from jixing.demo.plan import Province
from jixing.nominations.enums import EvidenceKind


def _png(width: int = 160, height: int = 100) -> bytes:
    """A light card with a red band on top (the platform's colour), drawn without an imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = []
    for y in range(height):
        red_band = y < 18
        pixel = b"\xc8\x10\x2e" if red_band else b"\xf6\xf1\xe8"
        border = b"\xb0\xb0\xb0"
        row = bytearray(b"\x00")  # filter: none
        for x in range(width):
            row += border if (x in (0, width - 1) or y == height - 1) and not red_band else pixel
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def _pdf() -> bytes:
    """A one-page A4 PDF saying (in ASCII, so no font needs embedding) that it stands in for a document."""
    text = b"BT /F1 18 Tf 72 760 Td (jixing demo - placeholder document) Tj 0 -28 Td /F1 11 Tf (Synthetic evidence for the demo campaign; no real document.) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@dataclass(frozen=True, slots=True)
class Placeholder:
    extension: str
    content_type: str
    content: bytes
    size: int
    sha256: str


def _placeholder(extension: str, content_type: str, content: bytes) -> Placeholder:
    return Placeholder(extension, content_type, content, len(content), hashlib.sha256(content).hexdigest())


_IMAGE_KINDS = {
    EvidenceKind.SCENE_PHOTO,
    EvidenceKind.POINTS_SCREENSHOT,
    EvidenceKind.AWARD_CERTIFICATE,
    EvidenceKind.CLEARANCE_CERTIFICATE,
}
_PNG = _placeholder("png", "image/png", _png())
_PDF = _placeholder("pdf", "application/pdf", _pdf())
# The placeholder each evidence kind gets: pictures for photos, screenshots and certificates.
PLACEHOLDERS: dict[str, Placeholder] = {
    kind.value: _PNG if kind in _IMAGE_KINDS else _PDF for kind in EvidenceKind
}
FOLDER = "demo"


def evidence_name(number: str, index: int, kind: str) -> str:
    """Storage name of a nomination's `index`-th demo attachment: stable for the same seed."""
    return f"{FOLDER}/{number}-{index:02d}.{PLACEHOLDERS[kind].extension}"


def write_evidence_files(province: Province) -> int:
    """Replace the files under MEDIA_ROOT/demo/ with one placeholder copy per attachment of `province`
    and one PDF per sealed scan of its reporting units' lists.

    A copy each, not one shared file: deleting an attachment in the demo deletes its file, which must not
    take the other nominations' evidence with it. Returns the number of files written.
    """
    try:
        folder = Path(default_storage.path(FOLDER))
    except NotImplementedError:  # a remote storage: through its API, slower
        return _write_through_storage(province)
    # Local files are written directly: FileSystemStorage.save (locking, unique names) took ~1 ms each.
    if folder.is_dir():
        for old in folder.iterdir():
            old.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for plan in province.nominations:
        for index, kind in enumerate(plan.attachments):
            (folder / evidence_name(plan.number, index, kind).removeprefix(f"{FOLDER}/")).write_bytes(
                PLACEHOLDERS[kind].content
            )
            written += 1
    for name in _scan_names(province):
        (folder / name.removeprefix(f"{FOLDER}/")).write_bytes(_PDF.content)
        written += 1
    return written


def _scan_names(province: Province) -> list[str]:
    """The sealed scans of the reporting units' sent lists: a placeholder PDF each, beside the evidence."""
    return [plan.scan_name for plan in province.lists if plan.scanned_at is not None]


def _write_through_storage(province: Province) -> int:
    if default_storage.exists(FOLDER):
        for name in default_storage.listdir(FOLDER)[1]:
            default_storage.delete(f"{FOLDER}/{name}")
    written = 0
    for plan in province.nominations:
        for index, kind in enumerate(plan.attachments):
            name = evidence_name(plan.number, index, kind)
            saved = default_storage.save(name, ContentFile(PLACEHOLDERS[kind].content))
            assert saved == name, f"{saved} != {name}"
            written += 1
    for name in _scan_names(province):
        saved = default_storage.save(name, ContentFile(_PDF.content))
        assert saved == name, f"{saved} != {name}"
        written += 1
    return written

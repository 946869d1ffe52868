"""Evidence files: checked by content, cleaned, stored under random names, recorded in the audit chain.

Accepted types, decided by the first bytes of the file and never by its name or the browser's claim:
JPEG, PNG and WebP images; PDF; MP4 and QuickTime (.mov, what iPhones record) video. HEIC is not
accepted: Pillow cannot read it without an extra library, and iOS converts HEIC photos to JPEG when a
page asks for `image/*`. Images are decoded and re-encoded with Pillow (JPEG and WebP → JPEG, PNG → PNG),
which drops EXIF (GPS, camera, time) and every other metadata block; the picture is turned upright first,
kept at most 4096 pixels on its longest side, within a memory budget (images.py). PDFs are written again
without active content — JavaScript, actions, embedded files (pdfs.py). Videos are stored as sent (no
re-encoding tool on the server): their metadata stays. Size limits per type are settings
(JIXING_UPLOAD_*_MAX_MB).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.nominations.domain.access import can_edit
from jixing.nominations.domain.changes import mark_changed
from jixing.nominations.domain.forms_spec import EVIDENCE_HINTS, UNIT_PROVIDED, FormSpec, form_spec
from jixing.nominations.domain.images import ImageRefused, reencode
from jixing.nominations.domain.pdfs import PdfRefused, sanitised_pdf
from jixing.nominations.enums import EvidenceKind
from jixing.nominations.models import Attachment, Nomination
from jixing.refusals import Refused

IMAGE, PDF, VIDEO = "image", "pdf", "video"
TYPE_LABELS = {IMAGE: "图片（JPG、PNG、WebP）", PDF: "PDF 文件", VIDEO: "视频（MP4、MOV）"}

# Which classes of file each kind of evidence takes.
KIND_CLASSES: dict[str, tuple[str, ...]] = {
    EvidenceKind.PLEDGE: (IMAGE, PDF),
    EvidenceKind.SCENE_PHOTO: (IMAGE,),
    EvidenceKind.POINTS_SCREENSHOT: (IMAGE,),
    EvidenceKind.NEWS_REPORT: (IMAGE, PDF),
    EvidenceKind.AWARD_CERTIFICATE: (IMAGE, PDF),
    EvidenceKind.CLEARANCE_CERTIFICATE: (IMAGE, PDF),
    EvidenceKind.VIDEO: (VIDEO,),
    EvidenceKind.ACTIVITY_RECORD: (IMAGE, PDF, VIDEO),
    EvidenceKind.SEALED_FORM: (IMAGE, PDF),
}
# The `accept` attribute of the file input per class: phones then offer the camera or the gallery.
ACCEPT = {IMAGE: "image/*", PDF: "application/pdf", VIDEO: "video/*"}
# QuickTime/MP4 brands (ISO base media file format, bytes 8–12) we take as video.
VIDEO_BRANDS = {
    b"isom": ("video/mp4", "mp4"),
    b"iso2": ("video/mp4", "mp4"),
    b"iso4": ("video/mp4", "mp4"),
    b"iso5": ("video/mp4", "mp4"),
    b"iso6": ("video/mp4", "mp4"),
    b"mp41": ("video/mp4", "mp4"),
    b"mp42": ("video/mp4", "mp4"),
    b"avc1": ("video/mp4", "mp4"),
    b"M4V ": ("video/mp4", "mp4"),
    b"MSNV": ("video/mp4", "mp4"),
    b"3gp4": ("video/mp4", "mp4"),
    b"3gp5": ("video/mp4", "mp4"),
    b"qt  ": ("video/quicktime", "mov"),
}


class UploadRefused(Refused):
    """A file that is not stored; the message names the file and the reason, in Chinese."""


@dataclass(frozen=True)
class Sniffed:
    file_class: str
    content_type: str
    extension: str


def sniff(head: bytes) -> Sniffed | None:
    """The type of a file from its first bytes, or None when it is none of the accepted types."""
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed(IMAGE, "image/jpeg", "jpg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed(IMAGE, "image/png", "png")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed(IMAGE, "image/webp", "webp")
    if head.startswith(b"%PDF-"):
        return Sniffed(PDF, "application/pdf", "pdf")
    if head[4:8] == b"ftyp" and head[8:12] in VIDEO_BRANDS:
        content_type, extension = VIDEO_BRANDS[head[8:12]]
        return Sniffed(VIDEO, content_type, extension)
    return None


def accept_attribute(kind: str) -> str:
    return ",".join(ACCEPT[c] for c in KIND_CLASSES[kind])


def size_limit(file_class: str) -> int:
    return settings.UPLOAD_MAX_BYTES[file_class]


@dataclass(frozen=True)
class UploadSlot:
    """One kind of evidence as the form offers it."""

    kind: str
    accept: str
    required: bool
    max_bytes: int
    types: str
    hint: str = ""


def upload_slots(spec: FormSpec, *, applying: bool = False) -> list[UploadSlot]:
    """The form's upload places; `applying`: a learner's own application, for which the unit gives the
    stamped form when it confirms (forms_spec.UNIT_PROVIDED), so that slot is offered but not required."""
    required = spec.required_kinds(applying=applying)
    return [
        UploadSlot(
            kind=kind,
            accept=accept_attribute(kind),
            required=kind in required,
            hint=_hint(kind, applying=applying),
            max_bytes=max(size_limit(c) for c in KIND_CLASSES[kind]),
            types="；".join(
                f"{TYPE_LABELS[c]}不超过 {human_size(size_limit(c))}" for c in KIND_CLASSES[kind]
            ),
        )
        for kind in spec.evidence
    ]


def _hint(kind: str, *, applying: bool) -> str:
    hint = EVIDENCE_HINTS.get(kind, "")
    if applying and kind in UNIT_PROVIDED:
        return "由单位确认您的申请时上传：" + hint
    return hint


def human_size(size: int) -> str:
    """10 MB, 1.5 MB, 300 KB, 12 字节: how a limit or a file size is told to the user."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} 字节"


def clean_name(name: str) -> str:
    """The file's own name, without folders or control characters, at most 120 characters."""
    name = os.path.basename(name.replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip() or "未命名文件"
    stem, dot, ext = name.rpartition(".")
    if dot and len(ext) <= 10:
        return f"{stem[:110]}.{ext}"
    return name[:120]


def reencode_image(data: bytes, sniffed: Sniffed) -> tuple[bytes, Sniffed]:
    """Decode and encode the picture again without any metadata, within the memory budget of images.py;
    raises UploadRefused on a bad or too large image."""
    try:
        content, content_type = reencode(data, sniffed.content_type)
    except ImageRefused as exc:
        raise UploadRefused(str(exc), rule_id=exc.rule_id) from exc
    if content_type == sniffed.content_type:
        return content, sniffed
    return content, Sniffed(IMAGE, "image/jpeg", "jpg")


def check_upload(upload: UploadedFile, *, classes: tuple[str, ...], what: str, name: str) -> Sniffed:
    """The type of `upload` read from its content, if it is one of `classes` and within their size limits.

    `what` names the slot in the refusal (“承诺书”, “盖章扫描件”); `name` is the file's cleaned name.
    Shared by every upload of the product (evidence, sealed scans). Raises UploadRefused.
    """
    largest = max(size_limit(c) for c in classes)
    size = upload.size or 0  # set for every upload Django parses; None only for a hand-made file object
    if size > largest:
        raise UploadRefused(f"“{name}”未上传：文件大小 {human_size(size)}，超过上限 {human_size(largest)}")
    if size == 0:
        raise UploadRefused(f"“{name}”未上传：文件是空的")
    upload.seek(0)
    sniffed = sniff(upload.read(16))
    upload.seek(0)
    if sniffed is None or sniffed.file_class not in classes:
        allowed = "、".join(TYPE_LABELS[c] for c in classes)
        raise UploadRefused(f"“{name}”未上传：文件内容不是允许的类型，“{what}”只接受{allowed}")
    if size > size_limit(sniffed.file_class):
        limit = human_size(size_limit(sniffed.file_class))
        raise UploadRefused(f"“{name}”未上传：文件大小 {human_size(size)}，超过上限 {limit}")
    return sniffed


def _check(nomination: Nomination, kind: str, upload: UploadedFile, name: str) -> Sniffed:
    if kind not in form_spec(nomination.category).evidence:
        raise UploadRefused(f"“{name}”未上传：本项目不需要“{kind}”类材料")
    return check_upload(upload, classes=KIND_CLASSES[kind], what=kind, name=name)


def stored_content(upload: UploadedFile, sniffed: Sniffed, name: str) -> tuple[File, Sniffed, int, str]:
    """What to store for a checked upload: pictures re-encoded without metadata, PDFs without active
    content, videos as sent; with the stored type, size and sha256."""
    if sniffed.file_class in (IMAGE, PDF):
        try:
            if sniffed.file_class == IMAGE:
                data, sniffed = reencode_image(upload.read(), sniffed)
            else:
                data = sanitised_pdf(upload.read())
        except (UploadRefused, PdfRefused) as exc:
            raise UploadRefused(f"“{name}”未上传：{exc}", rule_id=exc.rule_id) from exc
        return ContentFile(data), sniffed, len(data), hashlib.sha256(data).hexdigest()
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return File(upload), sniffed, upload.size or 0, digest.hexdigest()


def random_name(sniffed: Sniffed) -> str:
    """A stored file's name: random, so nobody can guess another's, with the extension of its content."""
    return f"{secrets.token_hex(16)}.{sniffed.extension}"


def add_attachment(
    *, nomination: Nomination, kind: str, upload: UploadedFile, actor, ip: str | None = None
) -> Attachment:
    """Check, clean and store one evidence file of `kind` on an editable nomination.

    Side effects: writes the (re-encoded) file under MEDIA_ROOT/evidence/<year>/<month>/<random name>;
    creates the Attachment (size, sha256 and type of the stored bytes) and an audit event in one
    transaction, marking the campaign's eligibility results stale; removes the file again if that
    transaction fails. Raises PermissionDenied when the actor
    may not edit the nomination, UploadRefused (file name and reason) for a refused file.
    """
    name = clean_name(upload.name or "")
    if not can_edit(actor, nomination):
        raise PermissionDenied("此申报当前不可编辑，不能上传材料")
    if kind not in EvidenceKind.values:
        raise UploadRefused(f"“{name}”未上传：未知的材料类型")
    if nomination.attachments.count() >= settings.UPLOAD_MAX_FILES_PER_NOMINATION:
        raise UploadRefused(f"“{name}”未上传：每份申报最多 {settings.UPLOAD_MAX_FILES_PER_NOMINATION} 个文件")
    sniffed = _check(nomination, kind, upload, name)
    content, sniffed, size, sha256 = stored_content(upload, sniffed, name)
    attachment = Attachment(
        nomination=nomination,
        kind=kind,
        original_name=name,
        size=size,
        sha256=sha256,
        content_type=sniffed.content_type,
        uploaded_by=actor,
    )
    attachment.file.save(random_name(sniffed), content, save=False)
    try:
        with transaction.atomic():
            attachment.save()
            record_event(
                action=AuditAction.NOMINATION_ATTACHMENT_ADD,
                actor=actor,
                target=nomination,
                summary=f"{nomination.number} 上传{kind}：{name}",
                after=_described(attachment),
                ip=ip,
            )
            mark_changed(nomination.campaign, [nomination])
    except Exception:
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


def _described(attachment: Attachment) -> dict:
    return {
        "attachment": attachment.pk,
        "kind": attachment.kind,
        "name": attachment.original_name,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "content_type": attachment.content_type,
    }


def delete_attachment(*, attachment: Attachment, actor, ip: str | None = None) -> None:
    """Remove an evidence file from an editable nomination.

    Side effects: deletes the Attachment and writes an audit event in one transaction (results marked
    stale); the file itself is removed once that transaction commits. Raises PermissionDenied when the actor may not edit.
    """
    nomination = attachment.nomination
    if not can_edit(actor, nomination):
        raise PermissionDenied("此申报当前不可编辑，不能删除材料")
    storage, stored_name = attachment.file.storage, attachment.file.name
    with transaction.atomic():
        record_event(
            action=AuditAction.NOMINATION_ATTACHMENT_DELETE,
            actor=actor,
            target=nomination,
            summary=f"{nomination.number} 删除{attachment.kind}：{attachment.original_name}",
            before=_described(attachment),
            ip=ip,
        )
        attachment.delete()
        mark_changed(nomination.campaign, [nomination])
        transaction.on_commit(lambda: storage.delete(stored_name))


def download_name(attachment: Attachment) -> str:
    """The name a download gets: the uploader's name with the extension of what is stored."""
    stem = (
        attachment.original_name.rsplit(".", 1)[0]
        if "." in attachment.original_name
        else attachment.original_name
    )
    extension = attachment.file.name.rsplit(".", 1)[-1]
    return f"{stem}.{extension}"


def record_download(*, attachment: Attachment, actor, ip: str | None = None) -> None:
    """Who read which piece of evidence (personal data, under PIPL): an audit event per download.

    The event names the attachment, not the nomination, so the nomination's history stays about the
    nomination; the caller has already checked that `actor` may see it.
    """
    record_event(
        action=AuditAction.ATTACHMENT_DOWNLOAD,
        actor=actor,
        target=attachment,
        summary=f"{attachment.nomination.number} 下载材料：{attachment.kind}",
        ip=ip,
    )

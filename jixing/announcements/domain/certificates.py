"""Certificates (证书, a commended person) and plaques (奖牌, a commended unit): issued at 通报表扬, revoked
when a commendation is withdrawn, verified by anybody through the serial printed beside the QR code, and
downloaded by the province as PDF (certificates, plaque proofs) and XLSX (the plaques' production list).

Holder, unit and category are copied onto the Certificate at issue from the entry's public columns (the
names published in the 公示): the verification page never reads a nomination.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from jixing.accounts.permissions import is_province_admin
from jixing.announcements.domain.ordering import official_order
from jixing.announcements.enums import CertificateKind
from jixing.announcements.models import Certificate
from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.campaigns.models import Campaign
from jixing.documents import certificates as builder
from jixing.documents.certificates import CertificateData
from jixing.documents.filenames import entry_filename, safe_filename
from jixing.documents.signing import SigningKey, demo_pair, sign_pdf
from jixing.nominations.enums import NominationState as S
from jixing.nominations.models import Nomination
from jixing.refusals import Refused

if TYPE_CHECKING:
    from pyhanko.sign.signers import Signer

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# 「JX2022-01-0007」: what a serial looks like; anything else is unknown without a query.
SERIAL = re.compile(r"JX\d{4}-\d{2}-\d{4,6}")


class CertificateRefused(Refused):
    """A certificate or plaque file that cannot be made now; the message says why, in Chinese."""


@dataclass(frozen=True)
class BuiltFile:
    filename: str
    content_type: str
    content: bytes


def serial_for(*, year: int, category_number: int, sequence: int) -> str:
    return f"JX{year}-{category_number:02d}-{sequence:04d}"


def normalise_serial(text: str) -> str:
    """A serial as typed or scanned: spaces dropped, letters upper-case (「jx2022-01-0007 」 → 「JX2022-01-0007」)."""
    return re.sub(r"\s+", "", text or "").upper()


def _public_names(nomination: Nomination) -> tuple[str, str]:
    """(name, unit) as published in the 公示; the nomination's own names for data from before it."""
    entry = getattr(nomination, "announcement_entry", None)
    if entry is not None:
        return entry.display_name, entry.display_unit
    if nomination.nominee_org is not None:
        return nomination.nominee_org.name, nomination.recommending_org.name
    return nomination.nominee_name, nomination.recommending_org.name


def issue_certificates(*, campaign: Campaign, actor, now: datetime, ip: str | None = None) -> int:
    """A certificate for every COMMENDED person and a plaque for every COMMENDED unit of the campaign that
    has none yet, numbered per category in official order (category, 姓氏笔画) after those already issued.
    Called by approval.commend inside its transaction. Returns how many were issued.

    Side effects: the Certificate rows; one audit event `certificate.issue` naming every serial.
    """
    nominations = list(
        Nomination.objects.filter(campaign=campaign, state=S.COMMENDED, certificate__isnull=True)
        .select_related("category", "nominee_org", "recommending_org", "announcement_entry")
        .order_by("category__number", "announcement_entry__position", "number")
    )
    if not nominations:
        return 0
    named = [(n, *_public_names(n)) for n in nominations]
    named.sort(
        key=lambda row: official_order(
            category_number=row[0].category.number, is_person=row[0].category.is_person, name=row[1]
        )
    )
    last = {
        row["category_number"]: row["last"]
        for row in Certificate.objects.filter(campaign=campaign)
        .values("category_number")
        .annotate(last=Max("serial"))
    }
    sequences = {number: int(serial.rsplit("-", 1)[1]) for number, serial in last.items()}
    issuer = _issuer(campaign)
    rows = []
    for nomination, name, unit in named:
        number = nomination.category.number
        sequences[number] = sequences.get(number, 0) + 1
        is_person = nomination.category.is_person
        serial = serial_for(year=campaign.year, category_number=number, sequence=sequences[number])
        certificate = Certificate(
            nomination=nomination,
            campaign=campaign,
            serial=serial,
            kind=CertificateKind.CERTIFICATE if is_person else CertificateKind.PLAQUE,
            holder=name,
            unit=unit if is_person else "",
            category_name=nomination.category.name,
            category_number=number,
            issued_at=now,
        )
        if not is_person:
            certificate.engraving = _data(certificate, campaign=campaign.name, issuer=issuer).engraving
        rows.append(certificate)
    Certificate.objects.bulk_create(rows, batch_size=500)
    plaques = sum(1 for c in rows if c.kind == CertificateKind.PLAQUE)
    record_event(
        action=AuditAction.CERTIFICATE_ISSUE,
        actor=actor,
        target=campaign,
        summary=f"颁发证书 {len(rows) - plaques} 份、奖牌 {plaques} 块",
        after={"serials": {c.nomination.number: c.serial for c in rows}},
        ip=ip,
    )
    return len(rows)


def revoke_certificate(
    nomination: Nomination, *, reason: str, actor, now: datetime, ip: str | None = None
) -> Certificate | None:
    """Revoke the certificate or plaque of a nomination whose commendation is withdrawn. Called by
    nominations.domain.transitions inside the withdrawal's transaction; None when it had none.

    Side effects: revoked_at and revoked_reason saved; an audit event `certificate.revoke`.
    """
    certificate = Certificate.objects.select_for_update().filter(nomination=nomination).first()
    if certificate is None or certificate.is_revoked:
        return certificate
    certificate.revoked_at = now
    certificate.revoked_reason = reason.strip()
    certificate.save(update_fields=["revoked_at", "revoked_reason"])
    record_event(
        action=AuditAction.CERTIFICATE_REVOKE,
        actor=actor,
        target=certificate,
        summary=f"撤销{certificate.get_kind_display()} {certificate.serial}（{certificate.holder}）"
        + (f"：{certificate.revoked_reason}" if certificate.revoked_reason else ""),
        before={"revoked_at": None},
        after={"revoked_at": now, "reason": certificate.revoked_reason},
        ip=ip,
    )
    return certificate


def certificate_by_serial(text: str) -> Certificate | None:
    """The certificate or plaque a verification page names, by its serial as typed or scanned; None for
    an unknown (or malformed) serial. At most one query."""
    serial = normalise_serial(text)
    if not SERIAL.fullmatch(serial):
        return None
    return Certificate.objects.select_related("campaign").filter(serial=serial).first()


def public_url() -> str:
    """The address people reach this server at (JIXING_PUBLIC_URL), without a trailing slash."""
    return str(getattr(settings, "PUBLIC_URL", "") or "http://127.0.0.1:8000").rstrip("/")


def verify_url(serial: str) -> str:
    return public_url() + reverse("public:verify", args=[serial])


def signing_key() -> SigningKey | None:
    """The province's key when configured (JIXING_SIGNING_*); else, outside production, the demo's
    self-signed pair under DATA_DIR/signing/ (made on first use); in production without a key, None."""
    passphrase = getattr(settings, "SIGNING_PASSPHRASE", "")
    if pkcs12 := getattr(settings, "SIGNING_PKCS12", ""):
        return SigningKey(pkcs12=Path(pkcs12), passphrase=passphrase)
    if key := getattr(settings, "SIGNING_KEY", ""):
        return SigningKey(key=Path(key), cert=Path(settings.SIGNING_CERT), passphrase=passphrase)
    if settings.PRODUCTION:
        return None
    return demo_pair(Path(getattr(settings, "SIGNING_DEMO_DIR", Path(settings.DATA_DIR) / "signing")))


# Loaded once per process and key: reading a PKCS#12 file costs more than a signature.
_signers: dict[SigningKey, Signer] = {}


def signed(content: bytes, *, reason: str, key: SigningKey | None) -> bytes:
    """`content` signed (PAdES) with `key`, or as it is when there is no key."""
    if key is None:
        return content
    if key not in _signers:
        _signers[key] = key.signer()
    return sign_pdf(content, _signers[key], reason=reason)


CERTIFICATE_REASON = "荣誉证书（核验：扫描二维码）"


def _issuer(campaign: Campaign) -> str:
    contact = campaign.contact if isinstance(campaign.contact, dict) else {}
    return str(contact.get("organisation") or "").strip()


def _data(certificate: Certificate, *, campaign: str, issuer: str) -> CertificateData:
    return CertificateData(
        serial=certificate.serial,
        holder=certificate.holder,
        unit=certificate.unit,
        category=certificate.category_name,
        campaign=campaign,
        issuer=issuer,
        issued_on=timezone.localdate(certificate.issued_at),
        verify_url=verify_url(certificate.serial),
    )


def certificate_data(certificate: Certificate) -> CertificateData:
    return _data(certificate, campaign=certificate.campaign.name, issuer=_issuer(certificate.campaign))


def certificate_filename(certificate: Certificate, extension: str = "pdf") -> str:
    """「【学员标兵】张三（太原市第五中学）-证书.pdf」: the plan's naming, then what the file is."""
    stem = entry_filename(
        category=certificate.category_name,
        name=certificate.holder,
        unit=certificate.unit or certificate.holder,
        extension="",
    )
    return safe_filename(f"{stem}-{certificate.get_kind_display()}", extension)


def _record_download(*, target, what: str, filename: str, count: int, actor, ip: str | None) -> None:
    with transaction.atomic():
        record_event(
            action=AuditAction.CERTIFICATE_DOWNLOAD,
            actor=actor,
            target=target,
            summary=f"下载{what}（{count} 份）",
            after={"document": what, "filename": filename, "count": count},
            ip=ip,
        )


def build_certificate(certificate: Certificate, *, actor, ip: str | None = None) -> BuiltFile:
    """One person's certificate as a one-page A4 landscape PDF. Province admins only; refused for a
    revoked certificate and for a plaque (plaques come as the sheet).

    Side effects: an audit event `certificate.download`.
    """
    if not is_province_admin(actor):
        raise PermissionDenied("只有省平台管理员可以下载证书")
    if certificate.kind != CertificateKind.CERTIFICATE:
        raise CertificateRefused("单位奖牌请下载奖牌制作清单或刻字样稿")
    if certificate.is_revoked:
        raise CertificateRefused(f"证书 {certificate.serial} 已撤销，不能再下载")
    content = signed(
        builder.certificates_pdf([certificate_data(certificate)]),
        reason=CERTIFICATE_REASON,
        key=signing_key(),
    )
    filename = certificate_filename(certificate)
    _record_download(target=certificate, what="证书", filename=filename, count=1, actor=actor, ip=ip)
    return BuiltFile(filename, PDF, content)


def certificates_by_nomination(campaign: Campaign) -> dict[int, Certificate]:
    """The campaign's certificates and plaques by nomination id, for the 通报表扬 page. One query."""
    return {c.nomination_id: c for c in Certificate.objects.filter(campaign=campaign)}


def valid_plaques(campaign: Campaign) -> list[Certificate]:
    return list(
        Certificate.objects.select_related("campaign")
        .filter(campaign=campaign, kind=CertificateKind.PLAQUE, revoked_at__isnull=True)
        .order_by("category_number", "serial")
    )


def build_plaque_sheet(campaign: Campaign, *, fmt: str, actor, ip: str | None = None) -> BuiltFile:
    """The plaques of the commended units: the production list (XLSX: unit, engraving text, serial) or
    the engraving proofs (PDF, one page each with the QR code). Province admins only; refused when no
    unit is commended.

    Side effects: an audit event `certificate.download`.
    """
    if not is_province_admin(actor):
        raise PermissionDenied("只有省平台管理员可以下载奖牌制作文件")
    plaques = valid_plaques(campaign)
    if not plaques:
        raise CertificateRefused("尚无通报表扬的单位，没有奖牌需要制作")
    items = [_data(p, campaign=campaign.name, issuer=_issuer(campaign)) for p in plaques]
    if fmt == "xlsx":
        content = builder.plaques_xlsx(items, title=f"{campaign.name}奖牌制作清单")
        filename, content_type = safe_filename(f"{campaign.name}奖牌制作清单", "xlsx"), XLSX
    else:
        content = builder.plaques_pdf(items)
        filename, content_type = safe_filename(f"{campaign.name}奖牌刻字样稿", "pdf"), PDF
    _record_download(
        target=campaign, what="奖牌制作文件", filename=filename, count=len(items), actor=actor, ip=ip
    )
    return BuiltFile(filename, content_type, content)

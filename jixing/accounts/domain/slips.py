"""The account slips of new accounts (or reset passwords), grouped by reporting unit: an XLSX and a PDF
each, written to a folder (the commands) or packed in one zip (the pages). Nothing here is stored."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from jixing.accounts.domain.provisioning import IssuedAccount
from jixing.documents import account_slips
from jixing.documents.account_slips import Slip, SlipSheet
from jixing.documents.filenames import safe_filename


def slip_sheets(accounts: Sequence[IssuedAccount], *, now: datetime | None = None) -> list[SlipSheet]:
    """One sheet per reporting unit, in the order the units first appear; accounts in the order given."""
    issued_at = timezone.localtime(now or timezone.now()).strftime("%Y-%m-%d %H:%M")
    login_url = settings.PUBLIC_URL + reverse("login")
    groups: dict[str, list[Slip]] = {}
    for a in accounts:
        groups.setdefault(a.reporting_unit, []).append(
            Slip(
                username=a.username,
                password=a.password,
                full_name=a.full_name,
                role=a.role_label,
                org_name=a.org_name,
                org_code=a.org_code,
            )
        )
    return [
        SlipSheet(title=title, login_url=login_url, issued_at=issued_at, slips=slips)
        for title, slips in groups.items()
    ]


def slip_files(accounts: Sequence[IssuedAccount], *, pdf: bool = True) -> list[tuple[str, bytes]]:
    """(file name, bytes) of each reporting unit's slips: 「账号单-太原市通讯站.xlsx」 and its .pdf."""
    files = []
    for sheet in slip_sheets(accounts):
        stem = f"账号单-{sheet.title}"
        files.append((safe_filename(stem, "xlsx"), account_slips.to_xlsx(sheet)))
        if pdf:
            files.append((safe_filename(stem, "pdf"), account_slips.to_pdf(sheet)))
    return files


def slips_zip(accounts: Sequence[IssuedAccount]) -> bytes:
    """Every reporting unit's slips in one zip."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in slip_files(accounts):
            archive.writestr(name, content)
    return out.getvalue()


def write_slips(accounts: Sequence[IssuedAccount], folder: Path) -> list[Path]:
    """Write each reporting unit's slips into `folder` (made if missing, readable by its owner only) and
    return the paths. A file of the same name is replaced."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    written = []
    for name, content in slip_files(accounts):
        path = folder / name
        # Created owner-only before anything is written: the passwords are never readable by others.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        written.append(path)
    return written

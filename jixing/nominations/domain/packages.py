"""Evidence packages: one zip per reporting unit (its reviewers and the province) or per category across
the province (the province), holding every nomination's 报名表 and evidence files, named
「【类型】姓名（单位）-材料名.ext」, with a contents sheet (jixing/documents/evidence_package.py).

A package is built in the background (the task `build_evidence_package`, run by `jixing db_worker`) and
its progress written on the EvidencePackage row, which the page polls. At most one build per scope is
queued or running: a second request (a double click, a colleague) gets the running one back. The
finished zip is kept under DATA_DIR/packages/ until a newer build of its scope replaces it.

Which nominations:
- a reporting unit's package: those sent up to it and still before it or beyond — 已申报, and every state
  of a submitted list (已报送, 拟入选, 未入选, 公示中, 已审批, 已表扬). Drafts, those awaiting their unit,
  returned for changes, rejected or withdrawn are not in it.
- a category's package: the category's nominations on the reporting units' submitted lists (已报送 and
  beyond, withdrawals left out), grouped by reporting unit.

The 报名表 goes in as Word (.docx): it is built in ~0.07 s where the PDF takes ~1.2 s (a 2,000-nomination
category would take 40 minutes), and the stamped, scanned form — the one that counts — is among the
evidence already.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.campaigns.models import Campaign, Category
from jixing.documents import application_form
from jixing.documents.evidence_package import PackageFile, write_package
from jixing.documents.filenames import entry_filename, safe_filename
from jixing.nominations.domain.documents import (
    application_form_data,
    nominee_display_name,
    nominee_unit,
)
from jixing.nominations.enums import NominationState, PackageScope, PackageState
from jixing.nominations.models import Attachment, EvidencePackage, Nomination
from jixing.orgs.models import Org
from jixing.refusals import Refused

logger = logging.getLogger(__name__)

UNIT_PACKAGE_STATES = frozenset({NominationState.SUBMITTED}) | NominationState.submitted_list_states()
CATEGORY_PACKAGE_STATES = NominationState.submitted_list_states()
FORM_MATERIAL = "报名表"
# Seconds between two progress writes; the last file is always written.
PROGRESS_INTERVAL = 0.5
INTERRUPTED_MESSAGE = "后台任务进程在打包过程中停止（被结束或重启），材料包未生成，请重新生成"
FAILED_MESSAGE = "打包意外中止，材料包未生成。请把任务编号 {pk} 告诉系统管理员"
ENQUEUE_FAILED_MESSAGE = "无法提交后台任务，材料包未生成"
# A build writes its progress at least every few seconds (one large video file takes seconds to copy);
# one silent for this long has lost its worker and no longer keeps its scope's next build waiting.
STALE_AFTER = timedelta(minutes=5)


class PackageRefused(Refused):
    """A package that cannot be built or downloaded; the message says why, in Chinese."""


def packages_dir() -> Path:
    """Where finished zips are kept: under the data directory, outside every served folder."""
    return Path(settings.DATA_DIR) / "packages"


def package_path(package: EvidencePackage) -> Path:
    return packages_dir() / package.stored_name


def unit_scope_key(unit: Org) -> str:
    return f"unit:{unit.pk}"


def category_scope_key(category: Category) -> str:
    return f"category:{category.pk}"


def can_see_package(user: Any, package: EvidencePackage) -> bool:
    """A unit's package: whoever may see its 推荐总表 (its reviewers, the province); a category's: the
    province."""
    if package.scope == PackageScope.UNIT:
        return bool(user.has_perm("nominations.view_list", package.reporting_unit))
    return bool(getattr(user, "is_province_admin", False))


def package_nominations(package: EvidencePackage) -> QuerySet[Nomination]:
    """The nominations a package holds (see the module's docstring), in the order they are packed."""
    rows = Nomination.objects.filter(campaign_id=package.campaign_id)
    if package.scope == PackageScope.UNIT:
        rows = rows.filter(reporting_unit=package.reporting_unit, state__in=UNIT_PACKAGE_STATES)
        order = ("category__number", "recommending_org__path", "number", "pk")
    else:
        rows = rows.filter(category=package.category, state__in=CATEGORY_PACKAGE_STATES)
        order = ("reporting_unit__path", "recommending_org__path", "number", "pk")
    return rows.order_by(*order)


def scope_packages(campaign: Campaign, scope_key: str) -> dict[str, EvidencePackage | None]:
    """For a page's 材料打包 box: the build queued or running now (`active`), and the newest finished one
    (`ready`)."""
    rows = EvidencePackage.objects.filter(campaign=campaign, scope_key=scope_key).select_related("actor")
    return {
        "active": _active(rows).first(),
        "ready": rows.filter(state=PackageState.DONE).order_by("-finished_at", "-pk").first(),
    }


def _active(rows: QuerySet[EvidencePackage]) -> QuerySet[EvidencePackage]:
    return rows.filter(state__in=(PackageState.QUEUED, PackageState.RUNNING)).exclude(
        state=PackageState.RUNNING, updated_at__lt=timezone.now() - STALE_AFTER
    )


def _interrupt_stale(campaign: Campaign, scope_key: str) -> None:
    now = timezone.now()
    stale = EvidencePackage.objects.filter(
        campaign=campaign, scope_key=scope_key, state=PackageState.RUNNING, updated_at__lt=now - STALE_AFTER
    )
    for package in stale:
        # Compare-and-set on updated_at: a build that wrote progress meanwhile is alive after all.
        if EvidencePackage.objects.filter(pk=package.pk, updated_at=package.updated_at).update(
            state=PackageState.INTERRUPTED, finished_at=now, message=INTERRUPTED_MESSAGE
        ):
            _delete_file(package.stored_name and f"{package.stored_name}.part")


def start_package(
    *,
    campaign: Campaign,
    actor: Any,
    reporting_unit: Org | None = None,
    category: Category | None = None,
    ip: str | None = None,
) -> tuple[EvidencePackage, bool]:
    """Queue the build of a reporting unit's package or a category's (exactly one of the two), or hand back
    the build of that scope already queued or running. Returns (package, whether it was started now). The
    caller has checked that `actor` may see the scope.

    Side effects: for a new build, the EvidencePackage and an audit event (package.build) in one
    transaction, then the task enqueued — with the immediate backend it is built before this returns.
    """
    if (reporting_unit is None) == (category is None):
        raise ValueError("a package is of one reporting unit or of one category")
    if reporting_unit is not None:
        scope, key, label = PackageScope.UNIT, unit_scope_key(reporting_unit), reporting_unit.name
    else:
        assert category is not None
        scope, key, label = PackageScope.CATEGORY, category_scope_key(category), category.name
    _interrupt_stale(campaign, key)
    rows = EvidencePackage.objects.filter(campaign=campaign, scope_key=key)
    if running := _active(rows).first():
        return running, False
    now = timezone.now()
    package = EvidencePackage(
        campaign=campaign,
        scope=scope,
        scope_key=key,
        reporting_unit=reporting_unit,
        category=category,
        created_at=now,
        updated_at=now,
        filename=safe_filename(f"{campaign.name}材料包（{label}）{timezone.localdate(now):%Y%m%d}", "zip"),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    try:
        with transaction.atomic():
            package.save()
            record_event(
                action=AuditAction.PACKAGE_BUILD,
                actor=actor,
                target=package,
                summary=f"生成材料包：{label}",
                after={"scope": str(scope), "scope_key": key, "filename": package.filename},
                ip=ip,
            )
    except IntegrityError:
        # one_active_package_per_scope: another request started this scope's build in between.
        if running := _active(rows).first():
            return running, False
        raise PackageRefused("该材料包正在生成，请稍后刷新页面") from None
    _enqueue(package)
    package.refresh_from_db()
    return package, True


def _enqueue(package: EvidencePackage) -> None:
    from jixing.nominations.tasks import build_evidence_package

    try:
        result = build_evidence_package.enqueue(package.pk)
    except Exception:
        _finish(package, PackageState.FAILED, message=ENQUEUE_FAILED_MESSAGE)
        raise
    EvidencePackage.objects.filter(pk=package.pk).update(task_id=str(result.id))


def run_package(package_id: int) -> str:
    """The task's body: write the zip (to a `.part` file, renamed when complete), its progress on the row,
    then how it ended; a finished build replaces the scope's older zips. Returns the state it ended in.

    Side effects: the row claimed 排队中 → 打包中 (compare-and-set: a task delivered twice runs once); the
    zip under packages_dir(); the row's end — 已完成 with the file's size and SHA-256, or 失败 with a
    message (the error goes on to the log and the task's result); older finished zips of the scope
    deleted with their rows.
    """
    now = timezone.now()
    claimed = EvidencePackage.objects.filter(pk=package_id, state=PackageState.QUEUED).update(
        state=PackageState.RUNNING, started_at=now, updated_at=now
    )
    package = EvidencePackage.objects.select_related("campaign", "reporting_unit", "category").get(
        pk=package_id
    )
    if not claimed:
        return package.state
    stored = f"{secrets.token_hex(16)}.zip"
    part = packages_dir() / f"{stored}.part"
    try:
        nominations = package_nominations(package)
        count = nominations.count()
        total = count + Attachment.objects.filter(nomination__in=nominations).count()
        EvidencePackage.objects.filter(pk=package.pk).update(
            total=total, nominations=count, stored_name=stored, updated_at=timezone.now()
        )
        progress = _Progress(package.pk, total)
        part.parent.mkdir(parents=True, exist_ok=True)
        with part.open("wb") as target:
            summary = write_package(
                target,
                package_files(package),
                when=timezone.localtime(),
                on_file=progress,
            )
        final = packages_dir() / stored
        part.replace(final)
        size, digest = _size_and_digest(final)
    except Exception:
        logger.exception("evidence package %s (%s) failed", package.pk, package.scope_key)
        _delete_file(f"{stored}.part")
        _finish(package, PackageState.FAILED, message=FAILED_MESSAGE.format(pk=package.pk), stored_name="")
        raise
    _finish(package, PackageState.DONE, done=summary.files, missing=summary.missing, size=size, sha256=digest)
    _drop_older(package)
    return PackageState.DONE


class _Progress:
    def __init__(self, package_id: int, total: int) -> None:
        self.package_id = package_id
        self.total = total
        self.last = float("-inf")

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if done < self.total and now - self.last < PROGRESS_INTERVAL:
            return
        self.last = now
        EvidencePackage.objects.filter(pk=self.package_id).update(done=done, updated_at=timezone.now())


def package_files(package: EvidencePackage) -> Iterator[PackageFile]:
    """Each nomination's 报名表 (built now, as .docx) and then its evidence files, in upload order; a
    folder per category (a unit's package) or per reporting unit (a category's)."""
    attachments = Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "pk"))
    rows = package_nominations(package).select_related(
        "campaign", "category", "nominee_org", "recommending_org", "reporting_unit"
    )
    for nomination in rows.prefetch_related(attachments).iterator(chunk_size=200):
        yield from nomination_files(nomination, scope=PackageScope(package.scope))


def nomination_files(nomination: Nomination, *, scope: PackageScope) -> Iterator[PackageFile]:
    category = nomination.category
    if scope == PackageScope.UNIT:
        folder = safe_filename(f"{category.number}.{category.name}", "")
    else:
        folder = safe_filename(nomination.reporting_unit.name, "")
    name = nominee_display_name(nomination)
    unit = nominee_unit(nomination)

    def item(material: str, extension: str, **source: Any) -> PackageFile:
        stem = entry_filename(category=category.name, name=name, unit=unit, extension="")
        return PackageFile(
            path=f"{folder}/{safe_filename(f'{stem}-{material}', extension)}",
            number=nomination.number,
            category=category.name,
            name=name,
            unit=unit,
            material=material,
            **source,
        )

    yield item(FORM_MATERIAL, "docx", content=application_form.to_docx(application_form_data(nomination)))
    attachments = list(nomination.attachments.all())
    kinds = Counter(a.kind for a in attachments)
    seen: Counter[str] = Counter()
    for attachment in attachments:
        seen[attachment.kind] += 1
        material = attachment.kind + (str(seen[attachment.kind]) if kinds[attachment.kind] > 1 else "")
        extension = attachment.file.name.rsplit(".", 1)[-1] if "." in attachment.file.name else ""
        yield item(material, extension, source=_opener(attachment))


def _opener(attachment: Attachment):
    def open_file():
        return attachment.file.storage.open(attachment.file.name, "rb")

    return open_file


def record_package_download(*, package: EvidencePackage, actor: Any, ip: str | None = None) -> Path:
    """The finished zip's path, after writing who downloaded it (it holds personal data of many people,
    under PIPL): an audit event per download. The caller has checked that `actor` may see it.

    Raises PackageRefused when the package is not finished or its file is gone."""
    path = package_path(package)
    if package.state != PackageState.DONE or not package.stored_name:
        raise PackageRefused("材料包尚未生成完成，请等待打包结束后再下载")
    if not path.is_file():
        raise PackageRefused("材料包文件已不存在，请重新生成")
    with transaction.atomic():
        record_event(
            action=AuditAction.PACKAGE_DOWNLOAD,
            actor=actor,
            target=package,
            summary=f"下载材料包：{package.filename}",
            after={"filename": package.filename, "size": package.size, "sha256": package.sha256},
            ip=ip,
        )
    return path


def _finish(package: EvidencePackage, state: PackageState, **values: Any) -> None:
    now = timezone.now()
    EvidencePackage.objects.filter(pk=package.pk).update(
        state=state, finished_at=now, updated_at=now, **values
    )


def _drop_older(package: EvidencePackage) -> None:
    older = EvidencePackage.objects.filter(
        campaign_id=package.campaign_id,
        scope_key=package.scope_key,
        state=PackageState.DONE,
        pk__lt=package.pk,
    )
    for old in older:
        _delete_file(old.stored_name)
    older.delete()


def _size_and_digest(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _delete_file(name: str) -> None:
    if name:
        (packages_dir() / name).unlink(missing_ok=True)

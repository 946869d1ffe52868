"""Writing the planned nominations of benchmarks/pages_data.py in bulk, each row as the product's own
function would have written it: the nomination (start_nomination, then save_draft or submit_nomination),
its evidence (add_attachment, without files), the reporting units' lists (set_picks, add_sealed_scan,
submit_list), the audit events of all of these, hashed and linked as record_event links them, and the
notices transition() sends when a form is returned, rejected or sent to the province.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

BATCH = 2000
RETURN_REASONS = [
    "事迹简介过于简单，请补充具体事迹",
    "积分截图不清晰，请重新上传",
    "承诺书未签字，请补充",
    "填报积分与快照不一致，请核对后重新提交",
]
REJECT_REASONS = ["被推荐人为省平台工作人员，不参与评选", "同一单位本项目已推荐他人"]
IMAGE_KINDS = {"场景照片", "积分截图", "新闻报道", "获奖证书", "通关证书"}
OPTIONAL_EVIDENCE_CHANCE = 0.4
NOMINATION, LIST = "nominations.nomination", "nominations.recommendationlist"

Event = tuple[datetime, dict[str, Any]]


def _hex(rng: random.Random, length: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(length))


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    return start + (end - start) * rng.random()


def _event(
    at: datetime, action: str, actor: int | None, target: tuple[str, int], summary: str, **change
) -> Event:
    """An audit event as record_event fills it (before/after as given, else empty)."""
    kind, pk = target
    values = {"action": action, "actor_id": actor, "target_type": kind, "target_id": str(pk)}
    return at, {
        **values,
        "summary": summary[:255],
        "before": change.get("before"),
        "after": change.get("after"),
    }


def _form_values(rng: random.Random, item: Any, fields: list[str]) -> dict[str, Any]:
    """The columns a filled form gives (drafts._apply_columns; save_draft keeps those that parse)."""
    from jixing.demo import texts

    learner, category, unit = item.learner, item.category.name, item.unit.name
    if learner is None:
        values = {"summary": texts.unit_summary(rng, unit=unit), "activity_count": rng.randint(4, 60)}
    else:
        off = rng.random() < 0.1  # G.9: typed points that do not match the snapshot
        values = {
            "summary": texts.person_summary(
                rng,
                name=learner.name,
                unit=unit,
                category=category,
                annual=learner.annual,
                total=learner.total,
            ),
            "typed_total_points": max(0, learner.total + (rng.randint(-300, 300) if off else 0)),
            "typed_annual_points": max(0, learner.annual + (rng.randint(-100, 100) if off else 0)),
            "warn_reason": texts.warn_reason(rng) if rng.random() < 0.03 else "",
        }
    return {name: value for name, value in values.items() if name in fields and value != ""}


def write_nominations(
    rng: random.Random, planned: list[Any], *, campaign, forms: dict, now: datetime
) -> None:
    """A draft keeps what was typed in draft_data too; a sent-up form has its declarations and time."""
    from jixing.nominations.models import Nomination

    rows = []
    for item in planned:
        form = forms[item.category.number]
        values = _form_values(rng, item, form["fields"])
        if item.state == "draft":  # half-typed: some fields still empty
            values = {name: value for name, value in values.items() if rng.random() < 0.7}
            typed = {name: str(value) for name, value in values.items()}
            typed |= {f"decl_{key}": rng.random() < 0.5 for key in form["declarations"]}
            values |= {"draft_data": typed, "draft_saved_at": _between(rng, item.created_at, now)}
        else:
            values |= {"declarations": list(form["declarations"]), "submitted_at": item.submitted_at}
        learner = item.learner
        rows.append(
            Nomination(
                campaign=campaign,
                category=item.category,
                number=item.number,
                state=item.state,
                nominee_account=learner.account if learner else "",
                nominee_name=learner.name if learner else item.unit.name,
                nominee_org=None if learner else item.unit,
                recommending_org=item.unit,
                reporting_unit_id=item.unit.reporting_unit_id,
                created_by_id=item.creator_id,
                **values,
            )
        )
    Nomination.objects.bulk_create(rows, batch_size=BATCH)
    for item, row in zip(planned, rows, strict=True):
        item.row = row


def write_attachments(rng: random.Random, planned: list[Any], *, forms: dict) -> int:
    """The required evidence of every sent-up form and some optional kinds; drafts have part of it."""
    from jixing.nominations.models import Attachment

    rows = []
    for item in planned:
        form = forms[item.category.number]
        kinds = list(form["required_evidence"])
        optional = [k for k in form["evidence"] if k not in kinds and k != "盖章推荐表"]
        kinds += [k for k in optional if rng.random() < OPTIONAL_EVIDENCE_CHANCE]
        if item.state == "draft":
            kinds = [k for k in kinds if rng.random() < 0.5]
        for kind in kinds:
            image = kind in IMAGE_KINDS or rng.random() < 0.5
            extension, content_type = ("jpg", "image/jpeg") if image else ("pdf", "application/pdf")
            attachment = Attachment(
                nomination=item.row,
                kind=kind,
                file=f"evidence/2023/01/{_hex(rng, 32)}.{extension}",
                original_name=f"{kind}-{item.row.nominee_name}.{extension}",
                size=rng.randint(80_000, 3_000_000),
                sha256=_hex(rng, 64),
                content_type=content_type,
                uploaded_by_id=item.creator_id,
            )
            sent = item.submitted_at or item.created_at + timedelta(hours=2)
            item.attachments.append((attachment, _between(rng, item.created_at, sent)))
            rows.append(attachment)
    Attachment.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def write_lists(rng: random.Random, lists: dict[int, dict], *, campaign, reviewers: dict[int, int]) -> tuple:
    """RecommendationList, ListEntry and SealedScan rows; (entries written, the lists' events)."""
    from jixing.nominations.models import ListEntry, RecommendationList, SealedScan
    from jixing.orgs.models import Org

    names = dict(Org.objects.filter(pk__in=lists).values_list("pk", "name"))
    events: list[Event] = []
    written = 0
    for reporting_id, plan in lists.items():
        reviewer, name, submitted = reviewers[reporting_id], names[reporting_id], plan["submitted"]
        picked_at, submitted_at = plan["picked_at"], plan["submitted_at"]
        rl = RecommendationList.objects.create(
            campaign=campaign,
            reporting_unit_id=reporting_id,
            changed_at=picked_at,
            state="submitted" if submitted else "open",
            submitted_at=submitted_at if submitted else None,
            submitted_by_id=reviewer if submitted else None,
        )
        entries = []
        for picks in plan["picks"].values():
            category = picks[0].category
            new = [
                ListEntry(
                    recommendation_list=rl,
                    nomination=item.row,
                    category=category,
                    position=i,
                    picked_by_id=reviewer,
                    picked_at=picked_at,
                )
                for i, item in enumerate(picks, 1)
            ]
            entries += new
            after = [{"number": e.nomination.number, "position": e.position, "reason": ""} for e in new]
            label = "、".join(f"{item.row.nominee_name}（{item.number}）" for item in picks)
            events.append(
                _event(
                    picked_at,
                    "list.pick",
                    reviewer,
                    (LIST, rl.pk),
                    f"{name} {category.name} 推荐名单：{label}",
                    before={"category": category.name, "entries": []},
                    after={"category": category.name, "entries": after},
                )
            )
        ListEntry.objects.bulk_create(entries, batch_size=BATCH)
        written += len(entries)
        if not submitted:
            continue
        scanned_at, scan_name = picked_at + (submitted_at - picked_at) / 2, f"{name}推荐总表（盖章）.pdf"
        scan = SealedScan.objects.create(
            recommendation_list=rl,
            file=f"sealed/2023/01/{_hex(rng, 32)}.pdf",
            original_name=scan_name,
            size=rng.randint(300_000, 4_000_000),
            sha256=_hex(rng, 64),
            content_type="application/pdf",
            uploaded_by_id=reviewer,
            uploaded_at=scanned_at,
        )
        events.append(
            _event(
                scanned_at,
                "list.scan_add",
                reviewer,
                (LIST, rl.pk),
                f"{name} 上传盖章扫描件：{scan_name}",
                after={"scan": scan.pk, "name": scan_name, "size": scan.size, "sha256": scan.sha256},
            )
        )
        events.append(
            _event(
                submitted_at,
                "list.submit",
                reviewer,
                (LIST, rl.pk),
                f"{name} 报送推荐总表（{len(entries)} 个）",
                before={"state": "open"},
                after={
                    "state": "submitted",
                    "entries": [e.nomination.number for e in entries],
                    "scan": {"id": scan.pk, "sha256": scan.sha256},
                },
            )
        )
    return written, events


def nomination_events(rng: random.Random, planned: list[Any], *, forms: dict, reviewers: dict) -> list[Event]:
    """The events of start_nomination, add_attachment, submit_nomination and transition()."""
    from jixing.nominations.domain.states import Action

    screened = {"returned": Action.RETURN, "rejected": Action.REJECT, "recommended": Action.RECOMMEND}
    events: list[Event] = []
    for item in planned:
        n, actor, target = item.row, item.creator_id, (NOMINATION, item.row.pk)
        events.append(
            _event(
                item.created_at,
                "nomination.create",
                actor,
                target,
                f"{n.number} 创建申报：{item.category.name} {n.nominee_name}",
                after={
                    "number": n.number,
                    "category": item.category.name,
                    "nominee_account": n.nominee_account,
                    "recommending_org": item.unit.code,
                    "nominee_org": item.unit.code if n.nominee_org_id else "",
                },
            )
        )
        for a, uploaded in item.attachments:
            described = {
                "attachment": a.pk,
                "kind": a.kind,
                "name": a.original_name,
                "size": a.size,
                "sha256": a.sha256,
                "content_type": a.content_type,
            }
            events.append(
                _event(
                    uploaded,
                    "nomination.attachment_add",
                    actor,
                    target,
                    f"{n.number} 上传{a.kind}：{a.original_name}",
                    after=described,
                )
            )
        if item.submitted_at is None:
            continue
        events.append(
            _event(
                item.submitted_at,
                "nomination.submit",
                actor,
                target,
                f"{n.number} {Action.SUBMIT.label}",
                before={"state": "draft"},
                after={"state": "submitted", "reason": ""},
            )
        )
        content = {
            "fields": {name: getattr(n, name) for name in forms[item.category.number]["fields"]},
            "declarations": n.declarations,
            "attachments": [
                {"kind": a.kind, "name": a.original_name, "sha256": a.sha256} for a, _ in item.attachments
            ],
        }
        events.append(
            _event(
                item.submitted_at + timedelta(microseconds=1),
                "nomination.content",
                actor,
                target,
                f"{n.number} 提交的申报内容",
                after=content,
            )
        )
        if item.screened_at is None:
            continue
        action = screened[n.state]
        if action != Action.RECOMMEND:
            item.reason = rng.choice(RETURN_REASONS if action == Action.RETURN else REJECT_REASONS)
        summary = f"{n.number} {action.label}" + (f"：{item.reason}" if item.reason else "")
        events.append(
            _event(
                item.screened_at,
                f"nomination.{action}",
                reviewers[n.reporting_unit_id],
                target,
                summary,
                before={"state": "submitted"},
                after={"state": n.state, "reason": item.reason},
            )
        )
    return events


def append_to_chain(events: list[Event], rng: random.Random) -> int:
    """The events in time order, linked and hashed after the chain's head as record_event links them."""
    from jixing.accounts.models import User
    from jixing.audit.domain.events import event_hash
    from jixing.audit.models import AuditEvent, AuditHead

    labels = dict(User.objects.values_list("id", "username"))
    AuditHead.objects.get_or_create(pk=1)
    head = AuditHead.objects.select_for_update().get(pk=1)
    seq, previous = head.last_seq, head.last_hash
    rows = []
    for at, values in sorted(events, key=lambda event: event[0]):
        seq += 1
        ip = f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        label = labels.get(values["actor_id"], "")
        event = AuditEvent(
            seq=seq, at=at.astimezone(UTC), prev_hash=previous, ip=ip, actor_label=label, **values
        )
        event.hash = previous = event_hash(event)
        rows.append(event)
    AuditEvent.objects.bulk_create(rows, batch_size=BATCH)
    head.last_seq, head.last_hash = seq, previous
    head.save(update_fields=["last_seq", "last_hash"])
    return len(rows)


def write_notices(
    rng: random.Random, planned: list[Any], *, unit_admins: dict[int, int], now: datetime
) -> int:
    """What transition() tells the people concerned of returned, rejected and recommended forms."""
    from jixing.nominations.domain.states import Action
    from jixing.notifications.models import Notification

    labels = {"returned": Action.RETURN, "rejected": Action.REJECT, "recommended": Action.RECOMMEND}
    rows = []
    for item in planned:
        n = item.row
        if n.state not in labels:
            continue
        text = f"申报 {n.number}（{item.category.name} · {n.nominee_name}）：{labels[n.state].label}"
        text += f"。理由：{item.reason}" if item.reason else ""
        read = rng.random() < 0.6
        read_at = min(now, item.screened_at + timedelta(hours=rng.uniform(1, 30))) if read else None
        for recipient in {item.creator_id, unit_admins.get(item.unit.pk)} - {None}:
            rows.append(
                Notification(recipient_id=recipient, nomination=n, message=text[:500], read_at=read_at)
            )
    Notification.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)

"""Telling the people concerned: in-app always, by e-mail when JIXING_EMAIL_HOST is configured."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q

from jixing.accounts.enums import UserRole
from jixing.accounts.models import User
from jixing.notifications.models import Notification

log = logging.getLogger(__name__)


def people_concerned(nomination) -> list[User]:
    """The recommending unit's admins (or the reporting unit's reviewers for 4–6), the nominee's
    account, and whoever created the nomination."""
    query = Q(
        org_id=nomination.recommending_org_id, role__in=[UserRole.UNIT_ADMIN, UserRole.REPORTING_REVIEWER]
    )
    if nomination.nominee_account:
        query |= Q(role=UserRole.LEARNER, account_id=nomination.nominee_account)
    if nomination.created_by_id:
        query |= Q(pk=nomination.created_by_id)
    return list(User.objects.filter(query, is_active=True).distinct())


def recommenders_of(nomination) -> list[User]:
    """Who sends the nomination up: its recommending unit's admins (or that org's reviewers, when the
    recommending org is a reporting unit) — whom a learner's 提交给单位确认 waits for."""
    return list(
        User.objects.filter(
            org_id=nomination.recommending_org_id,
            role__in=[UserRole.UNIT_ADMIN, UserRole.REPORTING_REVIEWER],
            is_active=True,
        )
    )


def reviewers_of(reporting_unit_id: int | None) -> list[User]:
    """The reporting unit's reviewers, who screen what its units send up."""
    if reporting_unit_id is None:
        return []
    return list(
        User.objects.filter(org_id=reporting_unit_id, role=UserRole.REPORTING_REVIEWER, is_active=True)
    )


def province_admins() -> list[User]:
    """The province's admins, who receive the lists and handle objections."""
    return list(User.objects.filter(role=UserRole.PROVINCE_ADMIN, is_active=True))


def notify(recipients: Iterable[User], *, message: str, nomination=None) -> None:
    """Queue notices to be written once the surrounding transaction commits (never for a rolled-back change)."""
    recipients = list(recipients)

    def deliver() -> None:
        rows = Notification.objects.bulk_create(
            [Notification(recipient=user, nomination=nomination, message=message) for user in recipients]
        )
        if settings.EMAIL_ENABLED:
            _email(rows)

    transaction.on_commit(deliver)


def _email(rows: list[Notification]) -> None:
    for row in rows:
        if not row.recipient.email:
            continue
        try:
            send_mail("集星 · 学习之星评选通知", row.message, None, [row.recipient.email])
        except OSError:
            # A mail server that is down must not lose the in-app notice or fail the change.
            log.warning("notification %s: e-mail not sent", row.pk)
            continue
        Notification.objects.filter(pk=row.pk).update(emailed=True)


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_all_read(user) -> int:
    from django.utils import timezone

    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())

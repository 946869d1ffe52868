from django.db import models


class ObjectionOutcome(models.TextChoices):
    """What the province decided about an objection. Named after the objection, not the nomination:
    an objection found true (成立) withdraws the nomination; one found untrue keeps it."""

    PENDING = "pending", "待处理"
    UPHELD = "upheld", "异议成立，撤销入选"
    DISMISSED = "dismissed", "异议不成立，维持入选"


HANDLED_OUTCOMES = (ObjectionOutcome.UPHELD, ObjectionOutcome.DISMISSED)


class ObjectionChannel(models.TextChoices):
    """How an objection reached the province: sent on the public page, or received by phone, letter or
    e-mail and recorded by a province admin (objections.record_objection)."""

    WEB = "web", "公示页面"
    PHONE = "phone", "电话"
    LETTER = "letter", "信函"
    EMAIL = "email", "电子邮件"


# The channels a province admin records by hand.
RECORDED_CHANNELS = (ObjectionChannel.PHONE, ObjectionChannel.LETTER, ObjectionChannel.EMAIL)


class WindowState(models.TextChoices):
    """Where a 公示 stands in its objection window (announcements.domain.public.window_state)."""

    UPCOMING = "upcoming", "尚未开始受理"
    OPEN = "open", "受理反映中"
    CLOSED = "closed", "公示期已结束"


class CertificateKind(models.TextChoices):
    """What a commended nomination receives: a person a certificate, a unit (categories 8 and 9) a plaque."""

    CERTIFICATE = "certificate", "证书"
    PLAQUE = "plaque", "奖牌"

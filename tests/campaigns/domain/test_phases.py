from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from jixing.accounts.enums import UserRole
from jixing.audit.models import AuditEvent
from jixing.campaigns.domain.phases import PhaseChangeRefused, extend_phase
from tests.factories import make_campaign, make_small_province, make_user

pytestmark = pytest.mark.django_db


def test_province_admin_extends_a_window_with_a_recorded_reason():
    tree = make_small_province()
    admin = make_user(username="p", role=UserRole.PROVINCE_ADMIN, org=tree["province"])
    phase = make_campaign().phases.get(key="apply")
    old_end = phase.ends_at
    extend_phase(phase, ends_at=old_end + timedelta(days=2), reason="系统故障顺延", actor=admin)
    phase.refresh_from_db()
    assert phase.ends_at == old_end + timedelta(days=2)
    event = AuditEvent.objects.get(action="phase.extend")
    assert event.after["reason"] == "系统故障顺延"
    assert "延长“申报推荐”至" in event.summary


def test_extension_without_reason_or_by_others_changes_nothing():
    tree = make_small_province()
    admin = make_user(username="p", role=UserRole.PROVINCE_ADMIN, org=tree["province"])
    reviewer = make_user(username="r", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"])
    phase = make_campaign().phases.get(key="apply")
    old_end = phase.ends_at
    with pytest.raises(PhaseChangeRefused, match="须填写理由"):
        extend_phase(phase, ends_at=old_end + timedelta(days=1), reason=" ", actor=admin)
    with pytest.raises(PhaseChangeRefused, match="必须晚于原截止时间"):
        extend_phase(phase, ends_at=old_end, reason="x", actor=admin)
    with pytest.raises(PermissionDenied):
        extend_phase(phase, ends_at=old_end + timedelta(days=1), reason="x", actor=reviewer)
    phase.refresh_from_db()
    assert phase.ends_at == old_end
    assert AuditEvent.objects.count() == 0

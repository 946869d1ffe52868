"""The demo campaign: the shipped 2022 definition with its windows moved so that now falls in a phase.

The windows move as one block by a whole number of days, so they keep their spacing and their times of
day (申报推荐 still closes at 16:00), and now lands about a third into the chosen window.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from jixing.campaigns.domain.definitions import install_campaign
from jixing.campaigns.enums import PhaseKey
from jixing.campaigns.models import Campaign

DEFINITION_ID = "shanxi-2022"
DEMO_SLUG = "shanxi-2022-demo"
DEMO_PHASES = (PhaseKey.APPLY, PhaseKey.SCREEN, PhaseKey.ANNOUNCE, PhaseKey.COMMEND)
# How far into an open-ended window (通报表扬) now is put.
OPEN_WINDOW_OFFSET = timedelta(days=3)


class PhaseChoiceError(ValueError):
    pass


def parse_phase(value: str) -> str:
    """申报推荐/审核报送/汇总公示/通报表扬 or apply/screen/announce/commend → the phase key."""
    wanted = value.strip()
    for key in DEMO_PHASES:
        if wanted in (key.value, key.label):
            return key.value
    choices = "、".join(f"{key.label}（{key.value}）" for key in DEMO_PHASES)
    raise PhaseChoiceError(f"不认识的阶段“{value}”，可选：{choices}")


@dataclass(frozen=True, slots=True)
class DemoWindows:
    shift: timedelta
    apply_start: datetime  # the demo campaign's 申报推荐 window, after the shift
    apply_end: datetime
    now: datetime
    phase: str = PhaseKey.APPLY  # the phase `now` falls in
    # Every phase's shifted window, by key: (starts, ends or None).
    phases: dict[str, tuple[datetime, datetime | None]] = field(default_factory=dict)

    @property
    def submissions_until(self) -> datetime:
        """Latest submission time that is not in the future: now, or the end of 申报推荐 if past."""
        return min(self.now, self.apply_end)


def _window(definition: dict[str, Any], key: str) -> tuple[datetime, datetime | None]:
    phase = next(p for p in definition["phases"] if p["key"] == key)
    ends = phase.get("ends_at")
    return datetime.fromisoformat(phase["starts_at"]), datetime.fromisoformat(ends) if ends else None


def demo_windows(definition: dict[str, Any], *, phase: str, now: datetime) -> DemoWindows:
    """The shift (whole days) that puts `now` about a third into `phase`, and the resulting 申报推荐 window."""
    starts, ends = _window(definition, phase)
    target = starts + ((ends - starts) / 3 if ends else OPEN_WINDOW_OFFSET)
    shift = timedelta(days=round((now - target) / timedelta(days=1)))
    phases = {}
    for key in DEMO_PHASES:
        begins, closes = _window(definition, key)
        phases[str(key.value)] = (begins + shift, closes + shift if closes else None)
    apply_start, apply_end = phases[PhaseKey.APPLY]
    assert apply_end is not None
    return DemoWindows(
        shift=shift, apply_start=apply_start, apply_end=apply_end, now=now, phase=phase, phases=phases
    )


# The demo's 联系方式: made up (no real person, a number of no subscriber, a reserved e-mail domain).
DEMO_CONTACT = {
    "organisation": "省委教育工委",
    "person": "李明（演示）",
    "phone": "0351-0000000",
    "email": "contact@example.org",
}


def install_campaigns(definition: dict[str, Any], *, shift: timedelta) -> tuple[Campaign, Campaign]:
    """The historical campaign as shipped (inactive: its dates are long past) and the active demo copy.

    Both are updated in place when they exist (install_campaign is idempotent), so a run with another
    --phase moves the demo's windows instead of adding a campaign.
    """
    historical = install_campaign(definition)
    Campaign.objects.filter(pk=historical.pk).update(is_active=False)
    historical.is_active = False
    demo_definition = {**definition, "contact": DEMO_CONTACT}
    demo = install_campaign(
        demo_definition, slug=DEMO_SLUG, name=f"{definition['name']}（演示）", shift=shift
    )
    return historical, demo

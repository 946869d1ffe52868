from __future__ import annotations

from django.conf import settings

from jixing.campaigns.models import Campaign


def current_campaign() -> Campaign | None:
    """The campaign the pages show: JIXING_CAMPAIGN if set, else the newest active one."""
    campaigns = Campaign.objects.filter(is_active=True).prefetch_related("phases")
    if settings.CURRENT_CAMPAIGN:
        return campaigns.filter(slug=settings.CURRENT_CAMPAIGN).first()
    return campaigns.order_by("-year", "-created_at").first()

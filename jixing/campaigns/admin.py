from django.contrib import admin

from jixing.admin_site import ReadOnlyAdmin, ReadOnlyInline
from jixing.campaigns.models import Campaign, Category, Phase, Quota


class PhaseInline(ReadOnlyInline):
    model = Phase


class CategoryInline(ReadOnlyInline):
    model = Category


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    """Read only: a campaign comes from its definition file (jixing load-campaign); phase windows are
    extended on the 阶段窗口 page (campaigns.domain.phases.extend_phase, with a reason, audited)."""

    list_display = ["name", "slug", "year", "is_active"]
    inlines = [PhaseInline, CategoryInline]
    exclude = ["definition"]


@admin.register(Quota)
class QuotaAdmin(ReadOnlyAdmin):
    """Read only: seats come from the campaign definition; G.7 reads them under lock."""

    list_display = ["reporting_unit", "category", "seats"]
    list_filter = ["campaign", "category"]
    list_select_related = ["reporting_unit", "category"]

from django.contrib import admin

from jixing.campaigns.models import Campaign, Category, Phase, Quota


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "year", "is_active"]
    inlines = [PhaseInline, CategoryInline]
    exclude = ["definition"]


@admin.register(Quota)
class QuotaAdmin(admin.ModelAdmin):
    list_display = ["reporting_unit", "category", "seats"]
    list_filter = ["campaign", "category"]
    list_editable = ["seats"]
    list_select_related = ["reporting_unit", "category"]

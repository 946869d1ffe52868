from django.urls import path

from jixing.review.views import decisions, imports, province

app_name = "review"
urlpatterns = [
    path("imports/", imports.imports, name="imports"),
    path("imports/templates/<slug:kind>.<str:fmt>", imports.template_download, name="template"),
    path("nominations/<int:pk>/rules/<str:rule_id>/decide/", decisions.decide, name="decide"),
    # 汇总公示 · 通报表扬 · 阶段窗口 (province admins)
    path("province/lists/", province.lists, name="province_lists"),
    path("province/lists/select/", province.select, name="province_select"),
    path("province/publication/", province.publication, name="province_publication"),
    path("province/objections/", province.objections, name="province_objections"),
    path("province/objections/<int:pk>/handle/", province.objection_handle, name="province_objection_handle"),
    path("province/approval/", province.approval, name="province_approval"),
    path("province/commendation/", province.commendation, name="province_commendation"),
    path("province/commendation/final.xlsx", province.final_export, name="province_final_export"),
    path("province/phases/", province.phases, name="province_phases"),
    path("province/phases/<int:pk>/extend/", province.phase_extend, name="province_phase_extend"),
]

from django.urls import path

from jixing.review.views import (
    certificates,
    decisions,
    imports,
    packages,
    province,
    scores,
    screening,
    statistics,
)

app_name = "review"
urlpatterns = [
    path("imports/", imports.imports, name="imports"),
    path("imports/jobs/<int:pk>/", imports.import_job, name="import_job"),
    path("imports/jobs/<int:pk>/panel/", imports.import_job_panel, name="import_job_panel"),
    path("imports/templates/<slug:kind>.<str:fmt>", imports.template_download, name="template"),
    path("nominations/<int:pk>/rules/<str:rule_id>/decide/", decisions.decide, name="decide"),
    # 评审分 of 优秀志愿者 (plan 7.3): the volunteer-group managers
    path("scores/", scores.scores, name="scores"),
    path("scores/<int:pk>/", scores.score, name="score"),
    # 汇总公示 · 通报表扬 · 阶段窗口 (province admins)
    path("province/lists/", province.lists, name="province_lists"),
    path("province/lists/select/", province.select, name="province_select"),
    path("province/publication/", province.publication, name="province_publication"),
    path("province/objections/", province.objections, name="province_objections"),
    path("province/objections/<int:pk>/handle/", province.objection_handle, name="province_objection_handle"),
    path("province/objections/record/", province.objection_record, name="province_objection_record"),
    path("province/approval/", province.approval, name="province_approval"),
    path("province/commendation/", province.commendation, name="province_commendation"),
    path("province/commendation/final.xlsx", province.final_export, name="province_final_export"),
    path(
        "province/commendation/notice.docx",
        province.commendation_notice,
        {"fmt": "docx"},
        name="province_commendation_docx",
    ),
    path(
        "province/commendation/notice.pdf",
        province.commendation_notice,
        {"fmt": "pdf"},
        name="province_commendation_pdf",
    ),
    path(
        "province/commendation/certificates/<int:pk>.pdf",
        certificates.certificate_pdf,
        name="province_certificate_pdf",
    ),
    path(
        "province/commendation/certificates/batch/",
        certificates.batch_start,
        name="province_certificate_batch",
    ),
    path(
        "province/commendation/certificates/batch/<int:pk>/",
        certificates.batch_panel,
        name="province_certificate_batch_panel",
    ),
    path(
        "province/commendation/certificates/batch/<int:pk>/download",
        certificates.batch_download,
        name="province_certificate_batch_download",
    ),
    path(
        "province/commendation/plaques.xlsx",
        certificates.plaque_sheet,
        {"fmt": "xlsx"},
        name="province_plaques_xlsx",
    ),
    path(
        "province/commendation/plaques.pdf",
        certificates.plaque_sheet,
        {"fmt": "pdf"},
        name="province_plaques_pdf",
    ),
    path(
        "province/publication/<int:pk>/notice.docx",
        province.announcement_notice,
        {"fmt": "docx"},
        name="province_announcement_docx",
    ),
    path(
        "province/publication/<int:pk>/notice.pdf",
        province.announcement_notice,
        {"fmt": "pdf"},
        name="province_announcement_pdf",
    ),
    path("province/phases/", province.phases, name="province_phases"),
    path("province/phases/<int:pk>/extend/", province.phase_extend, name="province_phase_extend"),
    # 统计 (the province; a reporting unit's reviewers their own unit's part)
    path("statistics/", statistics.province, name="statistics"),
    path("statistics/statistics.xlsx", statistics.province_export, name="statistics_export"),
    path("statistics/<int:org_pk>/", statistics.unit, name="statistics_unit"),
    path("statistics/<int:org_pk>/statistics.xlsx", statistics.unit_export, name="statistics_unit_export"),
    # 审核报送 (reporting units' reviewers; reopening by the province)
    path("screening/", screening.index, name="screening"),
    path("screening/<int:number>/", screening.category, name="screening_category"),
    path("screening/<int:number>/picks/", screening.save_picks, name="screening_picks"),
    path("screening/nominations/<int:pk>/<slug:action>/", screening.act, name="screening_act"),
    path("lists/<int:org_pk>/", screening.list_page, name="list"),
    path("lists/<int:org_pk>/sheet.xlsx", screening.sheet_download, name="list_sheet"),
    path("lists/<int:org_pk>/sheet.pdf", screening.sheet_download, {"fmt": "pdf"}, name="list_sheet_pdf"),
    path("lists/<int:org_pk>/scans/", screening.scan_upload, name="list_scan_upload"),
    path("lists/<int:org_pk>/scans/<int:scan_pk>/", screening.scan_download, name="list_scan"),
    path("lists/<int:org_pk>/submit/", screening.submit, name="list_submit"),
    path("lists/<int:org_pk>/reopen/", screening.reopen, name="list_reopen"),
    # 材料打包 (a reporting unit's reviewers for their unit; the province for any unit or a category)
    path("lists/<int:org_pk>/package/", packages.unit_package_start, name="package_unit_start"),
    path(
        "province/lists/<int:number>/package/", packages.category_package_start, name="package_category_start"
    ),
    path("packages/<int:pk>/", packages.package, name="package"),
    path("packages/<int:pk>/panel/", packages.package_panel, name="package_panel"),
    path("packages/<int:pk>/download/", packages.package_download, name="package_download"),
]

from django.urls import path

from jixing.review.views import decisions, imports, province, screening

app_name = "review"
urlpatterns = [
    path("imports/", imports.imports, name="imports"),
    path("imports/jobs/<int:pk>/", imports.import_job, name="import_job"),
    path("imports/jobs/<int:pk>/panel/", imports.import_job_panel, name="import_job_panel"),
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
]

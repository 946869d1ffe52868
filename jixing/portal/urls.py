from django.urls import path

from jixing.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("orgs/", views.org_list, name="org_list"),
    path("learners/", views.learner_list, name="learner_list"),
    path("roles/", views.role_list, name="role_list"),
    path("nominations/", views.nomination_list, name="nomination_list"),
    path("results/<int:campaign_pk>/freshness/", views.results_freshness, name="results_freshness"),
    path("nominations/new/", views.nomination_start, name="nomination_start"),
    path("nominations/new/<int:number>/", views.nomination_pick, name="nomination_pick"),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path("nominations/<int:pk>/edit/", views.nomination_edit, name="nomination_edit"),
    path("nominations/<int:pk>/autosave/", views.nomination_autosave, name="nomination_autosave"),
    path("nominations/<int:pk>/act/", views.nomination_act, name="nomination_act"),
    path("nominations/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path(
        "nominations/<int:pk>/form.docx",
        views.nomination_document,
        {"document": "form", "fmt": "docx"},
        name="nomination_form_docx",
    ),
    path(
        "nominations/<int:pk>/form.pdf",
        views.nomination_document,
        {"document": "form", "fmt": "pdf"},
        name="nomination_form_pdf",
    ),
    path(
        "nominations/<int:pk>/pledge.docx",
        views.nomination_document,
        {"document": "pledge", "fmt": "docx"},
        name="nomination_pledge_docx",
    ),
    path(
        "nominations/<int:pk>/pledge.pdf",
        views.nomination_document,
        {"document": "pledge", "fmt": "pdf"},
        name="nomination_pledge_pdf",
    ),
    path(
        "nominations/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "nominations/<int:pk>/attachments/<int:attachment_pk>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
]

from django.urls import path

from jixing.public import views

app_name = "public"
urlpatterns = [
    path("", views.front, name="announcement"),
    path("announcements/", views.announcement, name="announcements"),
    path("final/", views.final, name="final"),
    path("announcements/<int:pk>/notice.pdf", views.announcement_pdf, name="announcement_pdf"),
    path("entries/<int:pk>/objection/", views.objection, name="objection"),
    path("objections/", views.receipt_lookup, name="receipt_lookup"),
    path("objections/<slug:receipt>/", views.objection_received, name="objection_received"),
    path("verify/<str:serial>/", views.verify, name="verify"),
    path("terms/", views.glossary, name="glossary"),
]

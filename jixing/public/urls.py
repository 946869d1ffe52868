from django.urls import path

from jixing.public import views

app_name = "public"
urlpatterns = [
    path("", views.announcement, name="announcement"),
    path("final/", views.final, name="final"),
    path("announcements/<int:pk>/notice.pdf", views.announcement_pdf, name="announcement_pdf"),
    path("entries/<int:pk>/objection/", views.objection, name="objection"),
    path("objections/<slug:receipt>/", views.objection_received, name="objection_received"),
]

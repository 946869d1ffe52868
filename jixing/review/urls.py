from django.urls import path

from jixing.review import views

app_name = "review"
urlpatterns = [
    path("imports/", views.imports, name="imports"),
    path("imports/templates/<slug:kind>.<str:fmt>", views.template_download, name="template"),
]

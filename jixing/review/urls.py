from django.urls import path

from jixing.review.views import decisions, imports

app_name = "review"
urlpatterns = [
    path("imports/", imports.imports, name="imports"),
    path("imports/templates/<slug:kind>.<str:fmt>", imports.template_download, name="template"),
    path("nominations/<int:pk>/rules/<str:rule_id>/decide/", decisions.decide, name="decide"),
]

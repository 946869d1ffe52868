"""A URLconf for error-page tests: the product's URLs plus views that fail on purpose."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import path

from jixing.orgs.enums import OrgLevel
from jixing.orgs.models import Org
from jixing.urls import handler403, handler404, handler500
from jixing.urls import urlpatterns as product_urls


def crash(request):
    raise RuntimeError("处理 140102199001011234 / 13812345678 时出错")


def refuse_after_writing(request):
    with transaction.atomic():
        Org.objects.create(code="GONE", name="会被回滚", level=OrgLevel.UNIT)
        raise PermissionDenied("测试：拒绝")


urlpatterns = [
    path("test-crash/", crash),
    path("test-refuse/", refuse_after_writing),
    *product_urls,
]
__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]

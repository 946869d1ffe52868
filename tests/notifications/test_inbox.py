import pytest
from django.urls import reverse

from jixing.notifications.models import Notification
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_inbox_shows_only_own_notices_and_marks_them_read(client):
    me, other = make_user(username="me"), make_user(username="other")
    Notification.objects.create(recipient=me, message="给我的通知")
    Notification.objects.create(recipient=other, message="给别人的通知")
    client.force_login(me)
    body = client.get(reverse("notifications:inbox")).content.decode()
    assert "给我的通知" in body and "给别人的通知" not in body
    client.post(reverse("notifications:read_all"))
    assert list(Notification.objects.filter(read_at__isnull=True).values_list("message", flat=True)) == [
        "给别人的通知"
    ]


def test_inbox_needs_login(client):
    assert client.get(reverse("notifications:inbox")).status_code == 302

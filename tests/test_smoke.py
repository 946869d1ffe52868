import pytest
from django.urls import reverse

from jixing.accounts.enums import UserRole
from tests.factories import make_small_province, make_user

pytestmark = pytest.mark.django_db


def test_home_shows_a_visitor_the_public_lists_and_the_login(client):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert response.templates[0].name == "public/announcement.html"
    assert f'href="{reverse("login")}">工作人员登录</a>' in response.content.decode()


def test_home_shows_users_place_in_tree(client):
    tree = make_small_province()
    user = make_user(username="ty", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"])
    client.force_login(user)
    body = client.get(reverse("portal:home")).content.decode()
    assert "山西省" in body and "太原市通讯站" in body
    assert "大同市通讯站" not in body


@pytest.mark.parametrize(
    ("role", "is_staff", "status"),
    [
        (UserRole.PROVINCE_ADMIN, True, 200),
        (UserRole.REPORTING_REVIEWER, True, 302),
        (UserRole.UNIT_ADMIN, True, 302),
        (UserRole.PROVINCE_ADMIN, False, 302),
    ],
)
def test_admin_is_for_province_admins_only(client, role, is_staff, status):
    tree = make_small_province()
    user = make_user(username="u", role=role, org=tree["province"], is_staff=is_staff, is_superuser=True)
    client.force_login(user)
    assert client.get("/admin/").status_code == status

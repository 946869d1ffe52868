"""The admin is no side door (issue 9): what the domain owns is read-only there, or changed through the
domain's function, which audits; TOTP secrets are never shown."""

from __future__ import annotations

import binascii

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

import jixing.urls  # noqa: F401  (configures the site and discovers every app's admin)
from jixing.accounts.enums import UserRole
from jixing.accounts.models import User
from jixing.admin_site import ReadOnlyAdmin
from jixing.audit.domain.events import verify_chain
from jixing.audit.models import AuditEvent
from jixing.campaigns.models import Quota
from jixing.nominations.enums import NominationState
from tests.factories import make_campaign, make_nomination, make_small_province, make_user

pytestmark = pytest.mark.django_db

# Models whose every row and field the domain owns: nothing of them is editable in the admin.
DOMAIN_MODELS = {
    "nominations.Nomination", "nominations.Attachment", "campaigns.Campaign", "campaigns.Phase",
    "campaigns.Category", "campaigns.Quota", "orgs.Org", "people.Snapshot", "people.Learner", "people.Role",
    "audit.AuditEvent", "imports.ImportJob", "otp_totp.TOTPDevice", "django_tasks_database.DBTaskResult",
}  # fmt: skip
# Models the admin may edit, with the domain-owned fields it edits through an audited domain function.
EDITABLE_MODELS = {
    "accounts.User": {"role", "org", "account_id", "is_active", "is_staff"},  # accounts.domain.access
    "auth.Group": set(),  # Django's permission groups; the product's access is by role
}
# Names that are the domain's on any model, present or future: none may be an editable field.
DOMAIN_FIELDS = {
    "state", "status", "seats", "starts_at", "ends_at", "window_starts_at", "window_ends_at", "key", "role",
    "org", "account_id", "is_active", "is_staff", "is_superuser", "groups", "user_permissions", "password",
    "submitted_at", "rank", "rule_results", "evaluated_at", "outcome", "is_current", "person_key",
    "decided_at", "published_at", "approved_at", "position",
}  # fmt: skip


@pytest.fixture
def tree():
    return make_small_province()


@pytest.fixture
def province_admin(tree):
    return make_user(username="p", role=UserRole.PROVINCE_ADMIN, org=tree["province"], is_staff=True,
                     is_superuser=True)  # fmt: skip


def _editable_fields(model_admin, request) -> set[str]:
    """Every field a POST could change: the change form, the add form, inline forms, list_editable."""
    obj = model_admin.model()
    forms = [model_admin.get_form(request, obj, change=True)]
    if model_admin.has_add_permission(request):
        forms.append(model_admin.get_form(request, None, change=False))
    for inline in model_admin.get_inline_instances(request, obj):
        # Django saves an inline's rows only where it may add or change them (the form's has_changed).
        if inline.has_add_permission(request, obj) or inline.has_change_permission(request, obj):
            forms.append(inline.get_formset(request, obj).form)
    names = {
        name
        for form in forms
        for name, field in form.base_fields.items()
        if not field.disabled and name not in ("id", "DELETE")
    }
    return names | set(model_admin.list_editable)


def _registered():
    for model, model_admin in admin.site._registry.items():
        yield model._meta.label, model_admin
        for inline in model_admin.inlines:
            yield inline.model._meta.label, None


def test_admin_every_registered_model_is_classified():
    labels = {label for label, _ in _registered()}
    assert sorted(labels - DOMAIN_MODELS - set(EDITABLE_MODELS)) == []


def test_admin_exposes_no_domain_owned_field_as_editable(province_admin):
    request = RequestFactory().get("/admin/")
    request.user = province_admin
    exposed = {}
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        editable = _editable_fields(model_admin, request)
        if label in DOMAIN_MODELS:
            wrong = editable
        else:
            wrong = editable & (DOMAIN_FIELDS - EDITABLE_MODELS.get(label, set()))
        if wrong:
            exposed[label] = sorted(wrong)
        if label in DOMAIN_MODELS:
            # Nothing added or deleted behind the domain's back either.
            assert not model_admin.has_add_permission(request), label
            assert not model_admin.has_delete_permission(request), label
    assert exposed == {}


def test_admin_state_change_of_a_nomination_is_refused(client, tree, province_admin):
    nomination = make_nomination(
        campaign=make_campaign(), recommending_org=tree["school"], state="recommended"
    )
    client.force_login(province_admin)
    url = reverse("admin:nominations_nomination_change", args=[nomination.pk])

    page = client.get(url)
    assert page.status_code == 200  # the admin still shows it
    assert "<select" not in page.content.decode()  # …read-only: no state to choose
    response = client.post(url, {"state": NominationState.COMMENDED, "_save": "保存"})

    assert response.status_code == 403
    nomination.refresh_from_db()
    assert nomination.state == "recommended"
    assert not AuditEvent.objects.filter(target_type="nominations.nomination").exists()
    assert client.post(reverse("admin:nominations_nomination_add"), {}).status_code == 403


def _actions_since(count: int) -> list[str]:
    return list(AuditEvent.objects.order_by("seq").values_list("action", flat=True)[count:])


def test_admin_quota_seats_cannot_be_changed_from_the_list_or_the_form(client, tree, province_admin):
    campaign = make_campaign()
    quota = Quota.objects.filter(campaign=campaign).first()
    client.force_login(province_admin)
    seats, events, changed_at = quota.seats, AuditEvent.objects.count(), campaign.data_changed_at
    url = reverse("admin:campaigns_quota_changelist")

    page = client.get(url)
    assert page.status_code == 200
    assert 'name="form-0-seats"' not in page.content.decode()  # no list_editable seats
    from_list = client.post(url, {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": quota.pk,
                                  "form-0-seats": "99", "_save": "保存"})  # fmt: skip
    assert from_list.status_code == 200  # the list is shown again, nothing saved
    assert (
        client.post(reverse("admin:campaigns_quota_change", args=[quota.pk]), {"seats": "99"}).status_code
        == 403
    )

    quota.refresh_from_db()
    campaign.refresh_from_db()
    # Unchanged, so no G.7 result made stale, and the log holds only the refusals (the middleware's
    # access_denied): the seats change only with the campaign definition.
    assert (quota.seats, campaign.data_changed_at) == (seats, changed_at) != (99, changed_at)
    assert _actions_since(events) == ["access_denied"]


def test_admin_phase_window_cannot_be_changed_through_the_campaign_form(client, province_admin):
    campaign = make_campaign()
    phase = campaign.phases.order_by("position").first()
    client.force_login(province_admin)
    ends_at, events = phase.ends_at, AuditEvent.objects.count()
    url = reverse("admin:campaigns_campaign_change", args=[campaign.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert 'name="phases-0-ends_at' not in page.content.decode()
    response = client.post(url, {
        "name": campaign.name, "slug": campaign.slug, "year": campaign.year, "_save": "保存",
        "phases-TOTAL_FORMS": "1", "phases-INITIAL_FORMS": "1", "phases-0-id": phase.pk,
        "phases-0-campaign": campaign.pk, "phases-0-ends_at_0": "2099-01-01", "phases-0-ends_at_1": "00:00:00",
    })  # fmt: skip

    assert response.status_code == 403
    phase.refresh_from_db()
    assert (phase.ends_at, _actions_since(events)) == (ends_at, ["access_denied"])


def test_admin_never_shows_or_edits_a_totp_key(client, province_admin):
    other = make_user(username="p2", role=UserRole.PROVINCE_ADMIN, org=province_admin.org, is_staff=True)
    device = TOTPDevice.objects.create(user=other, name="手机", confirmed=True)
    secret = device.key
    client.force_login(province_admin)
    url = reverse("admin:otp_totp_totpdevice_change", args=[device.pk])

    for page in (client.get(url), client.get(reverse("admin:otp_totp_totpdevice_changelist"))):
        body = page.content.decode()
        assert page.status_code == 200
        assert secret not in body
        assert secret.upper() not in body
        assert "base32" not in body.lower()
    assert client.post(url, {"key": "00" * 20, "user": other.pk, "name": "x"}).status_code == 403
    assert client.post(reverse("admin:otp_totp_totpdevice_add"), {"key": "00" * 20}).status_code == 403
    assert client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]),
                       {"post": "yes"}).status_code == 403  # fmt: skip
    # django-otp's own QR code and key pages are gone with its admin.
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/").status_code in (302, 404)
    device.refresh_from_db()
    assert device.key == secret
    assert binascii.unhexlify(secret)  # still the key the phone holds


def _user_form(user: User, **changes) -> dict:
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "first_name": "",
        "last_name": "",
        "email": "",
        "role": user.role,
        "org": user.org_id or "",
        "account_id": user.account_id,
        "is_staff": "on" if user.is_staff else "",
        "is_active": "on" if user.is_active else "",
        "_save": "保存",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_admin_role_change_goes_through_the_domain_and_is_audited(client, tree, province_admin):
    reviewer = make_user(username="ty", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"])
    client.force_login(province_admin)
    url = reverse("admin:accounts_user_change", args=[reviewer.pk])

    response = client.post(url, _user_form(reviewer, role=UserRole.PROVINCE_ADMIN, full_name="太原审核",
                                           is_superuser="on"))  # fmt: skip

    assert response.status_code == 302, response.content.decode()[:2000]
    reviewer.refresh_from_db()
    assert (reviewer.role, reviewer.full_name, reviewer.is_superuser) == (
        UserRole.PROVINCE_ADMIN,
        "太原审核",
        False,
    )
    event = AuditEvent.objects.get(action="account_access_changed")
    assert (event.actor, event.target_id, event.before, event.after) == (
        province_admin,
        str(reviewer.pk),
        {"role": "报送单位审核员"},
        {"role": "省平台管理员"},
    )
    assert verify_chain() == []


def test_admin_cannot_take_away_its_own_access(client, province_admin):
    client.force_login(province_admin)
    url = reverse("admin:accounts_user_change", args=[province_admin.pk])
    response = client.post(url, _user_form(province_admin, role=UserRole.LEARNER))
    assert response.status_code == 403
    province_admin.refresh_from_db()
    assert province_admin.role == UserRole.PROVINCE_ADMIN
    assert not AuditEvent.objects.filter(action="account_access_changed").exists()


def test_admin_cannot_set_another_users_password(client, province_admin):
    other = make_user(username="x")
    client.force_login(province_admin)
    url = reverse("admin:auth_user_password_change", args=[other.pk])
    response = client.post(url, {"password1": "a-new-password-1", "password2": "a-new-password-1"})
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.check_password("pw-for-tests-only")


def test_admin_read_only_admins_share_the_base():
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in ("nominations", "campaigns", "orgs", "people", "audit", "otp_totp"):
            assert isinstance(model_admin, ReadOnlyAdmin), model._meta.label


def test_admin_new_account_is_audited(client, province_admin):
    client.force_login(province_admin)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {"username": "newclerk", "usable_password": "true", "password1": "a-long-pass-1234",
         "password2": "a-long-pass-1234", "_save": "保存"},
    )  # fmt: skip
    assert response.status_code == 302
    user = User.objects.get(username="newclerk")
    assert (user.role, user.is_superuser, user.is_staff) == (UserRole.LEARNER, False, False)
    event = AuditEvent.objects.get(action="account_created")
    assert (event.actor, event.target_id, event.after["role"]) == (province_admin, str(user.pk), "申报人")
    assert verify_chain() == []

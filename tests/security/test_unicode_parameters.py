"""Arbitrary Unicode in every parameter of every URL never gives a 500 (issue 9, item 4; Hypothesis).

For each URL of the access table, as a user it serves, every query parameter and form field that the
URL's view or form reads is sent — by GET and by POST — holding text such as '²' and '٣' (digits to
`str.isdigit()`, not to `int()`), NUL, numbers past every bound and very long strings. Each answer may be
a page, a redirect, a refusal (400, 403, 404, 405, 413, 429) — never a 500.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from jixing.nominations.domain.forms_spec import form_spec
from jixing.nominations.forms import NominationForm
from jixing.nominations.models import Nomination
from tests.factories import make_nomination
from tests.security.access_world import ROLES, build_access_world
from tests.security.test_access_matrix import ACCESS, _kwargs, served
from tests.security.urlwalk import all_url_names

pytestmark = pytest.mark.django_db

NOMINATION_FORM = "<the nomination form's fields>"
# What each URL's view or form reads from the query string or the body, by name. `{pk}` is the
# nomination's id (the screening form names its rows' fields by it).
PARAMS: dict[str, list[str]] = {
    "portal:home": [],
    "portal:org_list": ["q", "page"],
    "portal:learner_list": ["q", "page"],
    "portal:role_list": ["q", "page"],
    "portal:nomination_list": ["q", "page", "state"],
    "portal:results_freshness": ["region"],
    "portal:nomination_start": ["category", "learner"],
    "portal:nomination_pick": ["q", "page"],
    "portal:nomination_detail": [],
    "portal:nomination_edit": [NOMINATION_FORM, "intent"],
    "portal:nomination_autosave": [NOMINATION_FORM],
    "portal:nomination_act": ["action", "reason"],
    "portal:nomination_form_docx": [],
    "portal:nomination_form_pdf": [],
    "portal:nomination_pledge_docx": [],
    "portal:nomination_pledge_pdf": [],
    "portal:attachment_upload": ["kind", "file"],
    "portal:attachment_download": [],
    "portal:attachment_delete": [],
    "review:imports": ["kind", "file", "name", "taken_at"],
    "review:template": [],
    "review:import_job": [],
    "review:import_job_panel": [],
    "review:decide": ["holds", "comment"],
    "review:scores": [],
    "review:score": ["score", "comment"],
    "review:province_lists": ["category", "unit", "state"],
    "review:province_select": ["only", "ids", "action", "next", "category", "unit", "state"],
    "review:province_publication": ["starts_on"],
    "review:province_objections": ["show"],
    "review:province_objection_handle": ["outcome", "note", "next"],
    "review:province_objection_record": ["entry", "channel", "name", "phone", "received_at", "content"],
    "review:province_approval": ["document_ref", "approved_on", "note"],
    "review:province_commendation": [],
    "review:province_final_export": [],
    "review:province_announcement_docx": [],
    "review:province_announcement_pdf": [],
    "review:province_commendation_docx": [],
    "review:province_commendation_pdf": [],
    "review:province_certificate_pdf": [],
    "review:province_plaques_xlsx": [],
    "review:province_certificate_batch": [],
    "review:province_certificate_batch_panel": [],
    "review:province_certificate_batch_download": [],
    "review:province_plaques_pdf": [],
    "review:province_phases": [],
    "review:province_phase_extend": ["ends_at", "reason"],
    "review:screening": [],
    "review:screening_category": ["q", "status", "state", "page"],
    "review:screening_picks": ["row", "pick", "order-{pk}", "reason-{pk}", "q", "status", "state", "page"],
    "review:screening_act": ["reason", "q", "status", "state", "page"],
    "review:statistics": [],
    "review:statistics_export": [],
    "review:statistics_unit": [],
    "review:statistics_unit_export": [],
    "review:list": [],
    "review:list_sheet": [],
    "review:list_sheet_pdf": [],
    "review:list_scan_upload": ["file"],
    "review:list_scan": [],
    "review:list_submit": [],
    "review:list_reopen": ["reason"],
    "review:package_unit_start": [],
    "review:package_category_start": [],
    "review:package": [],
    "review:package_panel": [],
    "review:package_download": [],
    "public:announcement": [],
    "public:final": [],
    "public:announcements": [],
    "public:receipt_lookup": ["receipt"],
    "public:announcement_pdf": [],
    "public:objection": ["name", "phone", "content"],
    "public:objection_received": [],
    "public:verify": [],
    "public:glossary": [],
    "notifications:inbox": [],
    "notifications:read_all": [],
    "login": ["username", "password", "next"],
    "logout": ["next"],
    "accounts:2fa_setup": ["token", "next"],
    "accounts:2fa_verify": ["token", "next"],
    "accounts:password_change": ["old_password", "new_password1", "new_password2"],
    "accounts:enrolment_codes": ["user", "code"],
    "accounts:claim": ["account_id", "name", "id_number", "password1", "password2"],
    "accounts:accounts": ["q", "page"],
    "accounts:account_act": ["account", "action"],
    "accounts:accounts_import": ["file"],
    "accounts:accounts_generate": [],
}
# Lists of ids also carry a real id beside the junk, so the views go past them to the fields they name.
WITH_REAL_ID = ("row", "pick", "ids")
# Values held right so that the view reaches the parameters after them (发起申报 reads `learner` only
# for a category the user may start).
FIXED = {"portal:nomination_start": {"category": "1"}}
# Whom each URL is tried as: the public face anonymously, the rest as the first role the table serves.
ROLE_ORDER = (
    "anonymous",
    "unit_admin",
    "reviewer",
    "province",
    "learner",
    "other_reviewer",
    "volunteer_manager",
)
# The world's nomination is published, so nobody may edit it: the form's URLs get a draft of its unit.
ON_THE_DRAFT = ("portal:nomination_edit", "portal:nomination_autosave", "portal:attachment_upload")

JUNK = [
    "²",
    "٣",
    "１２",
    "\x00",
    "-1",
    "0",
    " 7 ",
    "9" * 5000,
    "1" * 30,
    "=1+1",
    "x" * 30_000,
    "𠀋",
    "\u202e",
]
junk = st.one_of(st.text(max_size=40), st.sampled_from(JUNK))
FUZZ = settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def test_unicode_every_url_of_the_access_table_has_its_parameters_listed():
    assert sorted(set(ACCESS) - set(PARAMS)) == []


@pytest.fixture
def world(media_root):
    world = build_access_world()
    published = Nomination.objects.get(pk=world.ids["pk"])
    draft = make_nomination(campaign=published.campaign, recommending_org=published.recommending_org,
                            state="draft", nominee_account="A1", created_by=world.users["unit_admin"])  # fmt: skip
    world.ids["draft_pk"] = draft.pk
    world.nomination_fields = list(NominationForm(spec=form_spec(published.category)).fields)
    world.asked_without_parameters = set()
    return world


def _targets(world):
    """(url, user, parameter names) for every URL of the product."""
    for name, _, converters in all_url_names():
        if not name:
            continue
        _, _, expected = ACCESS[name]
        outcome_of = dict(zip(ROLES, expected, strict=True))
        role = next((r for r in ROLE_ORDER if served(outcome_of[r])), "unit_admin")
        kwargs = _kwargs(name, converters, world.ids)
        if name in ON_THE_DRAFT:
            role, kwargs = "unit_admin", {**kwargs, "pk": world.ids["draft_pk"]}
        params = []
        for param in PARAMS[name]:
            params += (
                world.nomination_fields if param == NOMINATION_FORM else [param.format(pk=world.ids["pk"])]
            )
        yield reverse(name, kwargs=kwargs), world.users[role], params, FIXED.get(name, {})


def _body(params: list[str], values: list[str], real_id: int, fixed: dict) -> dict[str, list[str]]:
    body = {key: [value] for key, value in fixed.items()}
    for i, param in enumerate(p for p in params if p not in fixed):
        body[param] = [values[i % len(values)]]
        if param in WITH_REAL_ID:
            body[param].append(str(real_id))
    return body


@FUZZ
@given(values=st.lists(junk, min_size=1, max_size=6))
@example(values=["²", "٣", "１２"])  # digits to str.isdigit(), not (or not all) to int()
@example(values=["\x00"])
@example(values=["9" * 5000, "x" * 30_000])  # past int()'s 4,300 digits; past every text field's cap
def test_unicode_junk_in_any_parameter_never_gives_a_500(world, values):
    client = Client(raise_request_exception=False)
    failures = {}
    for url, user, params, fixed in _targets(world):
        client.logout()
        if user is not None:
            client.force_login(user)
        body = _body(params, values, world.ids["pk"], fixed)
        if not body:
            # A URL that reads no parameter is sent the same request in every example: ask it once.
            if url in world.asked_without_parameters:
                continue
            world.asked_without_parameters.add(url)
        for method in ("get", "post"):
            response = getattr(client, method)(url, body)
            if response.status_code >= 500:
                failures[f"{method.upper()} {url}"] = response.status_code
    assert failures == {}

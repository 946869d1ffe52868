"""Deny by default: every URL of the product, for every role.

`ACCESS` has one row per URL name: the method, the body, and what each role gets — L (sent to the
login page), OK (served: 200, or a redirect elsewhere than the login), 403, 404 (an object of another
subtree). A URL added without a row here fails `test_every_url_has_a_row`.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.security.access_world import ROLES, build_access_world
from tests.security.urlwalk import all_url_names

pytestmark = pytest.mark.django_db

L, OK = "L", "OK"
#                                       method body                    anonymous learner unit  reviewer other province
ACCESS: dict[str, tuple[str, dict, tuple]] = {
    # The site root: a visitor gets the public 公示 or final list (with the staff login), a user the home.
    "portal:home": ("get", {}, (OK, OK, OK, OK, OK, OK)),
    "portal:org_list": ("get", {}, (L, OK, OK, OK, OK, OK)),
    "portal:learner_list": ("get", {}, (L, OK, OK, OK, OK, OK)),
    "portal:role_list": ("get", {}, (L, OK, OK, OK, OK, OK)),
    "portal:nomination_list": ("get", {}, (L, OK, OK, OK, OK, OK)),
    # Whether the campaign's results are fresh: one fact, the same for every signed-in user (this world's
    # campaign was never evaluated, so the answer is 204, "still due").
    "portal:results_freshness": ("get", {}, (L, 204, 204, 204, 204, 204)),
    "portal:nomination_start": ("get", {}, (L, OK, OK, OK, OK, 403)),
    "portal:nomination_pick": ("get", {}, (L, 403, OK, 403, 403, 403)),
    "portal:nomination_detail": ("get", {}, (L, OK, OK, OK, 404, OK)),
    # The nomination is published: nobody may edit it any more.
    "portal:nomination_edit": ("get", {}, (L, 403, 403, 403, 404, 403)),
    "portal:nomination_autosave": ("post", {}, (L, 403, 403, 403, 404, 403)),
    "portal:nomination_act": ("post", {"action": "commend"}, (L, 403, 403, 403, 404, OK)),
    # The 报名表 and 承诺书: whoever may see the nomination (its 学员标兵 nominee signs a 承诺书).
    "portal:nomination_form_docx": ("get", {}, (L, OK, OK, OK, 404, OK)),
    "portal:nomination_form_pdf": ("get", {}, (L, OK, OK, OK, 404, OK)),
    "portal:nomination_pledge_docx": ("get", {}, (L, OK, OK, OK, 404, OK)),
    "portal:nomination_pledge_pdf": ("get", {}, (L, OK, OK, OK, 404, OK)),
    "portal:attachment_upload": ("post", {}, (L, OK, OK, OK, 404, OK)),
    "portal:attachment_download": ("get", {}, (L, OK, OK, OK, 404, OK)),
    "portal:attachment_delete": ("post", {}, (L, 403, 403, 403, 404, 403)),
    "review:imports": ("get", {}, (L, 403, 403, 403, 403, OK)),
    "review:template": ("get", {}, (L, 403, 403, 403, 403, OK)),
    "review:import_job": ("get", {}, (L, 403, 403, 403, 403, OK)),
    "review:import_job_panel": ("get", {}, (L, 403, 403, 403, 403, OK)),
    "review:decide": ("post", {"holds": "1"}, (L, 403, 403, OK, 404, OK)),
    "review:province_lists": ("get", {}, (L, 403, 403, 403, 403, OK)),
    "review:province_select": ("post", {}, (L, 403, 403, 403, 403, OK)),
    "review:province_publication": ("get", {}, (L, 403, 403, 403, 403, OK)),
    "review:province_objections": ("get", {}, (L, 403, 403, 403, 403, OK)),
    "review:province_objection_handle": ("post", {}, (L, 403, 403, 403, 403, OK)),
    "review:province_approval": ("get", {}, (L, 403, 403, 403, 403, OK)),
    "review:province_commendation": ("get", {}, (L, 403, 403, 403, 403, OK)),
    "review:province_final_export": ("get", {}, (L, 403, 403, 403, 403, OK)),
    # The 公示 notice and the 表扬通报 (nothing is approved in this world: the province is sent back).
    "review:province_announcement_docx": ("get", {}, (L, 403, 403, 403, 403, OK)),
    "review:province_announcement_pdf": ("get", {}, (L, 403, 403, 403, 403, OK)),
    "review:province_commendation_docx": ("get", {}, (L, 403, 403, 403, 403, OK)),
    "review:province_commendation_pdf": ("get", {}, (L, 403, 403, 403, 403, OK)),
    # No certificate in the access world: the province's download of one is a 404 (tests/announcements/
    # test_certificates.py downloads real ones); the plaques' files redirect with 「尚无…」.
    "review:province_certificate_pdf": ("get", {}, (L, 403, 403, 403, 403, 404)),
    "review:province_plaques_xlsx": ("get", {}, (L, 403, 403, 403, 403, OK)),
    "review:province_plaques_pdf": ("get", {}, (L, 403, 403, 403, 403, OK)),
    "review:province_phases": ("get", {}, (L, 403, 403, 403, 403, OK)),
    "review:province_phase_extend": ("post", {}, (L, 403, 403, 403, 403, OK)),
    "review:screening": ("get", {}, (L, 403, 403, OK, OK, 403)),
    "review:screening_category": ("get", {}, (L, 403, 403, OK, OK, 403)),
    "review:screening_picks": ("post", {}, (L, 403, 403, OK, OK, 403)),
    "review:screening_act": ("post", {}, (L, 403, 403, OK, 404, 403)),
    # 统计: the province's page (a reviewer is sent on to his own unit's), each unit's part for its reviewers.
    "review:statistics": ("get", {}, (L, 403, 403, OK, OK, OK)),
    "review:statistics_export": ("get", {}, (L, 403, 403, 403, 403, OK)),
    "review:statistics_unit": ("get", {}, (L, 403, 403, OK, 404, OK)),
    "review:statistics_unit_export": ("get", {}, (L, 403, 403, OK, 404, OK)),
    "review:list": ("get", {}, (L, 403, 403, OK, 404, OK)),
    "review:list_sheet": ("get", {}, (L, 403, 403, OK, 404, OK)),
    "review:list_sheet_pdf": ("get", {}, (L, 403, 403, OK, 404, OK)),
    "review:list_scan_upload": ("post", {}, (L, 403, 403, OK, 404, 403)),
    "review:list_scan": ("get", {}, (L, 403, 403, OK, 404, OK)),
    "review:list_submit": ("post", {}, (L, 403, 403, OK, 404, 403)),
    "review:list_reopen": ("post", {}, (L, 403, 403, 403, 404, OK)),
    "public:announcement": ("get", {}, (OK, OK, OK, OK, OK, OK)),
    "public:final": ("get", {}, (OK, OK, OK, OK, OK, OK)),
    "public:announcements": ("get", {}, (OK, OK, OK, OK, OK, OK)),
    "public:receipt_lookup": ("get", {}, (OK, OK, OK, OK, OK, OK)),
    # The published 公示 as PDF: anybody, no login.
    "public:announcement_pdf": ("get", {}, (OK, OK, OK, OK, OK, OK)),
    "public:objection": ("get", {}, (OK, OK, OK, OK, OK, OK)),
    "public:objection_received": ("get", {}, (OK, OK, OK, OK, OK, OK)),
    # An unknown serial (the access world has no certificate): the verification page says so, as a 404.
    "public:verify": ("get", {}, (404, 404, 404, 404, 404, 404)),
    "notifications:inbox": ("get", {}, (L, OK, OK, OK, OK, OK)),
    "notifications:read_all": ("post", {}, (L, OK, OK, OK, OK, OK)),
    "login": ("get", {}, (OK, OK, OK, OK, OK, OK)),
    "logout": ("post", {}, (L, L, L, L, L, L)),
    "accounts:2fa_setup": ("get", {}, (L, OK, OK, OK, OK, OK)),
    "accounts:2fa_verify": ("get", {}, (L, OK, OK, OK, OK, OK)),
    "accounts:password_change": ("get", {}, (L, OK, OK, OK, OK, OK)),
    "accounts:enrolment_codes": ("get", {}, (L, 403, 403, 403, 403, OK)),
}


def _kwargs(name: str, converters: list[str], ids: dict) -> dict:
    fixed = {"number": 1, "kind": "orgs", "fmt": "xlsx", "rule_id": "G.1", "action": "return",
             "serial": "JX2022-01-0001"}  # fmt: skip
    pk_of = {"public:objection": "entry_pk", "review:province_objection_handle": "objection_pk",
             "review:province_phase_extend": "phase_pk", "review:import_job": "job_pk",
             "review:import_job_panel": "job_pk", "review:province_announcement_docx": "announcement_pk",
             "review:province_announcement_pdf": "announcement_pk", "public:announcement_pdf": "announcement_pk"}  # fmt: skip
    kwargs = {}
    for key in converters:
        if key == "pk":
            kwargs[key] = ids[pk_of.get(name, "pk")]
        else:
            kwargs[key] = fixed[key] if key in fixed else ids[key]
    return kwargs


def _outcome(response) -> str | int:
    if response.status_code == 302 and "/login/" in response["Location"]:
        return L
    if response.status_code in (200, 302):
        return OK
    return response.status_code


def test_every_url_has_a_row():
    names = {name for name, _, _ in all_url_names() if name}
    assert sorted(names - set(ACCESS)) == []
    assert sorted(set(ACCESS) - names) == []


def test_every_url_answers_every_role_as_the_table_says(client, media_root):
    world = build_access_world()
    wrong = {}
    for name, _, converters in all_url_names():
        if not name:
            continue
        method, body, expected = ACCESS[name]
        url = reverse(name, kwargs=_kwargs(name, converters, world.ids))
        for role, want in zip(ROLES, expected, strict=True):
            client.logout()
            if world.users[role] is not None:
                client.force_login(world.users[role])
            got = _outcome(getattr(client, method)(url, body))
            if got != want:
                wrong[f"{name} {role}"] = (want, got)
    assert wrong == {}

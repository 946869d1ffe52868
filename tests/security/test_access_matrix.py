"""Deny by default: every URL of the product, for every role, with the exact answer.

`ACCESS` has one row per URL name: the method, the body a real form sends, and what each of nine users
gets — two of every role but the province, the second in another subtree (大同; see access_world.py):
a status (200, 204, 403, 404), "login" (302 to the login page, back here after), or "→<url name>" (302
to that page). An outcome ending in "!" says the POST took effect (PROBES says what changed: a state, a
row, a count, or else the audit chain); any other outcome of a POST says nothing changed. Each request
runs in a savepoint rolled back after it, so every user meets the same world. A URL added without a row
here fails `test_every_url_has_a_row`.

The nomination URLs are asked here of the published nomination only; test_access_states.py asks them of
a nomination in every state.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from django.contrib.auth.views import redirect_to_login
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from PIL import Image

from jixing.accounts.models import User
from jixing.announcements.models import Objection
from jixing.audit.enums import AuditAction
from jixing.audit.models import AuditEvent
from jixing.campaigns.models import Phase
from jixing.nominations.enums import ListState
from jixing.nominations.models import Attachment, Nomination, RecommendationList, RuleDecision, SealedScan
from jixing.notifications.models import Notification
from tests.portal.conftest import open_phase
from tests.security.access_world import ROLES, build_access_world
from tests.security.urlwalk import all_url_names

pytestmark = pytest.mark.django_db

L = "login"
HOME = "→portal:home"  # nothing to set up or verify: the province has given its second factor, nobody else needs one
READ = "→notifications:inbox!"  # back to the inbox, his notices marked read
OUT = "→login!"  # logged out (the audit chain records it), on the login page


def served(outcome: str | int) -> bool:
    """The page or file was served, or the request went through to another page (not the login)."""
    if isinstance(outcome, str):
        return outcome == "200!" or (outcome.startswith("→") and not outcome.startswith("→login"))
    return outcome in (200, 204)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (30, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()
REASON = "经核实，材料与事实不符，请补充说明。"

# The bodies the product's forms send (a callable when the body needs the world's ids or a fresh file).
TYPED = {"summary": "坚持每日学习，带动全组。", "activity_count": "12"}  # the form, as autosaved
WITHDRAW = {"action": "withdraw", "reason": REASON}
HOLDS = {"holds": "1", "comment": ""}  # 符合
SCORED = {"score": "88.5", "comment": "审读认真"}


def RECORDED(ids: dict) -> dict:  # a letter about the world's published nomination, received in its 公示
    return {"entry": ids["entry_pk"], "channel": "letter", "name": "赵六", "phone": "10012345678",
            "received_at": "2023-01-25T09:30", "content": "来信反映积分有误。"}  # fmt: skip


DISMISSED = {"outcome": "dismissed", "note": "经核查，反映情况不属实。"}
EXTENDED = {"ends_at": "2031-06-30T16:00", "reason": "部分单位材料未齐，延长申报时间。"}
A_REASON = {"reason": REASON}


ACCOUNTS = "→accounts:accounts!"  # back to 账号管理, the account disabled


def DISABLE_S(ids: dict) -> dict:  # 太原's school admin
    return {"account": User.objects.get(username="s").pk, "action": "disable"}


def DESELECT(ids: dict) -> dict:
    return {"action": "deselect", "ids": [ids["recommended_pk"]]}


def PICKED(ids: dict) -> dict:  # the submitted nomination first on 太原's list of 学员标兵
    return {"row": [ids["submitted_pk"]], "pick": [ids["submitted_pk"]], f"order-{ids['submitted_pk']}": "1"}


def PNG_FILE(ids: dict) -> dict:  # a fresh upload each time: a file once read is at its end
    return {"kind": "承诺书", "file": SimpleUploadedFile("承诺书.png", PNG, content_type="image/png")}


def SCAN_FILE(ids: dict) -> dict:
    return {"file": SimpleUploadedFile("盖章推荐表.png", PNG, content_type="image/png")}


# The POSTs whose form has no field: an empty body is the real one.
NO_FIELDS = {"portal:attachment_delete", "review:list_submit", "review:package_unit_start",
             "review:package_category_start", "review:province_certificate_batch", "notifications:read_all",
             "logout", "accounts:accounts_generate"}  # fmt: skip


# What each POST changes when it goes through; a POST without a probe here is seen by the audit chain
# (a refusal's own audit event, access_denied, aside).
def _state(key: str) -> Callable[[dict], object]:
    return lambda ids: Nomination.objects.get(pk=ids[key]).state


PROBES: dict[str, Callable[[dict], object]] = {
    "portal:nomination_autosave": lambda ids: Nomination.objects.get(pk=ids["pk"]).summary,
    "portal:nomination_act": _state("pk"),
    "portal:attachment_upload": lambda ids: Attachment.objects.filter(nomination_id=ids["pk"]).count(),
    "portal:attachment_delete": lambda ids: Attachment.objects.filter(nomination_id=ids["pk"]).count(),
    "review:decide": lambda ids: RuleDecision.objects.filter(nomination_id=ids["pk"]).count(),
    "review:score": lambda ids: Nomination.objects.get(pk=ids["volunteer_pk"]).judges_score,
    "review:province_select": _state("recommended_pk"),
    "review:province_objection_handle": lambda ids: Objection.objects.get(pk=ids["objection_pk"]).outcome,
    "review:province_objection_record": lambda ids: Objection.objects.count(),
    "review:province_phase_extend": lambda ids: Phase.objects.get(pk=ids["phase_pk"]).ends_at,
    "review:screening_act": _state("submitted_pk"),
    "review:list_scan_upload": lambda ids: SealedScan.objects.count(),
    "review:list_submit": lambda ids: list(RecommendationList.objects.values_list("state", flat=True)),
    "review:list_reopen": lambda ids: list(RecommendationList.objects.values_list("state", flat=True)),
    "notifications:read_all": lambda ids: Notification.objects.filter(read_at=None).count(),
}


def _list_submitted(world) -> None:
    RecommendationList.objects.update(
        state=ListState.SUBMITTED, submitted_at=datetime(2023, 1, 12, tzinfo=UTC)
    )


# What a row needs that the world has not (made in the row's savepoint, before the request).
SETUP: dict[str, Callable] = {"review:list_reopen": _list_submitted}

# The phase open for a row when it is not the world's 公示 (announce): 审核报送 for the screening moves.
PHASES = {"review:screening_picks": "screen", "review:screening_act": "screen", "review:list_submit": "screen",
          "review:list_reopen": "screen", "review:list_scan_upload": "screen"}  # fmt: skip

# Columns, in ROLES' order: anonymous, learner, other_learner, unit_admin, other_unit_admin, reviewer,
# other_reviewer, province, volunteer_manager (志愿者工作群管理人员, at the province: plan 7.3).
# fmt: off
DETAIL = "→portal:nomination_detail"
ACCESS: dict[str, tuple[str, dict | Callable[[dict], dict], tuple]] = {
    # The site root: a visitor gets the public 公示 or final list (with the staff login), a user the home.
    "portal:home": ("get", {}, (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "portal:org_list": ("get", {}, (L, 200, 200, 200, 200, 200, 200, 200, 200)),
    "portal:learner_list": ("get", {}, (L, 200, 200, 200, 200, 200, 200, 200, 200)),
    "portal:role_list": ("get", {}, (L, 200, 200, 200, 200, 200, 200, 200, 200)),
    "portal:nomination_list": ("get", {}, (L, 200, 200, 200, 200, 200, 200, 200, 200)),
    # Whether the campaign's results are fresh: one fact, the same for every signed-in user (this world's
    # campaign was never evaluated, so the answer is 204, "still due").
    "portal:results_freshness": ("get", {}, (L, 204, 204, 204, 204, 204, 204, 204, 204)),
    "portal:nomination_start": ("get", {}, (L, 200, 200, 200, 200, 200, 200, 403, 403)),
    "portal:nomination_pick": ("get", {}, (L, 403, 403, 200, 200, 403, 403, 403, 403)),
    "portal:nomination_detail": ("get", {}, (L, 200, 404, 200, 404, 200, 404, 200, 404)),
    # The nomination is published: nobody may edit it any more; who sees it is sent to its page (browser
    # back to a form already sent lands there with a plain sentence), the autosave is refused.
    "portal:nomination_edit": ("get", {}, (L, DETAIL, 404, DETAIL, 404, DETAIL, 404, DETAIL, 404)),
    "portal:nomination_autosave": ("post", TYPED, (L, 403, 404, 403, 404, 403, 404, 403, 404)),
    "portal:nomination_act": ("post", WITHDRAW, (L, 403, 404, 403, 404, 403, 404, "→portal:nomination_detail!", 404)),
    # The 报名表 and 承诺书: whoever may see the nomination (its 学员标兵 nominee signs a 承诺书).
    "portal:nomination_form_docx": ("get", {}, (L, 200, 404, 200, 404, 200, 404, 200, 404)),
    "portal:nomination_form_pdf": ("get", {}, (L, 200, 404, 200, 404, 200, 404, 200, 404)),
    "portal:nomination_pledge_docx": ("get", {}, (L, 200, 404, 200, 404, 200, 404, 200, 404)),
    "portal:nomination_pledge_pdf": ("get", {}, (L, 200, 404, 200, 404, 200, 404, 200, 404)),
    "portal:attachment_upload": ("post", PNG_FILE, (L, 403, 404, 403, 404, 403, 404, 403, 404)),
    "portal:attachment_download": ("get", {}, (L, 200, 404, 200, 404, 200, 404, 200, 404)),
    "portal:attachment_delete": ("post", {}, (L, 403, 404, 403, 404, 403, 404, 403, 404)),
    "review:imports": ("get", {}, (L, 403, 403, 403, 403, 403, 403, 200, 403)),
    "review:template": ("get", {}, (L, 403, 403, 403, 403, 403, 403, 200, 403)),
    "review:import_job": ("get", {}, (L, 403, 403, 403, 403, 403, 403, 200, 403)),
    "review:import_job_panel": ("get", {}, (L, 403, 403, 403, 403, 403, 403, 200, 403)),
    # 评审分 (plan 7.3): the volunteer-group manager's page and his score of the world's volunteer.
    "review:scores": ("get", {}, (L, 403, 403, 403, 403, 403, 403, 403, 200)),
    "review:score": ("post", SCORED, (L, 403, 403, 403, 403, 403, 403, 403, "→review:scores!")),
    "review:decide": ("post", HOLDS, (L, 403, 404, 403, 404, "→portal:nomination_detail!", 404, "→portal:nomination_detail!", 404)),
    "review:province_lists": ("get", {}, (L, 403, 403, 403, 403, 403, 403, 200, 403)),
    "review:province_select": ("post", DESELECT, (L, 403, 403, 403, 403, 403, 403, "→review:province_lists!", 403)),
    "review:province_publication": ("get", {}, (L, 403, 403, 403, 403, 403, 403, 200, 403)),
    "review:province_objections": ("get", {}, (L, 403, 403, 403, 403, 403, 403, 200, 403)),
    "review:province_objection_handle": ("post", DISMISSED, (L, 403, 403, 403, 403, 403, 403, "→review:province_objections!", 403)),
    # An objection received by phone, letter or e-mail, recorded by the province (plan: handled like the page's).
    "review:province_objection_record": ("post", RECORDED, (L, 403, 403, 403, 403, 403, 403, "→review:province_objections!", 403)),
    "review:province_approval": ("get", {}, (L, 403, 403, 403, 403, 403, 403, 200, 403)),
    "review:province_commendation": ("get", {}, (L, 403, 403, 403, 403, 403, 403, 200, 403)),
    "review:province_final_export": ("get", {}, (L, 403, 403, 403, 403, 403, 403, 200, 403)),
    # The 公示 notice and the 表扬通报 (nothing is approved in this world: the province is sent back).
    "review:province_announcement_docx": ("get", {}, (L, 403, 403, 403, 403, 403, 403, 200, 403)),
    "review:province_announcement_pdf": ("get", {}, (L, 403, 403, 403, 403, 403, 403, 200, 403)),
    "review:province_commendation_docx": ("get", {}, (L, 403, 403, 403, 403, 403, 403, "→review:province_approval", 403)),
    "review:province_commendation_pdf": ("get", {}, (L, 403, 403, 403, 403, 403, 403, "→review:province_approval", 403)),
    # No certificate in the access world: the province's download of one is a 404 (tests/announcements/
    # test_certificates.py downloads real ones); the plaques' files redirect with 「尚无…」.
    "review:province_certificate_pdf": ("get", {}, (L, 403, 403, 403, 403, 403, 403, 404, 403)),
    "review:province_plaques_xlsx": ("get", {}, (L, 403, 403, 403, 403, 403, 403, "→review:province_commendation", 403)),
    "review:province_certificate_batch": ("post", {}, (L, 403, 403, 403, 403, 403, 403, "→review:province_commendation", 403)),
    "review:province_certificate_batch_panel": ("get", {}, (L, 403, 403, 403, 403, 403, 403, 404, 403)),
    "review:province_certificate_batch_download": ("get", {}, (L, 403, 403, 403, 403, 403, 403, 404, 403)),
    "review:province_plaques_pdf": ("get", {}, (L, 403, 403, 403, 403, 403, 403, "→review:province_commendation", 403)),
    "review:province_phases": ("get", {}, (L, 403, 403, 403, 403, 403, 403, 200, 403)),
    "review:province_phase_extend": ("post", EXTENDED, (L, 403, 403, 403, 403, 403, 403, "→review:province_phases!", 403)),
    "review:screening": ("get", {}, (L, 403, 403, 403, 403, "→review:list", "→review:list", 403, 403)),
    "review:screening_category": ("get", {}, (L, 403, 403, 403, 403, 200, 200, 403, 403)),
    # Both reviewers pass the permission check and the list's own check refuses: 太原's because the nomination
    # was never evaluated (its data are incomplete), 大同's because it is not his; the page is shown again.
    "review:screening_picks": ("post", PICKED, (L, 403, 403, 403, 403, 200, 200, 403, 403)),
    "review:screening_act": ("post", A_REASON, (L, 403, 403, 403, 403, "→review:screening_category!", 404, 403, 403)),
    # 统计: the province's page (a reviewer is sent on to his own unit's), each unit's part for its reviewers.
    "review:statistics": ("get", {}, (L, 403, 403, 403, 403, "→review:statistics_unit", "→review:statistics_unit", 200, 403)),
    "review:statistics_export": ("get", {}, (L, 403, 403, 403, 403, 403, 403, 200, 403)),
    "review:statistics_unit": ("get", {}, (L, 403, 403, 403, 403, 200, 404, 200, 403)),
    "review:statistics_unit_export": ("get", {}, (L, 403, 403, 403, 403, 200, 404, 200, 403)),
    "review:list": ("get", {}, (L, 403, 403, 403, 403, 200, 404, 200, 403)),
    "review:list_sheet": ("get", {}, (L, 403, 403, 403, 403, "→review:list", 404, "→review:list", 403)),
    "review:list_sheet_pdf": ("get", {}, (L, 403, 403, 403, 403, "→review:list", 404, "→review:list", 403)),
    "review:list_scan_upload": ("post", SCAN_FILE, (L, 403, 403, 403, 403, "→review:list!", 404, 403, 403)),
    "review:list_scan": ("get", {}, (L, 403, 403, 403, 403, 200, 404, 200, 403)),
    # Past the permission check, 太原's reviewer is told his list is empty (the picks need an evaluated campaign).
    "review:list_submit": ("post", {}, (L, 403, 403, 403, 403, "→review:list", 404, 403, 403)),
    "review:list_reopen": ("post", A_REASON, (L, 403, 403, 403, 403, 403, 404, "→review:list!", 403)),
    # 材料打包: a unit's package for its reviewers and the province, a category's for the province. The world's
    # packages are still queued: a start hands them back, a download sends the user to the progress page.
    "review:package_unit_start": ("post", {}, (L, 403, 403, 403, 403, "→review:package", 404, "→review:package", 403)),
    "review:package_category_start": ("post", {}, (L, 403, 403, 403, 403, 403, 403, "→review:package", 403)),
    "review:package": ("get", {}, (L, 403, 403, 403, 403, 200, 404, 200, 403)),
    "review:package_panel": ("get", {}, (L, 403, 403, 403, 403, 200, 404, 200, 403)),
    "review:package_download": ("get", {}, (L, 403, 403, 403, 403, "→review:package", 404, "→review:package", 403)),
    "public:announcement": ("get", {}, (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "public:final": ("get", {}, (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "public:announcements": ("get", {}, (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "public:receipt_lookup": ("get", {}, (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    # The published 公示 as PDF: anybody, no login.
    "public:announcement_pdf": ("get", {}, (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "public:objection": ("get", {}, (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "public:objection_received": ("get", {}, (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    # An unknown serial (the access world has no certificate): the verification page says so, as a 404.
    "public:verify": ("get", {}, (404, 404, 404, 404, 404, 404, 404, 404, 404)),
    # 术语说明: the terms that remain, for everybody (linked from every page's footer).
    "public:glossary": ("get", {}, (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "notifications:inbox": ("get", {}, (L, 200, 200, 200, 200, 200, 200, 200, 200)),
    "notifications:read_all": ("post", {}, (L, READ, READ, READ, READ, READ, READ, READ, READ)),
    "login": ("get", {}, (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "logout": ("post", {}, ("→login", OUT, OUT, OUT, OUT, OUT, OUT, OUT, OUT)),
    "accounts:2fa_setup": ("get", {}, (L, HOME, HOME, HOME, HOME, HOME, HOME, HOME, HOME)),
    "accounts:2fa_verify": ("get", {}, (L, HOME, HOME, HOME, HOME, HOME, HOME, HOME, HOME)),
    "accounts:password_change": ("get", {}, (L, 200, 200, 200, 200, 200, 200, 200, 200)),
    "accounts:enrolment_codes": ("get", {}, (L, 403, 403, 403, 403, 403, 403, 200, 403)),
    # 学员首次使用：认领账号 — for whoever has no account yet; a signed-in user has one: home.
    "accounts:claim": ("get", {}, (200, HOME, HOME, HOME, HOME, HOME, HOME, HOME, HOME)),
    # 账号管理: the province for every reviewer and unit admin, a reviewer for the unit admins of his subtree
    # (太原's school admin `s`: 大同's reviewer gets a 404); import and generation are the province's.
    "accounts:accounts": ("get", {}, (L, 403, 403, 403, 403, 200, 200, 200, 403)),
    "accounts:account_act": ("post", DISABLE_S, (L, 403, 403, 403, 403, ACCOUNTS, 404, ACCOUNTS, 403)),
    "accounts:accounts_import": ("get", {}, (L, 403, 403, 403, 403, 403, 403, 200, 403)),
    # The world's 清徐县第二中学 has no unit admin: the province gets the new account's slips.
    "accounts:accounts_generate": ("post", {}, (L, 403, 403, 403, 403, 403, 403, "200!", 403)),
}
# fmt: on


def _kwargs(name: str, converters: list[str], ids: dict) -> dict:
    fixed = {"number": 1, "kind": "orgs", "fmt": "xlsx", "rule_id": "G.1", "action": "return",
             "serial": "JX2022-01-0001"}  # fmt: skip
    pk_of = {"public:objection": "entry_pk", "review:province_objection_handle": "objection_pk",
             "review:province_phase_extend": "phase_pk", "review:import_job": "job_pk",
             "review:import_job_panel": "job_pk", "review:province_announcement_docx": "announcement_pk",
             "review:province_announcement_pdf": "announcement_pk", "public:announcement_pdf": "announcement_pk",
             "review:package": "package_pk", "review:package_panel": "package_pk",
             "review:package_download": "package_pk", "review:screening_act": "submitted_pk",
             "review:score": "volunteer_pk"}  # fmt: skip
    kwargs = {}
    for key in converters:
        if key == "pk":
            kwargs[key] = ids[pk_of.get(name, "pk")]
        else:
            kwargs[key] = fixed[key] if key in fixed else ids[key]
    return kwargs


def _outcome(response, url: str) -> str | int:
    if response.status_code not in (301, 302, 303):
        return response.status_code
    location = response["Location"]
    if location == redirect_to_login(url)["Location"]:
        return L
    try:
        match = resolve(location.split("?")[0].split("#")[0])
    except Resolver404:
        return f"→{location}"
    return f"→{match.view_name}"


def _audited(ids: dict) -> int:
    return AuditEvent.objects.exclude(action=AuditAction.ACCESS_DENIED).count()


def outcomes(name: str, url: str, clients: dict[str, Client], world) -> tuple:
    """What each role gets from the row's request, each in a savepoint rolled back after it."""
    method, body, _ = ACCESS[name]
    ids = world.ids
    probe = PROBES.get(name, _audited) if method == "post" else None
    got = []
    for role in ROLES:
        with transaction.atomic():
            if name in PHASES:
                open_phase(Nomination.objects.get(pk=ids["pk"]).campaign, PHASES[name])
            if name in SETUP:
                SETUP[name](world)
            before = probe(ids) if probe else None
            cookies = copy.deepcopy(clients[role].cookies)
            response = getattr(clients[role], method)(url, body(ids) if callable(body) else body)
            clients[role].cookies = cookies  # logout's new session, say, goes with the rollback
            outcome = _outcome(response, url)
            if probe and probe(ids) != before:
                outcome = f"{outcome}!"
            transaction.set_rollback(True)
        got.append(outcome)
    return tuple(got)


def _clients(world) -> dict[str, Client]:
    clients = {}
    for role in ROLES:
        clients[role] = Client()
        if world.users[role] is not None:
            clients[role].force_login(world.users[role])
    return clients


def test_every_url_has_a_row():
    names = {name for name, _, _ in all_url_names() if name}
    assert sorted(names - set(ACCESS)) == []
    assert sorted(set(ACCESS) - names) == []


def test_every_post_row_sends_a_body_or_needs_none():
    """A POST with an empty body must be one whose form has no field (delete, submit, mark read, logout,
    start a package or batch): else the check that decides may be the form's, not the permission's."""
    empty = {name for name, (method, body, _) in ACCESS.items() if method == "post" and not body}
    assert sorted(empty) == sorted(NO_FIELDS)


def test_every_url_answers_every_role_as_the_table_says(media_root):
    world = build_access_world()
    clients = _clients(world)
    wrong = {}
    for name, _, converters in all_url_names():
        if not name:
            continue
        url = reverse(name, kwargs=_kwargs(name, converters, world.ids))
        expected = ACCESS[name][2]
        got = outcomes(name, url, clients, world)
        if got != expected:
            wrong[name] = {role: (want, had) for role, want, had in zip(ROLES, expected, got, strict=True)
                           if want != had}  # fmt: skip
    assert wrong == {}

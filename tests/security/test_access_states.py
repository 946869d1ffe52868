"""Who may do what to a nomination, state by state, through the product's own URLs.

The flat table (test_access_matrix.py) asks each URL once, of one nomination. Here every state that
changes who may act has a nomination of its own, and each of eight users — two of every role, in
different subtrees — tries every nomination URL on it with the body a real form sends (a real file, a
real reason, a real 符合 decision), so the permission check is what decides. Each request runs in a
savepoint rolled back afterwards: every user meets the same world.

An outcome ending in "!" says the action took effect (the state moved, the draft was saved, a file was
added or removed, a decision recorded); any other outcome says nothing changed.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from PIL import Image

from jixing.accounts.enums import UserRole
from jixing.nominations.domain.access import SEND_ACTIONS
from jixing.nominations.domain.states import LIST_ACTIONS, moves_from
from jixing.nominations.enums import NominationState as S
from jixing.nominations.models import Attachment, Nomination, RuleDecision
from jixing.orgs.enums import OrgLevel
from tests.factories import (
    make_campaign,
    make_learner,
    make_nomination,
    make_org,
    make_small_province,
    make_snapshot,
    make_user,
)
from tests.portal.conftest import open_phase

pytestmark = pytest.mark.django_db

# Two of every role, the second in another subtree: 李 is a learner of 大同; the second unit is a school
# of the same county of 太原 (a sibling, the nearest stranger); the second reviewer is 大同's.
# `vm` is a 志愿者工作群管理人员 (plan 7.3): he scores the volunteers on his own page (SCORES below) and
# sees no nomination's page.
ROLES = ("anon", "lrn", "lrn2", "unit", "unit2", "rev", "rev2", "prov", "vm")


@dataclass
class StatesWorld:
    clients: dict[str, Client]
    nominations: dict[str, Nomination]
    campaign: object


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()

# The nominations, by the name the tables use: (state, how it came to be there).
SHAPES: dict[str, dict] = {
    "draft": {"state": S.DRAFT},  # started by the unit
    "draft_self": {"state": S.DRAFT, "self_applied": True, "creator": "lrn"},  # the learner's own
    "awaiting_unit": {"state": S.AWAITING_UNIT, "self_applied": True, "creator": "lrn"},
    "submitted": {"state": S.SUBMITTED},
    "returned": {"state": S.RETURNED},
    "returned_self": {"state": S.RETURNED, "self_applied": True, "creator": "lrn"},
    "rejected": {"state": S.REJECTED},
    "recommended": {"state": S.RECOMMENDED},
    "selected": {"state": S.SELECTED},
    "not_selected": {"state": S.NOT_SELECTED},
    "published": {"state": S.PUBLISHED},
    "approved": {"state": S.APPROVED},
    "commended": {"state": S.COMMENDED},
    "withdrawn": {"state": S.WITHDRAWN},
}


def build_states_world() -> StatesWorld:
    tree = make_small_province()
    sibling = make_org(name="清徐县第二中学", level=OrgLevel.UNIT, parent=tree["county"], code="TY-QX-S2",
                       is_legal_entity=True)  # fmt: skip
    snapshot = make_snapshot()
    make_learner(snapshot=snapshot, org=tree["dept"], account_id="A1", name="欧阳晓峰")
    make_learner(snapshot=snapshot, org=tree["datong_school"], account_id="D1", name="李·阿依古丽")
    campaign = make_campaign()
    open_phase(campaign, "apply")
    users = {
        "anon": None,
        "lrn": make_user(username="l", role=UserRole.LEARNER, org=tree["dept"], account_id="A1"),
        "lrn2": make_user(username="l2", role=UserRole.LEARNER, org=tree["datong_school"], account_id="D1"),
        "unit": make_user(username="s", role=UserRole.UNIT_ADMIN, org=tree["school"]),
        "unit2": make_user(username="s2", role=UserRole.UNIT_ADMIN, org=sibling),
        "rev": make_user(username="ty", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"]),
        "rev2": make_user(username="dt", role=UserRole.REPORTING_REVIEWER, org=tree["datong"]),
        "prov": make_user(username="p", role=UserRole.PROVINCE_ADMIN, org=tree["province"], is_staff=True),
        "vm": make_user(username="vm", role=UserRole.VOLUNTEER_MANAGER, org=tree["province"]),
    }
    nominations = {}
    for name, shape in SHAPES.items():
        nomination = make_nomination(
            campaign=campaign, recommending_org=tree["school"], state=shape["state"], nominee_account="A1",
            nominee_org=tree["school"], self_applied=shape.get("self_applied", False),
            created_by=users[shape.get("creator", "unit")],
            submitted_at=None if shape["state"] in (S.DRAFT, S.AWAITING_UNIT) else datetime(2023, 1, 5, tzinfo=UTC),
            rule_results={"G.1": {"outcome": "manual", "values": {}, "reviewed": False}},
        )  # fmt: skip
        attachment = Attachment(nomination=nomination, kind="承诺书", original_name="承诺书.pdf", size=9)
        attachment.file.save("a.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
        nominations[name] = nomination
    clients = {}
    for role, user in users.items():
        clients[role] = Client()
        if user is not None:
            clients[role].force_login(user)
    return StatesWorld(clients, nominations, campaign)


# --- what one request does -------------------------------------------------------------------------


@dataclass(frozen=True)
class Op:
    url: Callable[[Nomination], str]
    method: str
    body: Callable[[], dict]
    probe: Callable[[Nomination], object] | None  # what the action changes; None for reads


def _state(n):
    return Nomination.objects.get(pk=n.pk).state


def _attachments(n):
    return sorted(Attachment.objects.filter(nomination=n).values_list("pk", flat=True))


def _first_attachment(n):
    return Attachment.objects.filter(nomination=n).order_by("pk").first().pk


OPS: dict[str, Op] = {
    "detail": Op(lambda n: reverse("portal:nomination_detail", args=[n.pk]), "get", dict, None),
    "edit": Op(lambda n: reverse("portal:nomination_edit", args=[n.pk]), "get", dict, None),
    "save": Op(
        lambda n: reverse("portal:nomination_edit", args=[n.pk]),
        "post",
        lambda: {"intent": "save", "summary": "坚持每日学习，带动全组。", "activity_count": "12"},
        lambda n: Nomination.objects.get(pk=n.pk).summary,
    ),
    "autosave": Op(
        lambda n: reverse("portal:nomination_autosave", args=[n.pk]),
        "post",
        lambda: {"summary": "坚持每日学习，带动全组。", "activity_count": "12"},
        lambda n: Nomination.objects.get(pk=n.pk).summary,
    ),
    "upload": Op(
        lambda n: reverse("portal:attachment_upload", args=[n.pk]),
        "post",
        lambda: {"kind": "承诺书", "file": SimpleUploadedFile("承诺书.png", PNG, content_type="image/png")},
        _attachments,
    ),
    "download": Op(
        lambda n: reverse("portal:attachment_download", args=[n.pk, _first_attachment(n)]), "get", dict, None
    ),
    "delete": Op(
        lambda n: reverse("portal:attachment_delete", args=[n.pk, _first_attachment(n)]),
        "post",
        dict,
        _attachments,
    ),
    "decide": Op(
        lambda n: reverse("review:decide", args=[n.pk, "G.1"]),
        "post",
        lambda: {"holds": "1", "comment": ""},
        lambda n: RuleDecision.objects.filter(nomination=n).count(),
    ),
}


def _act(action: str) -> Op:
    return Op(
        lambda n: reverse("portal:nomination_act", args=[n.pk]),
        "post",
        lambda: {"action": action, "reason": "经核实，材料与事实不符，请补充说明。"},
        _state,
    )


def _outcome(response, nomination: Nomination, url: str) -> str | int:
    if response.status_code in (301, 302, 303):
        location = response["Location"]
        targets = {
            f"{reverse('login')}?next={url}": "login",
            reverse("portal:nomination_detail", args=[nomination.pk]): "detail",
            reverse("portal:nomination_edit", args=[nomination.pk]): "edit",
        }
        return targets.get(location, f"{response.status_code} {location}")
    return response.status_code


def run(
    world: StatesWorld, nomination_name: str, op: Op, *, phase: str = "apply", alone: bool = False
) -> tuple:
    """Each role's outcome of `op` on the named nomination, each in a savepoint rolled back; `alone`: the
    others are withdrawn first, so that the unit's one place per category (G.6) is this one's."""
    nomination = world.nominations[nomination_name]
    results = []
    for role in ROLES:
        with transaction.atomic():
            if phase is not None:  # else 申报推荐, as the world was built
                open_phase(world.campaign, phase)
            if alone:
                Nomination.objects.exclude(pk=nomination.pk).update(state=S.WITHDRAWN)
            url = op.url(nomination)
            before = op.probe(nomination) if op.probe else None
            response = getattr(world.clients[role], op.method)(url, op.body())
            got = _outcome(response, nomination, url)
            if op.probe and op.probe(nomination) != before:
                got = f"{got}!"
            transaction.set_rollback(True)
        results.append(got)
    return tuple(results)


def act_rows() -> list[tuple[str, str, str]]:
    """(nomination, action, phase) for every move of the state table a nomination's page offers."""
    rows = []
    for name, shape in SHAPES.items():
        for move in moves_from(shape["state"]):
            if move.action in LIST_ACTIONS or move.action in SEND_ACTIONS:
                continue
            rows.append((name, str(move.action), sorted(move.phases)[0]))
    return rows


# --- the tables ----------------------------------------------------------------------------------

L = "login"  # 302 to the login page, back to this URL after
EDITED = "edit!"  # 302 back to the form, and the change is made
DONE = "detail!"  # 302 back to the nomination's page, and the move (or decision) is made
SAVED = "200!"  # the autosave indicator, and the draft is saved
# After the unit (or the learner, then his unit) has sent the form up nobody edits it any more, and the
# nomination reads the same for everyone whatever happens to it next.
SENT = ("submitted", "rejected", "recommended", "selected", "not_selected", "published", "approved",
        "commended", "withdrawn")  # fmt: skip
SEEN = ("returned", "returned_self", *SENT)  # every state but the drafts and 待单位确认

#                                anon lrn  lrn2 unit    unit2 rev    rev2 prov vm
NOMINATION_URLS: dict[tuple[str, tuple[str, ...]], tuple] = {
    # A draft stays with whoever started it and the unit (the nominee sees his own); nobody above.
    ("detail", ("draft", "draft_self")): (L, 200, 404, 200, 404, 404, 404, 404, 404),
    ("download", ("draft", "draft_self")): (L, 200, 404, 200, 404, 404, 404, 404, 404),
    ("decide", ("draft", "draft_self")): (L, 403, 404, 403, 404, 404, 404, 404, 404),
    # A learner's application his unit has not confirmed yet (待单位确认) is not sent up either: the unit
    # and the learner see it, nobody above until the unit sends it.
    ("detail", ("awaiting_unit",)): (L, 200, 404, 200, 404, 404, 404, 404, 404),
    ("download", ("awaiting_unit",)): (L, 200, 404, 200, 404, 404, 404, 404, 404),
    ("decide", ("awaiting_unit",)): (L, 403, 404, 403, 404, 404, 404, 404, 404),
    # Once sent up (or returned) the reporting unit and the province see it.
    ("detail", SEEN): (L, 200, 404, 200, 404, 200, 404, 200, 404),
    ("download", SEEN): (L, 200, 404, 200, 404, 200, 404, 200, 404),
    ("decide", SEEN): (L, 403, 404, 403, 404, DONE, 404, DONE, 404),
    # The unit's draft: the unit edits it; the nominee reads it only.
    ("edit", ("draft",)): (L, 403, 404, 200, 404, 404, 404, 404, 404),
    ("save", ("draft",)): (L, 403, 404, EDITED, 404, 404, 404, 404, 404),
    ("autosave", ("draft",)): (L, 403, 404, SAVED, 404, 404, 404, 404, 404),
    ("upload", ("draft",)): (L, 403, 404, EDITED, 404, 404, 404, 404, 404),
    ("delete", ("draft",)): (L, 403, 404, EDITED, 404, 404, 404, 404, 404),
    # The learner's own draft: he edits it until he applies; his unit reads it only.
    ("edit", ("draft_self",)): (L, 200, 404, 403, 404, 404, 404, 404, 404),
    ("save", ("draft_self",)): (L, EDITED, 404, 403, 404, 404, 404, 404, 404),
    ("autosave", ("draft_self",)): (L, SAVED, 404, 403, 404, 404, 404, 404, 404),
    ("upload", ("draft_self",)): (L, EDITED, 404, 403, 404, 404, 404, 404, 404),
    ("delete", ("draft_self",)): (L, EDITED, 404, 403, 404, 404, 404, 404, 404),
    # 待单位确认: the unit edits (and sends up) the form; above it nobody sees it yet.
    ("edit", ("awaiting_unit",)): (L, 403, 404, 200, 404, 404, 404, 404, 404),
    ("save", ("awaiting_unit",)): (L, 403, 404, EDITED, 404, 404, 404, 404, 404),
    ("autosave", ("awaiting_unit",)): (L, 403, 404, SAVED, 404, 404, 404, 404, 404),
    ("upload", ("awaiting_unit",)): (L, 403, 404, EDITED, 404, 404, 404, 404, 404),
    ("delete", ("awaiting_unit",)): (L, 403, 404, EDITED, 404, 404, 404, 404, 404),
    # Returned to the unit: the unit edits (and sends up) the form again.
    ("edit", ("returned",)): (L, 403, 404, 200, 404, 403, 404, 403, 404),
    ("save", ("returned",)): (L, 403, 404, EDITED, 404, 403, 404, 403, 404),
    ("autosave", ("returned",)): (L, 403, 404, SAVED, 404, 403, 404, 403, 404),
    ("upload", ("returned",)): (L, 403, 404, EDITED, 404, 403, 404, 403, 404),
    ("delete", ("returned",)): (L, 403, 404, EDITED, 404, 403, 404, 403, 404),
    # A learner's own application returned: he may correct and apply again, or his unit submit it.
    ("edit", ("returned_self",)): (L, 200, 404, 200, 404, 403, 404, 403, 404),
    ("save", ("returned_self",)): (L, EDITED, 404, EDITED, 404, 403, 404, 403, 404),
    ("autosave", ("returned_self",)): (L, SAVED, 404, SAVED, 404, 403, 404, 403, 404),
    ("upload", ("returned_self",)): (L, EDITED, 404, EDITED, 404, 403, 404, 403, 404),
    ("delete", ("returned_self",)): (L, EDITED, 404, EDITED, 404, 403, 404, 403, 404),
    # Sent up: read only, for everyone.
    # (The form of a sent nomination opens its page: browser back after 提交 is not an error.)
    ("edit", SENT): (L, "detail", 404, "detail", 404, "detail", 404, "detail", 404),
    ("save", SENT): (L, 403, 404, 403, 404, 403, 404, 403, 404),
    ("autosave", SENT): (L, 403, 404, 403, 404, 403, 404, 403, 404),
    ("upload", SENT): (L, 403, 404, 403, 404, 403, 404, 403, 404),
    ("delete", SENT): (L, 403, 404, 403, 404, 403, 404, 403, 404),
}

# portal:nomination_act with each move of the state table a nomination's page offers (the send moves go
# through the form, the list moves through their lists), in the move's phase, with a reason.
#                                anon lrn  lrn2 unit  unit2 rev   rev2 prov vm
ACTS: dict[tuple[str, str], tuple] = {
    ("awaiting_unit", "return"): (L, 403, 404, DONE, 404, 404, 404, 404, 404),
    ("submitted", "recall"): (
        L,
        403,
        404,
        DONE,
        404,
        403,
        404,
        403,
        404,
    ),  # the unit takes it back (G.6 swap)
    ("submitted", "return"): (L, 403, 404, 403, 404, DONE, 404, 403, 404),
    ("submitted", "reject"): (L, 403, 404, 403, 404, DONE, 404, 403, 404),
    ("recommended", "reopen"): (L, 403, 404, 403, 404, 403, 404, DONE, 404),
    ("recommended", "select"): (L, 403, 404, 403, 404, 403, 404, DONE, 404),
    ("recommended", "deselect"): (L, 403, 404, 403, 404, 403, 404, DONE, 404),
    ("selected", "deselect"): (L, 403, 404, 403, 404, 403, 404, DONE, 404),
    ("selected", "withdraw"): (L, 403, 404, 403, 404, 403, 404, DONE, 404),
    ("not_selected", "select"): (L, 403, 404, 403, 404, 403, 404, DONE, 404),
    ("published", "withdraw"): (L, 403, 404, 403, 404, 403, 404, DONE, 404),
    ("approved", "commend"): (L, 403, 404, 403, 404, 403, 404, DONE, 404),
    ("approved", "withdraw"): (L, 403, 404, 403, 404, 403, 404, DONE, 404),
    ("commended", "withdraw"): (L, 403, 404, 403, 404, 403, 404, DONE, 404),
}


def test_the_tables_cover_every_nomination_url_state_and_move():
    covered = {(op, name) for (op, names) in NOMINATION_URLS for name in names}
    assert sorted({(op, name) for op in OPS for name in SHAPES} - covered) == []
    assert len(covered) == sum(len(names) for (_, names) in NOMINATION_URLS)  # no cell said twice
    assert sorted(ACTS) == sorted((name, action) for name, action, _ in act_rows())
    assert {str(shape["state"]) for shape in SHAPES.values()} == set(S.values)


def test_every_user_gets_what_the_tables_say_in_every_state(media_root):
    world = build_states_world()
    wrong = {}
    for (op_name, names), want in NOMINATION_URLS.items():
        for name in names:
            got = run(world, name, OPS[op_name])
            if got != want:
                wrong[f"{op_name} {name}"] = {"want": want, "got": got}
    for name, action, phase in act_rows():
        got = run(world, name, _act(action), phase=phase, alone=True)
        if got != ACTS[(name, action)]:
            wrong[f"act {action} {name}"] = {"want": ACTS[(name, action)], "got": got}
    assert wrong == {}


# --- 评审分 (plan 7.3): a volunteer in every state ---------------------------------------------------------

SCORED = "scores!"  # 302 back to the 评审分 page, and the score is recorded
KEPT = "scores"  # 302 back to the page with the refusal (已公示, 不能再评分): nothing changed
#                                anon lrn  lrn2 unit unit2 rev  rev2 prov vm
SCORES: dict[tuple[str, ...], tuple] = {
    # Not sent up, or given back: not on his page.
    ("draft", "draft_self", "awaiting_unit", "rejected", "withdrawn"): (L, 403, 403, 403, 403, 403, 403, 403, 404),
    # Sent up and not yet before the public: he scores it; nobody else may.
    ("submitted", "returned", "returned_self", "recommended", "selected", "not_selected"):
        (L, 403, 403, 403, 403, 403, 403, 403, SCORED),
    # Published and after: shown with its score, no longer scored.
    ("published", "approved", "commended"): (L, 403, 403, 403, 403, 403, 403, 403, KEPT),
}  # fmt: skip


def test_the_score_of_a_volunteer_in_every_state(media_root):
    world = build_states_world()
    assert sorted(name for names in SCORES for name in names) == sorted(SHAPES)
    for n in world.nominations.values():  # the same nominations, as 优秀志愿者
        Nomination.objects.filter(pk=n.pk).update(category=world.campaign.categories.get(number=7))
    scores_page = reverse("review:scores")
    wrong = {}
    for names, want in SCORES.items():
        for name in names:
            nomination = world.nominations[name]
            url = reverse("review:score", args=[nomination.pk])
            got = []
            for role in ROLES:
                with transaction.atomic():
                    response = world.clients[role].post(url, {"score": "88", "comment": "审读认真"})
                    outcome = _outcome(response, nomination, url)
                    if response.status_code == 302 and response["Location"].startswith(scores_page):
                        outcome = KEPT
                    if Nomination.objects.get(pk=nomination.pk).judges_score is not None:
                        outcome = f"{outcome}!"
                    transaction.set_rollback(True)
                got.append(outcome)
            if tuple(got) != want:
                wrong[name] = {"want": want, "got": tuple(got)}
    assert wrong == {}

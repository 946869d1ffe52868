"""Every free-text field has a cap, shown on its form (maxlength and 「最多 N 字」) and enforced when the
page is bypassed: one field per form, one character too many, a Chinese refusal and nothing changed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jixing.announcements.domain.objections import submit_objection
from jixing.announcements.domain.publishing import publish
from jixing.announcements.models import Approval, Objection
from jixing.imports.models import ImportJob
from jixing.nominations.domain.text_limits import REASON_MAX, STATEMENT_MAX
from jixing.nominations.enums import NominationState as S
from jixing.nominations.models import ListEntry, RuleDecision
from tests.announcements.helpers import build_world, evaluated, listed
from tests.files import ORG_HEADER, ORG_ROWS, csv_file
from tests.portal.conftest import open_phase, world  # noqa: F401 — `world`: the portal's fixture
from tests.portal.helpers import attach_required, filled_form, start
from tests.review.screening_world import make_world

pytestmark = pytest.mark.django_db
REASON = "理" * (REASON_MAX + 1)
STATEMENT = "述" * (STATEMENT_MAX + 1)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _shows_cap(body: str, cap: int) -> bool:
    return f'maxlength="{cap}"' in body and f"最多 {cap} 字" in body


@pytest.fixture
def screening(media_root):
    return make_world()


@pytest.fixture
def announced():
    w = build_world()
    open_phase(w.campaign, "announce")
    nomination = listed(w, "A1", state=S.SELECTED)
    evaluated(w, nomination)
    w.entry = publish(campaign=w.campaign, actor=w.users.province).entries.get()
    return w


def test_warn_reason_of_the_nomination_form(client, world):  # noqa: F811 — the portal's fixture
    draft = start(world, user=world.users.school, number=1)
    attach_required(draft, world.users.school)
    client.force_login(world.users.school)
    url = reverse("portal:nomination_edit", args=[draft.pk])
    assert _shows_cap(client.get(url).content.decode(), STATEMENT_MAX)
    response = client.post(url, {**filled_form(draft, warn_reason=STATEMENT), "intent": "submit"})
    assert f"推荐理由说明最多 {STATEMENT_MAX} 字，请精简" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.state, draft.warn_reason) == (S.DRAFT, "")


def test_comment_of_a_rule_decision(client, screening):
    nomination = screening.nominations[0]
    client.force_login(screening.users.taiyuan)
    body = client.get(reverse("portal:nomination_detail", args=[nomination.pk])).content.decode()
    assert _shows_cap(body, REASON_MAX)
    response = client.post(
        reverse("review:decide", args=[nomination.pk, "G.1"]), {"holds": "0", "comment": REASON}, follow=True
    )
    assert _messages(response) == [f"意见最多 {REASON_MAX} 字，当前 {REASON_MAX + 1} 字，请精简"]
    assert RuleDecision.objects.count() == 0


def test_reason_of_returning_a_nomination_from_the_screening_page(client, screening):
    nomination = screening.nominations[0]
    client.force_login(screening.users.taiyuan)
    assert _shows_cap(client.get(reverse("review:screening_category", args=[1])).content.decode(), REASON_MAX)
    url = reverse("review:screening_act", args=[nomination.pk, "return"])
    response = client.post(url, {"reason": REASON}, follow=True)
    assert _messages(response) == [f"理由最多 {REASON_MAX} 字，请精简"]
    nomination.refresh_from_db()
    assert nomination.state == S.SUBMITTED


def test_ordering_reason_of_the_picks_form(client, screening):
    first, second, _ = screening.nominations
    client.force_login(screening.users.taiyuan)
    data = {
        "row": [first.pk, second.pk],
        "pick": [second.pk],
        f"order-{second.pk}": "1",
        f"reason-{second.pk}": REASON,
    }
    response = client.post(reverse("review:screening_picks", args=[1]), data)
    assert f"的调整理由最多 {REASON_MAX} 字，当前 {REASON_MAX + 1} 字，请精简" in response.content.decode()
    assert ListEntry.objects.count() == 0


def test_reason_of_a_move_on_the_nomination_page(client, screening):
    nomination = screening.nominations[0]
    client.force_login(screening.users.taiyuan)
    response = client.post(
        reverse("portal:nomination_act", args=[nomination.pk]),
        {"action": "return", "reason": REASON},
        follow=True,
    )
    assert _messages(response) == [f"理由最多 {REASON_MAX} 字，当前 {REASON_MAX + 1} 字，请精简"]
    nomination.refresh_from_db()
    assert nomination.state == S.SUBMITTED


def test_content_of_a_public_objection(client, announced):
    url = reverse("public:objection", args=[announced.entry.pk])
    body = client.get(url).content.decode()
    assert _shows_cap(body, STATEMENT_MAX) and _shows_cap(body, 32)
    response = client.post(url, {"name": "赵六", "phone": "13900000000", "content": STATEMENT})
    assert response.status_code == 400
    assert f"反映内容不能超过 {STATEMENT_MAX} 字" in response.content.decode()
    assert Objection.objects.count() == 0


def test_finding_on_an_objection(client, announced):
    objection = submit_objection(entry=announced.entry, name="赵六", phone="13900000000", content="积分有误")
    client.force_login(announced.users.province)
    assert _shows_cap(client.get(reverse("review:province_objections")).content.decode(), STATEMENT_MAX)
    url = reverse("review:province_objection_handle", args=[objection.pk])
    response = client.post(url, {"outcome": "dismissed", "note": STATEMENT}, follow=True)
    assert _messages(response) == [f"核查情况最多 {STATEMENT_MAX} 字，请精简"]
    objection.refresh_from_db()
    assert (objection.outcome, objection.note) == ("pending", "")


def test_note_of_an_approval(client, announced):
    client.force_login(announced.users.province)
    url = reverse("review:province_approval")
    assert _shows_cap(client.get(url).content.decode(), REASON_MAX)
    response = client.post(
        url, {"document_ref": "晋宣批〔2023〕5号", "approved_on": "2023-02-03", "note": REASON}
    )
    assert f"备注最多 {REASON_MAX} 字，请精简" in response.content.decode()
    assert Approval.objects.count() == 0


def test_reason_of_extending_a_phase(client, announced):
    phase = announced.campaign.phases.get(key="announce")
    client.force_login(announced.users.province)
    assert _shows_cap(client.get(reverse("review:province_phases")).content.decode(), REASON_MAX)
    response = client.post(
        reverse("review:province_phase_extend", args=[phase.pk]),
        {"ends_at": "2030-01-01T10:00", "reason": REASON},
        follow=True,
    )
    assert _messages(response) == [f"未延长“{phase.name}”：延长理由：最多 {REASON_MAX} 字，请精简"]
    assert announced.campaign.phases.get(key="announce").ends_at == phase.ends_at


def test_name_of_an_imported_snapshot(client, announced, media_root):
    client.force_login(announced.users.province)
    url = reverse("review:imports")
    assert _shows_cap(client.get(url).content.decode(), 200)
    upload = SimpleUploadedFile("组织.csv", csv_file([ORG_HEADER, *ORG_ROWS]))
    response = client.post(url, {"kind": "learners", "file": upload, "name": "名" * 201})
    assert response.status_code == 200
    assert "快照名称最多 200 字，请精简" in response.content.decode()
    assert ImportJob.objects.count() == 0

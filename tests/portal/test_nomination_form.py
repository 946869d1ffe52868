"""Filling in the form: autosave, drafts that keep what was typed, submission and its refusals."""

import re

import pytest
from django.urls import reverse

from jixing.audit.models import AuditEvent
from jixing.nominations.domain.transitions import transition
from jixing.nominations.enums import NominationState as S
from jixing.nominations.models import Nomination
from tests.factories import make_nomination
from tests.portal.conftest import open_phase
from tests.portal.helpers import attach_required, filled_form, start

pytestmark = pytest.mark.django_db


def _edit(client, user, nomination, data=None, intent="submit"):
    client.force_login(user)
    url = reverse("portal:nomination_edit", args=[nomination.pk])
    if data is None:
        return client.get(url)
    return client.post(url, {**data, "intent": intent})


def test_edit_page_shows_snapshot_data_and_the_categorys_fields(client, world):
    nomination = start(world, user=world.users.school, number=1)
    body = _edit(client, world.users.school, nomination).content.decode()
    assert "张三" in body and "A1" in body and "10000" in body  # from the snapshot, read-only
    assert 'name="typed_total_points"' in body and 'name="decl_pledge"' in body
    assert 'data-limit="1000"' in body
    assert 'name="activity_count"' not in body
    assert 'accept="image/*"' in body


def test_unit_category_9_form_asks_activity_count_and_no_points(client, world):
    nomination = start(world, user=world.users.school, number=9, learner=None)
    body = _edit(client, world.users.school, nomination).content.decode()
    assert 'name="activity_count"' in body
    assert 'name="typed_total_points"' not in body
    assert 'name="judges_score"' not in body


def test_autosave_keeps_typed_values_and_answers_with_the_time(client, world):
    nomination = start(world, user=world.users.school, number=1)
    client.force_login(world.users.school)
    response = client.post(
        reverse("portal:nomination_autosave", args=[nomination.pk]),
        {"summary": "事迹", "typed_total_points": "１２,３４５", "typed_annual_points": "8千"},
        HTTP_HX_REQUEST="true",
    )
    nomination.refresh_from_db()
    assert response.status_code == 200
    assert "已自动保存" in response.content.decode()
    assert "jixing:draft-saved" in response["HX-Trigger"]
    assert (nomination.summary, nomination.typed_total_points, nomination.typed_annual_points) == (
        "事迹",
        12345,
        None,
    )
    # What did not parse is kept as typed, and shown again.
    assert nomination.draft_data["typed_annual_points"] == "8千"
    assert 'value="8千"' in _edit(client, world.users.school, nomination).content.decode()


def test_save_draft_button_without_javascript_keeps_the_draft(client, world):
    nomination = start(world, user=world.users.school, number=1)
    response = _edit(client, world.users.school, nomination, {"summary": "草稿内容"}, intent="save")
    nomination.refresh_from_db()
    assert (response.status_code, nomination.summary, nomination.state) == (302, "草稿内容", S.DRAFT)


def test_unit_admin_submits_a_complete_form(client, world):
    nomination = start(world, user=world.users.school, number=1)
    attach_required(nomination, world.users.school)
    response = _edit(client, world.users.school, nomination, filled_form(nomination))
    nomination.refresh_from_db()
    assert response["Location"] == reverse("portal:nomination_detail", args=[nomination.pk])
    assert (
        nomination.state,
        nomination.typed_total_points,
        nomination.declarations,
        nomination.draft_data,
    ) == (
        S.SUBMITTED,
        10000,
        ["pledge", "truthful"],
        {},
    )
    content = AuditEvent.objects.get(action="nomination.content")
    assert content.after["fields"]["summary"] == "长期坚持学习，带动全校教师参与。"
    assert [a["kind"] for a in content.after["attachments"]] == [
        "承诺书",
        "场景照片",
        "积分截图",
        "盖章推荐表",
    ]


def test_incomplete_submission_shows_errors_and_keeps_what_was_typed(client, world):
    nomination = start(world, user=world.users.school, number=1)
    data = filled_form(nomination, typed_total_points="", typed_annual_points="abc", decl_pledge=None)
    data["summary"] = "字" * 1001
    response = _edit(client, world.users.school, nomination, data)
    body = response.content.decode()
    nomination.refresh_from_db()
    assert response.status_code == 200
    assert "申报表有 5 处需要修改" in body
    assert "请填写填报总积分" in body
    assert "填报年度积分须为整数" in body
    assert "事迹简介不能超过 1000 字，当前 1001 字" in body
    assert "请阅读并勾选此项承诺" in body
    assert "请上传以下材料后再提交：承诺书、场景照片" in body
    assert 'value="abc"' in body
    assert (nomination.state, nomination.summary, nomination.draft_data["typed_annual_points"]) == (
        S.DRAFT,
        "字" * 1001,
        "abc",
    )


def test_second_submission_of_a_unit_in_a_category_is_refused_g6_and_stays_a_draft(client, world):
    # A draft started before the unit's other nomination in the category was sent up (since then the
    # start page no longer offers the category).
    nomination = start(world, user=world.users.school, number=1)
    make_nomination(
        campaign=world.campaign, recommending_org=world.tree["school"], number="N-FIRST", nominee_name="李四"
    )
    attach_required(nomination, world.users.school)
    client.force_login(world.users.school)
    form_page = client.get(reverse("portal:nomination_edit", args=[nomination.pk])).content.decode()
    assert (
        "本单位已在“学员标兵”项目申报了 李四（N-FIRST），每单位每项限报 1 个：须先在那一项的页面撤回申报"
        in form_page
    )
    response = _edit(client, world.users.school, nomination, filled_form(nomination, summary="第二份"))
    body = response.content.decode()
    nomination.refresh_from_db()
    assert "本单位已在“学员标兵”项目中申报了 李四（N-FIRST）" in body
    assert (nomination.state, nomination.summary) == (S.DRAFT, "第二份")
    assert "第二份" in body


def test_submission_after_the_deadline_is_refused_g8_and_keeps_the_draft(client, world):
    nomination = start(world, user=world.users.school, number=1)
    attach_required(nomination, world.users.school)
    open_phase(world.campaign, "screen")
    response = _edit(client, world.users.school, nomination, filled_form(nomination, summary="截止后"))
    body = response.content.decode()
    nomination.refresh_from_db()
    assert re.search(
        r"“提交申报”只能在“申报推荐”阶段（\d{4}-\d\d-\d\d \d\d:\d\d 至 \d{4}-\d\d-\d\d \d\d:\d\d）进行，当前为：审核报送",
        body,
    )
    assert (nomination.state, nomination.summary) == (S.DRAFT, "截止后")


def test_learner_applies_then_his_unit_confirms(client, world):
    nomination = start(world, user=world.users.learner, number=1)
    attach_required(nomination, world.users.learner)
    _edit(client, world.users.learner, nomination, filled_form(nomination))
    nomination.refresh_from_db()
    assert nomination.state == S.AWAITING_UNIT
    # The learner can no longer edit; his unit can, and submits.
    assert _edit(client, world.users.learner, nomination).status_code == 403
    body = _edit(client, world.users.school, nomination).content.decode()
    assert "确认并提交申报" in body
    _edit(client, world.users.school, nomination, filled_form(nomination))
    nomination.refresh_from_db()
    assert nomination.state == S.SUBMITTED


def test_learners_draft_is_not_the_units_to_edit_before_he_applies(client, world):
    nomination = start(world, user=world.users.learner, number=1)
    assert _edit(client, world.users.school, nomination).status_code == 403


def test_unit_returns_a_learners_application_and_he_sees_the_reason(client, world):
    nomination = start(world, user=world.users.learner, number=1)
    attach_required(nomination, world.users.learner)
    _edit(client, world.users.learner, nomination, filled_form(nomination))
    client.force_login(world.users.school)
    client.post(
        reverse("portal:nomination_act", args=[nomination.pk]), {"action": "return", "reason": "请补充事迹"}
    )
    nomination.refresh_from_db()
    assert nomination.state == S.RETURNED
    body = _edit(client, world.users.learner, nomination).content.decode()
    assert "退回修改：</b>请补充事迹" in body and "一中管理员" in body


def test_returned_nomination_is_resubmitted_by_the_unit(client, world):
    nomination = start(world, user=world.users.school, number=1)
    attach_required(nomination, world.users.school)
    _edit(client, world.users.school, nomination, filled_form(nomination))
    transition(Nomination.objects.get(), "return", actor=world.users.taiyuan, reason="积分截图不清晰")
    body = _edit(client, world.users.school, nomination).content.decode()
    assert "积分截图不清晰" in body
    _edit(client, world.users.school, nomination, filled_form(nomination))
    nomination.refresh_from_db()
    assert nomination.state == S.SUBMITTED


def test_edit_and_autosave_are_404_outside_the_subtree_and_403_without_the_right(client, world):
    nomination = start(world, user=world.users.school, number=1)
    attach_required(nomination, world.users.school)
    _edit(client, world.users.school, nomination, filled_form(nomination))
    edit = reverse("portal:nomination_edit", args=[nomination.pk])
    autosave = reverse("portal:nomination_autosave", args=[nomination.pk])
    for user, status in [
        (world.users.datong, 404),
        (world.users.datong_school, 404),
        (world.users.other_learner, 404),
        (world.users.taiyuan, 403),  # sees it, does not fill it in
        (world.users.school, 403),  # submitted: no longer editable
        (world.users.province, 403),
    ]:
        client.force_login(user)
        # Those who see it are sent to its page instead of the form (browser back after 提交).
        shown = 302 if status == 403 else status
        assert (user.username, client.get(edit).status_code) == (user.username, shown)
        assert (user.username, client.post(autosave, {"summary": "x"}).status_code) == (user.username, status)
    nomination.refresh_from_db()
    assert nomination.summary == "长期坚持学习，带动全校教师参与。"


def test_draft_of_a_unit_is_404_for_its_reporting_unit(client, world):
    nomination = start(world, user=world.users.school, number=1)
    client.force_login(world.users.taiyuan)
    assert client.get(reverse("portal:nomination_edit", args=[nomination.pk])).status_code == 404


@pytest.mark.parametrize("name", ["portal:nomination_edit", "portal:nomination_autosave"])
def test_form_views_redirect_anonymous_to_login(client, world, name):
    nomination = start(world, user=world.users.school, number=1)
    response = client.post(reverse(name, args=[nomination.pk]), {"summary": "x"})
    assert (response.status_code, response["Location"].split("?")[0]) == (302, reverse("login"))


def test_the_form_says_what_it_lacks_and_follows_each_autosave(client, world):
    nomination = start(world, user=world.users.school, number=1)
    client.force_login(world.users.school)
    body = client.get(reverse("portal:nomination_edit", args=[nomination.pk])).content.decode()
    assert "提交前还差" in body and "请填写事迹简介" in body
    assert re.search(r'<button id="submit-button"[^>]* disabled[^>]*>还差 \d+ 项，暂不能提交</button>', body)
    # Each autosave answers with the checklist and the button again, swapped in out of band.
    attach_required(nomination, world.users.school)
    autosave = reverse("portal:nomination_autosave", args=[nomination.pk])
    body = client.post(autosave, filled_form(nomination), HTTP_HX_REQUEST="true").content.decode()
    assert (
        '<section class="card checklist-card" id="checklist" aria-live="polite" hx-swap-oob="true">' in body
    )
    assert "申报表已填写完整，可以提交" in body
    assert re.search(r'<button id="submit-button"[^>]*hx-swap-oob="true"[^>]*>提交申报</button>', body)
    # A condition the plan sets 「原则上」 not met: the written reason is asked before sending.
    nomination.refresh_from_db()
    nomination.rule_results = {"1.1": {"outcome": "warn", "values": {"rank_in_unit": 2}, "reviewed": False}}
    nomination.save(update_fields=["rule_results"])
    body = client.post(autosave, filled_form(nomination), HTTP_HX_REQUEST="true").content.decode()
    assert "请填写推荐理由说明" in body and "还差 1 项，暂不能提交" in body
    body = client.post(
        autosave, filled_form(nomination, warn_reason="该同志在组内带学成效突出"), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "申报表已填写完整，可以提交" in body


def test_submission_without_the_reason_a_warned_condition_needs_is_refused_on_the_form(client, world):
    nomination = start(world, user=world.users.school, number=1)
    attach_required(nomination, world.users.school)
    Nomination.objects.filter(pk=nomination.pk).update(
        rule_results={"1.1": {"outcome": "warn", "values": {"rank_in_unit": 2}, "reviewed": False}}
    )
    body = _edit(client, world.users.school, nomination, filled_form(nomination)).content.decode()
    assert "请填写推荐理由说明" in body
    assert Nomination.objects.get(pk=nomination.pk).state == S.DRAFT
    _edit(client, world.users.school, nomination, filled_form(nomination, warn_reason="组内带学成效突出"))
    assert Nomination.objects.get(pk=nomination.pk).state == S.SUBMITTED


def _attach(nomination, user, *kinds):
    from jixing.nominations.domain.attachments import add_attachment
    from tests.portal.helpers import image_bytes, upload

    for kind in kinds:
        add_attachment(
            nomination=nomination, kind=kind, upload=upload(f"{kind}.png", image_bytes()), actor=user
        )


def test_the_stamped_form_is_the_units_to_give_when_it_confirms_a_learners_application(client, world):
    """The plan: 报名表 「要求有本级单位盖章」. A learner applies without it (his unit stamps it); the unit
    cannot confirm without it, is told so before it tries, and confirms once it has uploaded it."""
    nomination = start(world, user=world.users.learner, number=1)
    _attach(nomination, world.users.learner, "承诺书", "场景照片", "积分截图")
    body = _edit(client, world.users.learner, nomination).content.decode()
    slot = body[body.index("<b>盖章推荐表</b>") :][:400]
    assert "必传" not in slot and "由单位确认您的申请时上传" in slot
    assert "<b>积分截图</b> <span" in body  # required of the learner: 必传
    _edit(client, world.users.learner, nomination, filled_form(nomination))
    nomination.refresh_from_db()
    assert nomination.state == S.AWAITING_UNIT

    page = _edit(client, world.users.school, nomination).content.decode()
    assert "请上传以下材料后再提交：盖章推荐表" in page  # the checklist, before the unit tries
    assert "<b>盖章推荐表</b> <span" in page and "由单位确认" not in page
    refused = _edit(client, world.users.school, nomination, filled_form(nomination))
    nomination.refresh_from_db()
    assert refused.status_code == 200 and nomination.state == S.AWAITING_UNIT
    assert "请上传以下材料后再提交：盖章推荐表" in refused.content.decode()

    _attach(nomination, world.users.school, "盖章推荐表")
    assert (
        "盖章推荐表"
        not in _edit(client, world.users.school, nomination).content.decode().split("印证材料")[0]
    )
    _edit(client, world.users.school, nomination, filled_form(nomination))
    nomination.refresh_from_db()
    assert nomination.state == S.SUBMITTED


def test_a_unit_sends_its_own_nomination_only_with_the_stamped_form_and_the_points_screenshot(client, world):
    nomination = start(world, user=world.users.school, number=1)
    _attach(nomination, world.users.school, "承诺书", "场景照片")
    response = _edit(client, world.users.school, nomination, filled_form(nomination))
    nomination.refresh_from_db()
    assert nomination.state == S.DRAFT
    assert "请上传以下材料后再提交：积分截图、盖章推荐表" in response.content.decode()


def test_the_application_form_to_stamp_carries_what_the_draft_holds(client, world):
    """The unit prints the 报名表 before it sends the nomination: the form offers it, with what was saved."""
    import io

    from docx import Document

    nomination = start(world, user=world.users.school, number=1)
    _edit(client, world.users.school, nomination, filled_form(nomination, summary="刚刚填写的事迹。"), "save")
    nomination.refresh_from_db()
    assert nomination.state == S.DRAFT
    page = _edit(client, world.users.school, nomination).content.decode()
    assert reverse("portal:nomination_form_docx", args=[nomination.pk]) in page  # offered on the form
    document = client.get(reverse("portal:nomination_form_docx", args=[nomination.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(document.content)).paragraphs)
    cells = [c.text for t in Document(io.BytesIO(document.content)).tables for r in t.rows for c in r.cells]
    assert "刚刚填写的事迹。" in text + "\n".join(cells)
    assert "10000" in cells

"""Drafts and the form of a category, in the domain."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from jixing.accounts.enums import UserRole
from jixing.nominations.domain.drafts import SubmissionInvalid, form_values, save_draft, submit_nomination
from jixing.nominations.domain.forms_spec import form_spec
from jixing.nominations.domain.starting import start_nomination
from jixing.nominations.enums import NominationState as S
from jixing.nominations.forms import count_characters
from tests.factories import make_campaign, make_learner, make_small_province, make_snapshot, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    tree = make_small_province()
    learner = make_learner(snapshot=make_snapshot(), org=tree["school"], account_id="A1")
    campaign = make_campaign()
    now = campaign.phases.get(key="apply").starts_at + timedelta(hours=1)
    admin = make_user(username="s", role=UserRole.UNIT_ADMIN, org=tree["school"])
    nomination = start_nomination(
        category=campaign.categories.get(number=1), actor=admin, learner=learner, now=now
    )
    return nomination, admin, now


def test_form_spec_falls_back_to_the_plans_defaults_for_an_older_definition(draft):
    nomination, *_ = draft
    campaign = nomination.campaign
    for category in campaign.definition["categories"]:
        for key in ("fields", "declarations", "evidence", "required_evidence"):
            category.pop(key, None)
    campaign.save()
    person = form_spec(campaign.categories.get(number=1))
    unit = form_spec(campaign.categories.get(number=9))
    assert (person.fields, person.evidence, person.declarations) == (
        ("summary", "typed_total_points", "typed_annual_points"),
        ("承诺书", "场景照片", "积分截图"),
        (),
    )
    assert (unit.fields, unit.evidence) == (("summary",), ("场景照片",))


def test_save_draft_keeps_raw_values_and_form_values_shows_them(draft):
    nomination, admin, now = draft
    save_draft(
        nomination=nomination,
        data={"summary": "甲", "typed_total_points": "十万", "decl_pledge": "on"},
        actor=admin,
        now=now,
    )
    nomination.refresh_from_db()
    assert (nomination.typed_total_points, nomination.declarations, nomination.draft_saved_at) == (
        None,
        ["pledge"],
        now,
    )
    values = form_values(nomination)
    assert (
        values["summary"],
        values["typed_total_points"],
        values["decl_pledge"],
        values["decl_truthful"],
    ) == (
        "甲",
        "十万",
        True,
        False,
    )


def test_save_draft_is_refused_once_the_nomination_left_the_editable_states(draft):
    nomination, admin, now = draft
    nomination.state = S.SUBMITTED
    nomination.save()
    with pytest.raises(PermissionDenied):
        save_draft(nomination=nomination, data={"summary": "迟到的自动保存"}, actor=admin, now=now)
    nomination.refresh_from_db()
    assert nomination.summary == ""


def test_submit_of_an_incomplete_form_raises_with_the_form_and_keeps_the_draft(draft):
    nomination, admin, now = draft
    with pytest.raises(SubmissionInvalid) as excinfo:
        submit_nomination(nomination=nomination, data={"summary": "只写了简介"}, actor=admin, now=now)
    assert sorted(excinfo.value.form.errors) == [
        "__all__",
        "decl_pledge",
        "decl_truthful",
        "typed_annual_points",
        "typed_total_points",
    ]
    nomination.refresh_from_db()
    assert (nomination.state, nomination.summary) == (S.DRAFT, "只写了简介")


@pytest.mark.parametrize(("text", "count"), [("学习强国", 4), ("a\r\nb", 3), ("😀字", 2), ("", 0)])
def test_count_characters_counts_what_a_reader_sees(text, count):
    assert count_characters(text) == count


def test_save_draft_marks_results_stale_only_when_a_value_the_rules_read_changes(draft):
    nomination, admin, now = draft
    campaign = nomination.campaign
    campaign.__class__.objects.filter(pk=campaign.pk).update(data_changed_at=None)
    save_draft(nomination=nomination, data={"summary": "只改简介"}, actor=admin, now=now)
    campaign.refresh_from_db()
    assert campaign.data_changed_at is None
    save_draft(
        nomination=nomination, data={"summary": "只改简介", "typed_total_points": "100"}, actor=admin, now=now
    )
    campaign.refresh_from_db()
    assert campaign.data_changed_at is not None

"""The learner search box: a mobile number matches by its masked form, a 学号 is looked up exactly (the
(学号, snapshot) index), anything else matches names; always inside the user's subtree."""

import pytest

from jixing.accounts.enums import UserRole
from jixing.people.domain.queries import (
    learners_visible_to,
    matching_learners,
    phone_mask_of,
    searchable_learners,
)
from jixing.people.models import Learner
from tests.factories import make_learner, make_small_province, make_snapshot, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    tree = make_small_province()
    snapshot = make_snapshot()
    for account, name, phone in [
        ("1401000001", "欧阳晓明", "138****5678"),
        ("SX-0002", "巴依卡·凯力迪别克", "139****5678"),
        ("1401000003", "王晓", ""),
        ("13912345678", "李明", "150****0000"),  # a 学号 that looks like a mobile number
    ]:
        make_learner(snapshot=snapshot, org=tree["dept"], account_id=account, name=name, phone_masked=phone)
    return Learner.objects.filter(snapshot=snapshot)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("1401000001", ["欧阳晓明"]),
        ("SX-0002", ["巴依卡·凯力迪别克"]),
        ("140100000", []),  # part of a 学号: a 学号 is looked up whole
        ("晓", ["欧阳晓明", "王晓"]),
        ("巴依卡·", ["巴依卡·凯力迪别克"]),
        ("欧阳", ["欧阳晓明"]),
        ("13800135678", ["欧阳晓明"]),  # a whole mobile number, through its mask 138****5678
        ("138 0013 5678", ["欧阳晓明"]),
        ("138-0013-5678", ["欧阳晓明"]),
        ("13899995678", ["欧阳晓明"]),  # the mask hides the middle four digits: the same mask
        ("13800135679", []),
        ("1380013567", []),  # ten digits: a 学号's shape, looked up whole
        ("13912345678", ["李明", "巴依卡·凯力迪别克"]),  # the 学号, and the mask 139****5678
    ],
)
def test_a_learner_is_found_by_whole_account_or_by_part_of_the_name(rows, text, found):
    assert sorted(matching_learners(rows, text).values_list("name", flat=True)) == sorted(found)


def test_an_account_search_asks_for_the_account_alone(rows):
    """What lets the index answer it: no name LIKE beside the 学号 (an OR with it reads every row)."""
    sql = str(matching_learners(rows, "1401000001").query)
    assert "LIKE" not in sql.upper() and '"account_id" = 1401000001' in sql


@pytest.mark.parametrize(
    ("text", "mask"),
    [
        ("13800135678", "138****5678"),
        (" 138 0013 5678", "138****5678"),
        ("138-0013-5678", "138****5678"),
        ("1380013567", None),
        ("23800135678", None),
        # Typed with a Chinese input method or copied from a contact list: the importers read these as the
        # same 11 digits (tables.checks.check_mobile), so the search does too.
        ("１３８００１３５６７８", "138****5678"),
        ("+86 138 0013 5678", "138****5678"),
        ("王晓", None),
    ],
)
def test_only_text_typed_as_a_mobile_number_has_a_phone_mask(text, mask):
    assert phone_mask_of(text.strip()) == mask


def test_a_phone_search_stays_inside_the_users_subtree():
    tree = make_small_province()
    snapshot = make_snapshot()
    make_learner(
        snapshot=snapshot, org=tree["dept"], account_id="A1", name="太原学员", phone_masked="138****5678"
    )
    make_learner(
        snapshot=snapshot,
        org=tree["datong_school"],
        account_id="D1",
        name="大同学员",
        phone_masked="138****5678",
    )
    admin = make_user(username="s", role=UserRole.UNIT_ADMIN, org=tree["school"])
    found = matching_learners(learners_visible_to(admin), "13800135678")
    assert list(found.values_list("name", flat=True)) == ["太原学员"]


def test_a_units_learners_are_named_by_org_ids_not_by_a_join_on_the_path():
    """What lets the (org, snapshot) index answer a unit admin's search: `org_id IN (…)`, where a LIKE on
    orgs.path through a join made SQLite read the whole snapshot."""
    tree = make_small_province()
    make_snapshot()
    admin = make_user(username="s", role=UserRole.UNIT_ADMIN, org=tree["school"])
    sql = str(matching_learners(learners_visible_to(admin), "王晓").query)
    ids = sorted([tree["school"].pk, tree["dept"].pk])
    assert f'"org_id" IN ({", ".join(map(str, ids))})' in sql
    assert "orgs_org" not in sql and "path" not in sql


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("欧阳", ["欧阳晓明"]),
        ("欧阳晓明", ["欧阳晓明"]),
        ("王", ["王晓"]),
        ("晓", []),  # inside a name only: not from its start
        ("巴依卡·凯", ["巴依卡·凯力迪别克"]),
        ("凯力迪别克", []),
        ("13800135678", ["欧阳晓明"]),  # phones and 学号 as before
        ("SX-0002", ["巴依卡·凯力迪别克"]),
    ],
)
def test_names_from_start_match_the_beginning_of_a_name_only(rows, text, found):
    assert sorted(matching_learners(rows, text, from_start=True).values_list("name", flat=True)) == sorted(
        found
    )


def test_only_a_scope_too_large_to_name_by_org_ids_searches_names_from_their_start(monkeypatch):
    tree = make_small_province()
    make_snapshot()
    province = make_user(username="p", role=UserRole.PROVINCE_ADMIN, org=tree["province"])
    school = make_user(username="s", role=UserRole.UNIT_ADMIN, org=tree["school"])

    def names_from_start(user) -> bool:
        return searchable_learners(user)[1]

    assert not names_from_start(province) and not names_from_start(school)
    monkeypatch.setattr("jixing.people.domain.queries.SUBTREE_IDS_MAX", 3)  # the school's subtree has 2
    assert names_from_start(province) and not names_from_start(school)

"""The learner search box: a 学号 is looked up exactly (the (学号, snapshot) index), anything else matches
names; always inside the user's subtree."""

import pytest

from jixing.people.domain.queries import matching_learners
from jixing.people.models import Learner
from tests.factories import make_learner, make_small_province, make_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    tree = make_small_province()
    snapshot = make_snapshot()
    for account, name in [
        ("1401000001", "欧阳晓明"),
        ("SX-0002", "巴依卡·凯力迪别克"),
        ("1401000003", "王晓"),
    ]:
        make_learner(snapshot=snapshot, org=tree["dept"], account_id=account, name=name)
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
    ],
)
def test_a_learner_is_found_by_whole_account_or_by_part_of_the_name(rows, text, found):
    assert sorted(matching_learners(rows, text).values_list("name", flat=True)) == sorted(found)


def test_an_account_search_asks_for_the_account_alone(rows):
    """What lets the index answer it: no name LIKE beside the 学号 (an OR with it reads every row)."""
    sql = str(matching_learners(rows, "1401000001").query)
    assert "LIKE" not in sql.upper() and '"account_id" = 1401000001' in sql

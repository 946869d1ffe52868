"""The 学员 page's search: by a whole mobile number through the snapshot's masked phones, names paged with
their count from the page's own query, a bounded number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_learner

pytestmark = pytest.mark.django_db


def _search(client, q, **params):
    return client.get(reverse("portal:learner_list"), {"q": q, **params})


def _learner_queries(captured) -> list[str]:
    return [q["sql"] for q in captured if "people_learner" in q["sql"]]


def test_a_learner_is_found_by_his_whole_phone_number_through_the_mask(client, world):
    make_learner(snapshot=world.snapshot, org=world.tree["dept"], account_id="P1", name="赵六",
                 phone_masked="138****5678")  # fmt: skip
    client.force_login(world.users.school)
    for typed in ("13800135678", "138 0013 5678", "138-0013-5678"):
        body = _search(client, typed).content.decode()
        assert "赵六" in body and "张三" not in body
        assert "按手机号匹配" in body and "<b>138****5678</b>" in body
    assert "按手机号匹配" not in _search(client, "赵六").content.decode()


def test_a_phone_search_finds_nobody_outside_the_admins_unit(client, world):
    make_learner(snapshot=world.snapshot, org=world.tree["datong_school"], account_id="P2", name="钱七",
                 phone_masked="138****5678")  # fmt: skip
    client.force_login(world.users.school)
    body = _search(client, "13800135678").content.decode()
    assert "钱七" not in body and "没有符合条件的学员" in body and "共 0 条" in body


def test_name_search_pages_with_the_right_count(client, world):
    for i in range(55):
        make_learner(snapshot=world.snapshot, org=world.tree["dept"], account_id=f"Z{i:02}", name=f"赵{i:02}",
                     total_points=20000 - i)  # fmt: skip
    client.force_login(world.users.school)
    first = _search(client, "赵").content.decode()
    assert "共 55 条，第 1/2 页" in first and "赵00" in first and "赵49" in first and "赵50" not in first
    second = _search(client, "赵", page="2").content.decode()
    assert "共 55 条，第 2/2 页" in second and "赵50" in second and "赵54" in second and "赵49" not in second
    past = _search(client, "赵", page="9").content.decode()
    assert "第 2/2 页" in past and "赵54" in past
    assert "共 55 条，第 1/2 页" in _search(client, "赵", page="²").content.decode()


def test_search_page_reads_the_learners_once_whatever_the_matches(client, world):
    """One query of people_learner gives the page and its count: no second pass to count the matches."""
    client.force_login(world.users.school)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert _search(client, "赵").status_code == 200
        return ctx.captured_queries

    make_learner(snapshot=world.snapshot, org=world.tree["dept"], account_id="Z0", name="赵零")
    one = queries()
    for i in range(1, 3):
        make_learner(snapshot=world.snapshot, org=world.tree["dept"], account_id=f"Z{i}", name=f"赵{i}")
    three = queries()
    assert len(three) == len(one)
    learner_sql = _learner_queries(three)
    assert len(learner_sql) == 1 and re.search(r"COUNT\(.*\) OVER \(\)", learner_sql[0])

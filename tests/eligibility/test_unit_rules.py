"""Category rules of the unit categories (8 模范供稿单位, 9 模范学习组织) at their boundaries."""

import pytest

from tests.eligibility.build import org, outcome, role, unit_nomination


@pytest.mark.parametrize(
    ("is_station", "members", "expected"),
    [
        (False, 30, "fail"),
        (False, 31, "pass"),
        (True, 5, "pass"),
        (False, None, "missing"),
        (True, None, "pass"),
    ],
)
def test_rule_8_1_station_or_more_than_30(is_station, members, expected):
    facts = unit_nomination("模范供稿单位", unit=org(is_station=is_station, members=members))
    assert outcome(facts, "8.1") == expected


@pytest.mark.parametrize(
    ("kinds", "decisions", "expected"),
    [
        ([], {}, "fail"),
        (["管理员"], {}, "fail"),
        (["管理员"], {"8.2": True}, "fail"),  # a decision settles `manual` only
        (["供稿员"], {}, "manual"),
        (["供稿员"], {"8.2": True}, "pass"),
        (["供稿员"], {"8.2": False}, "fail"),
    ],
)
def test_rule_8_2_contributor_then_reviewer(kinds, decisions, expected):
    facts = unit_nomination("模范供稿单位", unit_roles=tuple(role(k) for k in kinds), decisions=decisions)
    assert outcome(facts, "8.2") == expected


@pytest.mark.parametrize(
    ("submitted", "provincial", "national", "expected"),
    [
        (99, 0, 0, "fail"),
        (100, 20, 9, "pass"),
        (100, 21, 5, "pass"),
        (100, 21, 6, "fail"),
        (100, 21, None, "missing"),
        (None, 0, 0, "missing"),
    ],
)
def test_rule_8_3_submitted_100_and_errors_20_or_5(submitted, provincial, national, expected):
    unit = org(
        articles_submitted=submitted, bulletin_errors_provincial=provincial, bulletin_errors_national=national
    )
    assert outcome(unit_nomination("模范供稿单位", unit=unit), "8.3") == expected


@pytest.mark.parametrize(
    ("decisions", "expected"), [({}, "manual"), ({"8.4": True}, "pass"), ({"8.4": False}, "fail")]
)
def test_rule_8_4_is_a_reviewer_judgement(decisions, expected):
    assert outcome(unit_nomination("模范供稿单位", decisions=decisions), "8.4") == expected


@pytest.mark.parametrize(
    ("sector", "legal", "members", "expected"),
    [
        ("党政机关", False, 31, "pass"),
        ("事业单位", False, 31, "pass"),
        ("人民团体", False, 31, "pass"),
        ("企业", True, 31, "pass"),
        ("企业", False, 31, "fail"),
        ("高校", True, 31, "pass"),
        ("社会组织", False, 31, "fail"),
        ("其他", True, 31, "fail"),
        ("党政机关", False, 30, "fail"),
        ("中小学", True, 30, "fail"),
        ("党政机关", None, 31, "pass"),
        ("企业", None, 31, "missing"),
    ],
)
def test_rule_9_1_sector_legal_entity_and_more_than_30(sector, legal, members, expected):
    facts = unit_nomination(unit=org(sector=sector, is_legal_entity=legal, members=members))
    assert outcome(facts, "9.1") == expected


def leaders(*points):
    return tuple(role("班子成员", account=f"L{i}", annual_points=p) for i, p in enumerate(points)) + (
        role("供稿员"),
        role("管理员"),
    )


@pytest.mark.parametrize(
    ("points", "members", "staff", "tagged", "expected"),
    [
        ((3001, 9000), 80, 100, 20, "manual"),  # exactly 80 %: 「80%及以上」; then 「组织架构规范…」 is asked
        ((3001,), 79, 100, 20, "fail"),
        ((3001,), 4, 5, 20, "manual"),
        ((3000, 9000), 100, 100, 20, "fail"),  # 「大于3000分」
        ((3001,), 100, 100, 19, "fail"),
        ((), 100, 100, 20, "missing"),  # no leadership member listed
        ((None, 9000), 100, 100, 20, "missing"),  # a leader without a snapshot row
        ((None, 2000), 100, 100, 20, "fail"),
    ],
)
def test_rule_9_2_leaders_over_3000_tagged_all_registered_at_least_80_percent(
    points, members, staff, tagged, expected
):
    unit = org(sector="党政机关", members=members, staff=staff, party_members=20, tagged_party_members=tagged)
    assert outcome(unit_nomination(unit=unit, unit_roles=leaders(*points)), "9.2") == expected


@pytest.mark.parametrize(
    ("kinds", "submitted", "expected"),
    [
        (["供稿员", "管理员"], 10, "manual"),  # 「有相关工作制度」 is a reviewer's call
        (["供稿员", "管理员"], 9, "fail"),
        (["供稿员"], 100, "fail"),
        (["管理员"], 100, "fail"),
        (["供稿员", "管理员"], None, "missing"),
        (["供稿员"], None, "fail"),
    ],
)
def test_rule_9_3_contributor_administrator_and_10_articles(kinds, submitted, expected):
    facts = unit_nomination(unit=org(articles_submitted=submitted), unit_roles=tuple(role(k) for k in kinds))
    assert outcome(facts, "9.3") == expected


@pytest.mark.parametrize(
    ("count", "attachments", "decisions", "expected"),
    [
        (1, {"活动记录"}, {}, "fail"),
        (2, {"活动记录"}, {}, "manual"),
        (2, set(), {}, "missing"),
        (None, {"活动记录"}, {}, "missing"),
        (1, set(), {}, "fail"),
        (2, {"活动记录"}, {"9.4": True}, "pass"),
        (2, {"活动记录"}, {"9.4": False}, "fail"),
    ],
)
def test_rule_9_4_two_activities_evidence_then_reviewer(count, attachments, decisions, expected):
    facts = unit_nomination(activity_count=count, attachments=frozenset(attachments), decisions=decisions)
    assert outcome(facts, "9.4") == expected


@pytest.mark.parametrize(("attachments", "expected"), [({"场景照片"}, "pass"), (set(), "missing")])
def test_rule_g_10_applies_to_the_unit_in_unit_categories(attachments, expected):
    assert outcome(unit_nomination("模范供稿单位", attachments=frozenset(attachments)), "G.10") == expected


@pytest.mark.parametrize(("rule_id", "decision", "expected"), [("9.2", True, "pass"), ("9.2", False, "fail"),
                                                                ("9.3", True, "pass"), ("9.3", False, "fail")])  # fmt: skip
def test_rules_9_2_and_9_3_are_settled_by_the_reviewer_once_the_data_hold(rule_id, decision, expected):
    unit = org(sector="党政机关", members=100, staff=100, party_members=20, tagged_party_members=20,
               articles_submitted=10)  # fmt: skip
    roles = (*leaders(3001), role("供稿员"), role("管理员"))
    facts = unit_nomination(unit=unit, unit_roles=roles, decisions={rule_id: decision})
    assert outcome(facts, rule_id) == expected

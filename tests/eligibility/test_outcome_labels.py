from jixing.eligibility.outcomes import Outcome, Status, outcome_label, status_label


def test_outcome_labels_every_outcome_and_status_has_its_words():
    assert [o.label for o in Outcome] == [
        "符合",
        "不符合",
        "原则上不符（须书面说明）",
        "需审核人员判断",
        "缺少数据",
    ]
    assert [s.label for s in Status] == ["符合条件", "不符合条件", "材料或数据不全", "待审核"]


def test_outcome_labels_from_stored_values():
    assert outcome_label("missing") == "缺少数据"
    assert outcome_label("external") == "external"
    assert status_label("needs_review") == "待审核"
    assert status_label("") == "尚未判定"

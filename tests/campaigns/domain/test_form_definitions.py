"""The form keys of a category in campaign.toml (fields, declarations, evidence) are checked on load."""

import shutil

import pytest

from jixing.campaigns.domain.definitions import DEFINITIONS_DIR, DefinitionError, read_definition


def test_shipped_categories_name_their_form():
    definition = read_definition("shanxi-2022")
    forms = {
        c["number"]: (c["fields"], c["declarations"], c["required_evidence"])
        for c in definition["categories"]
    }
    assert forms[1] == (
        ["summary", "typed_total_points", "typed_annual_points", "warn_reason"],
        ["pledge", "truthful"],
        ["承诺书", "场景照片", "积分截图", "盖章推荐表"],
    )
    assert forms[9] == (["summary", "activity_count"], ["truthful"], ["场景照片", "盖章推荐表"])
    # Every category asks for the 报名表 stamped by the unit (the plan's 「要求有本级单位盖章」), every
    # person category for the points screenshot.
    for number, (_, _, required) in forms.items():
        assert "盖章推荐表" in required, number
        assert ("积分截图" in required) == (number <= 7), number
    assert set(definition["declarations"]) == {"pledge", "truthful", "terminal"}


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'fields = ["summary", "activity_count"]',
            'fields = ["summary", "judges_score"]',
            "第9个评选项目（模范学习组织）的填报项“judges_score”不是已知填报项",
        ),
        (
            'declarations = ["truthful"]',
            'declarations = ["loyal"]',
            "第9个评选项目（模范学习组织）的承诺事项“loyal”未在 [declarations] 中定义",
        ),
        (
            'evidence = ["场景照片", "活动记录", "盖章推荐表"]',
            'evidence = ["场景照片", "活动照片"]',
            "第9个评选项目（模范学习组织）的材料类型“活动照片”不是已知类型",
        ),
        (
            'evidence = ["场景照片", "活动记录", "盖章推荐表"]\nrequired_evidence = ["场景照片", "盖章推荐表"]',
            'evidence = ["活动记录", "盖章推荐表"]\nrequired_evidence = ["场景照片", "盖章推荐表"]',
            "第9个评选项目（模范学习组织）的必传材料“场景照片”不在该项目的 evidence 中",
        ),
        (
            'fields = ["summary"]',
            'fields = "summary"',
            "第8个评选项目（模范供稿单位）“fields”必须是字符串列表",
        ),
        (
            'fields = ["summary"]',
            'fields = ["summary", "summary"]',
            "第8个评选项目（模范供稿单位）“fields”有重复项",
        ),
        (
            "summary_limit = 1500",
            "summary_limit = 0",
            "第8个评选项目（模范供稿单位）summary_limit 必须是正整数",
        ),
        (
            'truthful = "所填信息及所附材料真实、准确，如有不实，愿承担相应责任"',
            'truthful = ""',
            "活动定义“declarations”必须是“键 = 承诺内容”的表",
        ),
    ],
)
def test_malformed_form_keys_are_refused_with_place_and_reason(tmp_path, old, new, message):
    folder = tmp_path / "bad"
    shutil.copytree(DEFINITIONS_DIR / "shanxi-2022", folder)
    text = (folder / "campaign.toml").read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    (folder / "campaign.toml").write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError) as excinfo:
        read_definition(str(folder))
    assert message in str(excinfo.value)

import csv
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from jixing.campaigns.domain.definitions import read_definition
from jixing.demo.learners import allocate
from jixing.demo.orgs import DEFAULT_LEARNERS, build_org_tree
from jixing.demo.phases import PhaseChoiceError, demo_windows, parse_phase
from jixing.orgs.enums import OrgLevel

SHANGHAI = ZoneInfo("Asia/Shanghai")

# The exact headers of data-formats.md.
HEADERS = {
    "组织架构": [
        "组织编码", "组织名称", "上级组织编码", "层级", "是否通讯站", "是否独立法人", "统一社会信用代码", "单位性质",
        "学员数", "在职人数", "党员数", "已标记党员数", "日活跃率", "年度提交稿件数", "省平台刊发数", "总平台刊发数",
        "年度审核稿件数", "省平台简报差错数", "总平台简报差错数",
    ],
    "积分快照": [
        "学号", "姓名", "手机号", "身份证号", "组织编码", "总积分", "年度积分", "全国总积分排名", "全国年度积分排名",
        "完美通关次数", "是否实名认证", "是否山西号码", "是否省平台工作人员",
    ],
    "角色": ["学号", "组织编码", "角色", "是否专职", "编审技能考核次数", "培训学时", "志愿类型"],
    "申报": [
        "申报编号", "项目", "学号", "被推荐组织编码", "推荐单位编码", "材料", "活动次数", "填报总积分", "填报年度积分",
        "评审分", "已确认", "已否决", "提交时间",
    ],
}  # fmt: skip


@pytest.mark.parametrize("phase", ["apply", "screen", "announce", "commend"])
@pytest.mark.parametrize("hour", [0, 9, 13, 23])
def test_demo_windows_put_now_inside_the_phase_for_any_hour(phase, hour):
    definition = read_definition("shanxi-2022")
    now = datetime(2027, 3, 8, hour, 17, tzinfo=SHANGHAI)
    windows = demo_windows(definition, phase=phase, now=now)
    assert windows.shift % timedelta(days=1) == timedelta(0)
    chosen = next(p for p in definition["phases"] if p["key"] == phase)
    starts = datetime.fromisoformat(chosen["starts_at"]) + windows.shift
    ends = chosen.get("ends_at") and datetime.fromisoformat(chosen["ends_at"]) + windows.shift
    assert starts <= now and (ends is None or now < ends)
    # 申报推荐 keeps its length and its 16:00 deadline.
    assert windows.apply_end - windows.apply_start == timedelta(days=15, hours=16)
    assert windows.apply_end.astimezone(SHANGHAI).hour == 16


def test_parse_phase_takes_chinese_names_and_keys():
    assert parse_phase("申报推荐") == "apply"
    assert parse_phase("审核报送") == "screen"
    assert parse_phase("announce") == "announce"
    with pytest.raises(PhaseChoiceError, match="汇总公示"):
        parse_phase("基准积分截图")


def test_org_tree_members_equal_learners_at_the_default_size():
    tree = build_org_tree(2022)
    assert sum(tree.own.values()) == DEFAULT_LEARNERS
    placed: Counter[str] = Counter()
    for org in tree.orgs:
        if org.unit_code:
            placed[org.unit_code] += tree.own[org.code]
    for org in tree.orgs:
        if org.level == OrgLevel.UNIT or org.is_station:
            assert org.members == placed[org.code], org.code
    # Some units sit right on the 30-member thresholds of 1.2/6.1/8.1/9.1.
    members = Counter(o.members for o in tree.orgs if o.level == OrgLevel.UNIT)
    assert members[29] and members[30] and members[31]


def test_org_tree_depends_on_the_seed_only():
    assert build_org_tree(2022).orgs == build_org_tree(2022).orgs
    assert build_org_tree(2022).orgs != build_org_tree(7).orgs


def test_allocate_spreads_any_total_in_proportion():
    own = build_org_tree(2022).own
    assert allocate(own, DEFAULT_LEARNERS) == own
    assert sum(allocate(own, 2345).values()) == 2345


def test_demo_data_files_have_the_exact_headers(demo_data, tmp_path):
    demo_data(files=tmp_path, files_only=True)
    for title, headers in HEADERS.items():
        with (tmp_path / f"{title}.csv").open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows[0] == headers
        assert len(rows) > 1
        assert (tmp_path / f"{title}.csv").read_bytes().startswith(b"\xef\xbb\xbf")
        sheet = load_workbook(tmp_path / f"{title}.xlsx", read_only=True).worksheets[0]
        assert [c.value for c in next(sheet.iter_rows(max_row=1))] == headers
    with (tmp_path / "组织架构-GBK.csv").open(encoding="gbk", newline="") as fh:
        gbk = list(csv.reader(fh))
    assert gbk[0] == HEADERS["组织架构"]
    assert len(gbk) == len(build_org_tree(2022).orgs) + 1

"""`jixing evaluate` end to end: files in, JSON out, through the real command in its throwaway database.

One batch carries a scenario per boundary (each nomination in a unit of its own, so that G.6 and ranks
do not mix scenarios), and the test reads each nomination's outcome from the JSON.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.files import csv_file, id_number, xlsx_file

ORG_HEADER = ["组织编码", "组织名称", "上级组织编码", "层级", "是否通讯站", "是否独立法人", "单位性质", "学员数",
              "在职人数", "党员数", "已标记党员数", "日活跃率", "年度提交稿件数", "省平台刊发数", "总平台刊发数",
              "年度审核稿件数", "省平台简报差错数", "总平台简报差错数"]  # fmt: skip
LEARNER_HEADER = ["学号", "姓名", "手机号", "身份证号", "组织编码", "总积分", "年度积分", "全国总积分排名",
                  "全国年度积分排名", "完美通关次数", "是否实名认证", "是否山西号码", "是否省平台工作人员"]  # fmt: skip
ROLE_HEADER = ["学号", "组织编码", "角色", "是否专职", "编审技能考核次数", "培训学时", "志愿类型"]
NOMINATION_HEADER = ["申报编号", "项目", "学号", "被推荐组织编码", "推荐单位编码", "材料", "活动次数",
                     "填报总积分", "填报年度积分", "评审分", "已确认", "已否决", "提交时间"]  # fmt: skip

GOOD_UNIT = {"学员数": 100, "在职人数": 110, "党员数": 20, "已标记党员数": 20, "日活跃率": "50%",
             "年度提交稿件数": 200, "省平台刊发数": 20, "总平台刊发数": 3, "年度审核稿件数": 300,
             "省平台简报差错数": 3, "总平台简报差错数": 1}  # fmt: skip
GOOD_LEARNER = {
    "总积分": 30000,
    "年度积分": 10000,
    "全国总积分排名": 1000,
    "全国年度积分排名": 1000,
    "完美通关次数": 20,
}
ALL_EVIDENCE = "承诺书;场景照片;积分截图;新闻报道;获奖证书;活动记录"


class Batch:
    def __init__(self) -> None:
        self.orgs = [
            {"组织编码": "P", "组织名称": "山西省", "层级": "省级"},
            {
                "组织编码": "R1",
                "组织名称": "某市通讯站",
                "上级组织编码": "P",
                "层级": "报送单位",
                "是否通讯站": "是",
            },
        ]
        self.learners: list[dict] = []
        self.roles: list[dict] = []
        self.nominations: list[dict] = []
        self.expected: dict[str, dict[str, str]] = {}
        self._seq = 0

    def unit(self, **figures) -> str:
        self._seq += 1
        code = f"U{self._seq:03d}"
        row = {"组织编码": code, "组织名称": f"测试单位{self._seq}", "上级组织编码": "R1", "层级": "单位",
               "是否独立法人": "是", "单位性质": "事业单位", **GOOD_UNIT}  # fmt: skip
        row.update(figures)
        self.orgs.append(row)
        return code

    def learner(self, unit: str, *, account: str | None = None, person: str | None = None, **points) -> str:
        self._seq += 1
        account = account or f"A{self._seq:04d}"
        ident = id_number(f"14010019900101{self._seq:03d}") if person is None else person
        row = {"学号": account, "姓名": f"学员{self._seq}", "手机号": f"100{self._seq:08d}", "身份证号": ident,
               "组织编码": unit, "是否实名认证": "是", "是否山西号码": "是", "是否省平台工作人员": "否", **GOOD_LEARNER}  # fmt: skip
        row.update(points)
        self.learners.append(row)
        return account

    def role(self, account: str, org: str, kind: str, **fields) -> None:
        self.roles.append({"学号": account, "组织编码": org, "角色": kind, **fields})

    def nominate(self, number: str, category: str, *, account: str = "", unit: str = "", recommending: str = "",
                 evidence: str = ALL_EVIDENCE, expect: dict[str, str], **fields) -> None:  # fmt: skip
        self.nominations.append({"申报编号": number, "项目": category, "学号": account, "被推荐组织编码": unit,
                                 "推荐单位编码": recommending or unit, "材料": evidence,
                                 "提交时间": fields.pop("submitted", "2023-01-05T10:00:00+08:00"), **fields})  # fmt: skip
        self.expected[number] = expect

    def person(self, number: str, category: str, *, unit_figures=None, learner=None, expect, **fields) -> str:
        unit = self.unit(**(unit_figures or {}))
        account = self.learner(unit, **(learner or {}))
        self.nominate(number, category, account=account, recommending=unit, expect=expect, **fields)
        return account

    @staticmethod
    def _rows(header: list[str], rows: list[dict]) -> list[list]:
        return [header] + [[row.get(h, "") for h in header] for row in rows]

    def write(self, folder: Path) -> dict[str, Path]:
        files = {
            "orgs": (folder / "orgs.xlsx", xlsx_file(self._rows(ORG_HEADER, self.orgs))),
            "learners": (
                folder / "learners.csv",
                csv_file(self._rows(LEARNER_HEADER, self.learners), "gb18030"),
            ),
            "roles": (folder / "roles.csv", csv_file(self._rows(ROLE_HEADER, self.roles), "utf-8-sig")),
            "nominations": (
                folder / "nominations.csv",
                csv_file(self._rows(NOMINATION_HEADER, self.nominations)),
            ),
        }
        for path, data in files.values():
            path.write_bytes(data)
        return {key: path for key, (path, _) in files.items()}


def boundary_batch() -> Batch:
    b = Batch()
    # 1.2 / 2.2 / 3.2: 「不少于30人」 is >= 30.
    b.person("M29", "学员标兵", unit_figures={"学员数": 29}, expect={"1.2": "fail"})
    b.person("M30", "学员标兵", unit_figures={"学员数": 30}, expect={"1.2": "pass"})
    # 1.3 / 2.3: national rank <= 500000; empty = beyond the list.
    b.person("R500000", "学员标兵", learner={"全国总积分排名": 500000}, expect={"1.3": "pass"})
    b.person("R500001", "学员标兵", learner={"全国总积分排名": 500001}, expect={"1.3": "fail"})
    b.person("REMPTY", "优秀学员", learner={"全国年度积分排名": ""}, expect={"2.3": "fail"})
    # 3.3 annual >= 7200; 3.4 clearances > 10.
    b.person("Y7199", "挑战达人", learner={"年度积分": 7199}, expect={"3.3": "fail"})
    b.person("Y7200", "挑战达人", learner={"年度积分": 7200}, expect={"3.3": "pass"})
    b.person("C10", "挑战达人", learner={"完美通关次数": 10}, expect={"3.4": "fail"})
    b.person("C11", "挑战达人", learner={"完美通关次数": 11}, expect={"3.4": "pass"})
    # 7.2 annual >= 5000 (a volunteer); 7.3 manual until scored.
    for number, annual, outcome in (("V4999", 4999, "fail"), ("V5000", 5000, "pass")):
        account = b.person(
            number, "优秀志愿者", learner={"年度积分": annual}, expect={"7.2": outcome, "7.3": "manual"}
        )
        b.role(account, "R1", "志愿者", 志愿类型="审读")
    scored = b.person("VSCORE", "优秀志愿者", expect={"7.1": "pass", "7.3": "pass"}, 评审分="92.5")
    b.role(scored, "R1", "志愿者", 志愿类型="播音")
    # 6.1 members > 30; 6.3 members/staff > 0.80 (exactly 0.80 fails).
    for number, figures, expect in (
        ("A30", {"学员数": 30, "在职人数": 30}, {"6.1": "fail"}),
        ("A31", {"学员数": 31, "在职人数": 31}, {"6.1": "pass", "6.3": "pass"}),
        ("A080", {"学员数": 80, "在职人数": 100}, {"6.3": "fail"}),
        ("A081", {"学员数": 81, "在职人数": 100}, {"6.3": "pass"}),
    ):
        unit = b.unit(**figures)
        account = b.learner(unit)
        b.role(account, unit, "管理员")
        b.nominate(number, "优秀管理员", account=account, recommending="R1", expect=expect)
    # 9.2 members/staff >= 0.80 (exactly 0.80 passes); leaders' annual points > 3000.
    for number, figures, leader_points, expect in (
        ("O080", {"学员数": 80, "在职人数": 100}, 3001, {"9.2": "pass"}),
        ("O079", {"学员数": 79, "在职人数": 100}, 3001, {"9.2": "fail"}),
        ("O3000", {"学员数": 90, "在职人数": 100}, 3000, {"9.2": "fail"}),
    ):
        unit = b.unit(**figures)
        leader = b.learner(unit, 年度积分=leader_points)
        b.role(leader, unit, "班子成员")
        b.nominate(number, "模范学习组织", unit=unit, expect=expect, 活动次数=3)
    unit = b.unit()
    b.nominate("ONOLEADER", "模范学习组织", unit=unit, expect={"9.2": "missing"}, 活动次数=3)
    # 5.3 station reviewed >= 200 and (provincial errors <= 5 or national <= 2).
    for number, errors, expect in (
        ("E5", {"省平台简报差错数": 5, "总平台简报差错数": 3}, {"5.3": "pass"}),
        ("E6", {"省平台简报差错数": 6, "总平台简报差错数": 3}, {"5.3": "fail"}),
        ("E6N2", {"省平台简报差错数": 6, "总平台简报差错数": 2}, {"5.3": "pass"}),
    ):
        station = b.unit(是否通讯站="是", **errors)
        account = b.learner(station)
        b.role(account, station, "审核员", 是否专职="是", 编审技能考核次数=1, 培训学时="5")
        b.nominate(
            number,
            "优秀审核员",
            account=account,
            recommending="R1",
            expect={"5.1": "pass", "5.4": "pass", **expect},
        )
    # No snapshot row: every rule that reads it is missing.
    b.nominate(
        "NOROW",
        "学员标兵",
        account="NOBODY",
        recommending=b.unit(),
        expect={"1.3": "missing", "G.4": "missing"},
    )
    # Rank in unit with a tie at the top: both are first (1.1 pass); the third is not (warn).
    tied = b.unit()
    first = b.learner(tied, 总积分=40000, 年度积分=12000)
    second = b.learner(tied, 总积分=40000, 年度积分=12000)
    b.learner(tied, 总积分=50000, 年度积分=1000)
    b.nominate("TIE1", "学员标兵", account=first, recommending=tied, expect={"1.1": "warn"})
    b.nominate("TIE2", "优秀学员", account=second, recommending=tied, expect={"2.1": "pass"})
    # G.6: one per recommending unit per category; the earliest submitted keeps its place.
    same = b.unit()
    early, late = b.learner(same), b.learner(same)
    b.nominate("G6A", "挑战达人", account=early, recommending=same, submitted="2023-01-05T09:00:00+08:00",
               expect={"G.6": "pass"})  # fmt: skip
    b.nominate("G6B", "挑战达人", account=late, recommending=same, submitted="2023-01-05T11:00:00+08:00",
               expect={"G.6": "fail"})  # fmt: skip
    # G.2 one account per person; G.3 a person in two categories is warned on both.
    one_person = id_number("14010019800101777")
    home = b.unit()
    b.learner(home, account="P-A", person=one_person)
    b.learner(home, account="P-B", person=one_person)
    b.nominate("G2A", "学员标兵", account="P-A", recommending=home, submitted="2023-01-04T09:00:00+08:00",
               expect={"G.2": "pass", "G.3": "warn"})  # fmt: skip
    b.nominate("G2B", "挑战达人", account="P-B", recommending=home, submitted="2023-01-04T10:00:00+08:00",
               expect={"G.2": "fail", "G.3": "warn"})  # fmt: skip
    # G.9 typed points compared with the snapshot; G.1 manual until confirmed, confirmed in the file.
    b.person("PTS", "学员标兵", expect={"G.9": "warn", "G.1": "manual"}, 填报总积分=29999, 填报年度积分=10000)
    b.person("OK", "学员标兵", expect={"G.9": "pass", "G.1": "pass"}, 填报总积分=30000, 填报年度积分=10000,
             已确认="G.1")  # fmt: skip
    b.person("NOPHOTO", "学员标兵", evidence="承诺书", expect={"G.10": "missing"})
    return b


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("evaluate")
    batch = boundary_batch()
    files = batch.write(folder)
    out = folder / "result.json"
    jixing = Path(sys.executable).with_name("jixing")
    args = [str(jixing), "evaluate", *[f"--{k}={v}" for k, v in files.items()], f"--out={out}"]
    done = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return batch, json.loads(out.read_text(encoding="utf-8"))


def test_evaluate_writes_the_documented_shape(evaluated):
    batch, result = evaluated
    assert result["campaign"] == "shanxi-2022"
    assert [n["id"] for n in result["nominations"]] == [row["申报编号"] for row in batch.nominations]
    first = result["nominations"][0]
    assert sorted(first) == ["category", "id", "rank", "rules", "status"]
    assert first["status"] in {"eligible", "ineligible", "incomplete", "needs_review"}
    # G.7 and G.8 need the live campaign and are left out of the batch.
    assert not {"G.7", "G.8"} & set(first["rules"])


def test_evaluate_decides_every_boundary(evaluated):
    batch, result = evaluated
    got = {n["id"]: n["rules"] for n in result["nominations"]}
    mismatches = {
        number: {
            rule: (want, got[number].get(rule))
            for rule, want in expect.items()
            if got[number].get(rule) != want
        }
        for number, expect in batch.expected.items()
    }
    assert {k: v for k, v in mismatches.items() if v} == {}


def test_evaluate_ranks_only_selectable_nominations(evaluated):
    _, result = evaluated
    for n in result["nominations"]:
        if n["status"] in ("eligible", "needs_review"):
            assert isinstance(n["rank"], int) and n["rank"] >= 1
        else:
            assert n["rank"] is None


def test_evaluate_refuses_a_bad_file_and_names_the_problem(tmp_path):
    batch = boundary_batch()
    files = batch.write(tmp_path)
    files["nominations"].write_bytes(
        csv_file([NOMINATION_HEADER, ["X1", "学员之星", "A1", "", "R1", "", "", "", "", "", "", "", ""]])
    )
    jixing = Path(sys.executable).with_name("jixing")
    args = [
        str(jixing),
        "evaluate",
        *[f"--{k}={v}" for k, v in files.items()],
        f"--out={tmp_path / 'r.json'}",
    ]
    done = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert "申报文件有误，未作判定" in done.stderr
    assert "应为以下之一：学员标兵、优秀学员" in done.stderr
    assert not (tmp_path / "r.json").exists()

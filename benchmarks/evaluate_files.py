"""Time `jixing evaluate` end to end on synthetic files: 10,000 nominations, a 100,000-learner snapshot.

    .venv/bin/python benchmarks/evaluate_files.py [nominations] [learners]

Writes the four files (CSV) to a temporary folder, runs the real command (throwaway in-memory database,
imports, facts, rules) and prints the wall time and peak memory. Never part of `make test`.
"""

from __future__ import annotations

import csv
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from stdnum.cn import ric

CATEGORIES = [
    "学员标兵",
    "优秀学员",
    "挑战达人",
    "优秀供稿员",
    "优秀审核员",
    "优秀管理员",
    "优秀志愿者",
    "模范供稿单位",
    "模范学习组织",
]
ROLE_FOR = {"优秀供稿员": "供稿员", "优秀审核员": "审核员", "优秀管理员": "管理员", "优秀志愿者": "志愿者"}
EVIDENCE = ["承诺书", "场景照片", "积分截图", "新闻报道", "获奖证书", "现场视频", "活动记录"]


def write(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def make_files(folder: Path, nominations: int, learners: int) -> dict[str, Path]:
    rng = random.Random(2022)
    reporting = [f"R{i:02d}" for i in range(16)]
    units = [f"U{i:05d}" for i in range(max(learners // 50, 1))]
    orgs = [["P", "山西省", "", "省级", "否", "否", "", "", "", "", "", "", "", "", ""]]
    orgs += [
        [r, f"报送单位{r}", "P", "报送单位", "是", "否", "", "", "", "", "", "", "300", "30", "3"]
        for r in reporting
    ]
    for i, u in enumerate(units):
        members = rng.randint(10, 200)
        orgs.append([u, f"单位{u}", reporting[i % 16], "单位", "是" if i % 40 == 0 else "否", "是" if rng.random() < 0.9 else "否",
                     rng.choice(["党政机关", "事业单位", "企业", "高校", "中小学"]), members, rng.randint(members - 5, members + 40),
                     20, rng.choice([19, 20]), f"{rng.randint(10, 90)}%", rng.randint(0, 300), rng.randint(0, 30), rng.randint(0, 5)])  # fmt: skip
    write(folder / "orgs.csv", ["组织编码", "组织名称", "上级组织编码", "层级", "是否通讯站", "是否独立法人", "单位性质", "学员数",
                                "在职人数", "党员数", "已标记党员数", "日活跃率", "年度提交稿件数", "省平台刊发数", "总平台刊发数"], orgs)  # fmt: skip
    rows = []
    for i in range(learners):
        base = f"140100{1960 + i % 45}{1 + i % 12:02d}{1 + i % 28:02d}{i % 1000:03d}"
        annual = rng.randint(0, 16000)
        rows.append([f"A{i:07d}", f"学员{i}", f"100{i:08d}", base + ric.calc_check_digit(base + "0"), units[i % len(units)],
                     annual + rng.randint(0, 40000), annual, rng.choice(["", rng.randint(1, 900000)]),
                     rng.choice(["", rng.randint(1, 900000)]), rng.randint(0, 30), "是", "是", "否"])  # fmt: skip
    write(folder / "learners.csv", ["学号", "姓名", "手机号", "身份证号", "组织编码", "总积分", "年度积分", "全国总积分排名",
                                    "全国年度积分排名", "完美通关次数", "是否实名认证", "是否山西号码", "是否省平台工作人员"], rows)  # fmt: skip
    roles = []
    for i in range(0, learners, 10):
        kind = ["供稿员", "审核员", "管理员", "志愿者", "班子成员"][i // 10 % 5]
        roles.append(
            [f"A{i:07d}", units[i % len(units)], kind, "是", 2, "6", "审读" if kind == "志愿者" else ""]
        )
    write(
        folder / "roles.csv",
        ["学号", "组织编码", "角色", "是否专职", "编审技能考核次数", "培训学时", "志愿类型"],
        roles,
    )
    noms = []
    for i in range(nominations):
        category = CATEGORIES[i % len(CATEGORIES)]
        account = f"A{rng.randrange(learners):07d}"
        unit = units[rng.randrange(len(units))]
        person = category not in ("模范供稿单位", "模范学习组织")
        evidence = ";".join(rng.sample(EVIDENCE, rng.randint(1, len(EVIDENCE))))
        noms.append([f"N{i:06d}", category, account if person else "", "" if person else unit, unit, evidence,
                     rng.randint(0, 5), "", "", "", "G.1" if i % 3 == 0 else "", "",
                     f"2023-01-0{1 + i % 8}T{8 + i % 10:02d}:00:00+08:00"])  # fmt: skip
    write(folder / "nominations.csv", ["申报编号", "项目", "学号", "被推荐组织编码", "推荐单位编码", "材料", "活动次数",
                                       "填报总积分", "填报年度积分", "评审分", "已确认", "已否决", "提交时间"], noms)  # fmt: skip
    return {k: folder / f"{k}.csv" for k in ("orgs", "learners", "roles", "nominations")}


def main(nominations: int = 10_000, learners: int = 100_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        files = make_files(folder, nominations, learners)
        print(
            f"write files ({nominations} nominations, {learners} learners)   {time.perf_counter() - started:7.2f} s"
        )
        jixing = Path(sys.executable).with_name("jixing")
        args = [
            str(jixing),
            "evaluate",
            *[f"--{k}={v}" for k, v in files.items()],
            f"--out={folder / 'result.json'}",
        ]
        started = time.perf_counter()
        done = subprocess.run(args, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            sys.exit(done.stderr[-3000:])
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"jixing evaluate, end to end                          {elapsed:7.2f} s   peak RSS {peak_mb:.0f} MB"
        )
        print(done.stderr.strip().splitlines()[-1])


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))

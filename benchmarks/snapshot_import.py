"""Time the 积分快照 import (people.domain.imports.import_snapshot) on a synthetic file.

    .venv/bin/python benchmarks/snapshot_import.py [learners] [repeats]

Builds a fresh database (SQLite in a temporary folder, or the PostgreSQL database named by
BENCH_DATABASE_URL — it is migrated and its snapshots are deleted, so never point it at a live one),
imports a small org tree, writes a CSV of `learners` rows (default 200,000) and imports it `repeats`
times, printing each run's wall time and rows per second. Never part of `make test`.
"""

from __future__ import annotations

import csv
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from stdnum.cn import ric

UNITS = 2000
ORG_HEADER = [
    "组织编码",
    "组织名称",
    "上级组织编码",
    "层级",
    "是否独立法人",
    "单位性质",
    "学员数",
    "在职人数",
]
LEARNER_HEADER = ["学号", "姓名", "手机号", "身份证号", "组织编码", "总积分", "年度积分", "全国总积分排名",
                  "全国年度积分排名", "完美通关次数", "是否实名认证", "是否山西号码", "是否省平台工作人员"]  # fmt: skip


def write(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def make_files(folder: Path, learners: int) -> tuple[Path, Path]:
    rng = random.Random(2022)
    orgs = [["P", "山西省", "", "省级", "否", "", "", ""]]
    orgs += [[f"R{i:02d}", f"报送单位{i}", "P", "报送单位", "否", "", "", ""] for i in range(16)]
    orgs += [
        [f"U{i:05d}", f"单位{i}", f"R{i % 16:02d}", "单位", "是", "企业", "100", "120"] for i in range(UNITS)
    ]
    write(folder / "orgs.csv", ORG_HEADER, orgs)
    rows = []
    for i in range(learners):
        # Synthetic numbers only: prefecture-level area code 140100, phones with the unused 100 prefix.
        base = f"140100{1960 + i % 45}{1 + i % 12:02d}{1 + i % 28:02d}{i % 1000:03d}"
        id_number = "" if i % 33 == 0 else base + ric.calc_check_digit(base + "0")
        annual = rng.randint(0, 16000)
        rows.append([f"A{i:07d}", f"学员{i}", f"100{i:08d}", id_number, f"U{i % UNITS:05d}",
                     annual + rng.randint(0, 40000), annual, rng.choice(["", rng.randint(1, 900000)]),
                     rng.choice(["", rng.randint(1, 900000)]), rng.randint(0, 30), "是", "是", "否"])  # fmt: skip
    write(folder / "learners.csv", LEARNER_HEADER, rows)
    return folder / "orgs.csv", folder / "learners.csv"


def main(learners: int = 200_000, repeats: int = 2) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["DATABASE_URL"] = (
            os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder / 'bench.db'}"
        )
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixing.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from jixing.orgs.domain.imports import import_orgs
        from jixing.people.domain.imports import import_snapshot
        from jixing.people.models import Snapshot

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        orgs_csv, learners_csv = make_files(folder, learners)
        print(f"write files ({learners} learners)            {time.perf_counter() - started:7.2f} s")
        import_orgs(orgs_csv)
        Snapshot.objects.all().delete()
        print(f"database: {connection.vendor}")
        for run in range(repeats):
            started, cpu = time.perf_counter(), time.process_time()
            result = import_snapshot(learners_csv, name=f"bench {run}", taken_at=datetime.now(UTC))
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            # CPU time of this process as well: wall time moves with whatever else the machine runs.
            print(
                f"import_snapshot run {run + 1}: {result.rows} rows  {elapsed:7.2f} s wall"
                f"  {cpu:7.2f} s CPU  {result.rows / elapsed:9.0f} rows/s"
            )
        Snapshot.objects.all().delete()


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))

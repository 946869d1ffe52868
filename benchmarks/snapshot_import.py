"""Time the 积分快照 import (people.domain.imports.import_snapshot) at full scale, against two naive ORM ways.

    .venv/bin/python benchmarks/snapshot_import.py [--rows 8000000] [--baseline-rows 200000]
        [--db sqlite|postgres|both] [--skip-baselines] [--files DIR] [--gbk] [--pg-db jixing_bench] [--keep-db]

1. Writes orgs.csv and a learners file of --rows rows (benchmarks/snapshot_files.py), and a file of the
   first --baseline-rows of it; with --files DIR they are kept there and reused by later runs.
2. For each database: a fresh one (SQLite in a temporary folder; PostgreSQL: the database --pg-db on
   127.0.0.1:5432, dropped and created again — never point it at one you need), migrated, the org tree
   imported with import_orgs.
3. import_snapshot on the big file in a child process of its own, so that its peak RSS (VmHWM) is that
   of the import alone: wall and CPU seconds (all threads), rows/s, and the time of each phase when the
   import reports phases through its `progress` callback. The database server's memory is not counted.
4. Unless --skip-baselines, on the baseline file, each in its own child process and the same database:
   (a) read_table + Learner(...).save() per row as Django runs it by default, each save() its own
   transaction (the naive way the goal ≥ 100× is judged against), (b) the same loop inside one
   transaction (shown beside it, no goal: SQLite's bare executemany of a whole snapshot is slower than
   100× this, ../shared/STACK.md), (c) bulk_create(batch_size=5000) in one transaction (goal ≥ 10×),
   (d) import_snapshot. Measured rates only, nothing extrapolated: each save() way of 200,000 rows takes
   minutes, lower --baseline-rows to go faster.
5. A summary block to paste into the README: the machine, every figure, and whether each goal holds.

The machine is shared: the load average is printed at the start and the end, and CPU seconds beside
wall seconds. Never part of `make test`.
"""

from __future__ import annotations

import argparse
import base64
import inspect
import multiprocessing
import os
import platform
import resource
import secrets
import shutil
import sqlite3
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from snapshot_files import write_orgs, write_snapshot

PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
FULL_SCALE = 8_000_000
GOAL_SECONDS = {"postgresql": 45, "sqlite": 75}
GOAL_PEAK_MB = 1500
GOAL_VS_SAVE, GOAL_VS_BULK = 100, 10
DB_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

# --- in the child process ---------------------------------------------------------------------------------


def _peak_mb() -> float:
    """Peak resident memory of this process so far (VmHWM), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    """User + system time of every thread of this process and of any process it waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _setup(orgs: str) -> dict[str, Any]:
    from django.core.management import call_command

    from jixing.orgs.domain.imports import import_orgs

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    result = import_orgs(orgs)
    return {"orgs": result.created, "seconds": time.perf_counter() - started}


def _import(path: str, name: str) -> dict[str, Any]:
    from jixing.people.domain.imports import import_snapshot
    from jixing.tables import ImportRefused

    marks: list[tuple[str, float, float]] = []  # (phase label, time it began, peak MB when it began)

    def progress(report: Any) -> None:
        label = str(getattr(report, "label", None) or getattr(report, "phase", report))
        if not marks or marks[-1][0] != label:
            marks.append((label, time.perf_counter(), _peak_mb()))

    # The progress parameter is new: an import without it is timed as a whole.
    options = {"progress": progress} if "progress" in inspect.signature(import_snapshot).parameters else {}
    started, cpu = time.perf_counter(), _cpu_seconds()
    try:
        result = import_snapshot(path, name=name, taken_at=datetime.now(UTC), **options)
    except ImportRefused as exc:
        problems = "; ".join(f"row {p.row} {p.column} {p.value!r}: {p.reason}" for p in exc.errors[:5])
        return {"error": f"{exc.summary}: {problems}"}
    finished = time.perf_counter()
    ends = [mark[1] for mark in marks[1:]] + [finished] if marks else []
    return {
        "rows": result.rows,
        "seconds": finished - started,
        "cpu": _cpu_seconds() - cpu,
        "peak_mb": _peak_mb(),
        "phases": [(label, end - begun, peak) for (label, begun, peak), end in zip(marks, ends, strict=True)],
        "has_progress": bool(options),
    }


NAIVE_WAYS = {
    # key: (label, how the rows are written, goal of the import's rate ÷ this one's)
    "save": ("Learner(...).save() per row", "save", GOAL_VS_SAVE),
    "save_atomic": ("save() per row, one transaction", "save", None),
    "bulk": ("bulk_create(batch_size=5000)", "bulk", GOAL_VS_BULK),
}


def _naive(path: str, name: str, way: str) -> dict[str, Any]:
    """The straightforward ORM import: read_table, then save() per row (`save`: Django's default, each
    save() committed on its own; `save_atomic`: all in one transaction), or bulk_create in batches
    (`bulk`, one transaction)."""
    from contextlib import nullcontext

    from django.db import transaction

    from jixing.orgs.models import Org
    from jixing.people.domain.identity import person_key
    from jixing.people.masking import mask_id_number, mask_phone
    from jixing.people.models import Learner, Snapshot
    from jixing.tables import LEARNERS_TEMPLATE, read_table

    copied = [c.key for c in LEARNERS_TEMPLATE.columns if c.key not in ("phone", "id_number", "org_code")]
    started, cpu = time.perf_counter(), _cpu_seconds()
    reader = read_table(path, LEARNERS_TEMPLATE)
    org_ids = dict(Org.objects.values_list("code", "id"))
    count = skipped = 0
    bulk = NAIVE_WAYS[way][1] == "bulk"
    with nullcontext() if way == "save" else transaction.atomic():
        snapshot = Snapshot.objects.create(name=name, taken_at=datetime.now(UTC), source_name=Path(path).name)
        batch: list[Learner] = []
        for row in reader:
            if not row.valid:
                skipped += 1
                continue
            phone, id_number = row["phone"] or "", row["id_number"] or ""
            learner = Learner(
                snapshot=snapshot,
                org_id=org_ids[row["org_code"]],
                phone_masked=mask_phone(phone),
                id_masked=mask_id_number(id_number),
                person_key=person_key(id_number=id_number, name=row["name"], phone=phone),
                **{key: row[key] for key in copied},
            )
            count += 1
            if not bulk:
                learner.save()
                continue
            batch.append(learner)
            if len(batch) >= 5000:
                Learner.objects.bulk_create(batch, batch_size=5000)
                batch = []
        Learner.objects.bulk_create(batch, batch_size=5000)
        snapshot.row_count = count
        snapshot.save(update_fields=["row_count"])
    seconds = time.perf_counter() - started
    return {"rows": count, "skipped": skipped, "seconds": seconds, "cpu": _cpu_seconds() - cpu,
            "peak_mb": _peak_mb()}  # fmt: skip


def _child(task: Callable[..., dict], env: dict[str, str], kwargs: dict[str, Any], sender: Any) -> None:
    os.environ.update(env)
    try:
        import django

        django.setup()
        result = task(**kwargs)
    except Exception:
        result = {"error": traceback.format_exc()}
    sender.send(result)
    sender.close()


# --- in the parent process --------------------------------------------------------------------------------


def run_child(task: Callable[..., dict], env: dict[str, str], **kwargs: Any) -> dict[str, Any]:
    """Run `task(**kwargs)` (a module-level function of a benchmark) in a fresh spawned interpreter with
    `env`, Django set up there (nothing inherited: its peak RSS is its own); its result, or {"error": …}."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(task, env, kwargs, sender))
    process.start()
    sender.close()
    try:
        result = receiver.recv()
    except EOFError:
        result = {}
    process.join()
    if not result:
        result = {"error": f"child process ended with exit code {process.exitcode} and no result"}
    return result


def prepare_files(folder: Path, rows: int, baseline_rows: int, gbk: bool) -> tuple[Path, Path, Path]:
    """orgs.csv, the big learners file and its first `baseline_rows` rows; existing ones are reused."""
    folder.mkdir(parents=True, exist_ok=True)
    suffix = "-gbk" if gbk else ""
    orgs, big = folder / "orgs.csv", folder / f"learners-{rows}{suffix}.csv"
    small = folder / f"learners-{rows}{suffix}-first-{baseline_rows}.csv"
    if orgs.exists() and big.exists():
        print(f"files: reusing {big}")
    else:
        started = time.perf_counter()
        codes = write_orgs(orgs)
        partial = big.with_suffix(".part")  # renamed when complete: an interrupted run leaves no cache
        write_snapshot(partial, rows, org_codes=codes, encoding="gb18030" if gbk else "utf-8-sig")
        partial.rename(big)
        seconds = time.perf_counter() - started
        print(f"files: wrote {big} ({big.stat().st_size / 1e6:,.0f} MB) in {seconds:.1f} s")
    if not small.exists():
        with big.open("rb") as source, small.open("wb") as target:
            for _ in range(baseline_rows + 1):  # the header and the first rows; no cell holds a line break
                line = source.readline()
                if not line:
                    break
                target.write(line)
    return orgs, big, small


def drop_postgres(name: str, *, create: bool = False) -> str:
    """Drop the database `name` (connected to `test`, autocommit), create it again if asked; its URL."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{PG_SERVER}/test", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if create:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"{PG_SERVER}/{name}"


def postgres_version() -> str:
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/test") as conn:
            return str(conn.execute("SHOW server_version").fetchone()[0]).split()[0]  # type: ignore[index]
    except Exception as exc:  # the summary says so rather than stopping
        return f"unavailable ({exc.__class__.__name__})"


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor() or "unknown CPU",
    )  # fmt: skip
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal:"))  # fmt: skip
    versions = [f"Python {platform.python_version()}", f"SQLite {sqlite3.sqlite_version}",
                f"PostgreSQL {postgres_version()}"]  # fmt: skip
    for package in ("django", "duckdb", "psycopg"):
        try:
            module = __import__(package)
            versions.append(f"{package} {module.__version__}")
        except ImportError:
            pass
    return f"{len(os.sched_getaffinity(0))} CPUs ({cpu}), {mem_kb / 1024**2:.1f} GiB RAM; " + ", ".join(
        versions
    )


def child_env(database_url: str, data_dir: Path) -> dict[str, str]:
    """Production settings (DEBUG off, real keys) with throwaway keys and data folder."""
    return {
        "DJANGO_SETTINGS_MODULE": "jixing.settings",
        "DATABASE_URL": database_url,
        "JIXING_DEBUG": "0",
        "JIXING_SECRET_KEY": secrets.token_urlsafe(50),
        "JIXING_ENCRYPTION_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "JIXING_BLIND_INDEX_KEY": secrets.token_urlsafe(32),
        "JIXING_DATA_DIR": str(data_dir),
        "JIXING_LOG_LEVEL": "WARNING",
    }


def rate(result: dict[str, Any]) -> float | None:
    if "error" in result or not result.get("seconds"):
        return None
    return result["rows"] / result["seconds"]


def show(label: str, result: dict[str, Any]) -> None:
    if "error" in result:
        print(f"  {label:<34} FAILED: {result['error'].strip().splitlines()[-1]}")
        print("    " + result["error"].strip().replace("\n", "\n    "))
        return
    print(f"  {label:<34} {result['rows']:>10,} rows {result['seconds']:8.2f} s wall {result['cpu']:8.2f} s CPU"
          f" {rate(result):>10,.0f} rows/s  peak RSS {result['peak_mb']:,.0f} MB")  # fmt: skip
    if result.get("skipped"):
        print(f"    ({result['skipped']} rows skipped: a cell was refused)")
    if result.get("phases"):
        print("    phases: " + " · ".join(f"{label} {s:.2f} s (RSS peak {mb:,.0f} MB at start)"
                                        for label, s, mb in result["phases"]))  # fmt: skip
    elif "has_progress" in result and not result["has_progress"]:
        print("    phases: import_snapshot takes no progress callback yet")


def bench_database(vendor: str, args: argparse.Namespace, files: tuple[Path, Path, Path], work: Path) -> dict:
    orgs, big, small = files
    print(f"\n== {DB_LABELS[vendor]} ==")
    if vendor == "postgresql":
        url = drop_postgres(args.pg_db, create=True)
    else:
        (work / "sqlite").mkdir(exist_ok=True)
        url = f"sqlite:///{work / 'sqlite' / 'bench.sqlite3'}"
    env = child_env(url, work / f"data-{vendor}")
    figures: dict[str, Any] = {"vendor": vendor}
    try:
        setup = run_child(_setup, env, orgs=str(orgs))
        if "error" in setup:
            print("  setup FAILED:\n    " + setup["error"].strip().replace("\n", "\n    "))
            return figures
        print(f"  migrate + import_orgs ({setup['orgs']:,} orgs)      {setup['seconds']:8.2f} s")
        figures["full"] = run_child(_import, env, path=str(big), name="bench full")
        show("import_snapshot (full file)", figures["full"])
        if not args.skip_baselines:
            print(f"  baselines on the first {args.baseline_rows:,} rows:")
            for way, (label, _how, _goal) in NAIVE_WAYS.items():
                figures[way] = run_child(_naive, env, path=str(small), name=f"bench {way}", way=way)
                show(label, figures[way])
            figures["small"] = run_child(_import, env, path=str(small), name="bench small")
            show("import_snapshot", figures["small"])
            for line in ratio_lines(figures, args):
                print("  " + line)
    finally:
        if vendor == "postgresql" and not args.keep_db:
            drop_postgres(args.pg_db)
    return figures


def _judge(holds: bool | None) -> str:
    return "n/a" if holds is None else ("yes" if holds else "NO")


def ratio_lines(figures: dict[str, Any], args: argparse.Namespace) -> list[str]:
    lines = []
    for key, size in (("full", args.rows), ("small", args.baseline_rows)):
        for base, (name, _how, goal) in NAIVE_WAYS.items():
            fast, slow = rate(figures.get(key, {"error": ""})), rate(figures.get(base, {"error": ""}))
            if fast is None or slow is None:
                lines.append(f"import_snapshot at {size:,} rows ÷ {name}: n/a")
                continue
            ratio = fast / slow
            judged = f"goal ≥ {goal}×: {_judge(ratio >= goal)}" if goal else "for comparison, no goal"
            lines.append(f"import_snapshot at {size:,} rows ÷ {name} at {args.baseline_rows:,} rows: "
                         f"{ratio:,.1f}×  ({judged})")  # fmt: skip
    return lines


def summary(results: list[dict], args: argparse.Namespace, host: str, loads: list[str]) -> str:
    out = [*summary_head("积分快照 import", "snapshot_import.py", host, loads),
           f"File: {args.rows:,} synthetic learners{' (GB18030)' if args.gbk else ''}; baselines on the first "
           f"{args.baseline_rows:,}. CPU s: the importing process, all its threads, not the database server;"
           " peak RSS: VmHWM of that process alone.", "",
           "| database | rows | wall s | CPU s | rows/s | peak RSS MB | save() rows/s "
           "| save() in one transaction rows/s | bulk_create rows/s | import rows/s at baseline size |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    goals = []
    for figures in results:
        label, full = DB_LABELS[figures["vendor"]], figures.get("full", {"error": "not run"})
        cells = [label, f"{args.rows:,}"]
        if "error" in full:
            cells += ["failed"] * 4
        else:
            cells += [
                f"{full['seconds']:.1f}",
                f"{full['cpu']:.1f}",
                f"{rate(full):,.0f}",
                f"{full['peak_mb']:,.0f}",
            ]
        for key in (*NAIVE_WAYS, "small"):
            value = rate(figures.get(key, {"error": ""}))
            cells.append("—" if value is None else f"{value:,.0f}")
        out.append("| " + " | ".join(cells) + " |")
        if "phases" in full and full["phases"]:
            out.append(f"| ↳ {label} phases | " + "; ".join(f"{p} {s:.1f} s" for p, s, _ in full["phases"])
                       + " | | | | | | | | |")  # fmt: skip
        at_scale = args.rows >= FULL_SCALE
        limit = GOAL_SECONDS[figures["vendor"]]
        ok = rate(full) is not None
        goals.append(f"- {label} import of {FULL_SCALE:,} rows < {limit} s: "
                     + (_judge(full["seconds"] < limit) if ok and at_scale else
                        f"not judged (ran {args.rows:,} rows)" if ok else "NO (failed)"))  # fmt: skip
        goals.append(f"- {label} peak RSS of the import < {GOAL_PEAK_MB} MB: "
                     + (_judge(full["peak_mb"] < GOAL_PEAK_MB) if ok and at_scale else
                        f"not judged (ran {args.rows:,} rows)" if ok else "NO (failed)"))  # fmt: skip
        goals += (
            [f"- {label}: {line}" for line in ratio_lines(figures, args)] if not args.skip_baselines else []
        )
    return "\n".join([*out, "", "Goals:", *goals])


def load_average() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def summary_head(title: str, script: str, host: str, loads: list[str]) -> list[str]:
    """The first lines of a summary block to paste into the README: what, when, on which machine."""
    today = datetime.now(UTC).date().isoformat()
    return [f"### {title}, measured {today} (benchmarks/{script})", "", f"Machine: {host}.",
            f"Load average (1/5/15 min) at start {loads[0]}, at end {loads[1]}."]  # fmt: skip


def each_database(
    args: argparse.Namespace,
    *,
    prefix: str,
    prepare: Callable[[Path], Any],
    bench: Callable[[str, argparse.Namespace, Any, Path], dict],
    summary: Callable[[list[dict], argparse.Namespace, str, list[str]], str],
) -> None:
    """The frame of a benchmark over --db's databases: the machine and load printed, a scratch folder
    (removed after) for `prepare`'s files, `bench` per database (one failing keeps the other's figures),
    then the summary block."""
    vendors = {"sqlite": ["sqlite"], "postgres": ["postgresql"], "both": ["sqlite", "postgresql"]}[args.db]
    loads = [load_average()]
    host = machine()
    print(f"machine: {host}\nload average: {loads[0]}")
    work = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        files = prepare(work)
        results = []
        for vendor in vendors:
            try:
                results.append(bench(vendor, args, files, work))
            except Exception:  # one database down must not lose the other's figures
                print(f"  {DB_LABELS[vendor]} FAILED:\n    " + traceback.format_exc().replace("\n", "\n    "))
                results.append({"vendor": vendor})
    finally:
        shutil.rmtree(work, ignore_errors=True)
    loads.append(load_average())
    print("\n" + "-" * 40 + " summary (paste into README) " + "-" * 40)
    print(summary(results, args, host, loads))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    number = lambda text: int(text.replace("_", "").replace(",", ""))  # noqa: E731
    parser.add_argument("--rows", type=number, default=FULL_SCALE)
    parser.add_argument("--baseline-rows", type=number, default=200_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--skip-baselines", action="store_true")
    parser.add_argument("--files", type=Path, help="folder keeping the generated files between runs")
    parser.add_argument("--gbk", action="store_true", help="the learners file in GB18030, as WPS saves it")
    parser.add_argument("--pg-db", default="jixing_bench", help="PostgreSQL database to drop and create")
    parser.add_argument("--keep-db", action="store_true", help="leave the PostgreSQL database in place")
    args = parser.parse_args()
    if not args.pg_db.startswith("jixing_bench"):
        parser.error("--pg-db must start with jixing_bench: it is dropped and created again")
    args.baseline_rows = min(args.baseline_rows, args.rows)
    each_database(
        args,
        prefix="jixing-bench-",
        prepare=lambda work: prepare_files(
            args.files or work / "files", args.rows, args.baseline_rows, args.gbk
        ),
        bench=bench_database,
        summary=summary,
    )


if __name__ == "__main__":
    main()

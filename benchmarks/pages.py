"""Time the busiest pages on a province's data: 8 million learners, 20,000 nominations (issue 10, item 3).

    .venv/bin/python benchmarks/pages.py [--db sqlite|postgres|both] [--learners 8000000] [--files DIR]
        [--nominations 20000] [--requests 30] [--warmup 2] [--page-budget 60] [--seed 2022]
        [--pg-db jixing_bench_pages] [--keep-db]

1. Files: orgs.csv and learners-<N>.csv in --files DIR (benchmarks/snapshot_files.py), reused when there;
   a smaller N is cut from a larger file of the folder (the first N rows are the file of N rows), into
   the run's temporary folder; without either they are generated (and kept in --files DIR, if given).
2. For each database, a fresh one (SQLite in a temporary folder; PostgreSQL: the database --pg-db on
   127.0.0.1:5432, dropped and created again — never point it at one you need), each step in a child
   process of its own with production-like settings (DEBUG off): migrate + import_orgs, import_snapshot,
   then the campaign and its nominations (benchmarks/pages_data.py and pages_rows.py: the shanxi-2022
   campaign installed with now inside 审核报送, roles through import_roles, accounts, nominations in a
   province's mix of states with their attachments, lists, audit events and notices, written in bulk as
   the product's own functions write each row).
3. The learner search's indexes, built by the task the import queued (people.tasks.search_indexes, run
   here as the worker would run it), timed. Then the whole-campaign evaluation, timed: nominations.domain.evaluation.refresh, the body of the background
   task every change queues (nominations.tasks.refresh_results).
4. The pages, in one child process through Django's test Client (in-process requests, the full middleware
   and templates, no HTTP server; the client keeps one database connection across requests), each as the
   user who uses it: the province's 申报列表 (first page, and filtered by state and a county's name),
   名单核对, the 审核报送 page of category 1 of the reporting unit with the most nominations (its first
   page), the learner search by 学号, by name and by phone (matched through the snapshot's masked phones,
   inside the scope) as the admin of the biggest unit and as the province, and a nomination's
   page as its reviewer and as the province. Each page: warm-up
   requests, then --requests timed ones (fewer if they would exceed --page-budget seconds): median, p95
   and max, against the goals (median < 200 ms, p95 < 500 ms); then one request under
   CaptureQueriesContext: its number of queries, their time, and its slowest query, to know what to index.
   A page that fails is reported as such, with its error; nothing in the product is changed.
5. A summary block to paste into the README: the machine, the load average at start and end, every figure.

The machine is shared: the load average is printed at the start and the end. Never part of `make test`.
"""

from __future__ import annotations

import argparse
import math
import re
import statistics
import time
import traceback
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from pages_data import build
from snapshot_files import write_orgs, write_snapshot
from snapshot_import import (
    DB_LABELS,
    _cpu_seconds,
    _import,
    _peak_mb,
    _setup,
    child_env,
    drop_postgres,
    each_database,
    run_child,
    summary_head,
)

FULL_SCALE = 8_000_000
GOAL_MEDIAN_MS, GOAL_P95_MS = 200, 500
MIN_REQUESTS = 5
USER_LABELS = {"province": "province admin", "reviewer": "reporting reviewer", "unit_admin": "unit admin"}


def short_sql(sql: str, length: int = 200) -> str:
    """The first `length` characters of a statement, its select list elided (the FROM, JOIN and WHERE are
    what tell which index is missing)."""
    sql = " ".join(sql.split()).replace('"', "")  # the identifiers' quotes too: more of the WHERE fits
    sql = re.sub(r"^SELECT (DISTINCT )?.*? FROM ", r"SELECT \1… FROM ", sql, count=1)
    return sql[:length]


# --- in the child processes ---------------------------------------------------------------------------------


def _search_indexes() -> dict[str, Any]:
    """The background task the import queued (people.tasks.search_indexes), run as the worker would."""
    from jixing.people.domain.queries import current_snapshot
    from jixing.people.tasks import search_indexes

    started = time.perf_counter()
    built = search_indexes.call(current_snapshot().pk)
    return {"seconds": time.perf_counter() - started, "built": built}


def _evaluate() -> dict[str, Any]:
    """The background refresh of the whole campaign, timed, with its queries."""
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from jixing.campaigns.domain.queries import current_campaign
    from jixing.nominations.domain.changes import mark_changed
    from jixing.nominations.domain.evaluation import refresh
    from jixing.nominations.models import Nomination

    campaign = current_campaign()
    started, cpu = time.perf_counter(), _cpu_seconds()
    with CaptureQueriesContext(connection) as captured:
        evaluated = refresh(campaign.pk)
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    queries = captured.captured_queries
    slowest = max(queries, key=lambda q: float(q["time"]))
    statuses = dict(Nomination.objects.order_by().values_list("status").annotate(n=Count("id")))
    # One save on deadline day: a nomination of the largest (reporting unit, category) group changes.
    group = (
        Nomination.objects.values("reporting_unit_id", "category_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    one = Nomination.objects.filter(
        reporting_unit_id=group["reporting_unit_id"], category_id=group["category_id"]
    ).first()
    mark_changed(campaign, [one])
    again = time.perf_counter()
    incremental = refresh(campaign.pk)
    return {
        "incremental": incremental,
        "incremental_seconds": time.perf_counter() - again,
        "group": group["n"],
        "nominations": evaluated,
        "seconds": seconds,
        "cpu": cpu,
        "peak_mb": _peak_mb(),
        "queries": len(queries),
        "sql_seconds": sum(float(q["time"]) for q in queries),
        "slowest": (float(slowest["time"]) * 1000, short_sql(slowest["sql"])),
        "statuses": statuses,
    }


def _pass_second_factor(client: Any, user: Any) -> None:
    """As the TOTP page does once a code is right (tests/conftest.py mark_second_factor_passed)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from jixing.accounts.domain.second_factor import confirmed_device

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = confirmed_device(user).persistent_id
    session.save()


def _page_list(targets: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(label, who, URL) of every page timed."""
    from django.urls import reverse

    nominations, learners = reverse("portal:nomination_list"), reverse("portal:learner_list")
    detail = reverse("portal:nomination_detail", args=[targets["detail_pk"]])
    search = targets["search"]
    pages = [
        ("申报列表 first page", "province", nominations),
        ("申报列表 filtered", "province", f"{nominations}?{urlencode(targets['nomination_filter'])}"),
        ("名单核对", "province", reverse("review:province_lists")),
        ("审核报送 category 1", "reviewer", reverse("review:screening_category", args=[1])),
    ]
    for who in ("unit_admin", "province"):
        for key, label in (("account", "学号"), ("name", "name"), ("phone", "phone")):
            pages.append((f"学员 search by {label}", who, f"{learners}?{urlencode({'q': search[key]})}"))
    pages += [("申报详情", "reviewer", detail), ("申报详情", "province", detail)]
    # Each role's home page (its work list, deadline and figures) and the province's statistics.
    pages += [
        ("首页 work list", who, reverse("portal:home")) for who in ("unit_admin", "reviewer", "province")
    ]
    pages += [
        ("统计 province", "province", reverse("review:statistics")),
        ("统计 XLSX", "province", reverse("review:statistics_export")),
    ]
    return pages


def _time_page(client: Any, url: str, *, requests: int, warmup: int, budget: float) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    try:
        for _ in range(warmup):
            response = client.get(url)
            if response.status_code != 200:
                return {"error": f"HTTP {response.status_code} {response.get('Location', '')}".strip()}
        times: list[float] = []
        began = time.perf_counter()
        while len(times) < requests:
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            if time.perf_counter() - began > budget and len(times) >= MIN_REQUESTS:
                break
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
    except Exception as exc:  # a page failing at scale is a result, not the end of the run
        return {"error": f"{exc.__class__.__name__}: {exc}", "traceback": traceback.format_exc()}
    queries = captured.captured_queries
    slowest = max(queries, key=lambda q: float(q["time"]), default={"time": "0", "sql": ""})
    ordered = sorted(times)
    return {
        "n": len(times),
        "median": statistics.median(times),
        "p95": ordered[math.ceil(0.95 * len(ordered)) - 1],
        "max": ordered[-1],
        "queries": len(queries),
        "sql_ms": sum(float(q["time"]) for q in queries) * 1000,
        "slowest_ms": float(slowest["time"]) * 1000,
        "slowest_sql": short_sql(slowest["sql"]),
        "slowest_full": short_sql(slowest["sql"], 2000),
        "bytes": len(response.content),
    }


def _pages(targets: dict[str, Any], requests: int, warmup: int, budget: float) -> dict[str, Any]:
    from django.test import Client

    from jixing.accounts.models import User

    clients = {}
    for who in USER_LABELS:
        user = User.objects.get(username=targets[who])
        client = Client()
        client.force_login(user)
        if user.is_province_admin:
            _pass_second_factor(client, user)
        clients[who] = client
    results = []
    for label, who, url in _page_list(targets):
        result = _time_page(clients[who], url, requests=requests, warmup=warmup, budget=budget)
        results.append({"label": label, "who": who, "url": url, **result})
        print("    " + page_line(results[-1]), flush=True)
        if "slowest_full" in result:
            print(f"      slowest query {result['slowest_ms']:,.1f} ms: {result['slowest_full']}", flush=True)
    return {"pages": results}


# --- in the parent process --------------------------------------------------------------------------------


def prepare_files(folder: Path | None, learners: int, work: Path) -> tuple[Path, Path]:
    """orgs.csv and a learners file of `learners` rows: reused, cut from a larger one, or written."""
    folder = folder or work / "files"
    folder.mkdir(parents=True, exist_ok=True)
    orgs, wanted = folder / "orgs.csv", folder / f"learners-{learners}.csv"
    if orgs.exists() and wanted.exists():
        print(f"files: reusing {wanted}")
        return orgs, wanted
    sizes = {
        int(m[1]): path
        for path in folder.glob("learners-*.csv")
        if (m := re.fullmatch(r"learners-(\d+)\.csv", path.name)) and int(m[1]) > learners
    }
    if orgs.exists() and sizes:
        # write_snapshot's first N rows are the file of N rows: cut them into the run's folder.
        larger, cut = sizes[min(sizes)], work / wanted.name
        with larger.open("rb") as source, cut.open("wb") as target:
            for _ in range(learners + 1):  # the header, then the rows; no cell holds a line break
                target.write(source.readline())
        print(f"files: the first {learners:,} rows of {larger}")
        return orgs, cut
    started = time.perf_counter()
    codes = write_orgs(work / "orgs-codes.csv") if orgs.exists() else write_orgs(orgs)  # the same tree
    partial = wanted.with_suffix(".part")  # renamed when complete: an interrupted run leaves no cache
    write_snapshot(partial, learners, org_codes=codes)
    partial.rename(wanted)
    print(f"files: wrote {wanted} in {time.perf_counter() - started:.1f} s")
    return orgs, wanted


def _failed(step: str, result: dict[str, Any]) -> bool:
    if "error" not in result:
        return False
    print(f"  {step} FAILED:\n    " + result["error"].strip().replace("\n", "\n    "))
    return True


def page_line(page: dict[str, Any]) -> str:
    head = f"{page['label']:<22} {USER_LABELS[page['who']]:<18}"
    if "error" in page:
        return f"{head} FAILED: {page['error']}"
    return (
        f"{head} n={page['n']:<3} median {page['median']:8.1f} ms  p95 {page['p95']:8.1f} ms  max "
        f"{page['max']:8.1f} ms  {page['queries']:>3} queries ({page['sql_ms']:.1f} ms)  "
        f"{page['bytes'] / 1024:,.0f} KiB"
    )


def bench_database(vendor: str, args: argparse.Namespace, files: tuple[Path, Path], work: Path) -> dict:
    orgs, learners = files
    print(f"\n== {DB_LABELS[vendor]} ==", flush=True)
    if vendor == "postgresql":
        url = drop_postgres(args.pg_db, create=True)
    else:
        (work / "sqlite").mkdir(exist_ok=True)
        url = f"sqlite:///{work / 'sqlite' / 'bench.sqlite3'}"
    env = child_env(url, work / f"data-{vendor}")
    figures: dict[str, Any] = {"vendor": vendor}
    try:
        setup = run_child(_setup, env, orgs=str(orgs))
        if _failed("migrate + import_orgs", setup):
            return figures
        print(f"  migrate + import_orgs ({setup['orgs']:,} orgs)   {setup['seconds']:8.1f} s", flush=True)
        figures["import"] = imported = run_child(_import, env, path=str(learners), name="基准积分快照")
        if _failed("import_snapshot", imported):
            return figures
        print(f"  import_snapshot ({imported['rows']:,} rows)  {imported['seconds']:8.1f} s", flush=True)
        figures["search_indexes"] = indexed = run_child(_search_indexes, env)
        if _failed("search indexes", indexed):
            return figures
        print(f"  search indexes, the task the import queued: {indexed['seconds']:.1f} s", flush=True)
        figures["build"] = built = run_child(
            build,
            env,
            learners_path=str(learners),
            nominations=args.nominations,
            seed=args.seed,
            folder=str(work),
        )
        if _failed("campaign and nominations", built):
            return figures
        steps = " · ".join(f"{step} {s:.1f} s" for step, s in built["seconds"].items())
        print(f"  campaign and nominations: {steps}\n    {built['counts']}", flush=True)
        figures["evaluate"] = evaluated = run_child(_evaluate, env)
        if _failed("evaluation", evaluated):
            return figures
        print("  " + evaluation_line(evaluated), flush=True)
        print("  pages:", flush=True)
        figures["pages"] = run_child(
            _pages, env, targets=built, requests=args.requests, warmup=args.warmup, budget=args.page_budget
        ).get("pages", [])
        for page in figures["pages"]:
            if "traceback" in page:
                print(
                    f"  {page['label']} ({USER_LABELS[page['who']]}) {page['url']} failed:\n    "
                    + page["traceback"].strip().replace("\n", "\n    ")
                )
    finally:
        if vendor == "postgresql" and not args.keep_db:
            drop_postgres(args.pg_db)
    return figures


def evaluation_line(evaluated: dict[str, Any]) -> str:
    ms, sql = evaluated["slowest"]
    return (
        f"whole-campaign evaluation: {evaluated['nominations']:,} nominations in {evaluated['seconds']:.2f} s "
        f"wall, {evaluated['cpu']:.2f} s CPU, {evaluated['queries']} queries ({evaluated['sql_seconds']:.2f} s), "
        f"peak RSS {evaluated['peak_mb']:,.0f} MB; statuses {evaluated['statuses']}; slowest query "
        f"{ms:,.0f} ms: {sql}\n  after one nomination's change (its group holds {evaluated['group']:,}): "
        f"{evaluated['incremental']:,} nominations re-evaluated in {evaluated['incremental_seconds']:.2f} s"
    )


def _judge(holds: bool) -> str:
    return "yes" if holds else "**NO**"


def summary(results: list[dict], args: argparse.Namespace, host: str, loads: list[str]) -> str:
    built = next((r["build"] for r in results if "counts" in r.get("build", {})), None)
    imports = ", ".join(
        f"{DB_LABELS[r['vendor']]} {r['import']['seconds']:.0f} s"
        for r in results
        if "seconds" in r.get("import", {})
    )
    out = summary_head("Page times at scale", "pages.py", host, loads)
    if built:
        c = built["counts"]
        states = ", ".join(f"{state} {n:,}" for state, n in sorted(c["states"].items(), key=lambda s: -s[1]))
        out += [
            f"Data: {args.learners:,} synthetic learners (积分快照 import: {imports}); {c['nominations']:,} "
            f"nominations from {c['units_nominating']:,} units ({states}), {c['attachments']:,} attachments, "
            f"{c['roles']:,} roles, {c['submitted_lists']} of {c['lists']} 推荐总表 submitted "
            f"({c['list_entries']} entries), {c['audit_events']:,} audit events, {c['notifications']:,} "
            f"notices, {c['users']:,} accounts; now inside 审核报送.",
            f"Who: reporting reviewer of {built['reviewer_unit']}; unit admin of {built['unit']}; "
            f"the nomination page of {built['detail']}.",
        ]
    out += [
        f"Requests: Django's test Client in one process, DEBUG off, logged in (the province admin past "
        f"the second factor); {args.warmup} warm-up requests, then {args.requests} timed (fewer when a "
        f"page's would pass {args.page_budget:.0f} s); queries counted on one more request.",
        "",
    ]
    out.append("Whole-campaign evaluation (nominations.domain.evaluation.refresh, the background refresh):")
    for r in results:
        e = r.get("evaluate", {})
        out.append(
            f"- {DB_LABELS[r['vendor']]}: "
            + (
                "not run"
                if "seconds" not in e
                else f"{e['nominations']:,} nominations in **{e['seconds']:.1f} s** ({e['cpu']:.1f} s CPU, "
                f"{e['queries']} queries taking {e['sql_seconds']:.1f} s, peak RSS {e['peak_mb']:,.0f} MB); "
                f"after one nomination's change, {e['incremental']:,} re-evaluated in "
                f"**{e['incremental_seconds']:.2f} s**"
            )
        )
    out.append("Learner search indexes (people.tasks.search_indexes, the task the import queues):")
    out += [
        f"- {DB_LABELS[r['vendor']]}: {r['search_indexes']['seconds']:.1f} s"
        for r in results
        if "seconds" in r.get("search_indexes", {})
    ]
    missed, slow = [], []
    for r in results:
        label = DB_LABELS[r["vendor"]]
        out += [
            "",
            f"{label}:",
            "",
            "| page | as | n | median ms | p95 ms | max ms | queries | SQL ms | median < 200 | p95 < 500 |",
            "|---|---|---:|---:|---:|---:|---:|---:|---|---|",
        ]
        if "pages" not in r:
            out.append("| not run | | | | | | | | | |")
        for p in r.get("pages", []):
            who = USER_LABELS[p["who"]]
            if "error" in p:
                out.append(
                    f"| {p['label']} | {who} | failed: {p['error'][:120]} | | | | | | **NO** | **NO** |"
                )
                missed.append(f"- {label} · {p['label']} ({who}): failed — {p['error'][:200]}")
                continue
            ok_median, ok_p95 = p["median"] < GOAL_MEDIAN_MS, p["p95"] < GOAL_P95_MS
            out.append(
                f"| {p['label']} | {who} | {p['n']} | {p['median']:,.0f} | {p['p95']:,.0f} | {p['max']:,.0f} "
                f"| {p['queries']} | {p['sql_ms']:,.0f} | {_judge(ok_median)} | {_judge(ok_p95)} |"
            )
            slow.append(f"- {label} · {p['label']} ({who}): {p['slowest_ms']:,.1f} ms `{p['slowest_sql']}`")
            if not (ok_median and ok_p95):
                missed.append(
                    f"- {label} · {p['label']} ({who}): median {p['median']:,.0f} ms, p95 "
                    f"{p['p95']:,.0f} ms; slowest query {p['slowest_ms']:,.0f} ms"
                )
    scale = "" if args.learners >= FULL_SCALE else f"; at {args.learners:,} learners, not the full scale"
    out += [
        "",
        "Slowest query of each page (its time in the counted request; select list elided, first 200 characters):",
        *slow,
    ]
    out += [
        "",
        f"Goals missed (median < {GOAL_MEDIAN_MS} ms, p95 < {GOAL_P95_MS} ms{scale}):",
        *(missed or ["- none"]),
    ]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    number = lambda text: int(text.replace("_", "").replace(",", ""))  # noqa: E731
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--learners", type=number, default=FULL_SCALE)
    parser.add_argument(
        "--files", type=Path, help="folder of orgs.csv and learners-<N>.csv (kept between runs)"
    )
    parser.add_argument("--nominations", type=number, default=20_000)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=2, help="untimed requests per page first")
    parser.add_argument("--page-budget", type=float, default=60, help="seconds of timed requests per page")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument(
        "--pg-db", default="jixing_bench_pages", help="PostgreSQL database to drop and create"
    )
    parser.add_argument("--keep-db", action="store_true", help="leave the PostgreSQL database in place")
    args = parser.parse_args()
    if not args.pg_db.startswith("jixing_bench"):
        parser.error("--pg-db must start with jixing_bench: it is dropped and created again")
    each_database(
        args,
        prefix="jixing-pages-",
        prepare=lambda work: prepare_files(args.files, args.learners, work),
        bench=bench_database,
        summary=summary,
    )


if __name__ == "__main__":
    main()

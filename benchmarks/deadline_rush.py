"""The last hours before a deadline: hundreds of users of every role at once against `make serve`.

    .venv/bin/python benchmarks/deadline_rush.py [--minutes 3] [--users 200] [--web-workers 4]
        [--task-workers 2] [--redis-db 7] [--pg-db jixing_rush] [--stages 申报推荐,审核报送,汇总公示] [--ramp 45] [--keep-db]

1. A fresh PostgreSQL database (--pg-db on 127.0.0.1:5432, dropped and created again — never point it at one
   you need), migrated; data and media in a temporary folder; the Redis db --redis-db flushed.
2. No single phase lets every role do its work: units send nominations up only in 申报推荐 (a returned one
   also in 审核报送), reporting units pick only in 审核报送, and the public can object only in 汇总公示. So
   the rush runs in stages, one per phase (--stages), each for --minutes: `jixing demo-data --phase` puts
   the demo province in that phase, then scripts/serve.sh starts on a free loopback port (gunicorn with
   --web-workers, --task-workers `jixing db_worker`, the shared cache in Redis, JIXING_PROXY_COUNT=1 as
   behind one reverse proxy) and --users simulated users of each role run at once:
   - unit administrators (`school` and, for every other unit with a nomination it may send up now, an
     account `rush-<org id>` made like it): log in through the form, open the list, the nomination and its
     form, autosave 2–4 times (the endpoint the form's hx-post names) and submit; users of one unit share
     its nominations, so several send the same one up at the same moment; afterwards they browse;
   - reporting-unit reviewers (the demo's 16 accounts): the list page, a category's screening page, the
     freshness poll, and in 审核报送 a random choice of picks saved (a refusal beyond the seats is expected);
   - the public: the 公示 page and now and then an objection, twenty simulated people per address
     (X-Forwarded-For), so the hourly limit per address answers 429 — expected, not an error.
   Every loop ends at the stage's deadline or after --max-requests requests, whichever comes first.
3. Per stage: requests/s, p50/p95/p99 per page (URL with numbers replaced), errors (5xx, connection
   errors, unexpected 4xx); then, against the database: every quota held, every successful submit
   answered by exactly one 'nomination.submit' audit event, `jixing audit verify` exit code 0, and every
   campaign's results fresh (staleness.is_stale false) within --fresh-timeout seconds after the rush.
4. The server and all its processes stop at the end of each stage, and on Ctrl-C or failure (SIGTERM to
   serve.sh, which stops its children; the process group is killed if anything is left). Tracebacks from
   the server log are printed. A summary block to paste into the README closes the run.

Traffic goes only to the loopback server this script starts. Never part of `make test`.
"""

from __future__ import annotations

import argparse
import base64
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rush_clients import Browser, Plan, Stats, run_user
from snapshot_import import drop_postgres, load_average, machine, summary_head

ROOT = Path(__file__).resolve().parent.parent
JIXING = str(ROOT / ".venv" / "bin" / "jixing")
REDIS = ("127.0.0.1", 6379)
# Django logs a refused request (403 of a nomination another user has just sent up, 429 of the objection
# limit) with its traceback as a warning: those the client counts as expected are not server errors.
# Simulated public users per address: enough that an address goes past the hourly objection limit.
PER_ADDRESS = 20
EXPECTED_4XX = ("Forbidden", "Too Many Requests", "Bad Request", "Not Found")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def flush_redis(db: int) -> None:
    """FLUSHDB on one Redis database, in the protocol's plain form (no client library needed)."""
    with socket.create_connection(REDIS, timeout=5) as conn:
        conn.sendall(f"SELECT {db}\r\nFLUSHDB\r\n".encode())
        answer = b""
        while answer.count(b"\r\n") < 2:
            chunk = conn.recv(100)
            if not chunk:
                break
            answer += chunk
    if answer.count(b"+OK") != 2:
        raise RuntimeError(f"Redis db {db} not flushed: {answer!r}")


def server_env(args: argparse.Namespace, database_url: str, work: Path) -> dict[str, str]:
    """The environment of every jixing process of the run: same keys for demo-data, server and checks."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jixing.settings",
        "DATABASE_URL": database_url,
        "JIXING_DEBUG": "0",
        "JIXING_SECRET_KEY": secrets.token_urlsafe(50),
        "JIXING_ENCRYPTION_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "JIXING_BLIND_INDEX_KEY": secrets.token_urlsafe(32),
        "JIXING_DATA_DIR": str(work / "data"),
        "JIXING_MEDIA_ROOT": str(work / "media"),
        "JIXING_REDIS_URL": f"redis://127.0.0.1:6379/{args.redis_db}",
        "JIXING_PROXY_COUNT": "1",
        "JIXING_WEB_WORKERS": str(args.web_workers),
        "JIXING_TASK_WORKERS": str(args.task_workers),
        "JIXING_LOG_LEVEL": "WARNING",
    }


def jixing(env: dict[str, str], *command: str) -> subprocess.CompletedProcess:
    return subprocess.run([JIXING, *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


# --- the server ---------------------------------------------------------------------------------------------


class Server:
    """scripts/serve.sh in a session of its own, its output in a log file."""

    def __init__(self, env: dict[str, str], log: Path):
        self.port = free_port()
        self.log = log
        self.process: subprocess.Popen | None = None
        self.env = {**env, "HOST": "127.0.0.1", "PORT": str(self.port), "BIN": str(ROOT / ".venv" / "bin")}

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(["bash", "scripts/serve.sh"], cwd=ROOT, env=self.env, stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        limit = time.monotonic() + 120
        while time.monotonic() < limit:
            if self.process.poll() is not None:
                raise RuntimeError(f"scripts/serve.sh ended with {self.process.returncode}; see {self.log}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"the server did not listen on port {self.port} within 120 s; see {self.log}")

    def stop(self) -> str:
        """SIGTERM to serve.sh (it stops gunicorn and the task workers); the whole group killed if it lingers."""
        if self.process is None:
            return "not started"
        group, how = self.process.pid, "stopped by SIGTERM"
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=45)
            except subprocess.TimeoutExpired:
                how = "serve.sh did not stop within 45 s: group killed"
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            self.process = None
            return how
        os.killpg(group, signal.SIGKILL)  # a child left behind (or serve.sh itself)
        self.process.wait(timeout=10)
        self.process = None
        return how + "; processes left in the group were killed"


def tracebacks(log: Path, start: int) -> list[str]:
    """Error reports the server wrote after byte `start`: each error line or traceback with what follows."""
    with log.open("rb") as source:
        source.seek(start)
        lines = source.read().decode("utf-8", "replace").splitlines()
    blocks: list[list[str]] = []
    inside, previous = False, ""
    for line in lines:
        indented = line.startswith((" ", "\t"))
        continued = indented or not line or line.startswith(("The above exception", "During handling"))
        if inside and (continued or re.match(r"^[\w.]+(Error|Exception|Deadlock|Denied)\b", line)):
            if len(blocks[-1]) < 80:
                blocks[-1].append(line)
        elif re.search(r"Internal Server Error|\[ERROR\]|\[CRITICAL\]|deadlock|^ERROR|Task .* failed", line):
            blocks.append([line])
            inside = True
        elif line.startswith("Traceback (most recent"):
            if inside:
                blocks[-1].append(line)
            elif not previous.startswith(EXPECTED_4XX):
                blocks.append([previous, line])
                inside = True
        elif not indented:
            inside = False
        if not indented:
            previous = line
    return ["\n".join(block) for block in blocks]


# --- the data a stage needs ---------------------------------------------------------------------------------


def prepare_stage(phase: str) -> dict:
    """After demo-data: unit admin accounts with what each may send up now, reviewers, categories."""
    from django.db import connections
    from django.db.models import Q
    from django.utils import timezone

    from jixing.accounts.enums import UserRole
    from jixing.accounts.models import User
    from jixing.announcements.models import Announcement
    from jixing.campaigns.enums import PhaseKey
    from jixing.campaigns.models import Campaign
    from jixing.demo.accounts import DEMO_PASSWORD, REPORTING_USERNAMES
    from jixing.demo.phases import DEMO_SLUG, parse_phase
    from jixing.nominations.domain.lists import reopen_list
    from jixing.nominations.domain.states import MOVES, Action
    from jixing.nominations.enums import ListState
    from jixing.nominations.models import Nomination, RecommendationList

    connections.close_all()
    campaign = Campaign.objects.get(slug=DEMO_SLUG)
    key = parse_phase(phase)
    sendable = sorted({m.source for m in MOVES if m.action == Action.SUBMIT and key in m.phases})
    rows = Nomination.objects.filter(campaign=campaign).select_related("recommending_org")
    targets: dict[int, list[int]] = {}
    orgs = {}
    for nomination in rows.filter(state__in=sendable).order_by("pk"):
        targets.setdefault(nomination.recommending_org_id, []).append(nomination.pk)
        orgs[nomination.recommending_org_id] = nomination.recommending_org
    if not targets:  # nothing to send up in this phase: units browse what they have
        for nomination in rows.order_by("pk")[:100]:
            targets.setdefault(nomination.recommending_org_id, [])
            orgs[nomination.recommending_org_id] = nomination.recommending_org
    school = User.objects.get(username="school")
    accounts: dict[str, list[int]] = {}
    for org_id, pks in targets.items():
        if org_id == school.org_id:
            accounts["school"] = pks
            continue
        user, _ = User.objects.update_or_create(
            username=f"rush-{org_id}",
            defaults={"role": UserRole.UNIT_ADMIN, "org": orgs[org_id], "full_name": orgs[org_id].name,
                      "is_active": True},
        )  # fmt: skip
        user.set_password(DEMO_PASSWORD)
        user.save()
        accounts[user.username] = pks
    reviewers = sorted(
        User.objects.filter(Q(username__in=REPORTING_USERNAMES.values()), role=UserRole.REPORTING_REVIEWER)
        .values_list("username", flat=True)
    )  # fmt: skip
    categories = sorted(campaign.categories.values_list("number", flat=True))
    # The demo's 审核报送 has every list but one already sent: they are reopened as the province would, so
    # that every reporting unit picks at once.
    reopened_lists = 0
    if key == PhaseKey.SCREEN:
        province = User.objects.get(username="province")
        for sent in RecommendationList.objects.filter(campaign=campaign, state=ListState.SUBMITTED):
            reopen_list(
                recommendation_list=sent, actor=province, reason="压力测试：重新开放，各报送单位同时选入"
            )
            reopened_lists += 1
    # The demo publishes the day 汇总公示 begins and puts now a third into the phase, by which time the
    # five working days for objections may be over: the window is moved to include now (this database only).
    now, reopened = timezone.now(), []
    for announcement in Announcement.objects.filter(campaign=campaign):
        if not announcement.is_open(now):
            announcement.window_starts_at = min(announcement.window_starts_at, now - timedelta(days=1))
            announcement.window_ends_at = now + timedelta(days=1)
            announcement.ends_on = timezone.localdate(announcement.window_ends_at)
            announcement.save(update_fields=["window_starts_at", "window_ends_at", "ends_on"])
            reopened.append(announcement.pk)
    connections.close_all()
    return {"campaign": campaign.pk, "accounts": accounts, "reviewers": reviewers, "categories": categories,
            "password": DEMO_PASSWORD, "sendable": sendable, "reopened": reopened,
            "reopened_lists": reopened_lists}  # fmt: skip


# --- the rush -----------------------------------------------------------------------------------------------


def rush(args: argparse.Namespace, port: int, stage: dict, picks: bool) -> tuple[Stats, float]:
    """Every simulated user in a thread of its own; returns the figures and the wall seconds."""
    stats = Stats()
    plan = Plan(port=port, password=stage["password"], campaign_pk=stage["campaign"],
                categories=stage["categories"], picks=picks, think=args.think)  # fmt: skip
    started = time.monotonic()
    deadline = started + args.minutes * 60
    accounts = sorted(stage["accounts"].items())
    threads = []

    def browser(address: str | None = None) -> Browser:
        return Browser(port=port, stats=stats, deadline=deadline, budget=args.max_requests, address=address)

    for i in range(args.users):
        username, pks = accounts[i % len(accounts)]
        threads.append(("unit_admin", browser(), (username, list(pks))))
        threads.append(("reviewer", browser(), (stage["reviewers"][i % len(stage["reviewers"])],)))
        # Benchmarking range (RFC 2544); PER_ADDRESS people behind each, as behind an office's NAT.
        group = i // PER_ADDRESS
        address = f"198.18.{group // 250}.{group % 250 + 1}"
        threads.append(("public", browser(address), (i,)))
    running = [threading.Thread(target=run_user, args=(role, b, plan, *extra), daemon=True)
               for role, b, extra in threads]  # fmt: skip
    # Users arrive over the first --ramp seconds (as they do before a deadline, not in one second): each
    # login is an Argon2 hash, and 600 at once queued every request behind them past the client's time-out.
    ramp = min(args.ramp, args.minutes * 60 / 3) / len(running)
    for thread in running:
        thread.start()
        time.sleep(ramp)
    for thread in running:
        thread.join(timeout=max(0.0, deadline - time.monotonic()) + 70)
    return stats, time.monotonic() - started


def wait_fresh(timeout: float) -> tuple[float | None, list[str]]:
    """Seconds until no campaign's results are stale (the task workers caught up), or None and which."""
    from django.db import connections

    from jixing.campaigns.domain.staleness import is_stale
    from jixing.campaigns.models import Campaign

    started = time.monotonic()
    while True:
        connections.close_all()
        # A campaign with no nomination (the shipped 2022 one, kept inactive beside the demo) has no results.
        stale = [c.slug for c in Campaign.objects.filter(nominations__isnull=False).distinct() if is_stale(c)]
        if not stale:
            return time.monotonic() - started, []
        if time.monotonic() - started > timeout:
            return None, stale
        time.sleep(1)


def check_quotas() -> list[str]:
    """Every (reporting unit, category): nominations on its sent list plus picks on its open list ≤ seats."""
    from collections import Counter

    from django.db import connections

    from jixing.campaigns.models import Quota
    from jixing.nominations.domain.transitions import ON_SUBMITTED_LIST
    from jixing.nominations.enums import ListState
    from jixing.nominations.models import ListEntry, Nomination

    connections.close_all()
    seats = {(q.reporting_unit_id, q.category_id): q.seats for q in Quota.objects.all()}
    used = Counter(Nomination.objects.filter(state__in=ON_SUBMITTED_LIST)
                   .values_list("reporting_unit_id", "category_id"))  # fmt: skip
    picked = Counter(
        ListEntry.objects.filter(recommendation_list__state=ListState.OPEN)
        .exclude(nomination__state__in=ON_SUBMITTED_LIST)
        .values_list("recommendation_list__reporting_unit_id", "category_id")
    )  # fmt: skip
    over = []
    for key in set(used) | set(picked):
        if used[key] + picked[key] > seats.get(key, 0):
            over.append(f"reporting unit {key[0]} category {key[1]}: {used[key]} sent + {picked[key]} picked "
                        f"> {seats.get(key, 0)} seats")  # fmt: skip
    return over


def check_submissions(stats: Stats, since: datetime) -> list[str]:
    """Each successful submit answer ↔ exactly one 'nomination.submit' audit event of that nomination."""
    from collections import Counter

    from jixing.audit.models import AuditEvent

    events = Counter(
        int(target) for target in AuditEvent.objects.filter(action="nomination.submit", at__gte=since)
        .values_list("target_id", flat=True) if str(target).isdigit()
    )  # fmt: skip
    problems = []
    for pk in sorted(set(events) | set(stats.submitted)):
        answered, logged = stats.submitted.get(pk, 0), events.get(pk, 0)
        if answered != logged:
            unknown = " (a submit of it got no answer)" if pk in stats.submit_unknown else ""
            problems.append(f"nomination {pk}: {answered} successful submit answers, {logged} audit events"
                            + unknown)  # fmt: skip
    return problems


# --- one stage and the run ----------------------------------------------------------------------------------


def run_stage(phase: str, args: argparse.Namespace, env: dict[str, str], work: Path) -> dict:
    print(f"\n== stage {phase} ==", flush=True)
    done = jixing(env, "demo-data", "--phase", phase)
    if done.returncode != 0:
        raise RuntimeError(f"demo-data --phase {phase} failed:\n{done.stdout}\n{done.stderr}")
    stage = prepare_stage(phase)
    flush_redis(args.redis_db)
    log = work / "server.log"
    log_start = log.stat().st_size if log.exists() else 0
    server = Server(env, log)
    result: dict = {"phase": phase, "accounts": len(stage["accounts"]),
                    "sendable": sum(len(p) for p in stage["accounts"].values())}  # fmt: skip
    print(f"  {result['accounts']} unit admin accounts with {result['sendable']} nominations they may send up "
          f"({', '.join(stage['sendable']) or 'none in this phase'}); {len(stage['reviewers'])} reviewer accounts",
          flush=True)  # fmt: skip
    if stage["reopened_lists"]:
        print(
            f"  {stage['reopened_lists']} lists the demo had already sent were reopened (reopen_list, as the province)"
        )
    if stage["reopened"]:
        print(
            "  the demo's 公示 window for objections had closed: moved to end a day from now (this database only)"
        )
    since = datetime.now(UTC)
    try:
        server.start()
        print(
            f"  server on 127.0.0.1:{server.port}; {args.users} users per role for {args.minutes} min",
            flush=True,
        )
        stats, seconds = rush(args, server.port, stage, picks=phase == "审核报送")
        result.update(stats=stats, seconds=seconds)
        result["fresh_after"], result["stale"] = wait_fresh(args.fresh_timeout)
    finally:
        result["stopped"] = server.stop()
    result["over_quota"] = check_quotas()
    result["submissions"] = check_submissions(result["stats"], since)
    verify = jixing(env, "audit", "verify")
    result["audit"] = (verify.returncode, (verify.stdout + verify.stderr).strip().splitlines()[-3:])
    result["tracebacks"] = tracebacks(log, log_start)
    report_stage(result)
    return result


def report_stage(result: dict) -> None:
    stats: Stats = result["stats"]
    total = sum(len(v) for v in stats.durations.values())
    print(f"  {total:,} requests in {result['seconds']:.1f} s: {total / result['seconds']:.1f} requests/s; "
          f"logins {stats.logins}, submits {sum(stats.submitted.values())}, picks saved {stats.picks_saved}, "
          f"objections {stats.objections}; server {result['stopped']}")  # fmt: skip
    for line in page_lines(stats):
        print("  " + line)
    for page, count in sorted(stats.refused.items()):
        print(f"  expected refusal: {page} × {count}")
    grouped: dict[tuple[str, str], int] = {}
    for error in stats.errors:
        grouped[error] = grouped.get(error, 0) + 1
    for (page, what), count in sorted(grouped.items(), key=lambda item: -item[1])[:30]:
        print(f"  ERROR {page}: {what} × {count}")
    for block in result["tracebacks"][:10]:
        print("  server log: " + block.replace("\n", "\n    "))


def page_lines(stats: Stats) -> list[str]:
    lines = [f"{'page':<48} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  statuses"]
    for page, values in sorted(stats.durations.items()):
        statuses = " ".join(f"{code or 'conn'}×{n}" for code, n in sorted(stats.statuses[page].items()))
        lines.append(f"{page:<48} {len(values):>7,} {percentile(values, 0.5) * 1000:>8.0f} "
                     f"{percentile(values, 0.95) * 1000:>8.0f} {percentile(values, 0.99) * 1000:>8.0f}  {statuses}")  # fmt: skip
    return lines


def error_kinds(stats: Stats) -> dict[str, int]:
    kinds = {"5xx": 0, "connection": 0, "unexpected 4xx": 0, "client": 0}
    for page, what in stats.errors:
        if page.startswith("client"):
            kinds["client"] += 1
        elif what.startswith("connection"):
            kinds["connection"] += 1
        elif re.match(r"HTTP 5", what):
            kinds["5xx"] += 1
        else:
            kinds["unexpected 4xx"] += 1
    return kinds


def summary(results: list[dict], args: argparse.Namespace, host: str, loads: list[str]) -> str:
    out = [*summary_head("Deadline rush", "deadline_rush.py", host, loads),
           f"make serve with {args.web_workers} gunicorn workers and {args.task_workers} task workers, PostgreSQL,"
           f" Redis cache; {args.users} simulated users per role (unit admins, reviewers, public) for "
           f"{args.minutes} min per stage, users arriving over {args.ramp:g} s, think time "
           f"{args.think[0]}–{args.think[1]} s; client and server share the machine.", ""]  # fmt: skip
    checks = []
    for result in results:
        phase = result["phase"]
        if "stats" not in result:
            out.append(f"Stage {phase}: FAILED before the rush ended: {result.get('failure', '')}")
            checks.append(f"- {phase}: stage ran: NO")
            continue
        stats: Stats = result["stats"]
        total = sum(len(v) for v in stats.durations.values())
        kinds = error_kinds(stats)
        out += [f"Stage {phase}: {total:,} requests in {result['seconds']:.0f} s = **{total / result['seconds']:.1f} "
                f"requests/s**; {stats.logins} logins, {sum(stats.submitted.values())} submits, {stats.picks_saved} "
                f"picks saved, {stats.objections} objections; expected refusals {sum(stats.refused.values())}; "
                f"errors: " + ", ".join(f"{k} {v}" for k, v in kinds.items()) + ".", "", "```",
                *page_lines(stats), "```", ""]  # fmt: skip
        fresh = result["fresh_after"]
        checks += [
            f"- {phase}: no 5xx, connection error or unexpected 4xx: "
            + ("passed" if not stats.errors else f"FAILED ({len(stats.errors)})"),
            f"- {phase}: every quota held: "
            + ("passed" if not result["over_quota"] else "FAILED: " + "; ".join(result["over_quota"][:5])),
            f"- {phase}: each successful submit = one 'nomination.submit' audit event "
            f"({sum(stats.submitted.values())} submits): "
            + ("passed" if not result["submissions"] else "FAILED: " + "; ".join(result["submissions"][:5])),
            f"- {phase}: `jixing audit verify` exit code {result['audit'][0]}: "
            + ("passed" if result["audit"][0] == 0 else "FAILED: " + " / ".join(result["audit"][1])),
            f"- {phase}: every campaign's results (campaigns with nominations) fresh within {args.fresh_timeout:.0f} s after the rush: "
            + (
                f"passed ({fresh:.0f} s)"
                if fresh is not None
                else "FAILED: stale " + ", ".join(result["stale"])
            ),
            f"- {phase}: tracebacks in the server log: " + (str(len(result["tracebacks"])) or "0"),
        ]
    return "\n".join([*out, "Checks:", *checks])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=3.0, help="length of each stage's rush")
    parser.add_argument("--users", type=int, default=200, help="simulated users of each role")
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--task-workers", type=int, default=2)
    parser.add_argument(
        "--redis-db", type=int, default=7, help="Redis database flushed and used as the cache"
    )
    parser.add_argument("--pg-db", default="jixing_rush", help="PostgreSQL database to drop and create")
    parser.add_argument("--keep-db", action="store_true", help="leave the PostgreSQL database in place")
    parser.add_argument("--stages", default="申报推荐,审核报送,汇总公示", help="phases, comma-separated")
    parser.add_argument("--max-requests", type=int, default=5000, help="requests per simulated user at most")
    parser.add_argument("--think", default="0.5,2", help="pause between a user's requests, min,max seconds")
    parser.add_argument("--ramp", type=float, default=45.0, help="seconds over which the users arrive")
    parser.add_argument("--fresh-timeout", type=float, default=60.0)
    args = parser.parse_args()
    if not args.pg_db.startswith("jixing_rush"):
        parser.error("--pg-db must start with jixing_rush: it is dropped and created again")
    args.think = tuple(float(x) for x in args.think.split(","))
    loads = [load_average()]
    host = machine()
    print(f"machine: {host}\nload average: {loads[0]}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="jixing-rush-"))
    url = drop_postgres(args.pg_db, create=True)
    env = server_env(args, url, work)
    os.environ.update({k: v for k, v in env.items() if k.startswith(("JIXING_", "DATABASE_", "DJANGO_"))})
    import django

    django.setup()
    results: list[dict] = []
    try:
        migrated = jixing(env, "migrate", "--noinput")
        if migrated.returncode != 0:
            raise RuntimeError(f"migrate failed:\n{migrated.stderr}")
        for phase in [p.strip() for p in args.stages.split(",") if p.strip()]:
            try:
                results.append(run_stage(phase, args, env, work))
            except Exception as exc:
                results.append({"phase": phase, "failure": f"{exc.__class__.__name__}: {exc}"})
                print(f"  stage {phase} FAILED: {exc}", flush=True)
    except KeyboardInterrupt:
        print("\ninterrupted: the server was stopped", flush=True)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            drop_postgres(args.pg_db)
    loads.append(load_average())
    print(f"\nserver log: {work / 'server.log'}\n")
    print(summary(results, args, host, loads))
    sys.exit(0 if results and all("stats" in r for r in results) else 1)


if __name__ == "__main__":
    main()

"""What the keyed audit chain costs: record_event per event, the hash alone (keyed against the old plain
SHA-256), and `jixing audit verify` / `jixing audit checkpoint` over a chain of --events events.

    .venv/bin/python benchmarks/audit_chain.py [--events 20000]

A throwaway SQLite database in a temporary folder (DATABASE_URL is ignored), migrated first; the events are
written through record_event, one transaction each, as the domain functions write them. Never part of
`make test`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import timeit
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=20000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="audit-bench-"))
    for name in [k for k in os.environ if k.startswith("JIXING_") or k == "DATABASE_URL"]:
        del os.environ[name]
    os.environ.update(DJANGO_SETTINGS_MODULE="jixing.settings", JIXING_DATA_DIR=str(work))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from jixing.audit.domain.events import UNKEYED, event_hash, record_event
    from jixing.audit.models import AuditEvent

    call_command("migrate", verbosity=0)
    before = {
        "state": "draft",
        "rule_results": {f"R.{n}": {"outcome": "pass", "value": n} for n in range(12)},
    }
    after = {**before, "state": "submitted"}
    started = time.perf_counter()
    for n in range(args.events):
        record_event(
            action="nomination.submit", summary=f"提交第{n}条", before=before, after=after, ip="10.0.0.1"
        )
    write = time.perf_counter() - started
    event = AuditEvent.objects.get(seq=1)
    keyed = min(timeit.repeat(lambda: event_hash(event), number=2000, repeat=5)) / 2000
    event.hash_version = UNKEYED
    plain = min(timeit.repeat(lambda: event_hash(event), number=2000, repeat=5)) / 2000
    timings = {}
    for command in ("checkpoint", "verify"):
        started = time.perf_counter()
        call_command("audit", command, stdout=StringIO())
        timings[command] = time.perf_counter() - started
    print(f"record_event: {write / args.events * 1e3:.2f} ms per event ({args.events} events, SQLite)")
    print(f"event hash alone: keyed {keyed * 1e6:.1f} µs, plain SHA-256 {plain * 1e6:.1f} µs")
    print(
        f"jixing audit checkpoint: {timings['checkpoint']:.2f} s; jixing audit verify: {timings['verify']:.2f} s"
    )


if __name__ == "__main__":
    main()

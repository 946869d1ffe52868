"""Fail loudly, before the suite starts, when the PostgreSQL pass was asked for but no server answers."""

import sys

import psycopg

url = sys.argv[1]
try:
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), connect_timeout=5) as conn:
        conn.execute("select 1")
except psycopg.OperationalError as exc:
    sys.exit(f"PostgreSQL requested but unreachable at {url}: {exc}")
print(f"PostgreSQL reachable at {url}")

"""What 2,000 accounts cost with the product's real hasher (Argon2): `import_accounts` of a 账号 file of
--rows rows over the demo's org tree, the account slips (XLSX, PDF) apart, and the Argon2 hashes alone —
the light parameters of initial passwords against Django's full ones, and the first login's rehash.

    .venv/bin/python benchmarks/accounts_import.py [--rows 2000]

A throwaway SQLite database in a temporary folder (DATABASE_URL is ignored), migrated first; the settings'
PASSWORD_HASHERS as the product ships them (Argon2 first). Prints the machine's load average beside the
figures, since the machine may be shared. Never part of `make test`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--full-hashes", type=int, default=10, help="Argon2 hashes with the full parameters")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="accounts-bench-"))
    for name in [k for k in os.environ if k.startswith("JIXING_") or k == "DATABASE_URL"]:
        del os.environ[name]
    os.environ.update(DJANGO_SETTINGS_MODULE="jixing.settings", JIXING_DATA_DIR=str(work))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import logging

    logging.getLogger("weasyprint").setLevel(logging.WARNING)  # its per-page progress lines
    from django.contrib.auth.hashers import check_password, get_hasher, make_password
    from django.core.management import call_command

    from jixing.accounts.domain.bulk import import_accounts
    from jixing.accounts.domain.provisioning import INITIAL_HASHER
    from jixing.accounts.domain.slips import slip_sheets
    from jixing.accounts.models import User
    from jixing.demo.orgs import build_org_tree
    from jixing.documents import account_slips
    from jixing.orgs.domain.imports import import_orgs
    from jixing.orgs.enums import OrgLevel

    call_command("migrate", verbosity=0)
    print(f"hasher: {get_hasher('default').algorithm}; load average before: {_load()}")
    tree = build_org_tree(2022)
    lines = ["组织编码,组织名称,上级组织编码,层级,是否通讯站"]
    lines += [
        f"{o.code},{o.name},{o.parent_code or ''},{o.level},{'是' if o.is_station else '否'}"
        for o in tree.orgs
    ]
    import_orgs("\n".join(lines).encode())
    units = [o for o in tree.orgs if o.level == OrgLevel.UNIT]
    rows = ["用户名,姓名,手机号,组织编码,角色"]
    for n in range(args.rows):
        unit = units[n % len(units)]
        rows.append(f"bench{n:05d},测试{n:05d},1390000{n % 10000:04d},{unit.code},单位管理员")
    started = time.perf_counter()
    result = import_accounts("\n".join(rows).encode())
    imported = time.perf_counter() - started
    print(f"import_accounts: {len(result.created)} accounts in {imported:.2f} s (load {_load()})")

    sheets = slip_sheets(result.created)
    started = time.perf_counter()
    for sheet in sheets:
        account_slips.to_xlsx(sheet)
    xlsx = time.perf_counter() - started
    started = time.perf_counter()
    pages = 0
    for sheet in sheets:
        pages += account_slips.to_pdf(sheet).count(b"/Type /Page\n")
    pdf = time.perf_counter() - started
    print(f"slips for {len(sheets)} reporting units: XLSX {xlsx:.2f} s, PDF {pdf:.2f} s (load {_load()})")

    light = _each(lambda n: make_password(f"pw-{n}", hasher=INITIAL_HASHER), 200)
    full = _each(lambda n: make_password(f"pw-{n}"), args.full_hashes)
    sample = result.created[0]
    user = User.objects.get(username=sample.username)
    started = time.perf_counter()
    # What the login does: verify the light hash, then rehash with the full parameters (must_update).
    ok = check_password(sample.password, user.password, setter=lambda raw: None)
    verify = time.perf_counter() - started
    print(
        f"Argon2 per hash: initial parameters {light * 1000:.1f} ms, full parameters {full * 1000:.0f} ms; "
        f"verifying an initial hash {verify * 1000:.1f} ms ({'ok' if ok else 'FAILED'}); "
        f"needs upgrade at login: {get_hasher('default').must_update(user.password)}"
    )
    print(f"{args.rows} full-parameter hashes would take about {args.rows * full:.0f} s (load {_load()})")


def _each(fn, n: int) -> float:
    started = time.perf_counter()
    for i in range(n):
        fn(i)
    return (time.perf_counter() - started) / n


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()

"""Named breaches of the README's promises (issue 14): each is applied to a copy of the code, and the tests
that guard the promise must then fail. A breach the suite does not notice is a promise no test keeps.

    .venv/bin/python tests/mutations.py [--list] [--only NAME ...] [--keep]

Each mutation replaces one exact snippet of one file (the run says so plainly when the snippet is gone,
rather than testing an unchanged copy) in a copy of the working tree (`jixing/`, `tests/`, the project
files; not `.git`, `.venv` or data), and runs the named tests there with this checkout's virtualenv, the copy
first on the import path: once unchanged (they must pass), once mutated. SQLite, or where only PostgreSQL
can show it (locks) PostgreSQL at 127.0.0.1:5432. Caught means pytest reported failing tests (exit status
1); errors of collection or usage count as not caught. Not part of `make test`: it runs the guarding tests
twice per mutation (several minutes).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = "postgres://postgres@127.0.0.1:5432/test"
COPIED = ["jixing", "tests", "pyproject.toml", "conftest.py", "pytest.ini", "setup.cfg"]


@dataclass(frozen=True)
class Mutation:
    name: str
    promise: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]
    database: str = "sqlite"


MUTATIONS = [
    Mutation(
        "hash-without-before-after",
        "the audit chain covers every field that describes an event",
        "jixing/audit/domain/events.py",
        '        "before": event.before,\n        "after": event.after,\n',
        "",
        ("tests/audit",),
    ),
    Mutation(
        "recomputed-chain-after-edit",
        "an audit chain rewritten and recomputed, or cut short, is detected against the signed checkpoints",
        "jixing/audit/domain/checkpoints.py",
        "    problems: list[Problem] = [*file_problems, *walk.problems, *_held_against(checkpoints, walk)]\n",
        "    problems: list[Problem] = [*file_problems, *walk.problems]\n",
        ("tests/audit",),
    ),
    Mutation(
        "audit-hash-unkeyed",
        "an audit event's hash is keyed with a key kept outside the database",
        "jixing/audit/domain/events.py",
        "    return hmac.new(settings.AUDIT_KEY.encode(), _canonical(event), hashlib.sha256).hexdigest()\n",
        "    return hashlib.sha256(_canonical(event)).hexdigest()\n",
        ("tests/audit",),
    ),
    Mutation(
        "audit-unkeyed-downgrade-accepted",
        "events recomputed under the old unkeyed scheme are not taken for old events",
        "jixing/audit/domain/checkpoints.py",
        "confirmed_unkeyed=None if confirm_unkeyed else unkeyed_until",
        "confirmed_unkeyed=None",
        ("tests/audit",),
    ),
    Mutation(
        "evidence-package-of-any-unit",
        "a reporting unit's evidence package is only its own reviewers' and the province's",
        "jixing/nominations/domain/packages.py",
        'return bool(user.has_perm("nominations.view_list", package.reporting_unit))',
        "return True",
        ("tests/review/test_packages_views.py",),
    ),
    Mutation(
        "commendation-withdrawn-certificate-valid",
        "a withdrawn commendation revokes its certificate",
        "jixing/nominations/domain/transitions.py",
        "            revoke_certificate(locked, reason=reason, actor=actor, now=now, ip=ip)\n",
        "            pass\n",
        ("tests/announcements/test_certificates.py",),
    ),
    Mutation(
        "certificate-unsigned",
        "certificates and the final list are signed",
        "jixing/announcements/domain/certificates.py",
        "    return sign_pdf(content, _signers[key], reason=reason)\n",
        "    return content\n",
        ("tests/announcements/test_certificates.py",),
    ),
    Mutation(
        "verify-any-serial",
        "an unknown serial is said to be unknown",
        "jixing/announcements/domain/certificates.py",
        '    return Certificate.objects.select_related("campaign").filter(serial=serial).first()\n',
        '    return Certificate.objects.select_related("campaign").first()\n',
        ("tests/announcements/test_certificates.py",),
    ),
    Mutation(
        "statistics-of-any-unit",
        "a reporting unit's reviewers see their own unit's statistics only",
        "jixing/review/views/statistics.py",
        '    if not user.has_perm("nominations.view_statistics", unit):',
        "    if False:",
        ("tests/review/test_statistics.py",),
    ),
    Mutation(
        "snapshot-phone-unnormalised",
        "accepted phones are stored normalised and masked",
        "jixing/tables/columnar.py",
        "            f\"CASE WHEN regexp_full_match({cell}, '1[0-9]{{10}}') THEN {cell} ELSE {number} END\",\n",
        '            f"{cell}",\n',
        ("tests/imports/test_fuzz_rows.py",),
    ),
    Mutation(
        "org-update-resets-absent-columns",
        "an org file updates only the columns it carries",
        "jixing/orgs/domain/imports.py",
        "    keys = [key for key in FIELDS if key in reader.present_keys]\n",
        "    keys = list(FIELDS)\n",
        ("tests/imports/test_fuzz_rows.py",),
    ),
    Mutation(
        "snapshot-person-key-of-raw-id",
        "the key that finds one person again is the canonical ID number's",
        "jixing/people/domain/snapshots/loading.py",
        '    phone, id_number, person_name = "coalesce(t.phone, \'\')", "coalesce(t.id_number, \'\')", "t.name"\n',
        '    phone, id_number, person_name = "coalesce(t.phone, \'\')", "lower(coalesce(t.id_number, \'\'))", "t.name"\n',
        ("tests/imports/test_fuzz_rows.py",),
    ),
    Mutation(
        "backup-without-nominations",
        "a backup holds every table",
        "jixing/backup/manifest.py",
        "        if model._meta.label_lower not in EXCLUDED\n",
        '        if model._meta.label_lower not in EXCLUDED and model._meta.app_label != "nominations"\n',
        ("tests/backup",),
    ),
    Mutation(
        "md5-in-production",
        "passwords are hashed with Argon2",
        "jixing/settings.py",
        "PASSWORD_HASHERS = [\n",
        'PASSWORD_HASHERS = [\n    "django.contrib.auth.hashers.MD5PasswordHasher",\n',
        ("tests/security/test_production_settings.py",),
    ),
    Mutation(
        "plus86-phone-unmasked",
        "logs never hold a full phone number",
        "jixing/security/logging.py",
        '_PHONE = re.compile(r"(\\+?(?:0086|86))?(1[0-9]{10})")',
        '_PHONE = re.compile(r"()(1[0-9]{10})")',
        ("tests/security/test_logging.py",),
    ),
    Mutation(
        "add-attachment-edit-check-removed",
        "evidence is added only to a nomination the actor may edit",
        "jixing/nominations/domain/attachments.py",
        '    if not can_edit(actor, nomination):\n        raise PermissionDenied("此申报当前不可编辑，不能上传材料")\n',
        "",
        ("tests/security/test_access_matrix.py", "tests/security/test_access_states.py"),
    ),
    Mutation(
        "any-reviewer-for-any-reporting-unit",
        "a reporting unit's reviewer acts for that reporting unit only",
        "jixing/nominations/domain/transitions.py",
        "    if user.role == UserRole.REPORTING_REVIEWER and user.org_id == nomination.reporting_unit_id:\n"
        "        parties.add(Party.REPORTING_UNIT)",
        "    if user.role == UserRole.REPORTING_REVIEWER:\n        parties.add(Party.REPORTING_UNIT)",
        # The views answer 404 outside the subtree before transition() runs: its own check is what counts.
        ("tests/nominations/domain/test_transitions.py",),
    ),
    Mutation(
        "quota-lock-removed",
        "concurrent picks and submissions never exceed a quota",
        "jixing/nominations/domain/transitions.py",
        "        Quota.objects.select_for_update()",
        "        Quota.objects",
        ("tests/nominations/domain/test_lists_concurrency.py",),
        database="postgres",
    ),
    Mutation(
        "snapshot-of-any-year",
        "importing next year's files changes nothing an earlier campaign decides (each reads its own snapshot)",
        "jixing/people/domain/queries.py",
        "    return Snapshot.objects.filter(is_current=True, tree_id=tree_id_of(campaign)).first()\n",
        '    return Snapshot.objects.filter(is_current=True).order_by("-pk").first()\n',
        ("tests/campaigns/test_year_over_year.py",),
    ),
    Mutation(
        "roles-of-any-year",
        "importing next year's files changes nothing an earlier campaign decides (each reads its own roles)",
        "jixing/nominations/domain/facts.py",
        "Role.objects.filter(account_id__in=accounts, org__tree_id=tree)",
        "Role.objects.filter(account_id__in=accounts)",
        ("tests/campaigns/test_year_over_year.py",),
    ),
]


def _copy(target: Path) -> None:
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif source.exists():
            shutil.copy2(source, target / name)


def run(mutation: Mutation, *, keep: bool) -> tuple[str, float]:
    """'caught', 'NOT caught' or a reason it could not be tried; and the seconds it took."""
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix=f"mutation-{mutation.name}-"))
    try:
        _copy(work)
        target = work / mutation.path
        text = target.read_text(encoding="utf-8")
        if text.count(mutation.old) != 1:
            return f"not tried: the snippet occurs {text.count(mutation.old)} times in {mutation.path}", 0.0
        env = {k: v for k, v in os.environ.items() if not k.startswith("JIXING_")}
        env["PYTHONPATH"] = str(work)
        env.pop("DATABASE_URL", None)
        if mutation.database == "postgres":
            env["DATABASE_URL"] = PG_URL

        def pytest() -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *mutation.tests],
                cwd=work, env=env, capture_output=True, text=True, timeout=1800,
            )  # fmt: skip

        baseline = pytest()  # the guarding tests pass on the copy as it is: a failure below is the breach's
        if baseline.returncode != 0:
            tail = (baseline.stdout + baseline.stderr).strip().splitlines()[-2:]
            return f"not tried: the tests fail without the mutation: {' | '.join(tail)}", 0.0
        target.write_text(text.replace(mutation.old, mutation.new), encoding="utf-8")
        result = pytest()
        seconds = time.perf_counter() - started
        if result.returncode == 1:
            return "caught", seconds
        if result.returncode == 0:
            return "NOT caught", seconds
        tail = (result.stdout + result.stderr).strip().splitlines()[-3:]
        return f"not tried: pytest exit status {result.returncode}: {' | '.join(tail)}", seconds
    finally:
        if keep:
            print(f"  copy kept at {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="name the mutations and stop")
    parser.add_argument("--only", nargs="*", default=None, help="run these mutations only")
    parser.add_argument("--keep", action="store_true", help="keep each mutated copy")
    args = parser.parse_args()
    chosen = [m for m in MUTATIONS if args.only is None or m.name in args.only]
    if args.list:
        for m in MUTATIONS:
            print(f"{m.name:<38} {m.database:<9} {m.promise}")
        return 0
    missed = 0
    for mutation in chosen:
        outcome, seconds = run(mutation, keep=args.keep)
        missed += outcome != "caught"
        print(f"{mutation.name:<38} {mutation.database:<9} {outcome} ({seconds:.0f} s) — {mutation.promise}")
    print(f"{len(chosen) - missed} of {len(chosen)} caught")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())

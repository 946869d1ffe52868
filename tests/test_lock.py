"""pyproject.toml and the lock files agree: a dependency added or narrowed without `make lock` fails here.

`make demo` and `make test` install only what requirements/lock*.txt pin (with hashes), so a dependency
missing from the lock would be missing on every fresh machine and in CI.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCK, LOCK_TEST = ROOT / "requirements" / "lock.txt", ROOT / "requirements" / "lock-test.txt"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")
FIX = "run `make lock` and commit requirements/ (README, For engineers: the lock)"


def pins(path: Path) -> dict[str, str]:
    return {
        canonicalize_name(match[1]): match[2]
        for line in path.read_text().splitlines()
        if (match := PIN.match(line))
    }


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _disagreements(requirements: list[str], locked: dict[str, str], lock: Path) -> list[str]:
    problems = []
    for line in requirements:
        req = Requirement(line)
        name = canonicalize_name(req.name)
        if name not in locked:
            problems.append(f"{req.name} is not pinned in {lock.name}")
        elif not req.specifier.contains(locked[name], prereleases=True):
            problems.append(f"{req.name}: {lock.name} pins {locked[name]}, outside {req.specifier}")
    return problems


def test_lock_pins_every_runtime_dependency_of_pyproject():
    project = pyproject()
    wanted = project["project"]["dependencies"] + project["build-system"]["requires"]
    problems = _disagreements(wanted, pins(LOCK), LOCK)
    assert problems == [], f"pyproject.toml and {LOCK.name} disagree — {FIX}:\n" + "\n".join(problems)


def test_test_lock_pins_every_dependency_and_test_extra():
    project = pyproject()
    wanted = project["project"]["dependencies"] + project["project"]["optional-dependencies"]["test"]
    problems = _disagreements(wanted, pins(LOCK_TEST), LOCK_TEST)
    assert problems == [], f"pyproject.toml and {LOCK_TEST.name} disagree — {FIX}:\n" + "\n".join(problems)


def test_lock_runtime_pins_are_the_test_locks():
    # Production must run the versions the tests ran.
    runtime, tested = pins(LOCK), pins(LOCK_TEST)
    differ = {
        name: (version, tested.get(name)) for name, version in runtime.items() if tested.get(name) != version
    }
    assert differ == {}, f"{LOCK.name} and {LOCK_TEST.name} pin different versions — {FIX}"


def test_lock_every_pin_has_hashes():
    for lock in (LOCK, LOCK_TEST):
        blocks = re.split(r"\n(?=[A-Za-z0-9])", lock.read_text())
        unhashed = [b.split()[0] for b in blocks if PIN.match(b) and "--hash=sha256:" not in b]
        assert unhashed == [], f"{lock.name} has pins without hashes — {FIX}"

"""The permissions: one form (django-rules predicates in <app>/permissions.py, asked through has_perm),
every registered one asked somewhere, and none granted to an account that is not active."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest
import rules
from rules.permissions import permissions as registered

from jixing.accounts.enums import UserRole
from jixing.orgs.enums import OrgLevel
from tests.factories import make_org, make_user

pytestmark = pytest.mark.django_db

PACKAGE = Path(__file__).resolve().parent.parent / "jixing"
PERMISSION_MODULES = sorted(PACKAGE.glob("*/permissions.py"))


def _added_in(path: Path) -> set[str]:
    """The names a permissions module registers with rules.add_perm("app.action", …)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "add_perm"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(node.args[0].value)
    return names


def _asked_in_code() -> set[str]:
    """Every string literal of the package's Python outside the permissions modules, and every
    `perms.app.action` of its templates: where a permission is asked for by name."""
    asked: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        if path.name == "permissions.py" or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                asked.add(node.value)
    for path in PACKAGE.rglob("*.html"):
        asked.update(re.findall(r"\bperms\.(\w+\.\w+)", path.read_text(encoding="utf-8")))
    return asked


def test_permissions_every_module_is_loaded():
    added = set().union(*(_added_in(path) for path in PERMISSION_MODULES))
    assert len(added) >= 5
    assert set(registered) == added


def test_permissions_every_registered_one_is_asked_for_somewhere():
    asked = _asked_in_code()
    assert sorted(name for name in registered if name not in asked) == []


def test_permissions_one_province_admin_predicate():
    """is_province_admin is defined once, in accounts/permissions.py; the apps compose it."""
    defined = [
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if re.search(r"^def is_province_admin\b", path.read_text(encoding="utf-8"), re.MULTILINE)
    ]
    assert defined == ["accounts/permissions.py"]


@pytest.fixture
def world():
    province = make_org(name="省平台", level=OrgLevel.PROVINCE)
    unit = make_org(name="报送单位", level=OrgLevel.REPORTING_UNIT, parent=province)
    admin = make_user(username="admin", role=UserRole.PROVINCE_ADMIN, org=province)
    gone = make_user(username="gone", role=UserRole.PROVINCE_ADMIN, org=province, is_active=False)
    reviewer = make_user(username="reviewer", role=UserRole.REPORTING_REVIEWER, org=unit)
    return {"unit": unit, "admin": admin, "gone": gone, "reviewer": reviewer}


def test_permissions_inactive_province_admin_is_refused_every_permission(world):
    objects = [None, world["unit"]]
    for name in registered:
        for obj in objects:
            assert world["admin"].has_perm(name, obj), (name, obj)
            assert not world["gone"].has_perm(name, obj), (name, obj)
            assert not rules.has_perm(name, world["gone"], obj), (name, obj)


def test_permissions_inactive_province_admin_is_refused_by_every_predicate(world):
    predicates = {}
    for path in PERMISSION_MODULES:
        module = importlib.import_module(f"jixing.{path.parent.name}.permissions")
        for attr, value in vars(module).items():
            if isinstance(value, rules.Predicate):
                predicates[f"{module.__name__}.{attr}"] = value
    assert "jixing.accounts.permissions.is_province_admin" in predicates
    for label, predicate in predicates.items():
        for obj in (None, world["unit"]):
            assert not predicate.test(world["gone"], obj), (label, obj)
    assert predicates["jixing.accounts.permissions.is_province_admin"].test(world["admin"])
    assert world["admin"].is_province_admin and not world["gone"].is_province_admin


def test_permissions_inactive_reviewer_does_not_see_his_list(world):
    reviewer = world["reviewer"]
    assert reviewer.has_perm("nominations.view_list", world["unit"])
    reviewer.is_active = False
    assert not reviewer.has_perm("nominations.view_list", world["unit"])


def test_permissions_superuser_holds_only_what_the_predicates_give_him(world):
    """Django grants a superuser every permission; ours are answered by their predicates alone, which give
    a superuser without the role whole personal numbers and nothing else."""
    root = make_user(username="root", role=UserRole.LEARNER, is_superuser=True, is_staff=True)
    held = sorted(name for name in registered if root.has_perm(name, world["unit"]))
    assert held == ["people.view_personal_numbers"]
    assert root.has_perm("accounts.change_user")  # Django's own model permissions keep the shortcut

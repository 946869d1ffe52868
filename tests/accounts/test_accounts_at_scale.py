"""Accounts at scale (issue 13, item 1): the 账号 import, generation from the org tree, account slips,
the first-login password change, and the level above disabling, enabling and resetting."""

from __future__ import annotations

import io
import logging
import zipfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from jixing.accounts.domain.bulk import import_accounts
from jixing.accounts.domain.generation import generate_org_accounts
from jixing.accounts.domain.stewardship import reset_password
from jixing.accounts.domain.throttle import PAIR_MAX_FAILURES, login_lock, record_login_failure
from jixing.accounts.enums import UserRole
from jixing.accounts.models import LoginFailure, User
from jixing.audit.enums import AuditAction
from jixing.audit.models import AuditEvent
from jixing.demo.generate import MIN_LEARNERS, run_demo
from jixing.orgs.domain.imports import import_orgs
from jixing.orgs.enums import OrgLevel
from jixing.orgs.models import Org
from jixing.people.domain.imports import import_roles, import_snapshot
from jixing.people.enums import RoleKind
from jixing.people.models import Learner, Role
from jixing.tables import ImportRefused
from tests.accounts.flows import password_login

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
NEW_PASSWORD = "my-own-password-2026"
HEADER = "用户名,姓名,手机号,组织编码,角色"


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory) -> Path:
    """The demo province as template files (nothing loaded): its org tree, snapshot and roles."""
    folder = tmp_path_factory.mktemp("demo-files")
    run_demo(learners=MIN_LEARNERS, now=NOW, files=folder, load=False)
    return folder


def _load_demo_orgs(folder: Path) -> None:
    import_orgs(folder / "组织架构.csv")


def _slip_passwords(files: list[Path] | dict[str, bytes]) -> dict[str, str]:
    """用户名 → 初始密码, read back from the slips' XLSX files."""
    contents = (
        {p.name: p.read_bytes() for p in files} if isinstance(files, list) else dict(files)
    )  # fmt: skip
    passwords = {}
    for name, content in contents.items():
        if not name.endswith(".xlsx"):
            continue
        sheet = load_workbook(io.BytesIO(content)).worksheets[0]
        for row in sheet.iter_rows(min_row=5, values_only=True):
            passwords[row[5]] = row[6]
    return passwords


def _zip_files(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _change_password(client, old: str) -> None:
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()


def test_import_of_2000_accounts_gives_slips_forces_a_password_change_and_scopes_to_the_subtree(
    demo_files, tmp_path, client, caplog
):
    _load_demo_orgs(demo_files)
    units = list(Org.objects.filter(level=OrgLevel.UNIT).order_by("code"))
    reporting = list(Org.objects.filter(level=OrgLevel.REPORTING_UNIT).order_by("code"))
    lines = [HEADER]
    lines += [
        f"bs{n:02d},审核员{n:02d},1390000{n:04d},{org.code},报送单位审核员" for n, org in enumerate(reporting)
    ]
    for n in range(2000 - len(reporting)):
        unit = units[n % len(units)]
        lines.append(f"dw{n:04d},管理员{n:04d},1390001{n % 10000:04d},{unit.code},单位管理员")
    path = tmp_path / "账号.csv"
    path.write_text("\n".join(lines), encoding="gbk")  # as Excel on Chinese Windows saves a CSV
    caplog.set_level(logging.DEBUG)
    out = io.StringIO()
    call_command("import_accounts", str(path), slips=str(tmp_path / "slips"), stdout=out)

    assert User.objects.filter(must_change_password=True).count() == 2000
    assert "账号导入完成：新建 2000 个" in out.getvalue()
    slips = sorted((tmp_path / "slips").iterdir())
    # One XLSX and one PDF per reporting unit: the 16 units of the demo.
    assert len(slips) == 2 * len(reporting)
    assert all(p.stat().st_mode & 0o077 == 0 for p in slips)  # the owner's only
    passwords = _slip_passwords(slips)
    assert len(passwords) == 2000
    assert User.objects.get(username="dw0000").phone == "13900010000"

    # The unit admin of the first unit, with the slip's password: made to change it before anything.
    user = User.objects.get(username="dw0000")
    response = password_login(client, "dw0000", passwords["dw0000"])
    assert response.status_code == 302
    response = client.get(reverse("portal:org_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")
    _change_password(client, passwords["dw0000"])
    user.refresh_from_db()
    assert user.must_change_password is False
    response = client.get(reverse("portal:org_list"))
    assert response.status_code == 200
    shown = {org.code for org in response.context["page"]}
    assert shown == set(Org.objects.filter(path__startswith=user.org.path).values_list("code", flat=True))
    assert units[0].code in shown and units[-1].code not in shown
    # The slip's password no longer opens the account.
    client.logout()
    assert password_login(client, "dw0000", passwords["dw0000"]).status_code == 200

    # Never in the logs, the audit summaries or the audit records.
    secrets = list(passwords.values())
    assert not any(secret in caplog.text for secret in secrets)
    events = list(AuditEvent.objects.values_list("summary", "before", "after"))
    recorded = repr(events)
    assert not any(secret in recorded for secret in secrets)
    imported = AuditEvent.objects.get(action=AuditAction.ACCOUNTS_IMPORT)
    assert imported.summary == "账号导入完成：新建 2000 个，已存在未变化 0 个"
    assert len(imported.after["created"]) == 2000

    # The same file again: every account exists, nothing changes, no slip.
    again = import_accounts(path)
    assert (len(again.created), again.unchanged) == (0, 2000)


def test_generation_from_the_demo_org_tree_makes_a_unit_admin_per_unit_and_a_reviewer_per_reporting_unit(
    demo_files,
):
    _load_demo_orgs(demo_files)
    import_snapshot(demo_files / "积分快照.csv", name="演示快照", taken_at=NOW)
    import_roles(demo_files / "角色.csv")
    units = Org.objects.filter(level=OrgLevel.UNIT)
    reporting = Org.objects.filter(level=OrgLevel.REPORTING_UNIT)

    result = generate_org_accounts()

    assert len(result.created) == units.count() + reporting.count()
    assert User.objects.filter(role=UserRole.UNIT_ADMIN).count() == units.count()
    assert User.objects.filter(role=UserRole.REPORTING_REVIEWER).count() == reporting.count() == 16
    assert set(User.objects.filter(role=UserRole.UNIT_ADMIN).values_list("org_id", flat=True)) == set(
        units.values_list("pk", flat=True)
    )
    # Named after the unit's 管理员 in the roles file, with that learner's 学号.
    role = Role.objects.filter(kind=RoleKind.ADMINISTRATOR, org__level=OrgLevel.UNIT).order_by("account_id")[
        0
    ]
    first_admin = (
        Role.objects.filter(kind=RoleKind.ADMINISTRATOR, org=role.org).order_by("account_id").first()
    )
    assert first_admin is not None
    account = User.objects.get(role=UserRole.UNIT_ADMIN, org=role.org)
    learner = Learner.objects.get(account_id=first_admin.account_id, snapshot__is_current=True)
    assert (account.full_name, account.account_id) == (learner.name, learner.account_id)
    assert account.username == f"dw-{role.org.code}"
    assert all(a.password for a in result.created)
    # Grouped by reporting unit: every slip's group is one of the 16.
    assert {a.reporting_unit for a in result.created} == set(reporting.values_list("name", flat=True))

    again = generate_org_accounts()
    assert (len(again.created), again.existing) == (0, units.count() + reporting.count())
    assert AuditEvent.objects.filter(action=AuditAction.ACCOUNTS_GENERATE).count() == 2


def _small_tree() -> dict[str, Org]:
    import_orgs(
        "\n".join(
            [
                "组织编码,组织名称,上级组织编码,层级,是否通讯站",
                "P,山西省,,省级,否",
                "TY,太原市通讯站,P,报送单位,是",
                "DT,大同市通讯站,P,报送单位,是",
                "TY-S1,太原市第一中学,TY,单位,否",
                "TY-S1-D1,高一年级组,TY-S1,部门,否",
                "DT-S2,大同市第二中学,DT,单位,否",
            ]
        ).encode()
    )
    return {org.code: org for org in Org.objects.all()}


def test_bad_rows_get_chinese_errors_and_nothing_changes():
    _small_tree()
    User.objects.create_user(username="taken", password="x", role=UserRole.UNIT_ADMIN,
                             org=Org.objects.get(code="DT-S2"))  # fmt: skip
    rows = [
        HEADER,
        "good,张测试,13900000001,TY-S1,单位管理员",
        "good,李测试,13900000002,TY-S1,单位管理员",  # 用户名 twice
        "x y,王测试,13900000003,TY-S1,单位管理员",  # a blank in the 用户名
        "n4,赵测试,12345,TY-S1,单位管理员",  # no mobile number
        "n5,钱测试,,NOPE,单位管理员",  # unknown org
        "n6,孙测试,,TY-S1-D1,单位管理员",  # a department is no unit
        "n7,周测试,,TY,省平台管理员",  # the province's role at a reporting unit
        "n8,吴测试,,TY-S1,学员",  # no such role
        "taken,郑测试,,TY-S1,单位管理员",  # another unit's account
        "n10,,,TY-S1,单位管理员",  # no name
    ]
    with pytest.raises(ImportRefused) as refused:
        import_accounts("\n".join(rows).encode())
    problems = {(p.row, p.column): p.reason for p in refused.value.errors}
    assert problems == {
        (3, "用户名"): "用户名重复（与第 2 行重复）",
        (4, "用户名"): "用户名只能包含汉字、字母、数字和 @ . + - _",
        (5, "手机号"): "手机号应为以 1 开头的 11 位数字",
        (6, "组织编码"): "组织编码不存在",
        (7, "角色"): "单位管理员只能属于单位组织，“高一年级组”是部门",
        (8, "角色"): "省平台管理员只能属于省级组织，“太原市通讯站”是报送单位",
        (9, "角色"): problems[(9, "角色")],
        (10, "用户名"): "用户名已被使用（大同市第二中学的单位管理员），请换一个用户名",
        (11, "姓名"): problems[(11, "姓名")],
    }
    assert "单位管理员、报送单位审核员、省平台管理员" in problems[(9, "角色")]
    assert "必填" in problems[(11, "姓名")] or "不能为空" in problems[(11, "姓名")]
    assert refused.value.summary == "文件有 9 处错误，未导入任何数据"
    assert list(User.objects.values_list("username", flat=True)) == ["taken"]
    assert not AuditEvent.objects.filter(action=AuditAction.ACCOUNTS_IMPORT).exists()


def test_the_command_refuses_without_a_folder_for_the_slips(tmp_path):
    _small_tree()
    path = tmp_path / "账号.csv"
    path.write_text(f"{HEADER}\na1,张测试,,TY-S1,单位管理员\n", encoding="utf-8")
    with pytest.raises(CommandError, match="--slips"):
        call_command("import_accounts", str(path))
    assert not User.objects.exists()


def test_xlsx_files_import_too(tmp_path):
    from jixing.tables import ACCOUNTS_TEMPLATE, write_xlsx

    _small_tree()
    path = tmp_path / "账号.xlsx"
    write_xlsx(ACCOUNTS_TEMPLATE, path, [{"username": "x1", "full_name": "张测试", "phone": "139 0000 0009",
                                          "org_code": "DT", "role": "报送单位审核员"}])  # fmt: skip
    result = import_accounts(path)
    assert [(a.username, a.role, a.reporting_unit) for a in result.created] == [
        ("x1", UserRole.REPORTING_REVIEWER, "大同市通讯站")
    ]
    assert User.objects.get(username="x1").phone == "13900000009"


def _steward_world():
    orgs = _small_tree()
    result = import_accounts(
        "\n".join(
            [
                HEADER,
                "p1,省测试,,P,省平台管理员",
                "ty,太原测试,,TY,报送单位审核员",
                "dt,大同测试,,DT,报送单位审核员",
                "s1,一中测试,,TY-S1,单位管理员",
                "s2,二中测试,,DT-S2,单位管理员",
            ]
        ).encode()
    )
    passwords = {a.username: a.password for a in result.created}
    users = {u.username: u for u in User.objects.all()}
    User.objects.filter(username__in=["p1", "ty", "dt"]).update(must_change_password=False)
    return orgs, users, passwords


def test_a_disabled_account_cannot_log_in_and_enabled_again_can(client):
    _, users, passwords = _steward_world()
    client.force_login(users["ty"])
    response = client.post(reverse("accounts:account_act"), {"account": users["s1"].pk, "action": "disable"})
    assert response.status_code == 302
    assert User.objects.get(username="s1").is_active is False
    event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_DISABLED)
    assert (event.actor_label, event.target_id, event.summary) == ("ty", str(users["s1"].pk), "停用账号 s1")
    other = client_for_login()
    response = password_login(other, "s1", passwords["s1"])
    assert response.status_code == 200
    assert "账号或密码不正确" in response.content.decode() or "已停用" in response.content.decode()
    assert "_auth_user_id" not in other.session

    client.post(reverse("accounts:account_act"), {"account": users["s1"].pk, "action": "enable"})
    assert AuditEvent.objects.filter(action=AuditAction.ACCOUNT_ENABLED).count() == 1
    assert password_login(other, "s1", passwords["s1"]).status_code == 302


def client_for_login():
    from django.test import Client

    return Client()


def test_a_session_of_an_account_disabled_meanwhile_ends(client):
    _, users, _ = _steward_world()
    User.objects.filter(username="s1").update(must_change_password=False)
    client.force_login(users["s1"])
    assert client.get(reverse("portal:org_list")).status_code == 200
    from jixing.accounts.domain.stewardship import disable_account

    disable_account(users["s1"], actor=users["ty"])
    assert client.get(reverse("portal:org_list")).status_code == 302


def test_reset_gives_a_new_slip_whose_password_must_be_changed(client, caplog):
    _, users, passwords = _steward_world()
    caplog.set_level(logging.DEBUG)
    client.force_login(users["p1"])
    response = client.post(reverse("accounts:account_act"), {"account": users["s2"].pk, "action": "reset"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    files = _zip_files(response.content)
    assert sorted(n.rsplit(".", 1)[1] for n in files) == ["pdf", "xlsx"]
    new = _slip_passwords(files)["s2"]
    assert new != passwords["s2"]
    assert new in _pdf_text(next(c for n, c in files.items() if n.endswith(".pdf")))
    event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_PASSWORD_RESET)
    assert (event.actor_label, event.summary) == ("p1", "重置账号 s2 的密码")
    assert new not in repr([event.summary, event.before, event.after]) and new not in caplog.text

    other = client_for_login()
    assert password_login(other, "s2", passwords["s2"]).status_code == 200  # the old one is gone
    assert password_login(other, "s2", new).status_code == 302
    assert other.get(reverse("portal:home"))["Location"] == reverse("accounts:password_change")
    _change_password(other, new)
    assert other.get(reverse("portal:home")).status_code == 200


def test_a_reset_lifts_the_lock_that_guesses_at_the_old_password_left():
    # The owner who forgot his password tried it five times and is locked out at his office's address;
    # the level above gives him a new one, which works there at once: guesses at a password that no
    # longer exists count for nothing.
    _, users, passwords = _steward_world()
    owner = client_for_login()
    for n in range(PAIR_MAX_FAILURES):
        assert password_login(owner, "s2", f"Wrong-guess-{n}").status_code == 200
    assert login_lock(username="s2", ip="127.0.0.1") is not None
    record_login_failure(username="s1", ip="127.0.0.1")  # another account's failure stays counted
    issued = reset_password(users["s2"], actor=users["p1"])
    assert login_lock(username="s2", ip="127.0.0.1") is None
    assert password_login(owner, "s2", issued.password).status_code == 302
    assert LoginFailure.objects.filter(username="s1").count() == 1


def _pdf_text(content: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(content)
    return "".join(page.get_textpage().get_text_range() for page in document)


def test_the_level_above_only(client):
    _, users, _ = _steward_world()
    # 大同's reviewer: not 太原's unit admin (404), nor a reviewer (404); a unit admin: no such page (403).
    client.force_login(users["dt"])
    for target in ("s1", "ty", "p1", "dt"):
        response = client.post(
            reverse("accounts:account_act"), {"account": users[target].pk, "action": "disable"}
        )
        assert response.status_code == 404, target
    listed = {u.username for u in client.get(reverse("accounts:accounts")).context["page"]}
    assert listed == {"s2"}
    client.force_login(users["p1"])
    listed = {u.username for u in client.get(reverse("accounts:accounts")).context["page"]}
    assert listed == {"ty", "dt", "s1", "s2"}
    User.objects.filter(username="s1").update(must_change_password=False)
    client.force_login(users["s1"])
    assert client.get(reverse("accounts:accounts")).status_code == 403
    assert client.post(reverse("accounts:accounts_generate")).status_code == 403
    assert User.objects.filter(is_active=False).count() == 0


def test_the_province_imports_on_the_page_and_gets_the_slips(client):
    _small_tree()
    province = User.objects.create_user(username="p", password="x", role=UserRole.PROVINCE_ADMIN,
                                         org=Org.objects.get(code="P"))  # fmt: skip
    client.force_login(province)
    assert client.get(reverse("accounts:accounts_import")).status_code == 200
    upload = io.BytesIO(f"{HEADER}\nw1,张测试,13900000005,TY-S1,单位管理员\n".encode("utf-8-sig"))
    upload.name = "账号.csv"
    response = client.post(reverse("accounts:accounts_import"), {"file": upload})
    assert response.status_code == 200
    files = _zip_files(response.content)
    assert sorted(files) == ["账号单-太原市通讯站.pdf", "账号单-太原市通讯站.xlsx"]
    assert set(_slip_passwords(files)) == {"w1"}
    bad = io.BytesIO(f"{HEADER}\nw2,张测试,,NOPE,单位管理员\n".encode())
    bad.name = "账号.csv"
    response = client.post(reverse("accounts:accounts_import"), {"file": bad})
    assert response.status_code == 200
    assert "组织编码不存在" in response.content.decode()
    assert not User.objects.filter(username="w2").exists()


def test_the_province_generates_on_the_page(client):
    _small_tree()
    province = User.objects.create_user(username="p", password="x", role=UserRole.PROVINCE_ADMIN,
                                         org=Org.objects.get(code="P"))  # fmt: skip
    client.force_login(province)
    page = client.get(reverse("accounts:accounts"))
    assert page.context["missing"] == 4
    response = client.post(reverse("accounts:accounts_generate"))
    assert response.status_code == 200
    files = _zip_files(response.content)
    assert sorted(files) == sorted(
        [
            "账号单-太原市通讯站.pdf",
            "账号单-太原市通讯站.xlsx",
            "账号单-大同市通讯站.pdf",
            "账号单-大同市通讯站.xlsx",
        ]
    )
    assert set(_slip_passwords(files)) == {"dw-TY-S1", "dw-DT-S2", "bs-TY", "bs-DT"}
    response = client.post(reverse("accounts:accounts_generate"))
    assert response.status_code == 302


@pytest.mark.parametrize("rows", [1, 3])
def test_the_accounts_list_reads_in_a_fixed_number_of_queries(client, django_assert_num_queries, rows):
    orgs = _small_tree()
    province = User.objects.create_user(username="p", password="x", role=UserRole.PROVINCE_ADMIN,
                                         org=orgs["P"])  # fmt: skip
    for n in range(rows):
        User.objects.create_user(username=f"u{n}", password="x", role=UserRole.UNIT_ADMIN, org=orgs["TY-S1"])
    client.force_login(province)
    client.get(reverse("accounts:accounts"))  # the session's first reads
    # 11: the running campaign is read once to know which year's org tree the missing accounts are counted in.
    with django_assert_num_queries(11):
        response = client.get(reverse("accounts:accounts"))
    assert len(response.context["page"]) == rows


def test_initial_passwords_take_a_light_argon2_which_the_first_login_rehashes_in_full(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    _small_tree()
    result = import_accounts(f"{HEADER}\na1,张测试,,TY-S1,单位管理员\n".encode())
    user = User.objects.get(username="a1")
    assert user.password.startswith("argon2$argon2id$v=19$m=1024,t=1,p=1$")
    assert password_login(client, "a1", result.created[0].password).status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=102400,t=2,p=8$")
    assert user.must_change_password is True  # a rehash is no change of password


def test_the_page_makes_at_most_a_batch_of_accounts_per_request(client, monkeypatch):
    from jixing.accounts import stewardship_views

    monkeypatch.setattr(stewardship_views, "WEB_BATCH", 3)
    _small_tree()
    for n in range(4):
        import_orgs(f"组织编码,组织名称,上级组织编码,层级\nTY-X{n},太原测试学校{n},TY,单位\n".encode())
    province = User.objects.create_user(username="p", password="x", role=UserRole.PROVINCE_ADMIN,
                                         org=Org.objects.get(code="P"))  # fmt: skip
    client.force_login(province)
    rows = [HEADER] + [f"w{n},张测试,,TY-S1,单位管理员" for n in range(4)]
    upload = io.BytesIO("\n".join(rows).encode())
    upload.name = "账号.csv"
    response = client.post(reverse("accounts:accounts_import"), {"file": upload})
    assert response.status_code == 200
    assert "网页一次最多新建 3 个账号" in response.content.decode()
    assert not User.objects.filter(username__startswith="w").exists()
    # Generation: 8 accounts are missing (6 units, 2 reporting units), made 3, 3 and 2 at a time.
    made = []
    for _ in range(3):
        response = client.post(reverse("accounts:accounts_generate"))
        made.append(len(_slip_passwords(_zip_files(response.content))))
    assert made == [3, 3, 2]
    assert client.post(reverse("accounts:accounts_generate")).status_code == 302

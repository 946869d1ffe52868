"""jixing demo-data: a seeded, repeatable, entirely synthetic Shanxi for trying every role now."""

from __future__ import annotations

import time
from argparse import ArgumentTypeError
from collections import Counter
from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from jixing.accounts.domain.enrolment import issue_enrolment_code
from jixing.accounts.domain.second_factor import confirmed_device
from jixing.accounts.enums import UserRole
from jixing.accounts.models import User
from jixing.campaigns.domain.calendar import CalendarUnknown
from jixing.campaigns.domain.definitions import DefinitionError
from jixing.campaigns.enums import PhaseKey
from jixing.demo.accounts import DEMO_PASSWORD, DEMO_URL, accounts_table
from jixing.demo.generate import DEFAULT_SEED, MIN_LEARNERS, DemoRun, run_demo
from jixing.demo.load import SNAPSHOT_NAME, DemoDataRefused
from jixing.demo.orgs import DEFAULT_LEARNERS
from jixing.demo.phases import PhaseChoiceError, parse_phase
from jixing.demo.plan import LearnerPlan


def _moment(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ArgumentTypeError(f"时间格式不对：{value}") from exc
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def claimable_learner(run: DemoRun) -> LearnerPlan | None:
    """A learner of the demo school with an ID number and no account yet, for trying the claim by hand:
    the first by 学号, so that the same seed names the same one."""
    if run.loaded is None or run.loaded.users["school"].org is None:
        return None
    school = run.loaded.users["school"].org
    taken = {user.account_id for user in run.loaded.users.values() if user.account_id}
    candidates = [
        learner
        for learner in run.province.learners
        if learner.id_number
        and learner.account_id not in taken
        and (learner.org_code == school.code or learner.org_code.startswith(f"{school.code}-"))
    ]
    return min(candidates, key=lambda learner: learner.account_id, default=None)


class Command(BaseCommand):
    help = (
        "生成一个虚构的山西省演示数据（组织、学员积分、角色、各项目各状态的申报和演示账号），"
        "并把演示活动的各阶段平移到今天所在的阶段。同一种子每次生成相同的数据，重复运行不会叠加。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"随机种子（默认 {DEFAULT_SEED}）")
        parser.add_argument(
            "--learners",
            type=int,
            default=DEFAULT_LEARNERS,
            help=f"积分快照中的学员数（默认 {DEFAULT_LEARNERS}，至少 {MIN_LEARNERS}）",
        )
        parser.add_argument(
            "--phase",
            default="申报推荐",
            help="让今天落在演示活动的哪个阶段：申报推荐/审核报送/汇总公示/通报表扬 或 apply/screen/announce/commend",
        )
        parser.add_argument(
            "--files", type=Path, metavar="DIR", help="同时把演示数据写成导入模板文件（XLSX、CSV）"
        )
        parser.add_argument(
            "--files-only", action="store_true", help="只写文件，不改动数据库（需同时给出 --files）"
        )
        parser.add_argument("--force", action="store_true", help="数据库中已有非演示数据的组织时仍然覆盖")
        parser.add_argument(
            "--now",
            type=_moment,
            metavar="TIME",
            help="按这个时间而不是现在来平移阶段，ISO 8601，例如 2026-12-01T09:00+08:00（用于准备演示或测试）",
        )

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        try:
            phase = parse_phase(options["phase"])
        except PhaseChoiceError as exc:
            raise CommandError(str(exc)) from exc
        if options["learners"] < MIN_LEARNERS:
            raise CommandError(f"--learners 至少为 {MIN_LEARNERS}")
        if options["files_only"] and options["files"] is None:
            raise CommandError("--files-only 需要同时给出 --files 目录")
        try:
            run = run_demo(
                seed=options["seed"],
                learners=options["learners"],
                phase=phase,
                now=options["now"] or timezone.now(),
                files=options["files"],
                load=not options["files_only"],
                force=options["force"],
                phase_label=PhaseKey(phase).label,
            )
        except (DemoDataRefused, DefinitionError, CalendarUnknown) as exc:
            raise CommandError(str(exc)) from exc
        self._report(run, seconds=time.monotonic() - started)

    def _report(self, run: DemoRun, *, seconds: float) -> None:
        province, out = run.province, self.stdout
        levels = Counter(str(org.level) for org in province.orgs)
        states = {(n.category_number, n.target) for n in province.nominations}
        out.write(f"演示数据（种子 {province.seed}）已生成，用时 {seconds:.1f} 秒：")
        out.write(
            f"  组织 {len(province.orgs)} 个：报送单位 {levels['报送单位']}，县级 {levels['县级']}，"
            f"单位 {levels['单位']}，部门 {levels['部门']}"
        )
        out.write(
            f"  学员 {len(province.learners)} 名（快照“{SNAPSHOT_NAME}”），角色 {len(province.roles)} 个"
        )
        out.write(f"  申报 {len(province.nominations)} 份，覆盖 {len(states)} 种“项目 × 状态”组合")
        for path in run.files:
            out.write(f"  已写入 {path}")
        if run.loaded is None:
            out.write("（--files-only：数据库未改动）")
            return
        campaign = run.loaded.campaign
        phase = campaign.phase_at(run.windows.now)
        window = ""
        if phase is not None:
            ends = f"{timezone.localtime(phase.ends_at):%Y-%m-%d %H:%M}" if phase.ends_at else "不设截止"
            window = f"（{timezone.localtime(phase.starts_at):%Y-%m-%d %H:%M} 至 {ends}）"
        out.write(
            f"演示活动：{campaign.name}（{campaign.slug}），当前阶段：{phase.name if phase else '无'}{window}"
        )
        rows = []
        for username, user in run.loaded.users.items():
            rows.append(
                (username, UserRole(user.role).label, user.org.name if user.org else "", DEMO_PASSWORD)
            )
        out.write(f"\n打开 {DEMO_URL} ，用下列账号登录（province 也可进入 {DEMO_URL}/admin/）：\n")
        out.write(accounts_table(rows))
        out.write("\n" + self._second_factor_note(run.loaded.users["province"]) + "\n")
        claimable = claimable_learner(run)
        if claimable is not None:
            out.write(
                f"学员自助认领账号：打开 {DEMO_URL}/accounts/claim/ ，输入学号 {claimable.account_id}、姓名 "
                f"{claimable.name}、身份证号 {claimable.id_number}（均为虚构），设置密码后即可填写本人的申报，"
                "由本单位（school）确认。\n"
            )

    def _second_factor_note(self, province: User) -> str:
        """How the demo's province admin binds the authenticator: with a one-time enrolment code issued
        now and shown only here, as on a real instance (never a documented key: the demo's password is
        public, and the second factor is what stands between it and the admin)."""
        if confirmed_device(province) is not None:
            return (
                "省平台管理员须二次验证：province 已绑定身份验证器，登录时输入其上的 6 位动态验证码。换手机或重来："
                "jixing twofactor-reset province，再 jixing issue-enrolment-code province 获取新的绑定码。"
            )
        issued = issue_enrolment_code(user=province)
        until = timezone.localtime(issued.expires_at).strftime("%Y-%m-%d %H:%M")
        return (
            f"省平台管理员须二次验证：province 首次登录时先输入绑定码 {issued.code}（一次性，{until} 前有效），"
            "再用手机身份验证器（如微信小程序“腾讯身份验证器”、Google Authenticator）扫描页面上的二维码并输入 "
            "6 位验证码。绑定码只在此显示；过期或遗失时运行 jixing issue-enrolment-code province 重新签发。"
        )

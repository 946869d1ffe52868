"""jixing evaluate — the four files in, every nomination's outcomes as JSON out (data-formats.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from jixing.campaigns.domain.definitions import DefinitionError, install_campaign, read_definition
from jixing.nominations.domain.evaluation import evaluate_nominations
from jixing.nominations.domain.imports import import_nominations
from jixing.nominations.models import Nomination
from jixing.orgs.domain.imports import import_orgs
from jixing.people.domain.imports import import_roles, import_snapshot
from jixing.tables import ImportRefused, format_problem_table


class Command(BaseCommand):
    help = "批量判定：读入组织架构、积分快照、角色、申报四个文件，按活动规则判定每条申报，输出 JSON"

    def add_arguments(self, parser):
        parser.add_argument("--orgs", required=True, help="组织架构文件（CSV 或 XLSX）")
        parser.add_argument("--learners", required=True, help="积分快照文件")
        parser.add_argument("--roles", required=True, help="角色文件")
        parser.add_argument("--nominations", required=True, help="申报文件")
        parser.add_argument("--campaign", default="shanxi-2022", help="活动定义标识或目录，默认 shanxi-2022")
        parser.add_argument("--out", required=True, help="输出 JSON 文件；- 表示标准输出")
        parser.add_argument("--with-values", action="store_true", help="同时输出判定每条规则所依据的数值")

    def handle(self, *args, **options):
        if settings.DATABASES["default"]["NAME"] != ":memory:":
            raise CommandError("jixing evaluate 只在临时内存数据库中运行，请通过 jixing 命令调用")
        files = {key: Path(options[key]) for key in ("orgs", "learners", "roles", "nominations")}
        for key, path in files.items():
            if not path.is_file():
                raise CommandError(f"找不到 --{key} 文件：{path}")
        try:
            definition = read_definition(options["campaign"])
        except DefinitionError as exc:
            raise CommandError(str(exc)) from exc
        call_command("migrate", verbosity=0, interactive=False)
        campaign = install_campaign(definition)
        steps = [
            ("组织架构", files["orgs"], lambda f: import_orgs(f)),
            (
                "积分快照",
                files["learners"],
                lambda f: import_snapshot(f, name=f.name, taken_at=campaign.baseline_at),
            ),
            ("角色", files["roles"], lambda f: import_roles(f)),
            ("申报", files["nominations"], lambda f: import_nominations(f, campaign=campaign)),
        ]
        for label, path, run in steps:
            try:
                run(path)
            except ImportRefused as exc:
                self.stderr.write(f"{label}文件 {path} 未通过检查：{exc.summary}")
                self.stderr.write(format_problem_table(exc.errors, omitted=exc.omitted))
                raise CommandError(f"{label}文件有误，未作判定") from exc
        nominations = list(
            Nomination.objects.filter(campaign=campaign)
            .select_related("category", "recommending_org", "reporting_unit")
            .order_by("pk")
        )
        results = evaluate_nominations(campaign, nominations)
        document = {
            "campaign": definition["id"],
            "nominations": [r.to_json(with_values=options["with_values"]) for r in results],
        }
        text = json.dumps(document, ensure_ascii=False, indent=1)
        if options["out"] == "-":
            sys.stdout.write(text + "\n")
        else:
            Path(options["out"]).write_text(text + "\n", encoding="utf-8")
            self.stderr.write(f"已判定 {len(results)} 条申报，结果写入 {options['out']}")

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jixing.campaigns.domain.definitions import (
    DefinitionError,
    available_definitions,
    install_campaign,
    read_definition,
)
from jixing.campaigns.domain.next_year import FileRefused, start_campaign
from jixing.campaigns.models import Campaign
from jixing.people.domain.imports import SnapshotImportBusy
from jixing.tables import format_problem_table

FILES = {"orgs": "组织架构", "learners": "积分快照", "roles": "角色"}


class Command(BaseCommand):
    help = (
        "从定义文件加载（或更新）评选活动，例如：jixing load-campaign shanxi-2022。"
        "新一年度：复制定义文件夹、改新的 id、年度和日期，再带上当年的文件："
        "jixing load-campaign ./shanxi-2023 --orgs 组织架构.xlsx --learners 积分快照.csv --roles 角色.xlsx，"
        "新活动使用自己的组织架构、积分快照和角色，往年活动的数据和结果不受影响"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "definition", help=f"定义标识或目录（已有：{'、'.join(available_definitions())}）"
        )
        parser.add_argument("--slug", help="活动标识，默认与定义标识相同")
        parser.add_argument(
            "--orgs", help="新一年度的组织架构文件（CSV 或 XLSX）：给出时新活动使用自己的组织架构"
        )
        parser.add_argument("--learners", help="新一年度的积分快照文件（须同时给出 --orgs）")
        parser.add_argument("--roles", help="新一年度的角色文件（须同时给出 --orgs）")

    def handle(self, *args, **options):
        try:
            definition = read_definition(options["definition"])
        except DefinitionError as exc:
            raise CommandError(str(exc)) from exc
        files = {key: options[key] for key in FILES if options[key]}
        if not files:
            slug = options["slug"] or definition["id"]
            is_new = not Campaign.objects.filter(slug=slug).exists()
            campaign = install_campaign(definition, slug=slug)
            phases = "、".join(p.name for p in campaign.phases.all())
            self.stdout.write(f"已加载评选活动：{campaign.name}（{campaign.slug}），阶段：{phases}")
            sharing = Campaign.objects.filter(org_tree_id=campaign.org_tree_id).exclude(pk=campaign.pk)
            if is_new and sharing.exists():
                self.stderr.write(
                    f"提醒：新活动与{'、'.join(c.name for c in sharing)}共用组织架构、积分快照和角色，"
                    "此后的导入会改变往年活动的数据和判定。新一年度请带上当年的文件："
                    "jixing load-campaign 定义目录 --orgs 组织架构文件 [--learners 积分快照文件] [--roles 角色文件]"
                )
            return
        if "orgs" not in files:
            raise CommandError("新一年度的活动须有自己的组织架构：请同时给出 --orgs 文件")
        paths = {key: Path(value) for key, value in files.items()}
        for key, path in paths.items():
            if not path.is_file():
                raise CommandError(f"找不到{FILES[key]}文件：{path}")
        try:
            result = start_campaign(
                definition,
                slug=options["slug"],
                orgs=paths["orgs"],
                learners=paths.get("learners"),
                roles=paths.get("roles"),
            )
        except DefinitionError as exc:
            raise CommandError(str(exc)) from exc
        except FileRefused as exc:
            self.stderr.write(
                format_problem_table(exc.refused.errors, omitted=exc.refused.omitted), ending=""
            )
            raise CommandError(f"{exc}；新活动未创建，已导入的内容已撤回") from None
        except SnapshotImportBusy as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(result.summary)

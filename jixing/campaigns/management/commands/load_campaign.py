from django.core.management.base import BaseCommand, CommandError

from jixing.campaigns.domain.definitions import (
    DefinitionError,
    available_definitions,
    install_campaign,
    read_definition,
)


class Command(BaseCommand):
    help = "从定义文件加载（或更新）评选活动，例如：jixing load-campaign shanxi-2022"

    def add_arguments(self, parser):
        parser.add_argument(
            "definition", help=f"定义标识或目录（已有：{'、'.join(available_definitions())}）"
        )
        parser.add_argument("--slug", help="活动标识，默认与定义标识相同")

    def handle(self, *args, **options):
        try:
            definition = read_definition(options["definition"])
        except DefinitionError as exc:
            raise CommandError(str(exc)) from exc
        campaign = install_campaign(definition, slug=options["slug"])
        phases = "、".join(p.name for p in campaign.phases.all())
        self.stdout.write(f"已加载评选活动：{campaign.name}（{campaign.slug}），阶段：{phases}")

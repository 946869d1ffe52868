"""jixing generate-accounts --slips DIR — make the accounts the org tree implies (a 单位管理员 for every
单位, a 报送单位审核员 for every 报送单位) and lacks; write their slips into DIR."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from jixing.accounts.domain.generation import generate_org_accounts
from jixing.accounts.management.slips_folder import SLIPS_HELP, checked_folder, write_and_report


class Command(BaseCommand):
    help = "按组织架构生成账号：每个单位一个单位管理员、每个报送单位一个报送单位审核员（已有的跳过），初始密码写入账号单"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--slips", metavar="DIR", help=SLIPS_HELP)

    def handle(self, *args, **options) -> None:
        folder = checked_folder(options.get("slips"))
        result = generate_org_accounts()
        write_and_report(result.created, folder, self.stdout)
        self.stdout.write(result.summary)

from django.core.management.base import BaseCommand, CommandError

from jixing.accounts.domain.second_factor import reset_second_factor
from jixing.accounts.models import User


class Command(BaseCommand):
    help = "重置账号的身份验证器（手机丢失或更换时）：下次登录时重新扫码绑定"

    def add_arguments(self, parser):
        parser.add_argument("username", help="账号")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"账号不存在：{options['username']}")
        count = reset_second_factor(user=user)
        self.stdout.write(
            f"已重置 {user.username} 的身份验证器（删除 {count} 个）。重新绑定需要绑定码："
            f"jixing issue-enrolment-code {user.username}"
        )

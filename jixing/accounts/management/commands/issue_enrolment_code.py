from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jixing.accounts.domain.enrolment import EnrolmentRefused, issue_enrolment_code
from jixing.accounts.models import User


class Command(BaseCommand):
    help = "为省平台管理员签发一次性的身份验证器绑定码（72 小时内有效）：凭此码才能在登录后绑定手机"

    def add_arguments(self, parser):
        parser.add_argument("username", help="账号")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"账号不存在：{options['username']}")
        try:
            issued = issue_enrolment_code(user=user)
        except EnrolmentRefused as exc:
            raise CommandError(str(exc)) from None
        until = timezone.localtime(issued.expires_at).strftime("%Y-%m-%d %H:%M")
        self.stdout.write(f"{user.username} 的身份验证器绑定码：{issued.code}")
        self.stdout.write(
            f"{until} 前有效，只能使用一次；此前未使用的绑定码已作废。请当面或通过可靠渠道告知本人："
            "登录后输入此码，再用手机扫码绑定。"
        )

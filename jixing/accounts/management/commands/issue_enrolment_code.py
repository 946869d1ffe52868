from django.core.management.base import CommandError
from django.utils import timezone

from jixing.accounts.domain.enrolment import EnrolmentRefused, issue_enrolment_code
from jixing.accounts.management.account_command import AccountCommand
from jixing.accounts.models import User


class Command(AccountCommand):
    help = "为省平台管理员签发一次性的身份验证器绑定码（72 小时内有效）：凭此码才能在登录后绑定手机"

    def act(self, user: User) -> None:
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

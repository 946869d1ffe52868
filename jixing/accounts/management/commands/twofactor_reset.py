from jixing.accounts.domain.second_factor import reset_second_factor
from jixing.accounts.management.account_command import AccountCommand
from jixing.accounts.models import User


class Command(AccountCommand):
    help = "重置账号的身份验证器（手机丢失或更换时）：下次登录时重新扫码绑定"

    def act(self, user: User) -> None:
        count = reset_second_factor(user=user)
        self.stdout.write(
            f"已重置 {user.username} 的身份验证器（删除 {count} 个）。重新绑定需要绑定码："
            f"jixing issue-enrolment-code {user.username}"
        )

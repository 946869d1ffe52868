"""What the commands that act on one account share: the username argument and a Chinese refusal when no
account has it."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from jixing.accounts.models import User


class AccountCommand(BaseCommand):
    """`jixing <command> USERNAME`: `act(user)` runs on the account."""

    def add_arguments(self, parser):
        parser.add_argument("username", help="账号")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"账号不存在：{options['username']}")
        self.act(user)

    def act(self, user: User) -> None:
        raise NotImplementedError

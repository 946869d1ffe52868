"""The `jixing` command: Django's manage.py under the product's name (jixing migrate, jixing demo-data …)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixing.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    # Commands are spelt with hyphens on the command line (jixing demo-data), modules with underscores.
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    if args and args[0] == "evaluate":
        # `jixing evaluate` needs no database set-up: it works in a throwaway in-memory database, whatever
        # DATABASE_URL says, so a batch check can never touch a live instance.
        os.environ["DATABASE_URL"] = "sqlite://:memory:"
    execute_from_command_line(["jixing", *args])


if __name__ == "__main__":
    main()

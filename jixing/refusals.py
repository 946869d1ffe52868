"""The one exception for a change the rules do not allow now.

Every domain refusal (`TransitionRefused`, `ListRefused`, `PublishRefused` …) subclasses `Refused`, so a
view catches the base once and shows its message. Pure Python on purpose: every floor raises it, the
ground floor (`tables/`) included, so it sits beside the apps rather than in one of them.
"""

from __future__ import annotations


class Refused(Exception):
    """A change refused with a reason for the user.

    `message` says why, in Chinese, ready to show; `rule_id` names the campaign rule that refused it
    (G.6, G.7, G.8 …) when one did.
    """

    def __init__(self, message: str, *, rule_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.rule_id = rule_id

    def __str__(self) -> str:
        return self.message

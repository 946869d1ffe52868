"""How much free text a person may type: one table for the forms (a `maxlength` and 「最多 N 字」 beside
each field) and the domain functions (which refuse longer text in Chinese, whatever sent it).

Without a cap, a 250,000-character comment makes a 1.5 MB page for everyone who opens the nomination.
Caps are counted as a reader counts: characters of the trimmed text.
"""

from __future__ import annotations

# Reasons and comments a reviewer writes beside a decision: returning, rejecting, withdrawing,
# reopening, changing the default order, judging a rule, notes on an approval, extending a window.
REASON_MAX = 500
# Statements that explain a case: the unit's 推荐理由说明 (warn reasons), a public objection and the
# province's finding on it (核查情况, which also becomes the reason of a withdrawal).
STATEMENT_MAX = 2000


def hint(cap: int) -> str:
    return f"最多 {cap} 字"


def length_problem(text: str, *, what: str, cap: int) -> str | None:
    """None when `text` (trimmed) fits in `cap` characters, else the refusal naming `what`."""
    used = len(text.strip())
    if used <= cap:
        return None
    return f"{what}最多 {cap} 字，当前 {used} 字，请精简"

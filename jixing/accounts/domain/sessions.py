"""Session lifetime: 30 idle minutes, 12 hours at most from login.

Two timestamps in the session itself (seconds since the epoch): when the user logged in, and when a
request was last seen. The last-seen stamp is rewritten at most once a minute, so a busy page does not
write the session row on every request (SESSION_SAVE_EVERY_REQUEST would, and would take SQLite's write
lock each time); idle expiry is therefore exact to within that minute. SESSION_COOKIE_AGE (12 h) bounds
the stored session as well, so even a session the middleware never saw again is gone from the database
after 12 hours (`clearsessions`).
"""

from __future__ import annotations

import enum

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase

LOGIN_AT = "jixing_login_at"
SEEN_AT = "jixing_seen_at"
TOUCH_EVERY = 60


class SessionEnd(enum.StrEnum):
    IDLE = "idle"
    ABSOLUTE = "absolute"
    UNSTAMPED = "unstamped"


MESSAGES = {
    SessionEnd.IDLE: "您已超过 30 分钟未操作，为保护账号安全已自动退出，请重新登录。",
    SessionEnd.ABSOLUTE: "登录已满 12 小时，为保护账号安全已自动退出，请重新登录。",
    SessionEnd.UNSTAMPED: "登录状态已失效，请重新登录。",
}


def stamp_login(session: SessionBase, *, now: float) -> None:
    session[LOGIN_AT] = int(now)
    session[SEEN_AT] = int(now)


def session_end(session: SessionBase, *, now: float) -> SessionEnd | None:
    """Why a logged-in session is over, or None while it may go on."""
    login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
    if not isinstance(login_at, int) or not isinstance(seen_at, int):
        # Logged in without our login signal having run: not a session this platform issued.
        return SessionEnd.UNSTAMPED
    if now - login_at >= settings.SESSION_ABSOLUTE_SECONDS:
        return SessionEnd.ABSOLUTE
    if now - seen_at >= settings.SESSION_IDLE_SECONDS:
        return SessionEnd.IDLE
    return None


def touch(session: SessionBase, *, now: float) -> None:
    if now - session.get(SEEN_AT, 0) >= TOUCH_EVERY:
        session[SEEN_AT] = int(now)

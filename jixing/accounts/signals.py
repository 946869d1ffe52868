"""Every login starts the session clocks (domain/sessions.py)."""

from __future__ import annotations

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from jixing.accounts.domain.sessions import stamp_login


@receiver(user_logged_in)
def _stamp_session(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        stamp_login(request.session, now=time.time())

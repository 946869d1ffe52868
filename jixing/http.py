"""The request as the faces' views receive it, typed for mypy.

Views behind `login_required` take an `AuthedRequest`: its `user` is our User (never AnonymousUser),
and `htmx` is what django-htmx's middleware attaches to every request (settings.MIDDLEWARE). Nothing here
exists at run time beyond Django's own HttpRequest; the class only names what the middleware guarantees.
"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from jixing.accounts.models import User


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


class AuthedRequest(HtmxRequest):
    user: User  # never AnonymousUser behind login_required

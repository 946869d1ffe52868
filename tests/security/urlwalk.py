"""Every URL pattern of the product, by name, with the names of its arguments."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

# Django's own admin is checked by its own test (province admins only); its login is redirected.
SKIPPED_PREFIXES = ("admin/",)


def all_url_names() -> Iterator[tuple[str, str, list[str]]]:
    def walk(patterns, prefix: str, namespace: str):
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern).startswith(SKIPPED_PREFIXES):
                    continue
                ns = namespace + (f"{p.namespace}:" if p.namespace else "")
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                if str(prefix + str(p.pattern)).startswith(SKIPPED_PREFIXES):
                    continue
                yield namespace + (p.name or ""), prefix + str(p.pattern), list(p.pattern.converters)

    yield from walk(get_resolver().url_patterns, "", "")

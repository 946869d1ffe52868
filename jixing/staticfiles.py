"""Static files served by the application itself (WhiteNoise), DEBUG or not."""

from __future__ import annotations

import os

from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, serving the apps' static folders through the finders (WHITENOISE_USE_FINDERS), and
    quiet about a STATIC_ROOT that no collectstatic has filled yet: `make demo` needs none."""

    def add_files(self, root: str, prefix: str | None = None) -> None:
        if os.path.isdir(root):
            super().add_files(root, prefix)

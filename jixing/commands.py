"""What the import commands share: find the file, run the import, show its progress, print every problem
on refusal."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, OutputWrapper

from jixing.imports.domain.progress import COUNTED_PHASES
from jixing.people.domain.imports import SnapshotImportBusy
from jixing.people.domain.progress import ImportProgress, Phase
from jixing.tables import ImportRefused, format_problem_table

BAR_WIDTH = 24
REDRAW_EVERY = 0.2  # seconds between two redraws of the terminal line
PLAIN_STEPS = 10  # a plain line every 10 % of a phase


class FileImportCommand(BaseCommand):
    """A command whose first argument is a CSV/XLSX file; subclasses say what `run` imports."""

    file_help = "文件"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help=self.file_help)

    def run(self, path: Path, options: dict[str, Any]) -> Any:
        raise NotImplementedError

    def handle(self, *args, file: str, **options) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        try:
            result = self.run(path, options)
        except ImportRefused as exc:
            self.stderr.write(format_problem_table(exc.errors, omitted=exc.omitted), ending="")
            raise CommandError(exc.summary) from None
        except SnapshotImportBusy as exc:
            raise CommandError(str(exc)) from None
        if result.warnings:
            self.stderr.write(
                "提醒：\n" + format_problem_table(result.warnings, omitted=result.warnings_omitted)
            )
        self.stdout.write(result.summary)


class ProgressPrinter:
    """An importer's `progress` callback for a command line, writing to `out` (the command's stderr, so
    that stdout carries only the result).

    On a terminal: one line redrawn in place with \\r — a bar, the phase, rows, rows per second, time left.
    Elsewhere (a log file, a pipe, cron mail): plain lines such as `校验 1200000/8000000 行（15%）`, one at
    each phase change and one per 10 % of a phase at most.
    """

    def __init__(self, out: OutputWrapper, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.out = out
        self.clock = clock
        self.tty = out.isatty()
        self.phase: Phase | None = None
        self.phase_started = 0.0
        self.step = -1
        self.last_draw = float("-inf")
        self.drawn = False

    def __call__(self, progress: ImportProgress) -> None:
        now = self.clock()
        changed = progress.phase != self.phase
        if changed:
            if self.drawn:
                self._write("\n")  # keep the finished phase's line on the terminal
                self.drawn = False
            self.phase, self.phase_started, self.step = progress.phase, now, -1
        if progress.phase == Phase.DONE:
            return
        if self.tty:
            if changed or now - self.last_draw >= REDRAW_EVERY:
                self.last_draw = now
                self._write("\r" + self._line(progress, now, bar=True) + "\x1b[K")
                self.drawn = True
            return
        step = int(progress.fraction * PLAIN_STEPS) if progress.fraction is not None else 0
        if changed or step > self.step:
            self.step = step
            self._write(self._line(progress, now, bar=False) + "\n")

    def finish(self) -> None:
        """End the terminal line (call once the import has returned or raised)."""
        if self.drawn:
            self._write("\n")
            self.drawn = False

    def _line(self, progress: ImportProgress, now: float, *, bar: bool) -> str:
        if progress.phase not in COUNTED_PHASES:
            # Reported once, as it begins (indexes with every row "done"): no bar that would read as finished.
            return f"{progress.label} {progress.total if progress.total is not None else progress.done} 行"
        parts = [progress.label]
        fraction = progress.fraction
        if bar and fraction is not None:
            filled = round(fraction * BAR_WIDTH)
            parts.append("[" + "#" * filled + "-" * (BAR_WIDTH - filled) + "]")
        if progress.total is None:
            parts.append(f"{progress.done} 行")
        else:
            parts.append(f"{progress.done}/{progress.total} 行（{int((fraction or 0) * 100)}%）")
        elapsed = now - self.phase_started
        if progress.done and elapsed > 0:
            rate = progress.done / elapsed
            parts.append(f"{round(rate)} 行/秒")
            if bar and progress.total and fraction is not None and fraction < 1:
                parts.append(f"本阶段剩余约 {max(1, round((progress.total - progress.done) / rate))} 秒")
        return " ".join(parts)

    def _write(self, text: str) -> None:
        self.out.write(text, style_func=lambda line: line, ending="")
        self.out.flush()

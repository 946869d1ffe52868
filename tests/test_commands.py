"""What the import commands share (jixing/commands.py): the progress display, a busy importer."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import OutputWrapper

from jixing.commands import ProgressPrinter
from jixing.people.domain.progress import ImportProgress, Phase
from tests.factories import make_small_province
from tests.files import LEARNER_HEADER, csv_file
from tests.processes import snapshot_import_elsewhere


class Terminal(StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _feed(printer: ProgressPrinter, clock: Clock, reports) -> None:
    for at, phase, done, total in reports:
        clock.now = at
        printer(ImportProgress(phase, done, total))
    printer.finish()


REPORTS = [
    (0.0, Phase.VALIDATE, 0, 1000),
    (1.0, Phase.VALIDATE, 50, 1000),  # under 10 %: no line
    (2.0, Phase.VALIDATE, 120, 1000),
    (2.1, Phase.VALIDATE, 150, 1000),  # same 10 % step
    (4.0, Phase.VALIDATE, 1000, 1000),
    (4.0, Phase.WRITE, 0, 1000),
    (6.0, Phase.WRITE, 1000, 1000),
    (6.0, Phase.INDEX, 1000, 1000),  # reported once, as it begins
    (9.0, Phase.DONE, 1000, 1000),
]


def test_progress_off_a_terminal_is_plain_lines_per_phase_and_ten_percent():
    out, clock = StringIO(), Clock()
    _feed(ProgressPrinter(OutputWrapper(out), clock=clock), clock, REPORTS)
    assert out.getvalue().splitlines() == [
        "校验 0/1000 行（0%）",
        "校验 120/1000 行（12%） 60 行/秒",
        "校验 1000/1000 行（100%） 250 行/秒",
        "写入 0/1000 行（0%）",
        "写入 1000/1000 行（100%） 500 行/秒",
        "建索引 1000 行",
    ]


def test_progress_on_a_terminal_redraws_one_line_per_phase():
    out, clock = Terminal(), Clock()
    _feed(ProgressPrinter(OutputWrapper(out), clock=clock), clock, REPORTS)
    text = out.getvalue()
    lines = text.split("\n")
    assert len(lines) == 4 and lines[-1] == ""  # one line per phase, each ended once
    validate = lines[0].split("\r")[1:]
    assert validate[0] == "校验 [------------------------] 0/1000 行（0%）\x1b[K"
    assert (
        validate[2] == "校验 [###---------------------] 120/1000 行（12%） 60 行/秒 本阶段剩余约 15 秒\x1b[K"
    )
    assert lines[1].split("\r")[-1] == "写入 [########################] 1000/1000 行（100%） 500 行/秒\x1b[K"
    assert lines[2] == "\r建索引 1000 行\x1b[K"


@pytest.mark.django_db
def test_an_import_command_stops_in_chinese_while_another_snapshot_import_runs(tmp_path):
    make_small_province()
    path = tmp_path / "snapshot.csv"
    path.write_bytes(csv_file([LEARNER_HEADER, ["u1", "张三", "10000000001", "", "TY-QX-S1", "10", "5", ""]]))
    with snapshot_import_elsewhere():
        with pytest.raises(CommandError, match="^另一个积分快照正在导入，请等它完成后再导入$"):
            call_command("import_learners", str(path), stdout=StringIO(), stderr=StringIO())

"""jixing stroke-order: any list of names, text or table, back in surname stroke order (姓氏笔画)."""

import csv
import io
import os
import random
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from tests.tables.test_strokes import PUBLISHED


def _shuffled(names, seed=7):
    names = list(names)
    random.Random(seed).shuffle(names)
    assert names != list(PUBLISHED)
    return names


def _run(*args, stdin=None) -> str:
    out = StringIO()
    options = {"stdin": StringIO(stdin)} if stdin is not None else {}
    call_command("stroke_order", *args, stdout=out, **options)
    return out.getvalue()


def test_names_from_stdin_come_back_in_published_order():
    assert _run(stdin="\n".join(_shuffled(PUBLISHED)) + "\n").splitlines() == PUBLISHED


def test_blank_lines_and_spaces_around_names_are_dropped():
    assert _run(stdin="  贾兰霞 \n\n郝雪红\r\n陈龙").splitlines() == ["陈龙", "郝雪红", "贾兰霞"]


def test_a_gbk_text_file_of_names(tmp_path):
    path = tmp_path / "名单.txt"
    names = [n for n in _shuffled(PUBLISHED) if n != "刘䶮"]  # 䶮 is not in GBK
    path.write_bytes("\r\n".join(names).encode("gbk"))
    assert _run(str(path)).splitlines() == [n for n in PUBLISHED if n != "刘䶮"]


def test_a_gbk_csv_as_wps_saves_it_is_ordered_by_its_name_column(tmp_path):
    path = tmp_path / "推荐名单.csv"
    rows = [["序号", "姓名", "单位"]] + [
        [str(i), name, f"单位{i}"] for i, name in enumerate(_shuffled(PUBLISHED))
    ]
    text = "\r\n".join(",".join(row) for row in rows if "䶮" not in row[1])
    path.write_bytes(text.encode("gbk"))
    out = list(csv.reader(io.StringIO(_run(str(path)))))
    assert out[0] == ["序号", "姓名", "单位"]
    assert [row[1] for row in out[1:]] == [n for n in PUBLISHED if n != "刘䶮"]
    # Each row travels whole with its name.
    assert all(row[2] == f"单位{row[0]}" for row in out[1:])


def test_an_xlsx_is_ordered_by_its_name_column_wherever_that_column_is(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["类别", "编号", "姓名"])
    shuffled = _shuffled(PUBLISHED, seed=3)
    for i, name in enumerate(shuffled):
        sheet.append(["学员标兵", i, name])
    sheet.append([None, None, None])  # an empty row WPS leaves at the end
    path = tmp_path / "名单.xlsx"
    book.save(path)
    out = list(csv.reader(io.StringIO(_run(str(path)))))
    assert out[0] == ["类别", "编号", "姓名"]
    assert [row[2] for row in out[1:]] == PUBLISHED
    assert all(shuffled[int(row[1])] == row[2] for row in out[1:])


def test_a_one_column_list_with_the_header_name_keeps_its_header():
    assert _run(stdin="姓名\n贾兰霞\n陈龙\n").splitlines() == ["姓名", "陈龙", "贾兰霞"]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (None, "没有这个文件.csv", "找不到文件：{path}"),
        (b"\xef\xbb\xbf\xe7\xbc\x96\xe5\x8f\xb7,\xe5\x90\x8d\xe5\xad\x97\n1,x\n", "表.csv", "没有“姓名”列"),
        (b"PK\x03\x04 not really a workbook", "坏.xlsx", "无法读取该 Excel 文件"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel", "旧.xls", "不支持旧版 Excel（.xls）文件"),
        (b"\xff\xfe\x00\x00\x01\x02 binary \x00", "乱码.txt", "文件编码无法识别"),
        (b"", "空.txt", "没有读到任何姓名"),
        (b"\xe5\xa7\x93\xe5\x90\x8d\n", "只有表头.csv", "没有读到任何姓名"),
    ],
)
def test_unreadable_input_is_a_clear_chinese_error(tmp_path, content, name, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError) as caught:
        _run(str(path))
    assert message.format(path=path) in str(caught.value)


def test_a_directory_is_not_a_file(tmp_path):
    with pytest.raises(CommandError, match="不是文件"):
        _run(str(tmp_path))


def _jixing(*args, stdin: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-m", "jixing", "stroke-order", *args],
        input=stdin.encode(),
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_the_command_line_reads_stdin_and_writes_only_the_names():
    done = _jixing(stdin="\n".join(_shuffled(PUBLISHED)))
    assert (done.returncode, done.stdout.decode().splitlines(), done.stderr.decode()) == (0, PUBLISHED, "")


def test_the_command_line_says_a_missing_file_in_chinese_without_a_traceback(tmp_path):
    done = _jixing(str(tmp_path / "无.csv"), stdin="")
    assert done.returncode == 1
    assert "找不到文件" in done.stderr.decode()
    assert "Traceback" not in done.stderr.decode()


def test_a_cell_that_reads_as_a_formula_comes_out_as_text(tmp_path):
    path = tmp_path / "名单.csv"
    path.write_text('姓名,备注\n贾兰霞,"=HYPERLINK(""http://x.example"",""点"")"\n陈龙,\n', encoding="utf-8")
    out = list(csv.reader(io.StringIO(_run(str(path)))))
    assert out[1:] == [["陈龙", ""], ["贾兰霞", '\'=HYPERLINK("http://x.example","点")']]

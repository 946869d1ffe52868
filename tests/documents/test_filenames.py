import pytest

from jixing.documents.filenames import MAX_CHARS, entry_filename, safe_filename


def test_entry_filename_follows_the_plan():
    name = entry_filename(category="学员标兵", name="张三", unit="太原市第五中学", extension="docx")
    assert name == "【学员标兵】张三（太原市第五中学）.docx"


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ('a\\b/c:d*e?f"g<h>i|j', "abcdefghij.pdf"),
        ("名\x00字\x1f\x7f\x85", "名字.pdf"),
        ("  张三  李四 ... ", "张三 李四.pdf"),
        ("张\t\n三", "张 三.pdf"),
        ("CON", "_CON.pdf"),
        ("nul", "_nul.pdf"),
        ("com1.备份", "_com1.备份.pdf"),
        ("LPT9", "_LPT9.pdf"),
        ("CONSOLE", "CONSOLE.pdf"),
        ("", "文件.pdf"),
        ("...", "文件.pdf"),
        ("??", "文件.pdf"),
    ],
)
def test_safe_filename_is_safe_on_windows(stem, expected):
    assert safe_filename(stem, "pdf") == expected


def test_safe_filename_is_bounded_and_keeps_its_extension():
    name = safe_filename("【学员标兵】" + "很长的单位名称" * 40, "docx")
    assert (len(name), name.endswith(".docx"), name.startswith("【学员标兵】很长")) == (MAX_CHARS, True, True)


def test_safe_filename_cut_leaves_no_trailing_dot_or_space():
    assert safe_filename("甲" * 5 + " ." + "乙" * 10, "pdf", max_chars=10) == "甲甲甲甲甲.pdf"


def test_safe_filename_of_a_slash_in_a_unit_name():
    name = entry_filename(category="模范学习组织", name="党委/宣传部", unit="党委/宣传部", extension="pdf")
    assert name == "【模范学习组织】党委宣传部（党委宣传部）.pdf"

"""Surname stroke order (姓氏笔画), held to cases checked by hand against the rule of official lists."""

import random
import sys

import pytest

from jixing.tables.strokes import (
    UNKNOWN_STROKES,
    char_key,
    name_key,
    split_surname,
    stroke_count,
    stroke_sorted,
    text_key,
)

# Issue 12's known order: stroke count (丁 2, 王 方 4, 石 白 5, 刘 6, 李 吴 张 陈 7, 林 周 郑 8, 赵 胡 钟 9,
# 贾 10, 黄 11, 韩 12, 潘 15), then the first strokes (王 横 before 方 点; 石 横 before 白 撇 …).
KNOWN_SURNAMES = "丁 王 方 石 白 刘 李 吴 张 陈 林 周 郑 赵 胡 钟 贾 黄 韩 潘".split()

# A published list of synthetic names in its published order, every rule at work:
# 王 (横) before 方 (点) before 巴 (折), all 4 strokes; 王小红 before 王建国 (小 3 < 建 8); 司马 (司 5, 折)
# after 白 (5, 撇); 刘洋 before 刘䶮 (both 9 strokes, 䶮 an Extension-A character cn-sort lacks, placed by
# Unihan after the characters of its count cn-sort knows); 欧 (8) between 林 and 周, the single surname
# 欧 before the compound 欧阳 whatever the given names (欧丽 before 欧阳明, though 丽 7 > 阳 6); 赵 郝 胡,
# all 9 strokes and 横 一 丨, then 赵 丨 before 郝 丿 at the fourth stroke and 胡 丨 at the third.
PUBLISHED = (
    "丁一凡 王小红 王建国 方圆 巴依卡·凯力迪别克 石磊 白雪 司马文 刘洋 刘䶮 李娜 吴刚 张伟 陈龙 林静 欧丽 "
    "欧阳明 欧阳震 周杰 郑爽 赵敏 郝雪红 胡军 钟华 贾兰霞 黄磊 韩梅 潘婷"
).split()

# STACK.md's hand check: compound surnames by their first character's place (上官 with 3, 司马 with 5,
# 欧阳 with 8 strokes).
STACK_CHECK = "丁 刁 于 万 上官 马 王 龙 白 司马 孙 李 吴 张 陈 林 欧阳 周 郑 赵".split()


def _shuffled(names, seed):
    names = list(names)
    random.Random(seed).shuffle(names)
    return names


@pytest.mark.parametrize("seed", range(5))
def test_stroke_sorted_restores_the_known_surname_order(seed):
    shuffled = _shuffled(KNOWN_SURNAMES, seed)
    assert shuffled != KNOWN_SURNAMES
    assert stroke_sorted(shuffled) == KNOWN_SURNAMES


@pytest.mark.parametrize("seed", range(5))
def test_stroke_sorted_restores_a_published_list(seed):
    assert stroke_sorted(_shuffled(PUBLISHED, seed)) == PUBLISHED


def test_stroke_sorted_matches_the_hand_checked_compound_surnames():
    assert stroke_sorted(reversed(STACK_CHECK)) == STACK_CHECK


def test_wang_before_ba_same_count_first_stroke_heng_before_zhe():
    assert (stroke_count("王"), stroke_count("巴")) == (4, 4)
    assert stroke_sorted(["巴", "王"]) == ["王", "巴"]
    assert stroke_sorted(["巴特尔", "王五"]) == ["王五", "巴特尔"]


def test_the_issue_list_of_reporting_units_becomes_stroke_order():
    assert stroke_sorted(["贾兰霞", "郝雪红", "陈龙"]) == ["陈龙", "郝雪红", "贾兰霞"]


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("欧阳明", ("欧阳", "明")),
        ("司马文", ("司马", "文")),
        ("诸葛亮亮", ("诸葛", "亮亮")),
        ("上官婉", ("上官", "婉")),
        ("司马", ("司", "马")),  # two characters: a single surname and a given name
        ("欧丽", ("欧", "丽")),
        ("巴依卡·凯力迪别克", ("巴", "依卡凯力迪别克")),
        (" 张 伟 ", ("张", "伟")),
    ],
)
def test_split_surname_takes_a_compound_surname_as_one(name, parts):
    assert split_surname(name) == parts


def test_single_surname_comes_before_the_compound_that_starts_with_it():
    assert stroke_sorted(["欧阳明", "欧震", "欧阳震", "欧丁"]) == ["欧丁", "欧震", "欧阳明", "欧阳震"]
    assert stroke_sorted(["司马光", "司徒雷", "司文"]) == ["司文", "司马光", "司徒雷"]


def test_a_character_cn_sort_lacks_takes_its_stroke_count_from_unihan():
    # 䶮 (U+4DAE, Extension A): 9 strokes in kTotalStrokes, so after every 9-stroke character cn-sort
    # knows (洋) and before the 10-stroke ones (贾).
    assert stroke_count("䶮") == 9
    assert char_key("洋") < char_key("䶮") < char_key("贾")
    assert stroke_sorted(["刘䶮", "刘贾", "刘洋"]) == ["刘洋", "刘䶮", "刘贾"]


def test_characters_known_to_neither_source_sort_last_in_a_stable_order():
    names = ["Zoe", "张伟", "\ue000明", "Anna", "丁一", ""]
    expected = ["丁一", "张伟", "Anna", "Zoe", "\ue000明", ""]
    for seed in range(4):
        assert stroke_sorted(_shuffled(names, seed)) == expected
    assert char_key("A")[0] == UNKNOWN_STROKES


def test_equal_names_keep_their_order():
    rows = [("张伟", 1), ("丁一", 2), ("张伟", 3)]
    assert stroke_sorted(rows, name=lambda row: row[0]) == [("丁一", 2), ("张伟", 1), ("张伟", 3)]


def test_unit_names_are_compared_character_by_character():
    units = ["太原市第五中学", "大同市第二中学", "太原市第一中学", "山西大学"]
    assert sorted(units, key=text_key) == ["大同市第二中学", "山西大学", "太原市第一中学", "太原市第五中学"]


def test_name_key_never_imports_cn_sort_which_would_reconfigure_logging():
    name_key("欧阳明")
    assert "cn_sort" not in sys.modules

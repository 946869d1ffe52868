"""Synthetic names: people from common surname and given-name characters, made-up companies and villages.

A generated name may of course coincide with somebody's real name (王伟 is common), but it is never
tied to a real phone or ID number: those are synthetic too (learners.py).
"""

from __future__ import annotations

import itertools
import random

# Common surnames, roughly by frequency (the weight is the position's inverse), with the ones frequent in
# Shanxi (郭 武 梁 贾 阎 郝 薛 温 乔 牛 田 程 申 裴) ranked a little higher than the national lists put them.
SURNAMES = (
    "王 李 张 刘 赵 杨 郭 陈 武 梁 高 贾 韩 郝 马 田 孙 胡 周 吴 程 薛 乔 闫 徐 朱 任 宋 郑 冯 "
    "牛 史 段 白 温 霍 曹 魏 常 董 卫 许 苏 石 吕 范 杜 申 裴 秦 侯 孟 姚 尹 于 袁 崔 康 宁 "
    "毛 邓 何 罗 谢 唐 潘 彭 贺 卢 姜 蔡 丁 余 柴 樊 阴 雷 寇 阎 焦 原 畅 靳 路 连 宫 冀 翟"
).split()
# A few two-character surnames, so that sorting by strokes (姓氏笔画) meets them.
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "令狐", "皇甫", "诸葛")

MALE_GIVEN = (
    "伟 强 磊 军 勇 杰 涛 明 超 刚 平 辉 鹏 飞 宇 浩 斌 波 宁 凯 峰 亮 健 俊 博 鑫 林 森 志 "
    "建 国 文 华 东 晨 旭 昊 睿 轩 泽 晗 瑞 鸿 海 江 山 川 龙 虎 彬 晋 兴 利 成 忠 永 义 宏"
).split()
FEMALE_GIVEN = (
    "芳 娜 敏 静 丽 艳 娟 霞 秀 英 华 玲 红 梅 燕 萍 雪 琳 婷 洁 晶 慧 颖 欣 怡 佳 琪 蕾 悦 "
    "彤 雨 思 嘉 可 月 瑶 菲 璐 倩 楠 莉 薇 蓉 兰 凤 翠 荣"
).split()
SHARED_GIVEN = "子 梓 一 文 晓 小 春 秋 亚 新 志 玉 丹 金 云 海 宏 佳 晨 安".split()

_SURNAME_CUM_WEIGHTS = list(itertools.accumulate(1.0 / (rank + 8) for rank in range(len(SURNAMES))))


def person_name(rng: random.Random, *, male: bool) -> str:
    """A two- or three-character Chinese name (a few four-character ones with a compound surname)."""
    if rng.random() < 0.004:
        surname = rng.choice(COMPOUND_SURNAMES)
    else:
        surname = rng.choices(SURNAMES, cum_weights=_SURNAME_CUM_WEIGHTS)[0]
    pool = MALE_GIVEN if male else FEMALE_GIVEN
    if rng.random() < 0.3:
        return surname + rng.choice(pool)
    first = rng.choice(SHARED_GIVEN) if rng.random() < 0.35 else rng.choice(pool)
    second = rng.choice(pool)
    return surname + first + second


# Made-up trade names: two characters of this list never spell a real company on purpose.
_TRADE = "晋 汾 鑫 泰 恒 兴 瑞 丰 宏 源 华 盛 隆 达 通 远 诚 信 安 康 德 润 禾 嘉 峰 祥 和 骏 辰 耀".split()
_INDUSTRY = (
    "能源", "新材料", "建材", "农业科技", "现代物流", "食品", "精细化工", "机械制造", "电力工程", "数字科技",
    "文化传媒", "生物医药", "环保科技", "建设工程", "商贸",
)  # fmt: skip
_VILLAGE = "东关 西街 南庄 北营 上寨 下河 柳树 杨家 王家 李家 枣林 槐树 石桥 新村 前进 红旗".split()


def trade_name(rng: random.Random) -> str:
    a, b = rng.sample(_TRADE, 2)
    return a + b


def company_name(rng: random.Random, *, kind: str, place: str = "山西") -> str:
    """A made-up company of the given kind: 集团, 银行, 证券, 保险, 担保, 民营 or 企业 (a local firm)."""
    trade = trade_name(rng)
    industry = rng.choice(_INDUSTRY)
    if kind == "集团":
        return f"山西{trade}{industry}集团有限公司"
    if kind == "银行":
        return f"山西{trade}农村商业银行股份有限公司"
    if kind == "证券":
        return f"山西{trade}证券股份有限公司"
    if kind == "保险":
        return f"{trade}财产保险股份有限公司山西分公司"
    if kind == "担保":
        return f"山西{trade}融资担保有限公司"
    if kind == "律所":
        return f"山西{trade}律师事务所"
    if kind == "民营":
        return f"山西{trade}{industry}股份有限公司"
    return f"{place}{trade}{industry}有限公司"


def village_committee(rng: random.Random, *, county: str) -> str:
    return f"{county}{rng.choice(_VILLAGE)}村村民委员会"


def community_committee(rng: random.Random, *, county: str) -> str:
    return f"{county}{rng.choice(_VILLAGE)}社区居民委员会"

"""Synthetic 事迹简介 and 推荐理由说明: sentences put together from fragments, about made-up people."""

from __future__ import annotations

import random

_PERSON_OPENINGS = (
    "{name}同志自“学习强国”学习平台上线以来，坚持每日登录学习，把学习平台作为提升政治素养和业务能力的重要阵地。",
    "{name}同志是{unit}的一名普通党员，几年来坚持“每日必学、每周必测”，养成了良好的学习习惯。",
    "{name}同志在{unit}工作期间，始终把理论学习摆在突出位置，利用碎片时间在平台上阅读文章、观看视频。",
)
_PERSON_MIDDLES = (
    "截至基准积分截图时，其2022年度积分{annual}分，总积分{total}分，在本单位名列前茅。",
    "他（她）积极参加每日答题、每周答题和专项答题，多次在挑战答题中完美通关。",
    "在做好本职工作的同时，主动向身边同事推荐平台上的优质内容，带动科室同事共同学习。",
    "结合岗位实际，把平台学到的新思想、新理念运用到工作中，形成了多篇学习心得。",
    "积极参与单位组织的线下学习交流活动，分享学习经验，发挥了示范带动作用。",
    "疫情防控期间，坚持线上学习不断档，并利用平台资源为群众宣讲相关政策。",
)
_ROLE_MIDDLES = {
    "优秀供稿员": "全年向省平台报送稿件数十篇，多篇稿件被省平台和总平台采用，展现了本地发展新貌。",
    "优秀审核员": "严格落实“三审三校”制度，全年审核稿件数百篇，未出现政治性差错。",
    "优秀管理员": "认真做好组织架构维护和党员标记工作，定期通报学习情况，本单位日活跃率稳步提升。",
    "优秀志愿者": "作为山西学习平台志愿者，利用业余时间参与审读、播音等工作，认真负责、积极主动。",
    "挑战达人": "热衷于挑战答题，2022年多次完美通关，并在本单位知识竞赛中获得一等奖。",
}
_PERSON_CLOSINGS = (
    "该同志学习态度端正，作风扎实，在单位内部形成了比学赶超的良好氛围。",
    "经单位研究，同意推荐其参加本年度山西学习之星集结活动。",
    "其学习事迹得到了单位干部职工的一致认可。",
)
_UNIT_SENTENCES = (
    "{unit}党组织高度重视“学习强国”学习平台推广使用工作，将其纳入年度重点工作统筹推进。",
    "单位主要负责同志带头学习，班子成员定期交流学习体会，形成了“头雁效应”。",
    "配备专兼职供稿员和管理员，建立健全稿件“三审三校”和学习通报制度。",
    "全年开展“学习强国”主题学习活动多次，组织知识竞赛、读书分享会等线下活动。",
    "积极筹建“学习强国”线下体验空间，配发的展示终端运行正常，方便干部群众随时学习。",
    "注册学员覆盖在职全员，党员标记工作全部完成，日活跃率保持在较高水平。",
    "报送的稿件多次被省平台采用，展示了本地本单位的发展成就和工作亮点。",
)
_WARN_REASONS = (
    "本单位积分第一名的同志已被推荐参加其他项目，经单位研究推荐该同志。",
    "该同志积分与第一名相差很小，且有个人事迹新闻报道，经单位研究推荐。",
    "本单位第一名为省平台工作人员，按规定不参与评选，故推荐第二名。",
)


def person_summary(
    rng: random.Random, *, name: str, unit: str, category: str, annual: int, total: int
) -> str:
    parts = [rng.choice(_PERSON_OPENINGS)]
    if category in _ROLE_MIDDLES:
        parts.append(_ROLE_MIDDLES[category])
    parts += rng.sample(_PERSON_MIDDLES, rng.randint(2, 3))
    parts.append(rng.choice(_PERSON_CLOSINGS))
    return "".join(parts).format(name=name, unit=unit, annual=annual, total=total)


def unit_summary(rng: random.Random, *, unit: str) -> str:
    chosen = [_UNIT_SENTENCES[0], *rng.sample(_UNIT_SENTENCES[1:], rng.randint(3, 5))]
    return "".join(chosen).format(unit=unit)


def warn_reason(rng: random.Random) -> str:
    return rng.choice(_WARN_REASONS)

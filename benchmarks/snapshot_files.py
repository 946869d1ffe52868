"""Synthetic 积分快照 and 组织架构 CSV files shaped like a province's export, at any size.

    .venv/bin/python benchmarks/snapshot_files.py OUT_DIR ROWS [--gbk] [--seed N]

writes OUT_DIR/orgs.csv (about 10,000 nodes) and OUT_DIR/learners.csv (ROWS learners) and prints the time
taken. Everything is synthetic: names are drawn from pools of common characters (jixing.demo.names),
phone numbers use the never-assigned 100–102 prefixes, ID numbers are random births under real area codes.

The shapes real files bring and easy data hides (STACK.md, "Chinese specifics"):
- 学号 unique, 10 digits in no order, about 1 % with a letter prefix;
- 姓名 with compound surnames (欧阳 司马 上官 诸葛), ~0.5 % minority names with `·`, a few rare characters
  (Extension A and B, four bytes in GB18030);
- 身份证号 under today's Shanxi district codes, many younger than the people born there (140703 太谷区
  2019, 140213–140215 2018, 140403–140406 2019), a few abolished codes (140202, 140402, 142301), ~3 %
  other provinces, ~0.1 % area codes no table knows under a valid province prefix (149901); births
  1950–2006, most 1965–1995; check digit by GB 11643, ~1 % of numbers end in a lower-case x, ~5 % empty;
- 手机号 ~3 % empty, never together with the ID number; ~1 % of ID numbers are shared by two accounts;
- national ranks empty for ~40 % (not in the published list);
- `--gbk` writes GB18030 without a BOM, as WPS saves a CSV on Chinese Windows.

Rows are made and written a chunk at a time from precomputed pools, so memory stays flat at any size.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import random
import time
from datetime import date, timedelta
from pathlib import Path

from jixing.demo.names import COMPOUND_SURNAMES, company_name, person_name
from jixing.tables.templates import LEARNERS_TEMPLATE, ORGS_TEMPLATE

CHUNK = 50_000
LEARNER_HEADERS = [column.header for column in LEARNERS_TEMPLATE.columns]
ORG_HEADERS = [column.header for column in ORGS_TEMPLATE.columns]

# --- 组织架构 ---------------------------------------------------------------------------------------

# The 11 cities (报送单位 and 通讯站) with their county-level divisions as they are today.
CITIES: dict[str, tuple[str, list[str]]] = {
    "140100": (
        "太原市",
        "小店区 迎泽区 杏花岭区 尖草坪区 万柏林区 晋源区 清徐县 阳曲县 娄烦县 古交市".split(),
    ),
    "140200": ("大同市", "新荣区 平城区 云冈区 云州区 阳高县 天镇县 广灵县 灵丘县 浑源县 左云县".split()),
    "140300": ("阳泉市", "城区 矿区 郊区 平定县 盂县".split()),
    "140400": (
        "长治市",
        "潞州区 上党区 屯留区 潞城区 襄垣县 平顺县 黎城县 壶关县 长子县 武乡县 沁县".split(),
    ),
    "140500": ("晋城市", "城区 沁水县 阳城县 陵川县 泽州县 高平市".split()),
    "140600": ("朔州市", "朔城区 平鲁区 山阴县 应县 右玉县 怀仁市".split()),
    "140700": (
        "晋中市",
        "榆次区 太谷区 榆社县 左权县 和顺县 昔阳县 寿阳县 祁县 平遥县 灵石县 介休市".split(),
    ),
    "140800": (
        "运城市",
        "盐湖区 临猗县 万荣县 闻喜县 稷山县 新绛县 绛县 垣曲县 夏县 平陆县 芮城县 永济市".split(),
    ),
    "140900": (
        "忻州市",
        "忻府区 定襄县 五台县 代县 繁峙县 宁武县 静乐县 神池县 五寨县 岢岚县 河曲县".split(),
    ),
    "141000": (
        "临汾市",
        "尧都区 曲沃县 翼城县 襄汾县 洪洞县 古县 安泽县 浮山县 吉县 乡宁县 侯马市 霍州市".split(),
    ),
    "141100": (
        "吕梁市",
        "离石区 文水县 交城县 兴县 临县 柳林县 石楼县 岚县 方山县 中阳县 孝义市 汾阳市".split(),
    ),
}
# 省直 reporting units: their units hang directly under them, with no county in between.
PROVINCIAL_REPORTING = [
    "省直机关工委",
    "省委教育工委",
    "省国资委党委",
    "省委金融工委",
    "省委两新工委",
]
UNIT_KINDS = [
    # (weight, sector, name pattern kind, members range)
    (30, "中小学", "school", (20, 300)),
    (22, "党政机关", "agency", (20, 400)),
    (18, "事业单位", "institution", (20, 800)),
    (16, "企业", "company", (30, 3000)),
    (4, "高校", "university", (300, 3000)),
    (5, "人民团体", "association", (20, 120)),
    (5, "社会组织", "society", (20, 80)),
]
_SCHOOL = ["第一中学", "第二中学", "实验小学", "第三小学", "职业中学", "实验中学", "中心学校", "第五中学"]
_AGENCY = ["人民政府办公室", "财政局", "教育局", "人力资源和社会保障局", "自然资源局", "卫生健康局", "市场监督管理局",
           "应急管理局", "文化和旅游局", "农业农村局", "住房和城乡建设局", "交通运输局", "水利局", "统计局"]  # fmt: skip
_INSTITUTION = [
    "人民医院",
    "中医医院",
    "疾病预防控制中心",
    "融媒体中心",
    "图书馆",
    "档案馆",
    "妇幼保健院",
    "农业技术推广中心",
]
_UNIVERSITY = ["职业技术学院", "师范学院", "工业职业学院", "财经学院", "医学高等专科学校", "理工学院"]
_ASSOCIATION = ["总工会", "团委", "妇女联合会", "科学技术协会", "文学艺术界联合会", "残疾人联合会"]
_SOCIETY = ["慈善总会", "青年志愿者协会", "老年人体育协会", "个体劳动者协会", "书法家协会"]
_DEPARTMENTS = ["办公室", "党支部", "综合科", "财务科", "人事科", "政工科", "一年级组", "二年级组", "三年级组", "教务处",
                "后勤保障部", "生产技术部", "市场营销部", "安全环保部", "工会", "团支部", "第一党小组", "第二党小组"]  # fmt: skip
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _uscc(rng: random.Random, sector: str, area: str) -> str:
    """A well-formed, made-up 统一社会信用代码 (GB 32100 check character)."""
    kind = {"企业": "91", "党政机关": "11", "人民团体": "13", "社会组织": "51"}.get(sector, "12")
    body = kind + area + "".join(rng.choice(_USCC_ALPHABET[:10]) for _ in range(9))
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    total = sum(_USCC_ALPHABET.index(char) * weight for char, weight in zip(body, weights, strict=True))
    return body + _USCC_ALPHABET[(31 - total % 31) % 31]


def _unit_name(rng: random.Random, kind: str, place: str) -> str:
    if kind == "school":
        return place + rng.choice(_SCHOOL)
    if kind == "agency":
        return place + rng.choice(_AGENCY)
    if kind == "institution":
        return place + rng.choice(_INSTITUTION)
    if kind == "university":
        return "山西" + company_name(rng, kind="集团")[2:4] + rng.choice(_UNIVERSITY)
    if kind == "association":
        return place + rng.choice(_ASSOCIATION)
    if kind == "society":
        return place + rng.choice(_SOCIETY)
    return company_name(rng, kind=rng.choice(["企业", "企业", "民营", "集团"]), place=place)


def _org_row(**values: object) -> list[object]:
    by_key = {column.key: column.header for column in ORGS_TEMPLATE.columns}
    row = dict.fromkeys(ORG_HEADERS, "")
    for key, value in values.items():
        row[by_key[key]] = "" if value is None else value
    return list(row.values())


def write_orgs(
    path: Path | str, *, seed: int = 2022, units: int = 6000, departments: int = 4000
) -> list[str]:
    """Write a 组织架构 CSV (UTF-8 with BOM) and return the codes learners can belong to (units, departments).

    The tree: 山西省 → 11 cities (报送单位, 通讯站) and five 省直 reporting units → ~125 counties under the
    cities → `units` units (schools, agencies, companies …; ~90 % 独立法人, 学员数 20–3000), about a
    sixth of them directly under a 省直 reporting unit → `departments` departments under some units,
    a few of them under another department.
    """
    rng = random.Random(seed)
    rows = [_org_row(code="140000", name="山西省", parent_code="", level="省级")]
    counties: list[tuple[str, str, str]] = []  # (code, place name, area code for USCCs)
    for city_code, (city, county_names) in CITIES.items():
        rows.append(
            _org_row(code=city_code, name=city, parent_code="140000", level="报送单位", is_station="是")
        )
        for number, county in enumerate(county_names, start=1):
            code = f"{city_code[:4]}{number:02d}"
            counties.append((code, county, code))
            rows.append(_org_row(code=code, name=city + county, parent_code=city_code, level="县级",
                                 is_station="是" if rng.random() < 0.6 else "否"))  # fmt: skip
    provincial = [(f"1400{number:02d}", name) for number, name in enumerate(PROVINCIAL_REPORTING, start=91)]
    for code, name in provincial:
        rows.append(_org_row(code=code, name=name, parent_code="140000", level="报送单位", is_station="否"))
    weights = [kind[0] for kind in UNIT_KINDS]
    unit_codes: list[tuple[str, int]] = []
    for number in range(units):
        _, sector, kind, (low, high) = rng.choices(UNIT_KINDS, weights)[0]
        if rng.random() < 0.17:
            parent, place, area = *rng.choice(provincial), "140100"
            place = "山西省"
        else:
            parent, place, area = rng.choice(counties)
        code = f"{parent}{number:05d}"
        members = int(low + (high - low) * rng.random() ** 3)
        is_legal = rng.random() < 0.9
        rows.append(_org_row(
            code=code, name=_unit_name(rng, kind, place), parent_code=parent, level="单位",
            is_legal_entity="是" if is_legal else "否", uscc=_uscc(rng, sector, area) if is_legal else "",
            sector=sector, members=members, staff=members + rng.randint(-members // 10, members // 5),
            party_members=members // rng.randint(2, 6), daily_active_rate=f"{rng.uniform(40, 99):.2f}%",
        ))  # fmt: skip
        unit_codes.append((code, members))
    department_codes: list[str] = []
    big_units = [unit for unit in unit_codes if unit[1] >= 60]
    for number in range(departments):
        if department_codes and rng.random() < 0.08:
            parent = rng.choice(department_codes)  # a 党小组 under a 党支部, say
        else:
            parent = rng.choice(big_units)[0]
        code = f"{parent[:11]}D{number:04d}"
        rows.append(_org_row(code=code, name=rng.choice(_DEPARTMENTS), parent_code=parent, level="部门",
                             members=rng.randint(5, 200)))  # fmt: skip
        department_codes.append(code)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(ORG_HEADERS)
        writer.writerows(rows)
    return [code for code, _ in unit_codes] + department_codes


# --- 积分快照 ---------------------------------------------------------------------------------------

# Area codes of ID numbers, with weights (roughly population). Codes created lately carry people born
# long before: people keep the code of the office that issued their number, and re-issued numbers take
# the new one.
SHANXI_AREAS: dict[str, int] = {
    # 太原
    "140105": 40, "140106": 25, "140107": 25, "140108": 25, "140109": 30, "140110": 10,
    "140121": 8, "140122": 3, "140123": 2, "140181": 6,
    # 大同 (140213–140215 since 2018)
    "140212": 3, "140213": 25, "140214": 12, "140215": 8, "140221": 4, "140222": 4, "140224": 4,
    # 阳泉
    "140302": 8, "140303": 4, "140311": 5, "140321": 4, "140322": 4,
    # 长治 (140403–140406 since 2019)
    "140403": 20, "140404": 8, "140405": 6, "140406": 6, "140423": 4, "140425": 3, "140428": 4,
    # 晋城
    "140502": 12, "140521": 3, "140522": 6, "140525": 8, "140581": 7,
    # 朔州 (140681 怀仁市 since 2018)
    "140602": 10, "140603": 3, "140621": 3, "140622": 4, "140681": 5,
    # 晋中 (140703 太谷区 since 2019)
    "140702": 20, "140703": 6, "140721": 2, "140725": 3, "140727": 4, "140728": 7, "140781": 6,
    # 运城
    "140802": 20, "140821": 7, "140823": 5, "140824": 4, "140881": 6, "140882": 6,
    # 忻州
    "140902": 12, "140921": 3, "140922": 4, "140981": 6,
    # 临汾
    "141002": 22, "141021": 4, "141023": 6, "141024": 10, "141081": 4, "141082": 4,
    # 吕梁
    "141102": 10, "141121": 5, "141124": 6, "141125": 5, "141181": 8, "141182": 6,
}  # fmt: skip
# Abolished: 大同城区 (2018), 长治城区 (2019), 吕梁地区离石市 (2004), 怀仁县 (2018); births before then.
ABOLISHED_AREAS = {"140202": 2018, "140402": 2019, "142301": 2004, "140624": 2018}
OTHER_PROVINCES = ["110105", "110108", "130102", "130104", "410105", "410302", "610113", "150102",
                   "370102", "320106", "510107", "230103", "120104", "620102"]  # fmt: skip
UNKNOWN_AREAS = ["149901", "149902", "141199"]  # a valid province, a code no table knows

ID_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
CHECK_CHARS = "10X98765432"  # GB 11643: the check character for (sum of weighted digits) mod 11
BIRTH_YEARS = list(range(1950, 2007))

MINORITY_FIRST = ["阿依古丽", "古丽", "帕提古丽", "热依拉", "迪丽努尔", "阿不都", "艾力", "努尔", "巴依卡", "吐尔洪",
                  "卡德尔", "米热", "阿依努尔", "沙吾列", "叶尔兰", "其其格", "巴特尔", "乌兰"]  # fmt: skip
MINORITY_LAST = ["买买提", "吐尔逊", "艾买提", "热合曼", "凯力迪别克", "阿布拉", "依明", "司马义", "努尔兰", "哈斯",
                 "别克", "阿木提", "朝鲁", "斯琴"]  # fmt: skip
RARE_GIVEN = ["堃", "喆", "䶮", "燚", "犇", "淼", "玥", "昇", "旻", "㛃", "𠇔", "𡒄", "珺", "婕"]
ACCOUNT_MODULUS = 9_000_000_000
ACCOUNT_STEP = 7_368_787_399  # coprime to 9·10⁹: i → i·step mod 9·10⁹ never repeats, looks unordered


def _weighted_sum(digits: str, offset: int) -> int:
    return sum(int(d) * ID_WEIGHTS[offset + i] for i, d in enumerate(digits))


def _name_pool(rng: random.Random, size: int) -> list[str]:
    pool = [person_name(rng, male=rng.random() < 0.5) for _ in range(size)]
    for _ in range(size // 200):  # compound surnames a little more often than person_name draws them
        k = rng.randrange(size)
        pool[k] = rng.choice(COMPOUND_SURNAMES) + pool[k][1:]
    for _ in range(size // 200):
        pool[rng.randrange(size)] = f"{rng.choice(MINORITY_FIRST)}·{rng.choice(MINORITY_LAST)}"
    for _ in range(size // 2000):
        name = pool[rng.randrange(size)]
        pool[rng.randrange(size)] = name[0] + rng.choice(RARE_GIVEN) + name[2:]
    return pool


def _id_prefix_pool(rng: random.Random, size: int) -> list[tuple[str, int]]:
    """(area code + birth date, the weighted sum of those 14 digits) with the shares of the module doc.

    Births are 1950–2006, three times as dense in 1965–1995; an abolished code only carries births from
    before it went.
    """
    areas = list(SHANXI_AREAS)
    area_codes = rng.choices(areas, [SHANXI_AREAS[a] for a in areas], k=size)
    for share, codes in ((0.004, list(ABOLISHED_AREAS)), (0.03, OTHER_PROVINCES), (0.001, UNKNOWN_AREAS)):
        for _ in range(round(size * share)):
            area_codes[rng.randrange(size)] = rng.choice(codes)
    first, last = date(BIRTH_YEARS[0], 1, 1), date(BIRTH_YEARS[-1], 12, 31)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    day_texts = [day.strftime("%Y%m%d") for day in days]
    day_weights = list(itertools.accumulate(3 if 1965 <= day.year <= 1995 else 1 for day in days))
    area_sums = {code: _weighted_sum(code, 0) for code in set(area_codes)}
    day_sums = [_weighted_sum(text, 6) for text in day_texts]
    pool = []
    for code, index in zip(
        area_codes, rng.choices(range(len(days)), cum_weights=day_weights, k=size), strict=True
    ):
        while days[index].year >= ABOLISHED_AREAS.get(code, 9999):
            index = rng.randrange(len(days))
        pool.append((code + day_texts[index], area_sums[code] + day_sums[index]))
    return pool


def _learner_rows(rng: random.Random, start: int, count: int, pools: dict) -> list[tuple[object, ...]]:
    """`count` rows from row number `start`. Tuned (profiled): one random() per choice, no randrange."""
    names, prefixes, orgs, tails = pools["names"], pools["id_prefixes"], pools["orgs"], pools["tails"]
    seq_sums = pools["seq_sums"]
    rand = rng.random
    n_names, n_prefixes, n_orgs, n_tails = len(names), len(prefixes), len(orgs), len(tails)
    rows = []
    previous_id, previous_name = "", ""
    for i in range(start, start + count):
        account = ((i + 12_345) * ACCOUNT_STEP) % ACCOUNT_MODULUS + 1_000_000_000
        name = names[int(rand() * n_names)]
        u = rand()
        if u < 0.05:
            id_number = ""
        elif u < 0.06 and previous_id:
            id_number, name = previous_id, previous_name  # a second account of the same person
        else:
            prefix, prefix_sum = prefixes[int(rand() * n_prefixes)]
            seq = int(rand() * 1000)
            check = CHECK_CHARS[(prefix_sum + seq_sums[seq]) % 11]
            if check == "X" and u < 0.16:  # u is uniform in [0.06, 1) here: 10 % of the X become x
                check = "x"
            id_number = f"{prefix}{seq:03d}{check}"
            previous_id, previous_name = id_number, name
        phone = "" if id_number and rand() < 0.03 else str(10_000_000_000 + int(rand() * 300_000_000))
        rows.append(
            (f"SX{account}" if rand() < 0.01 else account, name, phone, id_number, orgs[int(rand() * n_orgs)])
            + tails[int(rand() * n_tails)]
        )
    return rows


def _tail_pool(rng: random.Random, size: int) -> list[tuple[object, ...]]:
    """总积分 … 是否省平台工作人员 drawn together: they need no tie to the person or the org.

    年度积分 0–20000, most of it low; 总积分 at least that; national ranks empty for 40 % (not in the
    published list), else 1–5,000,000; 完美通关次数 0–40, most 0; the flags mostly 是, 是, 否.
    """
    rand = rng.random
    tails = []
    for _ in range(size):
        annual = int(20001 * rand() ** 3)
        u, v = rand(), rand()
        tails.append((
            annual + int(60000 * rand() ** 2), annual,
            "" if u < 0.4 else int((u - 0.4) / 0.6 * 5_000_000) + 1,
            "" if v < 0.4 else int((v - 0.4) / 0.6 * 5_000_000) + 1,
            int(rand() ** 4 * 41), "是" if rand() < 0.93 else "否", "是" if rand() < 0.9 else "否",
            "是" if rand() < 0.003 else "否",
        ))  # fmt: skip
    return tails


def write_snapshot(
    path: Path | str,
    rows: int,
    *,
    org_codes: list[str],
    seed: int = 2022,
    encoding: str = "utf-8-sig",
    chunk: int = CHUNK,
) -> None:
    """Write a 积分快照 CSV of `rows` learners attached to `org_codes`, `chunk` rows at a time.

    Learners spread over the orgs unevenly (a lognormal weight per org). `encoding="gb18030"` writes
    the GBK file WPS saves (no BOM). The same seed gives the same file, and a file of N rows is the
    first N rows of any larger one with the same seed.
    """
    rng = random.Random(seed)
    weights = [rng.lognormvariate(0, 1) for _ in org_codes]
    pools = {
        "names": _name_pool(rng, 200_000),
        "id_prefixes": _id_prefix_pool(rng, 400_000),
        "tails": _tail_pool(rng, 500_000),
        "orgs": rng.choices(org_codes, weights, k=max(200_000, 20 * len(org_codes))),
        "seq_sums": [_weighted_sum(f"{seq:03d}", 14) for seq in range(1000)],
    }
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(LEARNER_HEADERS)
        for start in range(0, rows, chunk):
            # One generator per chunk, seeded from the row number: the first N rows never depend on N.
            chunk_rng = random.Random(seed * 1_000_003 + start // chunk)
            writer.writerows(_learner_rows(chunk_rng, start, min(chunk, rows - start), pools))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("rows", type=lambda text: int(text.replace("_", "")))
    parser.add_argument("--gbk", action="store_true", help="GB18030 without BOM, as WPS saves it")
    parser.add_argument("--seed", type=int, default=2022)
    args = parser.parse_args(argv)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    codes = write_orgs(args.out_dir / "orgs.csv", seed=args.seed)
    orgs_done = time.perf_counter()
    learners = args.out_dir / "learners.csv"
    write_snapshot(learners, args.rows, org_codes=codes, seed=args.seed,
                   encoding="gb18030" if args.gbk else "utf-8-sig")  # fmt: skip
    done = time.perf_counter()
    size = learners.stat().st_size / 1e6
    print(f"orgs.csv      {len(codes):>10,} units and departments  {orgs_done - started:6.1f} s")
    print(f"learners.csv  {args.rows:>10,} rows    {done - orgs_done:6.1f} s  {size:,.0f} MB"
          f"  {args.rows / max(done - orgs_done, 1e-9):,.0f} rows/s")  # fmt: skip


if __name__ == "__main__":
    main()

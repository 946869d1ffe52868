"""Import files for tests, written the way users' tools write them (CSV in several encodings, XLSX)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from stdnum.cn import ric

Rows = Sequence[Sequence[Any]]


def csv_file(rows: Rows, encoding: str = "utf-8") -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue().encode(encoding)


def xlsx_file(rows: Rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def id_number(base17: str) -> str:
    """A resident ID with a correct check digit; `base17` starts with a real area code (e.g. 140100)."""
    return base17 + ric.calc_check_digit(base17 + "0")


ORG_HEADER = [
    "组织编码",
    "组织名称",
    "上级组织编码",
    "层级",
    "是否通讯站",
    "是否独立法人",
    "统一社会信用代码",
    "党员数",
]
ORG_ROWS = [
    ["P", "山西省", "", "省级", "否", "否", "", ""],
    ["TY", "太原市通讯站", "P", "报送单位", "是", "否", "", ""],
    ["TY-QX", "清徐县通讯站", "TY", "县级", "是", "否", "", ""],
    ["S1", "清徐县第一中学", "TY-QX", "单位", "否", "是", "91110000600037341L", "12"],
    ["S1-D1", "高一年级组", "S1", "部门", "否", "否", "", ""],
]

LEARNER_HEADER = ["学号", "姓名", "手机号", "身份证号", "组织编码", "总积分", "年度积分", "全国总积分排名"]
ZHANG_ID = id_number("14010019900101123")
LEARNER_ROWS = [
    ["u1", "张三", "10000000001", ZHANG_ID, "S1", "30000", "12000", "4500"],
    ["u2", "李四", "10000000002", "", "S1-D1", "20000", "9000", ""],
]

ROLE_HEADER = ["学号", "组织编码", "角色", "是否专职", "培训学时", "志愿类型"]
ROLE_ROWS = [
    ["u1", "S1", "审核员", "是", "12.5", ""],
    ["u2", "TY", "志愿者", "否", "", "播音"],
]

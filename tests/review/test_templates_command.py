from io import StringIO

from django.core.management import call_command

from jixing.tables import TEMPLATES, read_table


def test_templates_command_writes_every_template_as_xlsx_and_csv(tmp_path):
    call_command("templates", str(tmp_path / "out"), stdout=StringIO())
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == [
        "accounts.csv", "accounts.xlsx", "learners.csv", "learners.xlsx", "nominations.csv", "nominations.xlsx",
        "orgs.csv", "orgs.xlsx", "roles.csv", "roles.xlsx",
    ]  # fmt: skip
    for slug, spec in TEMPLATES.items():
        reader = read_table(tmp_path / "out" / f"{slug}.xlsx", spec)
        assert (list(reader), reader.errors.total, reader.warnings.total) == ([], 0, 0)

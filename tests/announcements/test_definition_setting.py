import tomllib

import pytest

from jixing.campaigns.domain.definitions import (
    DEFINITIONS_DIR,
    DefinitionError,
    objection_working_days,
    read_definition,
    validate_definition,
)


def _raw_definition() -> dict:
    """The shipped campaign.toml as read, before validation turns it JSON-safe."""
    with (DEFINITIONS_DIR / "shanxi-2022" / "campaign.toml").open("rb") as fh:
        return tomllib.load(fh)


def test_shipped_definition_sets_five_objection_working_days():
    assert objection_working_days(read_definition("shanxi-2022")) == 5


def test_objection_working_days_default_to_five_when_absent():
    definition = read_definition("shanxi-2022")
    del definition["announcement"]
    assert objection_working_days(definition) == 5


@pytest.mark.parametrize("value", [0, 31, "5", True, 2.5])
def test_objection_working_days_out_of_range_or_not_integer_is_refused(value):
    definition = _raw_definition()
    definition["announcement"] = {"objection_working_days": value}
    with pytest.raises(DefinitionError) as excinfo:
        validate_definition(definition)
    assert str(excinfo.value) == (
        f"活动定义 [announcement] objection_working_days 必须是 1 到 30 之间的整数，现为 {value!r}"
    )


def test_objection_working_days_within_range_is_accepted():
    definition = _raw_definition()
    definition["announcement"] = {"objection_working_days": 7}
    validate_definition(definition)
    assert objection_working_days(definition) == 7


def test_announcement_that_is_not_a_table_is_refused():
    definition = _raw_definition()
    definition["announcement"] = 5
    with pytest.raises(DefinitionError, match="必须是表"):
        validate_definition(definition)

"""The plan's 联系方式 (section 八) as part of the campaign definition: read, checked, installed."""

import pytest

from jixing.campaigns.domain.definitions import (
    DefinitionError,
    install_campaign,
    read_definition,
    validate_definition,
)

CONTACT = {
    "organisation": "省委教育工委",
    "person": "李明（演示）",
    "phone": "0351-0000000",
    "email": "contact@example.org",
}


def test_shipped_definition_names_the_contact_keys_as_text():
    contact = read_definition("shanxi-2022")["contact"]
    assert set(contact) <= {"organisation", "person", "phone", "email"}
    assert contact["organisation"] == "省委教育工委"
    assert all(isinstance(value, str) for value in contact.values())


@pytest.mark.django_db
def test_the_contact_of_a_definition_is_the_campaigns():
    definition = {**read_definition("shanxi-2022"), "contact": CONTACT}
    assert install_campaign(definition, slug="with-contact").contact == CONTACT


@pytest.mark.parametrize(
    ("contact", "message"),
    [
        ({"fax": "0351-1"}, "活动定义“contact”中有未知的键“fax”（可用：organisation、person、phone、email）"),
        ({"phone": 3183924}, "活动定义“contact.phone”的值 3183924 应为文字"),
        ({"phone": "请致电"}, "活动定义“contact.phone”“请致电”不是电话号码（如 0351-1234567）"),
        ({"email": "szc at example"}, "活动定义“contact.email”“szc at example”不是电子邮箱地址"),
        ("方某 0351", "活动定义“contact”必须是表（organisation、person、phone、email）"),
    ],
)
def test_a_malformed_contact_is_refused_with_place_and_reason(contact, message):
    definition = {**read_definition("shanxi-2022"), "contact": contact}
    with pytest.raises(DefinitionError) as refused:
        validate_definition(definition)
    assert str(refused.value) == message

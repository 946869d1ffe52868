import shutil
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jixing.campaigns.domain.definitions import (
    DEFINITIONS_DIR,
    DefinitionError,
    install_campaign,
    read_definition,
)
from jixing.campaigns.models import Campaign, Category, Phase, Quota
from tests.factories import make_small_province


def test_shipped_definition_reads_with_nine_categories_and_plan_dates():
    definition = read_definition("shanxi-2022")
    assert [c["name"] for c in definition["categories"]] == [
        "学员标兵",
        "优秀学员",
        "挑战达人",
        "优秀供稿员",
        "优秀审核员",
        "优秀管理员",
        "优秀志愿者",
        "模范供稿单位",
        "模范学习组织",
    ]
    apply = next(p for p in definition["phases"] if p["key"] == "apply")
    assert apply["ends_at"] == "2023-01-09T16:00:00+08:00"
    assert definition["baseline_at"] == "2023-01-03T10:00:00+08:00"


@pytest.mark.django_db
def test_install_campaign_twice_gives_the_same_rows():
    make_small_province()
    definition = read_definition("shanxi-2022")
    install_campaign(definition)
    install_campaign(definition)
    assert Campaign.objects.count() == 1
    assert Phase.objects.count() == 5
    assert Category.objects.count() == 9
    # Two reporting units in the small province, nine categories each.
    assert Quota.objects.count() == 18
    assert Quota.objects.get(category__name="学员标兵", reporting_unit__code="TY").seats == 10


@pytest.mark.django_db
def test_install_campaign_shift_moves_every_window_as_a_block():
    definition = read_definition("shanxi-2022")
    campaign = install_campaign(definition, slug="demo", shift=timedelta(days=1400))
    apply = campaign.phases.get(key="apply")
    assert apply.starts_at.isoformat() == "2026-10-24T16:00:00+00:00"
    assert campaign.phase_at(apply.starts_at + timedelta(hours=1)) == apply
    assert campaign.phase_at(apply.ends_at) != apply


@pytest.mark.django_db
def test_quota_override_by_unit_code_is_used(tmp_path):
    make_small_province()
    folder = tmp_path / "custom"
    shutil.copytree(DEFINITIONS_DIR / "shanxi-2022", folder)
    text = (folder / "campaign.toml").read_text(encoding="utf-8")
    text = text.replace("\n[quotas.by_unit]\n", '\n[quotas.by_unit]\nTY = { "学员标兵" = 12 }\n')
    (folder / "campaign.toml").write_text(text, encoding="utf-8")
    install_campaign(read_definition(str(folder)), slug="custom")
    assert Quota.objects.get(category__name="学员标兵", reporting_unit__code="TY").seats == 12
    assert Quota.objects.get(category__name="学员标兵", reporting_unit__code="DT").seats == 10


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('key = "apply"', 'key = "apply2"', "第2个阶段的 key “apply2” 不是已知阶段"),
        ("default_quota = 10\n", "default_quota = -1\n", "第1个评选项目（学员标兵）default_quota 不能为负数"),
        ('kind = "unit"', 'kind = "group"', "第8个评选项目（模范供稿单位）kind 必须是 person 或 unit"),
        ("baseline_at = 2023-01-03T10:00:00+08:00", "baseline_at = 2023-01-03T10:00:00", "必须带时区"),
        ('name = "优秀学员"', 'name = "学员标兵"', "第2个评选项目（学员标兵）序号或名称重复"),
        (
            "\n[quotas.by_unit]\n",
            '\n[quotas.by_unit]\nTY = { "学员之星" = 3 }\n',
            "名额“TY”中的项目“学员之星”不存在",
        ),
        ("year = 2022", "year = 2022\nyear = 2023", "campaign.toml 格式错误"),
    ],
)
def test_malformed_definition_is_refused_with_place_and_reason(tmp_path, old, new, message):
    folder = tmp_path / "bad"
    shutil.copytree(DEFINITIONS_DIR / "shanxi-2022", folder)
    text = (folder / "campaign.toml").read_text(encoding="utf-8")
    assert old in text
    (folder / "campaign.toml").write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DefinitionError) as excinfo:
        read_definition(str(folder))
    assert message in str(excinfo.value)


def test_unknown_definition_names_the_known_ones():
    with pytest.raises(DefinitionError, match="找不到评选活动定义“shanxi-2099”（已有：shanxi-2022）"):
        read_definition("shanxi-2099")


@pytest.mark.django_db
def test_load_campaign_command_installs_and_reports(capsys):
    call_command("load_campaign", "shanxi-2022")
    assert "已加载评选活动" in capsys.readouterr().out
    assert Campaign.objects.get().slug == "shanxi-2022"
    with pytest.raises(CommandError, match="找不到评选活动定义"):
        call_command("load_campaign", "nope")

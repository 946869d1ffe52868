"""Issue 13, year over year: two campaigns in one database, each deciding from its own org tree, snapshot
and roles. The 2022 campaign runs on the first tree; `jixing load-campaign` starts 2023 from a copied
definition and that year's files. The same codes name other figures in 2023, the same person has another
学号, and nothing the 2022 campaign shows or decides moves."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from jixing.accounts.enums import UserRole
from jixing.accounts.models import User
from jixing.campaigns.domain.definitions import DEFINITIONS_DIR
from jixing.campaigns.domain.queries import current_campaign
from jixing.campaigns.models import Campaign
from jixing.nominations.domain.earlier_commendations import earlier_commendations
from jixing.nominations.domain.evaluation import evaluate_campaign
from jixing.nominations.domain.imports import import_nominations
from jixing.nominations.domain.nominee import nominee_learner
from jixing.nominations.enums import NominationState
from jixing.nominations.models import Nomination
from jixing.orgs.domain.imports import import_orgs
from jixing.orgs.models import Org, OrgTree
from jixing.people.domain.imports import import_roles, import_snapshot
from jixing.people.domain.queries import current_snapshot
from jixing.people.models import Role, Snapshot
from tests.files import id_number
from tests.nominations.test_evaluate_command import Batch

pytestmark = pytest.mark.django_db

PERSON = id_number("14010519560312004")  # one person, a 学号 of each year


def year_2022() -> Batch:
    b = Batch()
    school = b.unit(学员数=100)  # U001
    b.learner(school, account="X2022", person=PERSON, 年度积分=10000)
    b.nominate("S1", "学员标兵", account="X2022", recommending=school, expect={})
    station = b.unit(是否通讯站="是")  # U002: its reviewer holds the role this year
    reviewer = b.learner(station, account="R2022")
    b.role(reviewer, station, "审核员", 是否专职="是", 编审技能考核次数=1, 培训学时="5")
    b.nominate("S2", "优秀审核员", account=reviewer, recommending="R1", expect={})
    b.unit(组织名称="次年撤并的学校")  # U005: not in 2023's tree
    return b


def year_2023() -> Batch:
    """The same codes with next year's figures: the school has 29 learners (1.2 wants 30), the reviewer
    holds no role any more, and the school now reports through a second city (R2)."""
    b = Batch()
    b.orgs.append({"组织编码": "R2", "组织名称": "另一市通讯站", "上级组织编码": "P", "层级": "报送单位",
                   "是否通讯站": "是"})  # fmt: skip
    school = b.unit(学员数=29)
    b.orgs[-1]["上级组织编码"] = "R2"
    b.learner(school, account="X2023", person=PERSON, 年度积分=9000)
    b.nominate("S1", "学员标兵", account="X2023", recommending=school, expect={})
    station = b.unit(是否通讯站="是")
    b.learner(station, account="R2022")
    b.learner(station, account="OTHER")
    b.role("OTHER", station, "管理员")
    b.nominate("S2", "优秀审核员", account="R2022", recommending="R1", expect={})
    return b


def next_definition(folder: Path) -> Path:
    """shanxi-2022 copied as an office would for the next year: a new id, name and year."""
    target = folder / "shanxi-2023"
    shutil.copytree(DEFINITIONS_DIR / "shanxi-2022", target)
    toml = target / "campaign.toml"
    text = toml.read_text(encoding="utf-8")
    text = text.replace('id = "shanxi-2022"', 'id = "shanxi-2023"', 1).replace(
        "year = 2022", "year = 2023", 1
    )
    toml.write_text(text.replace('name = "2022年度', 'name = "2023年度', 1), encoding="utf-8")
    return target


def outcomes(campaign: Campaign) -> dict[str, dict[str, str]]:
    return {
        n.number: {rule: r["outcome"] for rule, r in n.rule_results.items()}
        for n in Nomination.objects.filter(campaign=campaign)
    }


def run_2022(folder: Path) -> Campaign:
    call_command("load_campaign", "shanxi-2022", verbosity=0)
    campaign = Campaign.objects.get(slug="shanxi-2022")
    files = year_2022().write(folder)
    import_orgs(files["orgs"])
    import_snapshot(files["learners"], name="2022基准", taken_at=campaign.baseline_at)
    import_roles(files["roles"])
    import_nominations(files["nominations"], campaign=campaign)
    evaluate_campaign(campaign)
    return campaign


def test_two_campaigns_side_by_side_each_decide_from_their_own_data(tmp_path, capsys):
    (tmp_path / "2022").mkdir()
    first = run_2022(tmp_path / "2022")
    decided_2022 = outcomes(first)
    assert decided_2022["S1"]["1.2"] == "pass"
    assert decided_2022["S2"]["5.1"] == "pass"
    school_admin = User.objects.create_user(
        username="school", password="x", role=UserRole.UNIT_ADMIN, org=Org.objects.get(tree=None, code="U001")
    )
    merged = User.objects.create_user(
        username="merged", password="x", role=UserRole.UNIT_ADMIN, org=Org.objects.get(tree=None, code="U005")
    )
    Nomination.objects.filter(campaign=first, number="S1").update(state=NominationState.COMMENDED)

    # 2023: a copied definition and that year's files, through the command.
    (tmp_path / "2023").mkdir()
    files = year_2023().write(tmp_path / "2023")
    call_command(
        "load_campaign",
        str(next_definition(tmp_path)),
        "--orgs", str(files["orgs"]), "--learners", str(files["learners"]), "--roles", str(files["roles"]),
    )  # fmt: skip
    said = capsys.readouterr().out
    assert "使用本年度自己的组织架构" in said
    assert "账号随单位转入新组织架构：1 个" in said and "仍留在原单位的账号：1 个" in said
    second = Campaign.objects.get(slug="shanxi-2023")
    assert second.org_tree is not None and first.org_tree is None
    assert current_campaign() == second
    import_nominations(files["nominations"], campaign=second)
    evaluate_campaign(second)
    evaluate_campaign(first)  # again, after next year's files: the same data, the same decisions

    # Each campaign decides from its own data ...
    decided_2023 = outcomes(second)
    assert decided_2023["S1"]["1.2"] == "fail"  # 29 learners in 2023's tree
    assert decided_2023["S2"]["5.1"] != "pass"  # no 审核员 role in 2023's roles
    assert outcomes(first) == decided_2022
    # ... its own snapshot, org tree and roles.
    assert current_snapshot(first) != current_snapshot(second)
    assert Snapshot.objects.filter(is_current=True).count() == 2
    s1_2022 = Nomination.objects.get(campaign=first, number="S1")
    s1_2023 = Nomination.objects.get(campaign=second, number="S1")
    assert nominee_learner(s1_2022).annual_points == 10000
    assert nominee_learner(s1_2023).annual_points == 9000
    assert s1_2022.recommending_org.members == 100 and s1_2023.recommending_org.members == 29
    assert s1_2022.reporting_unit.code == "R1" and s1_2023.reporting_unit.code == "R2"
    assert Role.objects.filter(org__tree=None, kind="审核员").count() == 1
    assert Role.objects.filter(org__tree=second.org_tree, kind="审核员").count() == 0
    assert set(Org.objects.filter(tree=second.org_tree).values_list("code", flat=True)) >= {
        "P",
        "R1",
        "R2",
        "U001",
    }
    # The quotas of 2023 are for 2023's reporting units, R2 included.
    assert {q.reporting_unit.tree_id for q in second.quotas.all()} == {second.org_tree_id}
    assert second.quotas.filter(reporting_unit__code="R2").exists()
    # The school's account moved with its unit to 2023's tree; 2022's nominations stay where they were.
    school_admin.refresh_from_db()
    assert school_admin.org.tree_id == second.org_tree_id and school_admin.org.code == "U001"
    merged.refresh_from_db()
    assert merged.org.tree_id is None and merged.org.code == "U005"  # its unit is gone: it stays, counted
    # The reviewers of 2023 see the 2022 commendation of the same person under his old 学号.
    found = earlier_commendations(s1_2023)
    assert [(c.campaign_year, c.category_name, c.number) for c in found] == [(2022, "学员标兵", "S1")]


def test_a_new_year_refused_file_leaves_nothing_and_an_existing_campaign_keeps_its_data(tmp_path, capsys):
    first = run_2022(tmp_path)
    files = year_2023().write(tmp_path)
    definition = next_definition(tmp_path)
    files["learners"].write_text("学号,姓名\nX,某\n", encoding="utf-8")  # not a 积分快照 file
    with pytest.raises(CommandError, match="积分快照文件未通过检查.*新活动未创建"):
        call_command("load_campaign", str(definition), "--orgs", str(files["orgs"]), "--learners",
                     str(files["learners"]))  # fmt: skip
    assert not Campaign.objects.filter(slug="shanxi-2023").exists()
    assert not OrgTree.objects.exists() and not Org.objects.exclude(tree=None).exists()
    assert Snapshot.objects.filter(tree=None).count() == 1
    # Files for the 2022 campaign again: refused, it keeps what it decided from.
    with pytest.raises(CommandError, match="已存在"):
        call_command("load_campaign", "shanxi-2022", "--orgs", str(files["orgs"]))
    with pytest.raises(CommandError, match="须有自己的组织架构"):
        call_command("load_campaign", str(definition), "--roles", str(files["roles"]))
    assert outcomes(first)["S1"]["1.2"] == "pass"
    # A new year loaded without its files shares the first tree: the command says what that means.
    capsys.readouterr()
    call_command("load_campaign", str(definition))
    assert "共用组织架构" in capsys.readouterr().err
    assert Campaign.objects.get(slug="shanxi-2023").org_tree is None


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_this_years_tree_exported_starts_next_year_as_it_was(tmp_path, capsys, suffix):
    # `jixing export-orgs` writes the running campaign's tree as a 组织架构 file: next year's starts from it.
    run_2022(tmp_path)
    exported = tmp_path / f"组织架构-2022{suffix}"
    call_command("export_orgs", str(exported), "--campaign", "shanxi-2022")
    assert f"{len(year_2022().orgs)} 个组织" in capsys.readouterr().out
    call_command("load_campaign", str(next_definition(tmp_path)), "--orgs", str(exported))
    second = Campaign.objects.get(slug="shanxi-2023")
    fields = [f.name for f in Org._meta.concrete_fields if f.name not in ("id", "tree", "path", "depth")]

    def tree(tree_id):
        orgs = Org.objects.filter(tree_id=tree_id).select_related("parent", "unit", "reporting_unit")
        return {
            o.code: {
                **{f: getattr(o, f) for f in fields if f not in ("parent", "unit", "reporting_unit")},
                **{f: getattr(getattr(o, f), "code", None) for f in ("parent", "unit", "reporting_unit")},
            }
            for o in orgs
        }

    assert tree(second.org_tree_id) == tree(None)
    assert len(tree(None)) == len(year_2022().orgs)


def test_export_orgs_says_what_is_wrong(tmp_path):
    with pytest.raises(CommandError, match=r"须以 \.xlsx 或 \.csv 结尾"):
        call_command("export_orgs", str(tmp_path / "组织架构.txt"))
    with pytest.raises(CommandError, match="找不到输出目录"):
        call_command("export_orgs", str(tmp_path / "没有" / "组织架构.xlsx"))
    with pytest.raises(CommandError, match="找不到评选活动“shanxi-2099”"):
        call_command("export_orgs", str(tmp_path / "组织架构.xlsx"), "--campaign", "shanxi-2099")

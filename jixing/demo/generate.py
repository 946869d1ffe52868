"""One seeded, repeatable demo province: the entry points behind `jixing demo-data`.

Every part draws from its own random stream named after the seed and the part ("2022:orgs",
"2022:learners:30000", …), so the same seed always gives the same province, and the org tree does not
change with the number of learners.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from jixing.campaigns.domain.definitions import read_definition
from jixing.demo.accounts import build_users, school_unit, top_learner
from jixing.demo.files import write_files
from jixing.demo.learners import build_learners
from jixing.demo.load import Loaded, check_database, load_province
from jixing.demo.nominees import build_nominations
from jixing.demo.orgs import DEFAULT_LEARNERS, build_org_tree
from jixing.demo.phases import DEFINITION_ID, DemoWindows, demo_windows
from jixing.demo.placeholders import write_evidence_files
from jixing.demo.plan import Province
from jixing.demo.roles import build_roles, learners_by_unit
from jixing.demo.timeline import build_lists, build_timeline, explain_listed, roll_back

DEFAULT_SEED = 2022
MIN_LEARNERS = 1000  # below this, some units have nobody to nominate and categories miss states


def generate_province(
    *, seed: int, learners: int, definition: dict[str, Any], windows: DemoWindows
) -> Province:
    """The whole province as plain data; nothing is written."""
    tree = build_org_tree(seed)
    people = build_learners(seed, tree, learners)
    roles = build_roles(seed, tree.orgs, people)
    grouped = learners_by_unit(tree.orgs, people)
    featured = top_learner(grouped.get(school_unit(tree.orgs).code, []))
    province = Province(seed=seed, orgs=tree.orgs, learners=people, roles=roles)
    province.users = build_users(tree.orgs, roles, grouped, featured=featured)
    province.nominations = build_nominations(
        seed,
        orgs=tree.orgs,
        learners=people,
        roles=roles,
        definition=definition,
        apply_start=windows.apply_start,
        apply_until=windows.submissions_until,
    )
    explain_listed(seed, province)
    # Planned as the whole campaign ends; cut at now: only what could have happened by today.
    timeline = build_timeline(definition, windows)
    roll_back(province, timeline)
    province.lists = build_lists(province, timeline)
    return province


@dataclass(slots=True)
class DemoRun:
    province: Province
    windows: DemoWindows
    loaded: Loaded | None
    files: list[Path]


def run_demo(
    *,
    seed: int = DEFAULT_SEED,
    learners: int = DEFAULT_LEARNERS,
    phase: str = "apply",
    now: datetime,
    files: Path | None = None,
    load: bool = True,
    force: bool = False,
    phase_label: str = "",
) -> DemoRun:
    """Generate the province; load it into the database (replacing the previous demo) and/or write it
    as template files. See load.load_province for what loading deletes and keeps."""
    if learners < MIN_LEARNERS:
        raise ValueError(f"学员数至少为 {MIN_LEARNERS}")
    definition = read_definition(DEFINITION_ID)
    windows = demo_windows(definition, phase=phase, now=now)
    province = generate_province(seed=seed, learners=learners, definition=definition, windows=windows)
    loaded = None
    if load:
        check_database(force=force)  # before touching files; load_province checks again in its transaction
        write_evidence_files(province)
        loaded = load_province(
            province,
            definition=definition,
            windows=windows,
            timeline=build_timeline(definition, windows),
            force=force,
            phase_label=phase_label or phase,
        )
    written = write_files(province, files) if files is not None else []
    return DemoRun(province=province, windows=windows, loaded=loaded, files=written)

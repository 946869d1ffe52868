"""The compiled eligibility rules of a campaign, compiled once per process and definition."""

from __future__ import annotations

import json
from functools import lru_cache

from jixing import eligibility
from jixing.campaigns.models import Campaign


@lru_cache(maxsize=16)
def _compile(rules_json: str, categories: tuple[str, ...]) -> eligibility.CompiledRules:
    return eligibility.compile_definition(json.loads(rules_json), categories=list(categories))


def compiled_rules(campaign: Campaign) -> eligibility.CompiledRules:
    definition = campaign.definition
    if "rules_file" not in definition:
        raise ValueError(f"评选活动“{campaign.name}”的定义中没有评选规则（rules.toml）")
    rules_json = json.dumps(definition["rules_file"], sort_keys=True, ensure_ascii=False)
    categories = tuple(c["name"] for c in definition["categories"])
    return _compile(rules_json, categories)

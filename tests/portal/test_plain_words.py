"""Plain words, one truth about dates (issue 15, item 5): every page of every role, scanned.

Each role opens every page the access table says it may open (tests/security/test_access_matrix.py:
every GET row served with 200), in each phase of the campaign, plus the forms of a draft and the rule
table of an evaluated nomination. The text a user reads — outside the 详情 parts (`<details
class="rule-details">`) and the marked quotations of the plan (`<blockquote class="plan-quote">`) — must
hold no rule id (G.8, 1.1 …), no word of the engine (待人工判定, 阈值, 排序键 …, outcome values such as
`manual`), and no date of the plan's years: the campaign runs now, so the deadlines and the baseline a
page names are the running campaign's, never the plan's 2023年1月9日.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jixing.announcements.models import Announcement, Objection
from jixing.campaigns.enums import PhaseKey
from jixing.campaigns.models import Campaign
from jixing.eligibility.outcomes import Outcome, Status
from jixing.nominations.domain.evaluation import compiled_rules, evaluate_campaign
from jixing.nominations.models import Attachment, EvidencePackage, Nomination, SealedScan
from jixing.orgs.models import Org
from tests.factories import make_nomination
from tests.portal.conftest import open_phase
from tests.security.access_world import ROLES, AccessWorld, build_access_world
from tests.security.test_access_matrix import ACCESS, _kwargs
from tests.security.urlwalk import all_url_names

pytestmark = pytest.mark.django_db

# Words of the engine that a clerk does not follow; their plain words are in the glossary (术语说明) or
# on the page itself (需审核人员判断, 门槛, 排名依据 …).
ENGINE_WORDS = (
    "待人工判定",
    "人工判定",
    "阈值",
    "排序键",
    "判定依据",
    "活动进行中的名额与时间窗口",
    "名额与时间窗口",
)
# The stored values of outcomes and statuses, shown raw, and the engine's kinds of rule.
RAW_VALUES = [o.value for o in Outcome] + [s.value for s in Status] + ["external", "informational", "batch"]
RAW_VALUE = re.compile(r"(?<![A-Za-z_])(" + "|".join(RAW_VALUES) + r")(?![A-Za-z_])")
SKIPPED_CLASSES = {"rule-details", "plan-quote"}


class VisibleText(HTMLParser):
    """The text a user reads (text, placeholders, labels read aloud), without scripts, styles, the 详情
    parts and the marked plan quotations."""

    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[bool] = []  # per open element: whether it is skipped

    @property
    def skipping(self) -> bool:
        return any(self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        skipped = tag in ("script", "style", "template") or bool(classes & SKIPPED_CLASSES)
        if not self.skipping and not skipped:
            for name in ("placeholder", "aria-label", "title"):
                if attributes.get(name):
                    self.parts.append(str(attributes[name]))
        if tag not in self.VOID:
            self.stack.append(skipped)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self.skipping and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return "\n".join(parser.parts)


def rule_id_pattern(campaign: Campaign) -> re.Pattern[str]:
    """The campaign's rule ids (G.1 … G.10, 1.1 … 9.4) as words: not inside a longer number."""
    ids = sorted(
        (r.id for c in compiled_rules(campaign).categories.values() for r in c.rules), key=len, reverse=True
    )
    return re.compile(r"(?<![\w.])(" + "|".join(re.escape(i) for i in dict.fromkeys(ids)) + r")(?![\w.%])")


def _moments(value: object) -> list[datetime]:
    if isinstance(value, datetime):
        return [value]
    if isinstance(value, str):
        try:
            return [datetime.fromisoformat(value)]
        except ValueError:
            return []
    return []


def forbidden_years(campaign: Campaign) -> set[int]:
    """The years of the plan's own dates (its phases and baseline, as the definition file gives them) in
    which the running campaign has no day: a date in one of them names the plan, not the campaign."""
    definition = campaign.definition
    plan = [m for p in definition["phases"] for key in ("starts_at", "ends_at") for m in _moments(p.get(key))]
    plan += _moments(definition["baseline_at"])
    running = {timezone.localtime(timezone.now()).year}
    for phase in campaign.phases.all():
        running |= {timezone.localtime(m).year for m in (phase.starts_at, phase.ends_at) if m is not None}
    return {timezone.localtime(m).year for m in plan} - running


def date_pattern(years: set[int]) -> re.Pattern[str]:
    """A date (not a bare year such as 2022年度) in one of `years`: 2023年1月9日, 2023-01-09, 2023/1/9."""
    y = "|".join(str(year) for year in sorted(years))
    return re.compile(
        rf"(?<!\d)({y})\s*年\s*\d{{1,2}}\s*月(\s*\d{{1,2}}\s*日)?|(?<!\d)({y})[-/.]\d{{1,2}}[-/.]\d{{1,2}}"
    )


def problems_in(text: str, *, rule_ids: re.Pattern[str], dates: re.Pattern[str]) -> list[str]:
    found = [f"rule id {m.group(0)!r}" for m in rule_ids.finditer(text)]
    found += [f"engine word {w!r}" for w in ENGINE_WORDS if w in text]
    found += [f"raw value {m.group(0)!r}" for m in RAW_VALUE.finditer(text)]
    found += [f"plan date {m.group(0)!r}" for m in dates.finditer(text)]
    return found


def _into_the_present(world: AccessWorld) -> Campaign:
    """The access world's records carry the plan's days of 2023 (the access matrix reads no date): move
    them to the running campaign's days, as if made now; then evaluate the campaign (every rule row)."""
    now = timezone.now()
    Nomination.objects.exclude(submitted_at=None).update(submitted_at=now - timedelta(days=3))
    SealedScan.objects.update(uploaded_at=now - timedelta(days=1))
    Objection.objects.update(received_at=now - timedelta(hours=5))
    EvidencePackage.objects.update(created_at=now - timedelta(hours=2), updated_at=now - timedelta(hours=2))
    today = timezone.localdate()
    Announcement.objects.update(published_at=now - timedelta(days=1), starts_on=today - timedelta(days=1),
                                ends_on=today + timedelta(days=7), window_starts_at=now - timedelta(days=1),
                                window_ends_at=now + timedelta(days=7))  # fmt: skip
    campaign = Campaign.objects.get(pk=world.ids["campaign_pk"])
    published = Nomination.objects.get(pk=world.ids["pk"])
    # A draft of the unit's own, for the form (with its checklist and the baseline's hint).
    draft = make_nomination(campaign=campaign, recommending_org=published.recommending_org, category_number=2,
                            nominee_account="A1", state="draft", number="N-DRAFT-1")  # fmt: skip
    world.ids["draft_pk"] = draft.pk
    Attachment.objects.create(nomination=draft, kind="积分截图", file="y.png", original_name="积分截图.png")
    evaluate_campaign(campaign)
    return campaign


def _pages(world: AccessWorld) -> list[tuple[str, str]]:
    """(name, url) of every GET page of the access table, with the world's ids."""
    pages = []
    for name, _, converters in all_url_names():
        if name and ACCESS[name][0] == "get":
            pages.append((name, reverse(name, kwargs=_kwargs(name, converters, world.ids))))
    draft = world.ids["draft_pk"]
    pages.append(("portal:nomination_edit (draft)", reverse("portal:nomination_edit", args=[draft])))
    pages.append(("portal:nomination_detail (draft)", reverse("portal:nomination_detail", args=[draft])))
    pages.append(("portal:nomination_detail (submitted)",
                  reverse("portal:nomination_detail", args=[world.ids["submitted_pk"]])))  # fmt: skip
    pages.append(("portal:nomination_start (category 1)", reverse("portal:nomination_start") + "?category=1"))
    taiyuan = Org.objects.get(pk=world.ids["org_pk"])
    pages.append(("review:screening_category 1", reverse("review:screening_category", args=[1])))
    pages.append(("review:list (taiyuan)", reverse("review:list", args=[taiyuan.pk])))
    return pages


def scan(world: AccessWorld, campaign: Campaign) -> dict[str, list[str]]:
    """Every page each role is served as HTML, in each phase of the campaign: its problems, by page."""
    rule_ids = rule_id_pattern(campaign)
    dates = date_pattern(forbidden_years(campaign))
    clients = {}
    for role in ROLES:
        clients[role] = Client()
        if world.users[role] is not None:
            clients[role].force_login(world.users[role])
    found: dict[str, list[str]] = {}
    served = 0
    for phase in (PhaseKey.APPLY, PhaseKey.SCREEN, PhaseKey.ANNOUNCE, PhaseKey.COMMEND):
        open_phase(campaign, phase)
        for name, url in _pages(world):
            for role in ROLES:
                response = clients[role].get(url)
                if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                    continue
                served += 1
                text = visible_text(response.content.decode())
                problems = problems_in(text, rule_ids=rule_ids, dates=dates)
                if problems:
                    found.setdefault(f"{name} as {role}", [])
                    for problem in problems:
                        if problem not in found[f"{name} as {role}"]:
                            found[f"{name} as {role}"].append(problem)
    assert served > 300, served  # the scan saw the pages (not a world of 404s)
    return found


def test_plain_words_no_page_of_any_role_shows_rule_ids_engine_words_or_plan_dates(media_root):
    world = build_access_world()
    campaign = _into_the_present(world)
    assert forbidden_years(campaign) == {2022, 2023}  # the test campaign runs in another year than the plan
    found = scan(world, campaign)
    report = "\n".join(f"{page}: {'; '.join(problems)}" for page, problems in sorted(found.items()))
    assert found == {}, f"\n{report}"


def test_plain_words_visible_text_leaves_out_the_details_and_the_plan_quotes():
    html = (
        '<p title="截止">申报截止：2026年12月9日</p><details class="rule-details"><summary>详情</summary>规则 G.8'
        '<p>阈值</p></details><blockquote class="plan-quote"><p>方案原文</p>「材料申报截止时间：2023年1月9日16时」'
        '</blockquote><input placeholder="意见"><br><p>其后</p><script>var x = "G.1";</script>'
    )
    assert visible_text(html) == "截止\n申报截止：2026年12月9日\n意见\n其后"


def test_plain_words_the_scan_sees_a_rule_id_an_engine_word_and_a_plan_date():
    ids = re.compile(r"(?<![\w.])(G\.10|G\.8|1\.1)(?![\w.%])")
    dates = date_pattern({2023})
    text = (
        "须符合 G.8 与 1.1；待人工判定；截止 2023年1月9日；2023-01-03；占比 11.5%；2022年度积分；G.10；manual"
    )
    assert problems_in(text, rule_ids=ids, dates=dates) == [
        "rule id 'G.8'", "rule id '1.1'", "rule id 'G.10'", "engine word '待人工判定'", "engine word '人工判定'",
        "raw value 'manual'", "plan date '2023年1月9日'", "plan date '2023-01-03'",
    ]  # fmt: skip

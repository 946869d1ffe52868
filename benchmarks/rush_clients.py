"""The simulated users of benchmarks/deadline_rush.py: a small browser per user (its own cookies, CSRF token
from the page it last read) and one loop per role, bounded by a deadline and a number of requests.

Standard library only: http.client, one connection per request (gunicorn's sync workers close it anyway).
"""

from __future__ import annotations

import http.client
import random
import re
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

TIMEOUT = 60  # seconds a request may take before it counts as a connection error
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NOMINATION_LINK = re.compile(r'href="/nominations/(\d+)/"')
OBJECTION_LINK = re.compile(r'href="/public/entries/(\d+)/objection/"')
ROW = re.compile(r'name="row" value="(\d+)"')
PICK_BOX = re.compile(r'<input[^>]*name="pick"[^>]*>')
VALUE = re.compile(r'value="(\d+)"')
FORM = re.compile(r'<form[^>]*id="nomination-form".*?</form>', re.S)
TEXTAREA = re.compile(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', re.S)
INPUT = re.compile(r"<input[^>]*>")
ATTR = re.compile(r'([a-z-]+)(?:="([^"]*)")?')
SELECT = re.compile(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option[^>]*value="([^"]*)"[^>]*selected')
PATTERNS = (
    (re.compile(r"/public/objections/[^/]+/"), "/public/objections/<receipt>/"),
    (re.compile(r"/\d+"), "/<n>"),
)


def pattern(method: str, path: str) -> str:
    """The page a request is counted under: numbers and receipts replaced, query string dropped."""
    path = urlsplit(path).path
    for regex, replacement in PATTERNS:
        path = regex.sub(replacement, path)
    return f"{method} {path}"


@dataclass
class Stats:
    """Every request of a stage: durations by page, and what went wrong. Shared by all threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    durations: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, dict[int, int]] = field(default_factory=dict)
    refused: dict[str, int] = field(default_factory=dict)  # expected refusals (429, quota, already sent)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (page, what)
    submitted: dict[int, int] = field(default_factory=dict)  # nomination pk → successful submit responses
    submit_unknown: set[int] = field(default_factory=set)  # submit requests whose answer never came
    picks_saved: int = 0
    objections: int = 0
    logins: int = 0

    def record(self, page: str, seconds: float, status: int) -> None:
        with self.lock:
            self.durations.setdefault(page, []).append(seconds)
            counts = self.statuses.setdefault(page, {})
            counts[status] = counts.get(status, 0) + 1

    def error(self, page: str, what: str) -> None:
        with self.lock:
            self.errors.append((page, what))

    def refusal(self, page: str) -> None:
        with self.lock:
            self.refused[page] = self.refused.get(page, 0) + 1

    def count(self, name: str, key: int | None = None) -> None:
        with self.lock:
            if name == "submitted":
                self.submitted[key] = self.submitted.get(key, 0) + 1  # type: ignore[index]
            elif name == "submit_unknown":
                self.submit_unknown.add(key)  # type: ignore[arg-type]
            else:
                setattr(self, name, getattr(self, name) + 1)


class Stop(Exception):
    """The user's deadline or request budget is reached."""


@dataclass
class Response:
    status: int
    location: str
    body: str


class Browser:
    """One simulated user: cookies of its own, the CSRF token of the last page read."""

    def __init__(self, *, port: int, stats: Stats, deadline: float, budget: int, address: str | None = None):
        self.port, self.stats, self.deadline, self.budget, self.address = (
            port,
            stats,
            deadline,
            budget,
            address,
        )
        self.cookies: dict[str, str] = {}
        self.token = ""
        self.lost = False  # whether the last request got no answer at all

    def request(
        self, method: str, path: str, fields: list[tuple[str, str]] | None = None, *, expect=(200, 302),
        refusals=(), htmx: bool = False,
    ) -> Response | None:  # fmt: skip
        """Send one request; None when it failed (counted as an error) or was an expected refusal."""
        if time.monotonic() >= self.deadline or self.budget <= 0:
            raise Stop
        self.budget -= 1
        headers = {"Host": f"127.0.0.1:{self.port}", "User-Agent": "jixing-deadline-rush"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.address:
            headers["X-Forwarded-For"] = self.address
        if htmx:
            headers["HX-Request"] = "true"
            headers["X-CSRFToken"] = self.token
        body = None
        if fields is not None:
            body = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        page = pattern(method, path)
        started = time.perf_counter()
        self.lost = False
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            text = answer.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as exc:
            self.stats.record(page, time.perf_counter() - started, 0)
            self.stats.error(page, f"connection: {exc.__class__.__name__}: {exc}")
            self.lost = True
            return None
        finally:
            connection.close()
        self.stats.record(page, time.perf_counter() - started, answer.status)
        for header in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        if found := CSRF.search(text):
            self.token = found.group(1)
        if answer.status in refusals:
            self.stats.refusal(page)
            return None
        if answer.status not in expect:
            first = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))[:160]
            self.stats.error(page, f"HTTP {answer.status} {path}: {first}")
            return None
        return Response(answer.status, answer.headers.get("Location", ""), text)

    def login(self, username: str, password: str) -> bool:
        """Through the real form: the page first (CSRF token and cookie), then the POST."""
        if self.request("GET", "/login/") is None:
            return False
        fields = [("csrfmiddlewaretoken", self.token), ("username", username), ("password", password),
                  ("next", "")]  # fmt: skip
        answer = self.request("POST", "/login/", fields)
        if answer is None or answer.status != 302:
            if answer is not None:
                self.stats.error("POST /login/", f"login of {username} refused (HTTP {answer.status})")
            return False
        self.stats.count("logins")
        return True


def think(browser: Browser, seconds: tuple[float, float]) -> None:
    pause = random.uniform(*seconds)
    if time.monotonic() + pause >= browser.deadline:
        raise Stop
    time.sleep(pause)


def form_fields(page: str) -> list[tuple[str, str]]:
    """What the nomination form would send as the browser shows it (no files: attachments are kept)."""
    found = FORM.search(page)
    if not found:
        return []
    form = found.group(0)
    fields: list[tuple[str, str]] = []
    for name, text in TEXTAREA.findall(form):
        fields.append((name, text.removeprefix("\n").replace("&lt;", "<").replace("&gt;", ">")
                       .replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&")))  # fmt: skip
    for tag in INPUT.findall(form):
        attrs = {key: value for key, value in ATTR.findall(tag[6:])}
        kind, name = attrs.get("type", "text"), attrs.get("name")
        if not name or kind in ("file", "submit", "button"):
            continue
        if kind in ("checkbox", "radio"):
            if "checked" in attrs:
                fields.append((name, attrs.get("value") or "on"))
            continue
        fields.append((name, attrs.get("value", "")))
    for name, options in SELECT.findall(form):
        chosen = OPTION.findall(options)
        fields.extend((name, value) for value in chosen[:1])
    return fields


# --- the roles ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What the harness tells the users of one stage."""

    port: int
    password: str
    campaign_pk: int
    categories: list[int]
    picks: bool  # whether reviewers save picks (审核报送)
    think: tuple[float, float] = (0.5, 2.0)


def unit_admin(browser: Browser, plan: Plan, username: str, targets: list[int]) -> None:
    """Logs in, opens the nomination, autosaves the draft a few times and submits it; then browses."""
    if not browser.login(username, plan.password):
        return
    pending = list(targets)
    while True:
        listing = browser.request("GET", "/nominations/")
        think(browser, plan.think)
        if not pending:
            seen = NOMINATION_LINK.findall(listing.body) if listing else []
            if seen:
                browser.request("GET", f"/nominations/{random.choice(seen)}/")
            think(browser, plan.think)
            continue
        pk = pending.pop(0)
        browser.request("GET", f"/nominations/{pk}/")
        think(browser, plan.think)
        # 403: another user of the same unit has sent it up meanwhile (it is no longer editable).
        page = browser.request("GET", f"/nominations/{pk}/edit/", refusals=(403,))
        if page is None:
            continue
        fields = [f for f in form_fields(page.body) if f[0] != "csrfmiddlewaretoken"]
        summary = next((v for k, v in fields if k == "summary"), "")
        for step in range(random.randint(2, 4)):
            think(browser, plan.think)
            typed = [(k, (summary + "。" * (step % 2)) if k == "summary" else v) for k, v in fields]
            browser.request("POST", f"/nominations/{pk}/autosave/", [("csrfmiddlewaretoken", browser.token), *typed],
                            htmx=True, refusals=(403,))  # fmt: skip
        think(browser, plan.think)
        sent = [("csrfmiddlewaretoken", browser.token), *fields, ("intent", "submit")]
        answer = browser.request("POST", f"/nominations/{pk}/edit/", sent, refusals=(403,))
        if answer is not None and answer.status == 302 and answer.location.rstrip("/").endswith(f"/{pk}"):
            browser.stats.count("submitted", pk)
        elif answer is not None and answer.status == 200:
            browser.stats.refusal("POST /nominations/<n>/edit/ (form or state refused)")
        elif answer is None and browser.lost:
            browser.stats.count("submit_unknown", pk)


def reviewer(browser: Browser, plan: Plan, username: str) -> None:
    """Logs in, opens the list page, refreshes category pages (and the freshness poll), saves picks."""
    if not browser.login(username, plan.password):
        return
    way_in = browser.request("GET", "/review/screening/")
    list_page = way_in.location if way_in and way_in.location else "/review/screening/"
    while True:
        browser.request("GET", list_page)
        think(browser, plan.think)
        number = random.choice(plan.categories)
        page = browser.request("GET", f"/review/screening/{number}/")
        think(browser, plan.think)
        # 204: nothing changed since the page was drawn (the poll's ordinary answer).
        browser.request("GET", f"/results/{plan.campaign_pk}/freshness/", htmx=True, expect=(200, 204))
        if not plan.picks or page is None or random.random() > 0.5:
            continue
        rows = ROW.findall(page.body)
        pickable = [VALUE.search(tag).group(1) for tag in PICK_BOX.findall(page.body)  # type: ignore[union-attr]
                    if "disabled" not in tag and VALUE.search(tag)]  # fmt: skip
        if not rows:
            continue
        chosen = random.sample(pickable, random.randint(0, len(pickable))) if pickable else []
        think(browser, plan.think)
        fields = [
            ("csrfmiddlewaretoken", browser.token),
            *(("row", r) for r in rows),
            *(("pick", p) for p in chosen),
        ]
        answer = browser.request("POST", f"/review/screening/{number}/picks/", fields)
        if answer is not None and answer.status == 302:
            browser.stats.count("picks_saved")
        elif answer is not None:
            browser.stats.refusal("POST /review/screening/<n>/picks/ (quota, order or phase refused)")


def public(browser: Browser, plan: Plan, index: int) -> None:
    """Reads the 公示 page; now and then sends an objection about one entry (429 past the hourly limit)."""
    while True:
        page = browser.request("GET", "/public/")
        think(browser, plan.think)
        entries = OBJECTION_LINK.findall(page.body) if page else []
        if not entries or random.random() > 0.3:
            if random.random() < 0.2:
                browser.request("GET", "/public/final/")
                think(browser, plan.think)
            continue
        entry = random.choice(entries)
        form = browser.request("GET", f"/public/entries/{entry}/objection/")
        if form is None:
            continue
        think(browser, plan.think)
        fields = [("csrfmiddlewaretoken", browser.token), ("name", f"压测{index}"),
                  ("phone", f"0351-{3000000 + index:07d}"), ("content", f"压力测试反映内容（第 {index} 位模拟公众）")]  # fmt: skip
        answer = browser.request("POST", f"/public/entries/{entry}/objection/", fields, refusals=(429, 400))
        if answer is not None and answer.location:
            browser.stats.count("objections")
            think(browser, plan.think)
            browser.request("GET", answer.location)
        think(browser, plan.think)


def run_user(role: str, browser: Browser, plan: Plan, *args) -> None:
    loops = {"unit_admin": unit_admin, "reviewer": reviewer, "public": public}
    try:
        loops[role](browser, plan, *args)
    except Stop:
        pass
    except Exception as exc:  # a bug of the simulation itself: shown, never hidden
        browser.stats.error(f"client {role}", f"{exc.__class__.__name__}: {exc}")

"""The 审核报送 page a page at a time: picks made on one page survive saving another, quotas count every
page, the filter narrows the list, and the work stays bounded whatever the category's size."""

import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import urlencode

from jixing.nominations.enums import NominationState as S
from jixing.nominations.models import ListEntry
from jixing.review.views import screening as screening_views
from tests.review.screening_world import make_world, refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(media_root, monkeypatch):
    """Five nominations of 学员标兵 for 太原 (学员1 best … 学员5), three seats, two rows per page."""
    monkeypatch.setattr(screening_views, "SCREEN_PAGE_SIZE", 2)
    return make_world(nominations=5, seats=3)


class PickForm(HTMLParser):
    """What the browser would send with the page's picking form: every field of form="pick-form" (the
    rows' inputs) or inside it (the page and filter it carries), checkboxes only when ticked."""

    def __init__(self, body: str):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self.inside = False
        self.feed(body)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "pick-form":
            self.inside = True
        if tag != "input" or not (self.inside or a.get("form") == "pick-form") or "name" not in a:
            return
        if a.get("type") == "checkbox" and "checked" not in a:
            return
        self.data.setdefault(a["name"], []).append(a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False

    def tick(self, *nominations, reason: str = "") -> dict[str, list[str]]:
        """Tick the nominations; `reason` for each, when a pick passes over better ones."""
        for n in nominations:
            assert str(n.pk) in self.data["row"], f"{n.number} has no inputs on this page"
            self.data.setdefault("pick", []).append(str(n.pk))
            if reason:
                self.data[f"reason-{n.pk}"] = [reason]
        return self.data

    def untick(self, *nominations) -> dict[str, list[str]]:
        self.data["pick"] = [
            pk for pk in self.data.get("pick", []) if pk not in {str(n.pk) for n in nominations}
        ]
        return self.data


def _url(**params):
    return reverse("review:screening_category", args=[1]), params


def _page(client, **params) -> str:
    url, params = _url(**params)
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def _save(client, data):
    return client.post(reverse("review:screening_picks", args=[1]), data)


def _listed():
    return [e.nomination.nominee_name for e in ListEntry.objects.order_by("position")]


def test_a_page_shows_its_rows_only_in_default_order(client, world):
    client.force_login(world.users.taiyuan)
    first, second = _page(client), _page(client, page="2")
    assert "学员1</b>" in first and "学员2</b>" in first and "学员3</b>" not in first
    assert first.index("学员1</b>") < first.index("学员2</b>")
    assert "学员3</b>" in second and "学员4</b>" in second and "学员1</b>" not in second
    assert "共 5 件，第 1/3 页" in first and "第 2/3 页" in second
    assert "学员5</b>" in _page(client, page="99") and "学员1</b>" in _page(client, page="²")  # last, first


def test_picks_made_on_two_pages_are_all_kept(client, world):
    one, two, three, four, _ = world.nominations
    client.force_login(world.users.taiyuan)
    assert _save(client, PickForm(_page(client, page="2")).tick(three, reason="事迹突出")).status_code == 302
    assert _listed() == ["学员3"]
    # Page 1 carries the pick of page 2 among the picked ones: saving it keeps it.
    page = _page(client)
    assert "已选入名单" in page and "学员3</b>" in page
    assert _save(client, PickForm(page).tick(one)).status_code == 302
    assert _listed() == ["学员3", "学员1"]
    # Page 2 again: 学员3 is among the picked ones, once, with its inputs; its row below only says so.
    page = _page(client, page="2")
    assert page.count(f'name="pick" value="{three.pk}"') == 1 and "见上方“已选入名单”（第 1 位）" in page
    assert _save(client, PickForm(page).untick(three)).status_code == 302
    assert _listed() == ["学员1"]
    assert [n.state for n in refresh([one, two, three, four])] == [S.SUBMITTED] * 4


def test_the_quota_counts_the_picks_of_every_page(client, world):
    one, two, three, four, five = world.nominations
    client.force_login(world.users.taiyuan)
    _save(client, PickForm(_page(client)).tick(one, two))
    _save(client, PickForm(_page(client, page="2")).tick(three))
    page = _page(client, page="3")
    assert '<span class="muted">已选入</span><b>3</b>' in page and "已选 3/3" in page
    response = _save(client, PickForm(page).tick(five))
    body = response.content.decode()
    assert response.status_code == 200 and "还可推荐 3 个，选了 4 个，超出名额" in body
    assert _listed() == ["学员1", "学员2", "学员3"]
    # What was typed stays: 学员5 ticked, among the picked ones, on the page it was ticked on.
    assert f'name="pick" value="{five.pk}" form="pick-form" checked' in body and "第 3/3 页" in body
    assert 'name="page" value="3"' in body


def test_saving_goes_back_to_the_page_and_filter_it_came_from(client, world):
    client.force_login(world.users.taiyuan)
    form = PickForm(_page(client, page="2", status="needs_review"))
    response = _save(client, form.tick(world.nominations[3], reason="事迹突出"))
    assert response.status_code == 302
    assert (
        response["Location"] == reverse("review:screening_category", args=[1]) + "?status=needs_review&page=2"
    )


def test_returning_from_a_page_goes_back_to_it(client, world):
    client.force_login(world.users.taiyuan)
    url = reverse("review:screening_act", args=[world.nominations[2].pk, "return"])
    response = client.post(url, {"reason": "请补充材料", "page": "2", "q": "学员"})
    assert (
        response["Location"]
        == reverse("review:screening_category", args=[1]) + "?q=%E5%AD%A6%E5%91%98&page=2"
    )
    assert refresh([world.nominations[2]])[0].state == S.RETURNED


def test_the_filter_narrows_the_list_and_the_pager_keeps_it(client, world):
    client.force_login(world.users.taiyuan)
    page = _page(client, q="学员4")
    assert "学员4</b>" in page and "学员1</b>" not in page and "符合筛选条件 1 件" in page
    client.post(
        reverse("review:screening_act", args=[world.nominations[0].pk, "return"]), {"reason": "补材料"}
    )
    returned = _page(client, state="returned")
    assert "学员1</b>" in returned and "学员2</b>" not in returned
    pending = _page(client, state="submitted")
    assert "符合筛选条件 4 件，第 1/2 页" in pending and "?state=submitted&page=2" in pending
    assert "没有符合筛选条件的申报" in _page(client, status="ineligible")
    assert "共 5 件，第 1/3 页" in _page(client, status="²", state="draft")  # unknown values: no narrowing


def test_the_category_tabs_count_nominations_and_picks(client, world):
    client.force_login(world.users.taiyuan)
    _save(client, PickForm(_page(client)).tick(world.nominations[0]))
    page = _page(client)
    assert "5 件</span>" in page and "已选 1/3" in page


def test_the_page_reads_the_same_queries_for_5_and_25_nominations(client, media_root, monkeypatch):
    """The page's rows are bounded by the page size: more nominations add no query and no row."""
    from jixing.nominations.domain.evaluation import evaluate_campaign
    from tests.review.screening_world import add_nomination, add_unit

    monkeypatch.setattr(screening_views, "SCREEN_PAGE_SIZE", 2)
    world = make_world(nominations=5, seats=3)
    client.force_login(world.users.taiyuan)
    _save(client, PickForm(_page(client)).tick(world.nominations[0]))

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            body = _page(client)
        return len(ctx.captured_queries), body.count('<tr id="row-')

    five = measure()
    for i in range(20):
        add_nomination(
            world, add_unit(world, f"新增中学{i}"), account=f"N{i}", name=f"新增{i}", total=9000 + i
        )
    evaluate_campaign(world.campaign)
    assert measure() == five == (five[0], 3)  # the picked one and a page of two


def test_a_refused_save_marks_the_rows_it_is_about_and_details_lead_back_here(client, media_root):
    world = make_world()
    first, second, _ = world.nominations
    client.force_login(world.users.taiyuan)
    # The second before the first without a reason: refused, and the second's row is the one marked.
    data = PickForm(_page(client)).tick(first, second)
    data[f"order-{second.pk}"], data[f"order-{first.pk}"] = ["1"], ["2"]
    body = client.post(reverse("review:screening_picks", args=[1]), data).content.decode()
    assert "须填写调整理由" in body
    marked = re.findall(r'<tr id="row-(\d+)" class="[^"]*in-error[^"]*" aria-invalid="true">', body)
    assert marked == [str(second.pk)]
    assert "默认第 1 位" in body and "/static/review/screening.js" in body
    # A nomination opened from this page (去判定) says how to come back, also after a decision.
    page = reverse("review:screening_category", args=[1])
    detail = client.get(reverse("portal:nomination_detail", args=[first.pk]), {"from": page}).content.decode()
    assert f'<a class="back" href="{page}">‹ 返回</a>' in detail
    decided = client.post(reverse("review:decide", args=[first.pk, "G.1"]), {"holds": "1", "from": page})
    detail_url = reverse("portal:nomination_detail", args=[first.pk])
    assert decided["Location"] == f"{detail_url}?{urlencode({'from': page})}#rule-table"
    foreign = client.get(detail_url, {"from": "https://evil.example/"})
    assert '<a class="back" href="/nominations/">‹ 申报列表</a>' in foreign.content.decode()

"""The explorer in a real Chromium: the network over time, evidence, search, the reader,
the review queue across a restart, and hostile markup shown as text.

Each test starts its own server on a free loopback port; screenshots of every view go to
``artifacts/screenshots/``.
"""

from __future__ import annotations

import importlib.util
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from factiongraph.kb import KnowledgeBase

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(kb: KnowledgeBase, token: str | None = None) -> Iterator[str]:
    """Run the explorer on ``kb`` in a thread; yields its base URL."""
    import uvicorn

    from factiongraph.web.app import create_app

    port = _free_port()
    config = uvicorn.Config(
        create_app(kb, token=token), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the explorer did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 860})
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    errors: list[str] = []
    dialogs: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.errors = errors  # type: ignore[attr-defined]
    pg.dialogs = dialogs  # type: ignore[attr-defined]
    yield pg
    context.close()
    assert not errors, errors


@pytest.fixture
def site(sample: tuple[KnowledgeBase, Any]) -> Iterator[str]:
    with serving(sample[0]) as base:
        yield base


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def ready(page: Any) -> None:
    page.wait_for_selector("body[data-ready='1']")


def month_index(ym: str, first_year: int = 2013) -> int:
    year, month = map(int, ym.split("-"))
    return (year - first_year) * 12 + month - 1


def set_month(page: Any, ym: str) -> None:
    page.eval_on_selector(
        "#slider",
        "(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }",
        month_index(ym),
    )
    page.wait_for_function(
        "(label) => document.getElementById('status').textContent.startsWith(label)",
        arg=_month_label(ym),
    )


def _month_label(ym: str) -> str:
    import calendar

    year, month = map(int, ym.split("-"))
    return f"{calendar.month_name[month]} {year}"


FIND_EDGE = """([predicate, left, right]) => {
  const cy = window.fgNetwork.cy;
  const edge = cy.edges(':visible').filter((e) => {
    const a = e.source().data('eid'), b = e.target().data('eid');
    return e.data('predicate') === predicate &&
      ((left.includes(a) && right.includes(b)) || (left.includes(b) && right.includes(a)));
  })[0];
  if (!edge) return null;
  const box = cy.container().getBoundingClientRect();
  const at = (p) => ({x: box.left + p.x, y: box.top + p.y});
  return {id: edge.id(), mid: at(edge.renderedMidpoint()),
          source: at(edge.renderedSourceEndpoint()), target: at(edge.renderedTargetEndpoint())};
}"""

NAMED = """async (q) => {
  const r = await fetch('/api/entities?limit=50&q=' + encodeURIComponent(q));
  return (await r.json()).results.filter((e) => e.kind === 'organization').map((e) => e.id);
}"""


def find_edge(page: Any, predicate: str, left: str, right: str) -> dict[str, Any] | None:
    """The edge between organizations known by names or aliases matching ``left`` and
    ``right``, with its position on the screen; None when it is not shown."""
    ids = [page.evaluate(NAMED, left), page.evaluate(NAMED, right)]
    return page.evaluate(FIND_EDGE, [predicate, *ids])  # type: ignore[no-any-return]


def open_ceasefire(page: Any) -> None:
    """Find the ceasefire edge between the Quetta Shura and the Farooqi faction on the
    canvas, hover it, click it, and wait for its evidence."""
    deadline = time.monotonic() + 10
    while (edge := find_edge(page, "ceasefire_with", "Quetta Shura", "Farooqi")) is None:
        if time.monotonic() > deadline:
            raise AssertionError("no ceasefire edge between the Quetta Shura and Farooqi")
        page.wait_for_timeout(100)
    # the middle of the edge, else points along it, in case another edge crosses there
    s, m, e = edge["source"], edge["mid"], edge["target"]
    points = [m] + [
        {"x": a["x"] + f * (m["x"] - a["x"]), "y": a["y"] + f * (m["y"] - a["y"])}
        for f in (0.7, 0.5)
        for a in (s, e)
    ]
    for p in points:
        page.mouse.move(p["x"] - 6, p["y"] - 6)
        page.mouse.move(p["x"], p["y"], steps=4)
        page.wait_for_timeout(50)
        tip = page.locator("#tooltip")
        if tip.is_visible() and "ceasefire with" in tip.inner_text():
            break
    else:
        raise AssertionError("hovering the ceasefire edge shows no ceasefire")
    page.mouse.click(p["x"], p["y"])
    page.wait_for_selector("#evidence .card")
    assert "ceasefire with" in page.inner_text("#panel-body h1")


def test_network_over_time_evidence_and_filters(site: str, page: Any) -> None:
    page.goto(site + "/")
    ready(page)
    shot(page, "01-network")
    set_month(page, "2017-10")
    assert "2017-10" in page.url  # the view is reachable by its URL
    open_ceasefire(page)
    evidence = page.inner_text("#evidence")
    assert "agreed a local ceasefire with the Farooqi faction" in evidence
    assert "tribal elders" in evidence and "Taliban spokesman" in evidence
    shot(page, "02-network-ceasefire-evidence")

    # filter to fighting only
    page.click("#predicates [data-only='fighting']")
    page.wait_for_function(
        "() => { const e = window.fgNetwork.cy.edges(':visible');"
        " return e.length > 0 && e.every((x) => x.data('predicate') === 'fights'); }"
    )
    assert find_edge(page, "ceasefire_with", "Quetta Shura", "Farooqi") is None
    shot(page, "03-network-fighting-only")

    # hide denied and alleged claims, then collapse factions into their parents
    page.click("#predicates button:has-text('all relations')")
    page.uncheck("#modalities input[value='denied']")
    page.wait_for_function("() => location.search.includes('modality=')")
    page.check("#collapse")
    page.wait_for_function(
        "() => window.fgNetwork.cy.nodes(':visible')"
        ".every((n) => !n.data('name').includes('Farooqi'))"
    )
    shot(page, "04-network-collapsed")

    # the full relation page from the panel
    page.goto(site + "/?date=2017-10")
    ready(page)
    open_ceasefire(page)
    page.click("#open-relation")
    ready(page)
    assert page.locator("#conflicts .conflict").count() == 1
    shot(page, "05-relation")


def test_entity_page_by_search(site: str, page: Any) -> None:
    page.goto(site + "/")
    ready(page)
    page.fill("#search", "farooqi fac")
    page.wait_for_selector("#suggestions li")
    assert "ISKP Farooqi faction" in page.inner_text("#suggestions")
    shot(page, "06-search-suggestions")
    page.keyboard.press("Enter")
    ready(page)
    assert page.inner_text("h1") == "ISKP Farooqi faction"
    assert "Aslam Farooqi" in page.inner_text("#view")
    assert "Farooqi faction" in page.inner_text("#aliases")
    shot(page, "07-entity-faction")
    page.click("text=Islamic State Khorasan Province")
    ready(page)
    assert "3000" in page.inner_text("#strength")
    assert page.locator(".tl-row").count() >= 1
    shot(page, "08-entity-iskp")
    page.click("#on-network")  # the entity and its relations stand out on the network
    ready(page)
    page.wait_for_function(
        "() => { const cy = window.fgNetwork.cy, n = cy.nodes(':visible')"
        ".filter((x) => x.data('name') === 'Islamic State Khorasan Province');"
        " return n.length === 1 && !n.hasClass('dim') && cy.elements('.dim').length > 0; }"
    )
    shot(page, "08b-network-focus")


def test_document_highlights_open_assertions(site: str, page: Any) -> None:
    page.goto(site + "/document/1")
    ready(page)
    page.locator("#text span.ev", has_text="agreed a local ceasefire").first.click()
    page.wait_for_selector("#side .card.focus")
    side = page.inner_text("#side")
    assert "ceasefire with" in side and "tribal elders" in side
    assert page.locator("#text span.flash").count() > 0
    shot(page, "09-document-highlight")

    # an analyst adds an assertion from a selected passage
    page.evaluate(
        """() => {
        const box = document.getElementById('text');
        const spans = [...box.querySelectorAll('span')];
        const first = spans.find((s) => s.textContent.includes('Local officials'));
        const node = first.firstChild, at = node.textContent.indexOf('Local officials');
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + 'Local officials claimed'.length);
        const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
        box.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
    }"""
    )
    page.wait_for_selector("#add-form")
    page.fill("#add-form input[name=subject]", "ISKP")
    page.select_option("#add-form select[name=predicate]", "rival_of")
    page.fill("#add-form input[name=object]", "TTP")
    page.fill("#add-form input[name=valid_time]", "2016")
    shot(page, "10-document-add-assertion")
    page.click("#add-form button[type=submit]")
    page.wait_for_function("() => /#a\\d+/.test(location.hash)")
    ready(page)
    page.wait_for_selector("#side .card.focus")
    assert "rival of" in page.inner_text("#side")
    assert "Local officials claimed" in page.inner_text("#side")


def test_hostile_document_renders_as_text(site: str, page: Any) -> None:
    page.goto(site + "/document/2")
    ready(page)
    text = page.inner_text("#text")
    assert "<script>alert(1)</script>" in text
    assert "<img src=x onerror=alert(1)>" in text
    assert page.locator("#text img, #text script").count() == 0
    assert "<b onmouseover" in page.inner_text("h1")
    assert page.locator("h1 b").count() == 0
    page.hover("h1")
    page.wait_for_timeout(200)
    assert not page.dialogs  # type: ignore[attr-defined]
    shot(page, "11-document-hostile")


def test_lists_and_single_assertion(site: str, page: Any) -> None:
    page.goto(site + "/documents")
    ready(page)
    assert page.locator("#documents tbody tr").count() == 3
    assert "citation only" in page.inner_text("#documents")
    shot(page, "15-documents")
    page.goto(site + "/search?q=tali")
    ready(page)
    assert page.locator("#results li").count() >= 2
    shot(page, "16-search-results")
    page.goto(site + "/assertion/1")
    ready(page)
    assert "ceasefire with" in page.inner_text("#view")
    page.click("[data-action=accept]")
    page.wait_for_selector("#decision:has-text('accepted')")
    shot(page, "17-assertion")


def test_citation_only_document(site: str, page: Any) -> None:
    page.goto(site + "/document/3")
    ready(page)
    assert "not stored" in page.inner_text("#no-text")
    side = page.inner_text("#side")
    assert "characters 120–260" in side and "A report cited without its text" in side
    shot(page, "12-document-citation-only")


def test_review_queue_survives_restart(sample: tuple[KnowledgeBase, Any], page: Any) -> None:
    kb, s = sample
    with serving(kb) as base:
        page.goto(base + "/review")
        ready(page)
        first = page.locator("#queue .card.focus").get_attribute("data-id")
        shot(page, "13-review-queue")
        page.keyboard.press("a")
        page.wait_for_function(f"() => !document.querySelector('#queue [data-id=\"{first}\"]')")
        second = page.locator("#queue .card.focus").get_attribute("data-id")
        page.click("#queue .card.focus [data-action=reject]")
        page.wait_for_function(f"() => !document.querySelector('#queue [data-id=\"{second}\"]')")
        third = page.locator("#queue .card.focus").get_attribute("data-id")
        page.keyboard.press("e")
        page.select_option("#queue form.edit select[name=modality]", "denied")
        page.click("#queue form.edit button[type=submit]")
        page.wait_for_function(f"() => !document.querySelector('#queue [data-id=\"{third}\"]')")
        assert "2 waiting" in page.inner_text("#counts")
    kb.close()

    again = KnowledgeBase.open(str(s.path))  # a new process would open the file afresh
    try:
        with serving(again) as base:
            page.goto(base + "/review")
            ready(page)
            assert "2 waiting" in page.inner_text("#counts")
            recent = page.locator("#recent .card")
            assert recent.count() == 3
            statuses = {
                recent.nth(i).get_attribute("data-id"): recent.nth(i).get_attribute("class")
                for i in range(3)
            }
            assert "accepted" in statuses[first]
            assert "rejected" in statuses[second]
            assert "edited" in statuses[third]
            shot(page, "14-review-after-restart")
    finally:
        again.close()


def test_writes_need_the_token_beyond_loopback(
    sample: tuple[KnowledgeBase, Any], page: Any
) -> None:
    kb, _ = sample
    with serving(kb, token="t0ken") as base:
        page.goto(base + "/review")
        ready(page)
        page.keyboard.press("a")
        page.wait_for_function("() => true")
        page.wait_for_timeout(300)
        assert any("token" in m for m in page.dialogs)  # type: ignore[attr-defined]
        page.goto(base + "/review?token=t0ken")
        ready(page)
        before = page.inner_text("#counts")
        page.keyboard.press("a")
        page.wait_for_function(
            "(b) => document.getElementById('counts').innerText !== b", arg=before
        )


def _bundled() -> Callable[..., KnowledgeBase] | None:
    if importlib.util.find_spec("factiongraph.bundled") is None:
        return None
    from factiongraph import bundled

    return getattr(bundled, "open_bundled", None)


def test_bundled_data_set(page: Any, tmp_path: Path) -> None:
    opener = _bundled()
    if opener is None:
        pytest.skip("factiongraph.bundled is not available")
    try:
        try:  # a store of its own, so the test leaves the user's cache alone
            kb = opener(tmp_path / "bundled.db")  # type: ignore[call-arg]
        except TypeError:
            kb = opener()
    except FileNotFoundError as exc:
        pytest.skip(f"the bundled data set is not built yet: {exc}")
    try:
        with serving(kb) as base:
            page.goto(base + "/")
            ready(page)
            set_month(page, "2017-10")
            open_ceasefire(page)
            assert page.locator("#evidence .card").count() >= 1
            shot(page, "00-bundled-ceasefire")
            page.click("#predicates [data-only='fighting']")
            page.wait_for_function(
                "() => { const e = window.fgNetwork.cy.edges(':visible');"
                " return e.length > 0 && e.every((x) => x.data('predicate') === 'fights'); }"
            )
            shot(page, "00-bundled-fighting")
            page.fill("#search", "Farooqi")
            page.wait_for_selector("#suggestions li")
            page.locator("#suggestions li", has_text="faction").first.click()
            ready(page)
            assert page.locator(".tl-row").count() >= 1
            shot(page, "00-bundled-entity")
    finally:
        kb.close()

"""The lesson handout and the deck index in real headless Chromium: content, links, phone
layout, printed pages; and axe-core over every view (no serious or critical violations)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]


def pages_in(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def test_handout_is_the_lesson_as_a_document(web: Any, site: Path) -> None:
    page = web.page((site / "every-feature" / "handout.html").as_uri())
    assert page.locator("h1").first.inner_text() == "Every feature"
    meta = page.locator(".doc-header .doc-meta").inner_text()
    assert "Ada Lovelace" in meta and "2026-01-05" in meta and "9 min" in meta
    toc = page.locator(".toc li a")
    assert toc.count() == 9
    assert toc.nth(2).inner_text() == "Code"
    target = str(toc.nth(2).get_attribute("href"))
    assert page.locator(f"article{target}").count() == 1
    figures = page.locator("article figure")
    assert figures.count() == 9
    assert figures.nth(1).locator("figcaption").inner_text() == "Slide 2 Steps"
    # every step of an incremental slide is shown, and its notes follow as prose
    assert figures.nth(1).locator("li:visible").count() == 3
    assert page.locator("article").nth(1).locator(".item-notes em").inner_text() == "one"
    links = {a.get_attribute("href") for a in page.locator(".doc-nav a").all()}
    assert links == {"../index.html", "index.html", "presenter.html"}


def test_handout_of_keras_has_every_slide_and_its_notes(web: Any, site: Path) -> None:
    page = web.page((site / "intro-keras" / "handout.html").as_uri())
    assert page.locator("article").count() == 8
    with_notes = [
        int(str(a.get_attribute("aria-labelledby")).removeprefix("podium-cap-"))
        for a in page.locator("article:has(.item-notes)").all()
    ]
    assert with_notes == [3, 4, 6, 7, 8]
    notes = page.locator("article").nth(3).locator(".item-notes").inner_text()
    assert "Using Keras is much like dealing with Lego blocks" in notes
    # the slide figures are shrunk to fit like the slides themselves
    img = page.locator("article").nth(5).locator("img").bounding_box()
    frame = page.locator("article").nth(5).locator(".frame").bounding_box()
    assert frame["x"] <= img["x"] and img["x"] + img["width"] <= frame["x"] + frame["width"] + 1


def test_handout_reads_on_a_phone(web: Any, site: Path) -> None:
    page = web.page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto((site / "intro-keras" / "handout.html").as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    figure = page.locator("article").nth(2).locator("figure").bounding_box()
    notes = page.locator("article").nth(2).locator(".item-notes").bounding_box()
    assert notes["y"] >= figure["y"] + figure["height"], "notes go beneath the slide"
    font = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.item-notes')).fontSize)"
    )
    assert font >= 16


def test_handout_prints_two_slides_a_page_after_the_contents(web: Any, site: Path) -> None:
    page = web.page((site / "intro-keras" / "handout.html").as_uri())
    page.emulate_media(media="print")
    first = page.locator("article").nth(0).locator("figure").bounding_box()
    notes = page.locator("article").nth(2).locator(".item-notes").bounding_box()
    figure = page.locator("article").nth(2).locator("figure").bounding_box()
    assert notes["x"] >= figure["x"] + figure["width"], "notes beside the slide on paper"
    assert first["width"] > 250
    assert (
        page.locator("article figure").first.evaluate("f => getComputedStyle(f).breakInside")
        == "avoid"
    )
    page.emulate_media(media="no-override")
    # a contents page, then 8 slides two to a page
    assert pages_in(page.pdf(format="A4", print_background=True)) == 5
    assert pages_in(page.pdf(format="Letter", print_background=True)) in (5, 6)


def test_deck_index_lists_every_deck_as_a_card(web: Any, site: Path) -> None:
    page = web.page((site / "index.html").as_uri())
    cards = page.locator(".card")
    assert cards.count() == 2
    titles = sorted(cards.locator(".card-body h2").all_inner_texts())
    assert titles == ["Every feature", "Introduction to Keras"]
    keras = cards.filter(has=page.locator(".card-body h2", has_text="Introduction to Keras"))
    assert "8 slides" in keras.locator(".doc-meta").inner_text()
    assert (
        keras.locator(".card-thumb .slide.layout-section h1").inner_text()
        == "Introduction to Keras"
    )
    hrefs = [a.get_attribute("href") for a in keras.locator(".card-links a").all()]
    assert hrefs == [
        "intro-keras/index.html",
        "intro-keras/presenter.html",
        "intro-keras/handout.html",
    ]
    features = cards.filter(has=page.locator(".card-body h2", has_text="Every feature"))
    assert "9 min" in features.locator(".doc-meta").inner_text()
    keras.locator(".card-links a", has_text="Handout").click()
    page.wait_for_url(re.compile(r"intro-keras/handout\.html$"))


@pytest.mark.parametrize(
    "path",
    [
        "index.html",
        "intro-keras/index.html#1",
        "intro-keras/index.html#3",
        "intro-keras/index.html#8",
        "intro-keras/presenter.html#4",
        "intro-keras/handout.html",
        "every-feature/handout.html",
        "every-feature/presenter.html#2",
    ],
)
def test_axe_finds_no_serious_or_critical_violations(web: Any, http_site: str, path: str) -> None:
    # over HTTP: on file:// axe cannot read the stylesheets it checks colours with
    page = web.page(f"{http_site}/{path}")
    page.wait_for_timeout(50)
    results = Axe().run(page)
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], bad


def test_axe_in_the_open_overlays(web: Any, http_site: str) -> None:
    page = web.page(f"{http_site}/intro-keras/index.html")
    for key in ("o", "Escape", "?"):
        page.keyboard.press(key)
        results = Axe().run(page)
        bad = [
            v["id"]
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert bad == [], (key, bad)

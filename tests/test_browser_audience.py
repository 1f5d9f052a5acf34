"""The audience view in real headless Chromium: keys, hash and history, overview, blackout, help,
scaling, shrink-to-fit, print. Every test also fails on a console error or an outside request
(the ``web`` fixture)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest


def deck_url(
    site: Path, slug: str = "intro-keras", view: str = "index.html", hash: str = ""
) -> str:
    return (site / slug / view).as_uri() + hash


def current(page: Any) -> int:
    return int(page.locator("section.slide.current").get_attribute("data-index"))


def hash_of(page: Any) -> str:
    return str(page.evaluate("location.hash"))


def test_keys_walk_the_deck_and_the_hash_follows(web: Any, site: Path) -> None:
    page = web.page(deck_url(site))
    assert current(page) == 1 and hash_of(page) == "#1"
    expected = [("ArrowRight", 2), ("Space", 3), ("PageDown", 4), ("ArrowDown", 5)]
    expected += [("ArrowLeft", 4), ("PageUp", 3), ("ArrowUp", 2), ("End", 8), ("Home", 1)]
    for key, index in expected:
        page.keyboard.press(key)
        assert current(page) == index, key
        assert hash_of(page) == f"#{index}"
    # only the current slide is rendered
    assert page.locator("section.slide:visible").count() == 1
    assert page.locator(".slide-number").inner_text() == "1 / 8"


def test_a_number_then_enter_jumps(web: Any, site: Path) -> None:
    page = web.page(deck_url(site))
    page.keyboard.press("6")
    assert page.locator(".goto").inner_text() == "Go to 6"
    page.keyboard.press("Enter")
    assert current(page) == 6 and hash_of(page) == "#6"
    assert page.locator(".goto").is_hidden()
    page.keyboard.type("12")  # past the end: the last slide
    page.keyboard.press("Enter")
    assert current(page) == 8


def test_steps_reveal_one_at_a_time_with_hash_n_dot_s(web: Any, site: Path) -> None:
    page = web.page(deck_url(site, "every-feature", hash="#2"))
    items = page.locator("section.slide.current li")
    assert [items.nth(i).is_visible() for i in range(3)] == [False, False, False]
    page.keyboard.press("ArrowRight")
    assert hash_of(page) == "#2.1" and current(page) == 2
    assert [items.nth(i).is_visible() for i in range(3)] == [True, False, False]
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert hash_of(page) == "#2.3"
    page.keyboard.press("ArrowRight")
    assert hash_of(page) == "#3"
    page.keyboard.press("ArrowLeft")  # back onto slide 2, fully revealed
    assert hash_of(page) == "#2.3"
    page.goto(deck_url(site, "every-feature", hash="#2.2"))
    page.reload()
    assert current(page) == 2
    assert [items.nth(i).is_visible() for i in range(3)] == [True, True, False]


def test_hash_opens_a_slide_and_back_walks_the_history(web: Any, site: Path) -> None:
    page = web.page(deck_url(site, hash="#5"))
    assert current(page) == 5
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert current(page) == 7
    page.go_back()
    assert current(page) == 6 and hash_of(page) == "#6"
    page.go_back()
    assert current(page) == 5
    page.go_forward()
    assert current(page) == 6
    page.evaluate("location.hash = '#3'")
    page.wait_for_function(
        "() => document.querySelector('section.slide.current').dataset.index === '3'"
    )


def test_click_advances_but_links_and_controls_do_not(web: Any, site: Path) -> None:
    page = web.page(deck_url(site, hash="#2"))
    page.mouse.click(640, 360)
    assert current(page) == 3
    page.mouse.move(600, 700)
    page.locator(".controls [data-action=prev]").click()
    assert current(page) == 2


def test_overview_grid_picks_a_slide(web: Any, site: Path) -> None:
    page = web.page(deck_url(site, hash="#3"))
    page.keyboard.press("o")
    grid = page.locator("#overview")
    assert grid.is_visible()
    assert grid.locator("ol > li").count() == 8
    assert grid.locator("ol > li.current").get_attribute("data-index") == "3"
    assert page.evaluate("document.activeElement.textContent").startswith("3.")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    assert grid.is_hidden() and current(page) == 4
    page.keyboard.press("o")
    grid.locator("li[data-index='7'] > a").click()
    assert grid.is_hidden() and current(page) == 7
    page.keyboard.press("o")
    page.keyboard.press("Escape")
    assert grid.is_hidden() and current(page) == 7


def test_blackout_with_b_or_period(web: Any, site: Path) -> None:
    page = web.page(deck_url(site))
    black = page.locator(".blackout")
    assert black.is_hidden()
    page.keyboard.press("b")
    assert black.is_visible()
    assert page.locator("#announcer").inner_text() == "Screen blacked out"
    page.keyboard.press("b")
    assert black.is_hidden()
    page.keyboard.press(".")
    assert black.is_visible()
    page.keyboard.press("Period")
    assert black.is_hidden()


def test_help_lists_every_key(web: Any, site: Path) -> None:
    page = web.page(deck_url(site))
    page.keyboard.press("?")
    dialog = page.locator("dialog#help")
    assert dialog.is_visible()
    text = dialog.inner_text()
    for key in ("Space", "PgDn", "PgUp", "Home", "End", "Enter", "o", "b", "f", "p", "?", "Esc"):
        assert re.search(rf"(^|\s){re.escape(key)}(\s|$)", text), key
    page.keyboard.press("ArrowRight")  # keys do not move the deck under the help
    assert current(page) == 1
    page.keyboard.press("Escape")
    assert dialog.is_hidden()


def test_slide_changes_are_announced(web: Any, site: Path) -> None:
    page = web.page(deck_url(site))
    page.keyboard.press("ArrowRight")
    assert page.locator("#announcer").inner_text() == "Slide 2 of 8: What is Keras?"
    assert page.locator("#announcer").get_attribute("aria-live") == "polite"
    assert page.locator(".slide-number").inner_text() == "2 / 8"
    width = page.evaluate("getComputedStyle(document.querySelector('.progress > span')).width")
    assert width != "0px"


@pytest.mark.parametrize(
    ("viewport", "slug", "size"),
    [
        ((1280, 720), "intro-keras", (1280, 720)),
        ((1000, 1000), "intro-keras", (1000, 562.5)),
        ((1920, 1080), "intro-keras", (1920, 1080)),
        ((2000, 1000), "intro-keras", (1777.8, 1000)),
    ],
)
def test_canvas_fills_the_window_without_distortion(
    web: Any, site: Path, viewport: tuple[int, int], slug: str, size: tuple[float, float]
) -> None:
    page = web.page()
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    page.goto(deck_url(site, slug, hash="#3"))
    box = page.locator("section.slide.current").bounding_box()
    assert box["width"] == pytest.approx(size[0], abs=1)
    assert box["height"] == pytest.approx(size[1], abs=1)
    # the type scales with the canvas: body text is 44 canvas px
    font = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.current li')).fontSize)"
    )
    assert font == pytest.approx(44 * size[0] / 1920, rel=0.02)


def test_dense_slide_shrinks_to_fit_and_images_stay_inside(web: Any, site: Path) -> None:
    page = web.page(deck_url(site, "every-feature", hash="#6"))
    slide = page.locator("section.slide.current")
    assert float(slide.get_attribute("data-fit")) < 1
    box = slide.bounding_box()
    last = page.locator("section.slide.current li").last.bounding_box()
    assert last["y"] + last["height"] <= box["y"] + box["height"]
    for slug, index in (("intro-keras", 6), ("intro-keras", 7), ("every-feature", 5)):
        page.goto(deck_url(site, slug, hash=f"#{index}"))
        page.wait_for_function(
            "() => [...document.querySelectorAll('.current img')].every(i => i.complete)"
        )
        box = page.locator("section.slide.current").bounding_box()
        img = page.locator("section.slide.current img").bounding_box()
        assert img["width"] > box["width"] * 0.4, "the image is shown large"
        assert box["x"] <= img["x"] and img["x"] + img["width"] <= box["x"] + box["width"]
        assert box["y"] <= img["y"] and img["y"] + img["height"] <= box["y"] + box["height"]


def test_four_to_three_decks_get_a_four_to_three_canvas(web: Any, site: Path) -> None:
    page = web.page(deck_url(site, "every-feature"))
    page.evaluate("document.documentElement.dataset.aspect = '4:3'")
    box = page.locator("section.slide.current").bounding_box()
    assert box["width"] == pytest.approx(960, abs=1) and box["height"] == pytest.approx(720, abs=1)


def test_print_gives_one_slide_per_page(web: Any, site: Path) -> None:
    page = web.page(deck_url(site, hash="#4"))
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 8
    page.goto(deck_url(site, "every-feature", hash="#2"))
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 9


def test_keyboard_reaches_the_controls(web: Any, site: Path) -> None:
    page = web.page(deck_url(site))
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('.controls') !== null")
    assert focused
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('.controls')).opacity === '1'"
    )
    page.keyboard.press("Tab")  # -> next
    page.keyboard.press("Enter")
    assert current(page) == 2


def test_reduced_motion_is_honoured(browser: Any, site: Path) -> None:
    context = browser.new_context(reduced_motion="reduce")
    try:
        page = context.new_page()
        page.goto(deck_url(site))
        page.keyboard.press("ArrowRight")
        duration = page.evaluate(
            "getComputedStyle(document.querySelector('.slide.current')).animationDuration"
        )
        assert duration in ("0s", "0ms")
    finally:
        context.close()


def test_the_web_fixture_catches_outside_requests_and_errors(
    browser: Any, web: Any, tmp_path: Path
) -> None:
    Web = type(web)
    page_file = tmp_path / "bad.html"
    page_file.write_text(
        '<img src="https://cdn.example.com/x.png" alt=""><script>console.error("boom")</script>'
    )
    other = Web(browser)
    try:
        page = other.page(page_file.as_uri())
        page.wait_for_timeout(50)
    finally:
        other.close()
    assert other.outside == ["https://cdn.example.com/x.png"]
    assert "boom" in other.errors


@pytest.mark.parametrize("view", ["index.html", "presenter.html", "handout.html"])
def test_an_empty_deck_opens_without_errors(
    web: Any, deck_dir: Any, runner: Any, view: str
) -> None:
    """A deck with no slides yet (a new file): every view opens, keys do nothing harmful."""
    from podium.cli import cli

    root = deck_dir({"empty.md": ""})
    result = runner.invoke(cli, ["build", str(root / "empty.md"), "-o", str(root / "site")])
    assert result.exit_code == 0, result.output
    page = web.page((root / "site" / "empty" / view).as_uri())
    for key in ("ArrowRight", "End", "Home", "o", "Escape"):
        page.keyboard.press(key)
    if view == "index.html":
        assert "no slides yet" in page.locator(".empty-deck").inner_text()

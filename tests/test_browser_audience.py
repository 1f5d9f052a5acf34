"""The audience view in real headless Chromium: keys, hash and history, overview, blackout, help,
scaling, shrink-to-fit, print. Every test also fails on a console error or an outside request
(the ``web`` fixture)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import HELP_KBDS, help_misses


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
    grid = page.locator("#podium-overview")
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
    assert page.locator("#podium-announcer").inner_text() == "Screen blacked out"
    page.keyboard.press("b")
    assert black.is_hidden()
    page.keyboard.press(".")
    assert black.is_visible()
    page.keyboard.press("Period")
    assert black.is_hidden()


# What a thumbnail must share with its slide: every element's look, and every length in the
# same proportion to the slide's width (the thumbnail is the slide, only smaller).
SAME_LOOK = """(i) => {
  const slide = document.querySelector(`#podium-deck > .slide[data-index="${i}"]`);
  const thumb = document.querySelector(`#podium-overview li[data-index="${i}"] .slide`);
  const scale = thumb.getBoundingClientRect().width / slide.getBoundingClientRect().width;
  const a = [slide, ...slide.querySelectorAll("*")];
  const b = [thumb, ...thumb.querySelectorAll("*")];
  if (a.length !== b.length) return [`${a.length} elements, ${b.length} in the thumbnail`];
  const looks = ["color", "background-color", "list-style-type", "display", "white-space",
    "text-decoration-line", "font-weight", "font-style", "text-align", "position"];
  const lengths = ["font-size", "line-height", "padding-left", "padding-top", "margin-top",
    "margin-left"];
  const diffs = [];
  a.forEach((x, n) => {
    const y = b[n];
    const name = `${x.tagName.toLowerCase()}#${n}`;
    for (const pseudo of [null, "::before"]) {
      const sx = getComputedStyle(x, pseudo);
      const sy = getComputedStyle(y, pseudo);
      for (const p of looks) {
        if (n === 0 && p === "position") continue; /* the stage places its slide, a frame its own */
        if (sx.getPropertyValue(p) !== sy.getPropertyValue(p)) {
          const [vx, vy] = [sx.getPropertyValue(p), sy.getPropertyValue(p)];
          diffs.push(`${name}${pseudo || ""} ${p}: ${vx} / ${vy}`);
        }
      }
      for (const p of lengths) {
        const vx = parseFloat(sx.getPropertyValue(p));
        const vy = parseFloat(sy.getPropertyValue(p));
        if (Number.isNaN(vx) || Number.isNaN(vy)) continue;
        if (Math.abs(vx * scale - vy) > Math.max(0.6, 0.03 * vy)) {
          diffs.push(`${name}${pseudo || ""} ${p}: ${vx} x ${scale.toFixed(3)} / ${vy}`);
        }
      }
    }
  });
  return diffs;
}"""


@pytest.mark.parametrize("slug", ["intro-keras", "every-feature"])
def test_overview_thumbnails_look_exactly_like_their_slides(
    web: Any, site: Path, slug: str
) -> None:
    """The overview's own styles once reached into the thumbnails: bullets gone, lists spread
    and cut, links and subtitles near-white."""
    page = web.page(deck_url(site, slug))
    count = page.evaluate("podium.data.count")
    for index in range(1, count + 1):
        # at its last step: a thumbnail shows the slide complete
        page.evaluate(f"podium.go({index}, podium.data.slides[{index - 1}].steps)")
        page.keyboard.press("o")
        assert page.locator("#podium-overview").is_visible()
        assert page.evaluate(SAME_LOOK, index) == [], f"{slug} slide {index}"
        page.keyboard.press("Escape")


def test_help_lists_every_key(web: Any, site: Path) -> None:
    page = web.page(deck_url(site))
    page.keyboard.press("?")
    dialog = page.locator("dialog#podium-help")
    assert dialog.is_visible()
    text = dialog.inner_text()
    for key in ("Space", "PgDn", "PgUp", "Home", "End", "Enter", "o", "b", "f", "p", "?", "Esc"):
        assert re.search(rf"(^|\s){re.escape(key)}(\s|$)", text), key
    page.keyboard.press("ArrowRight")  # keys do not move the deck under the help
    assert current(page) == 1
    page.keyboard.press("Escape")
    assert dialog.is_hidden()


def test_help_is_made_from_the_key_table_the_handler_uses(web: Any, site: Path) -> None:
    page = web.page(deck_url(site, hash="#4"))
    assert help_misses(page) == ([], [])
    shown = page.evaluate(HELP_KBDS)
    for key in ("Shift+Space", "Space", "Backspace", "b", "."):
        assert key in shown, key
    page.keyboard.press("Shift+Space")  # listed, and it does what the help says
    assert current(page) == 3
    page.keyboard.press("Space")
    assert current(page) == 4
    page.keyboard.type("61")
    page.keyboard.press("Backspace")
    assert page.locator(".goto").inner_text() == "Go to 6"
    page.keyboard.press("Enter")
    assert current(page) == 6


def test_slide_changes_are_announced(web: Any, site: Path) -> None:
    page = web.page(deck_url(site))
    page.keyboard.press("ArrowRight")
    assert page.locator("#podium-announcer").inner_text() == "Slide 2 of 8: What is Keras?"
    assert page.locator("#podium-announcer").get_attribute("aria-live") == "polite"
    assert page.locator(".slide-number").inner_text() == "2 / 8"
    # The bar eases to its new width: wait for what the audience ends up seeing, one seventh
    # of the track (slide 2 of 8), rather than reading it mid-transition.
    page.wait_for_function(
        "() => { const track = document.querySelector('.progress').getBoundingClientRect();"
        " const bar = document.querySelector('.progress > span').getBoundingClientRect();"
        " return Math.abs(bar.width - track.width / 7) < 1; }",
        timeout=5000,
    )


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


def test_dense_slide_shrinks_to_the_floor_then_scrolls_and_images_stay_inside(
    web: Any, site: Path
) -> None:
    # 26 bullets need more than the smallest readable scale: the slide stops at the floor
    # and scrolls to its last bullet, rather than shrink out of reach.
    page = web.page(deck_url(site, "every-feature", hash="#6"))
    slide = page.locator("section.slide.current")
    assert float(slide.get_attribute("data-fit")) == page.evaluate("() => podium.FIT_FLOOR")
    assert float(slide.get_attribute("data-fit-needed")) < page.evaluate("() => podium.FIT_FLOOR")
    assert "overfull" in slide.get_attribute("class")
    slide.evaluate("el => { el.scrollTop = el.scrollHeight; }")
    box = slide.bounding_box()
    last = page.locator("section.slide.current li").last.bounding_box()
    assert last["y"] + last["height"] <= box["y"] + box["height"] + 1
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
    from podium.cli.app import cli

    root = deck_dir({"empty.md": ""})
    result = runner.invoke(cli, ["build", str(root / "empty.md"), "-o", str(root / "site")])
    assert result.exit_code == 0, result.output
    page = web.page((root / "site" / "empty" / view).as_uri())
    for key in ("ArrowRight", "End", "Home", "o", "Escape"):
        page.keyboard.press(key)
    if view == "index.html":
        assert "no slides yet" in page.locator(".empty-deck").inner_text()


# Slides titled like the views' parts, and ids an author wrote in the views' namespace.
CLASHING_DECK = """\
# Overview

Intro {#podium-data}

<!-- A note with an id. {#podium-notes} -->

---

# Help

<div id="podium-help">raw HTML with the help's id</div>

---

# Presenter

[slide three](#3), [the deck slide](#deck), [the handout](handout.html)

---

# Deck

---

# Announcer

---

# Slide 2

---

# Notes 1

---

# Podium overview

---

{#podium-announcer}

# Explicit
"""

# Every id on the page: an id of a slide or inside a slide or its notes is the author's,
# anything else the view's.
ID_OWNERS = """() => [...document.querySelectorAll("[id]")].map((el) => [el.id,
  !!el.parentElement.closest(".slide, #podium-notes, .item-notes")
  || el.matches("#podium-deck > .slide, .item")])"""


@pytest.fixture
def clashing_site(deck_dir: Any, runner: Any) -> Path:
    from podium.cli.app import cli

    root = Path(deck_dir({"clash.md": CLASHING_DECK}))
    result = runner.invoke(cli, ["build", str(root / "clash.md"), "-o", str(root / "site")])
    assert result.exit_code == 0, result.output
    assert result.output.count("[id-reserved]") == 5, result.output
    return root / "site"


def test_slide_and_author_ids_never_take_the_views_ids(web: Any, clashing_site: Path) -> None:
    for view in ("index.html", "presenter.html", "handout.html"):
        page = web.page(deck_url(clashing_site, "clash", view))
        owners = page.evaluate(ID_OWNERS)
        assert [i for i, authors in owners if authors and i.startswith("podium-")] == [], view
        assert [i for i, authors in owners if not authors and not i.startswith("podium-")] == []
        page.close()


def test_a_deck_with_slides_named_like_the_views_parts_works(web: Any, clashing_site: Path) -> None:
    page = web.page(deck_url(clashing_site, "clash"))
    assert current(page) == 1
    for index in range(2, 10):
        page.keyboard.press("ArrowRight")
        assert current(page) == index
    assert page.locator("#podium-announcer").inner_text() == "Slide 9 of 9: Explicit"
    page.keyboard.press("o")
    assert page.locator("#podium-overview > ol > li").count() == 9
    page.keyboard.press("Escape")
    page.keyboard.press("?")
    assert page.locator("dialog#podium-help").is_visible()
    assert page.locator("#podium-help tbody tr").count() > 5
    page.keyboard.press("Escape")
    page.close()  # else the presenter takes the audience's slide
    presenter = web.page(deck_url(clashing_site, "clash", "presenter.html", "#1"))
    assert "A note with an id." in str(presenter.locator("#podium-notes").text_content())
    presenter.keyboard.press("ArrowRight")
    assert presenter.locator("#podium-count").inner_text() == "Slide 2 of 9"


def test_links_out_open_a_new_tab_and_links_in_the_deck_stay(web: Any, clashing_site: Path) -> None:
    page = web.page(deck_url(clashing_site, "clash", hash="#3"))
    slide = page.locator("section.slide.current")
    with web.context.expect_page() as opened:
        slide.get_by_role("link", name="the handout").click()
    assert opened.value.url.endswith("/clash/handout.html")
    assert current(page) == 3 and page.url.endswith("/clash/index.html#3")
    slide.get_by_role("link", name="the deck slide").click()  # by the slide's id
    page.wait_for_function("() => podium.state.slide === 4")
    assert hash_of(page) == "#4"
    page.go_back()  # the link made a history entry, as any slide change does
    page.wait_for_function("() => podium.state.slide === 3")
    page.locator("section.slide.current").get_by_role("link", name="slide three").click()
    assert current(page) == 3 and len(web.context.pages) == 2

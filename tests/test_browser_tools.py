"""Footnotes on the page, and the presenting tools (tools.js) in real headless Chromium: the
laser pointer mirrored from the presenter to the audience window, Alt+click zoom (and Esc),
the screen wake lock, and the keys in the help."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner

from tests.helpers import DeckDir, at, build

FOOTNOTES_DECK = """# Keras

Keras runs on TensorFlow[^tf], JAX and PyTorch[^3].

[^tf]: TensorFlow 2, by Google.
[^3]: Since Keras 3.0, *2023*.

---

# Second slide

Numbers start again here[^a].

[^a]: The first footnote of this slide.
"""

#: Where a page's laser dot stands, as a fraction of the current slide (null when hidden).
DOT_ON_SLIDE = """(sel) => {
  const dot = document.querySelector('.laser-dot');
  if (!dot || dot.hidden) return null;
  const d = dot.getBoundingClientRect();
  const s = document.querySelector(sel).getBoundingClientRect();
  return [(d.left + d.width / 2 - s.left) / s.width, (d.top + d.height / 2 - s.top) / s.height];
}"""
AUDIENCE_SLIDE = "#podium-deck > .slide.current"
NOW_SLIDE = "#podium-current > .slide"


def point_on(page: Any, selector: str, fx: float, fy: float) -> tuple[float, float]:
    """The page coordinates of a point given as fractions of an element's box."""
    box = page.locator(selector).bounding_box()
    return box["x"] + fx * box["width"], box["y"] + fy * box["height"]


def alt_click(page: Any, selector: str, fx: float, fy: float) -> None:
    page.keyboard.down("Alt")
    page.mouse.click(*point_on(page, selector, fx, fy))
    page.keyboard.up("Alt")


def presenter_and_audience(web: Any, site: Path) -> tuple[Any, Any]:
    """The presenter view, and the audience window it opened (`a`)."""
    presenter = web.page((site / "intro-keras" / "presenter.html").as_uri() + "#3")
    with web.context.expect_page() as popup:
        presenter.keyboard.press("a")
    audience = popup.value
    audience.wait_for_load_state()
    at(audience, 3)
    return presenter, audience


def test_footnotes_at_the_slide_foot_and_in_the_handout(
    web: Any, deck_dir: DeckDir, runner: CliRunner
) -> None:
    folder = deck_dir({"talk.md": FOOTNOTES_DECK})
    out = folder / "_site"
    code, output = build(runner, str(folder / "talk.md"), "-o", str(out))
    assert code == 0 and "0 warnings" in output, output
    page = web.page((out / "talk" / "index.html").as_uri())
    marks = page.locator(f"{AUDIENCE_SLIDE} sup.footnote-ref")
    assert marks.all_text_contents() == ["1", "2"]
    notes = page.locator(f"{AUDIENCE_SLIDE} > ol.footnotes > li")
    assert [n.strip() for n in notes.all_text_contents()] == [
        "TensorFlow 2, by Google.",
        "Since Keras 3.0, 2023.",
    ]
    # At the foot: below the text, in the slide's lower part, and inside it.
    slide = page.locator(AUDIENCE_SLIDE).bounding_box()
    block = page.locator(f"{AUDIENCE_SLIDE} > ol.footnotes").bounding_box()
    text = page.locator(f"{AUDIENCE_SLIDE} > p").bounding_box()
    assert block["y"] > text["y"] + text["height"]
    assert block["y"] > slide["y"] + 0.6 * slide["height"]
    assert block["y"] + block["height"] <= slide["y"] + slide["height"]
    # Every slide numbers its own; no id on the page is used twice.
    page.keyboard.press("ArrowRight")
    at(page, 2)
    assert page.locator(f"{AUDIENCE_SLIDE} sup.footnote-ref").all_text_contents() == ["1"]
    ids = page.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids))

    handout = web.page((out / "talk" / "handout.html").as_uri())
    items = handout.locator("article .frame ol.footnotes > li")
    shown = [n.strip() for n in items.all_text_contents()]
    assert shown == [
        "TensorFlow 2, by Google.",
        "Since Keras 3.0, 2023.",
        "The first footnote of this slide.",
    ]
    assert handout.locator("article").first.locator("ol.footnotes").is_visible()


def test_laser_pointer_is_mirrored_on_the_audience_screen(web: Any, site: Path) -> None:
    presenter, audience = presenter_and_audience(web, site)
    assert audience.evaluate(DOT_ON_SLIDE, AUDIENCE_SLIDE) is None
    presenter.keyboard.press("l")
    for fx, fy in ((0.25, 0.5), (0.8, 0.2)):
        presenter.mouse.move(*point_on(presenter, NOW_SLIDE, fx, fy))
        audience.wait_for_function(
            "([sel, fx, fy]) => { const dot = document.querySelector('.laser-dot');"
            " if (!dot || dot.hidden) return false;"
            " const d = dot.getBoundingClientRect(), s = document.querySelector(sel)"
            ".getBoundingClientRect();"
            " return Math.abs((d.left + d.width / 2 - s.left) / s.width - fx) < 0.02"
            " && Math.abs((d.top + d.height / 2 - s.top) / s.height - fy) < 0.02; }",
            arg=[AUDIENCE_SLIDE, fx, fy],
            timeout=5000,
        )
        # The presenter sees the dot too, over Now.
        x, y = presenter.evaluate(DOT_ON_SLIDE, NOW_SLIDE)
        assert abs(x - fx) < 0.02 and abs(y - fy) < 0.02
    # Off the slide, the dot goes; `l` again turns the pointer off on both screens.
    presenter.mouse.move(*point_on(presenter, NOW_SLIDE, 0.5, 0.5))
    presenter.keyboard.press("l")
    audience.wait_for_function("() => document.querySelector('.laser-dot').hidden", timeout=5000)
    assert presenter.evaluate(DOT_ON_SLIDE, NOW_SLIDE) is None
    at(audience, 3)  # the pointer never moved the slides


def test_alt_click_zooms_and_esc_zooms_out(web: Any, site: Path) -> None:
    page = web.page((site / "intro-keras" / "index.html").as_uri() + "#3")
    zoomed = "() => document.getElementById('podium-deck').classList.contains('zoomed')"
    scale = (
        "(sel) => { const t = getComputedStyle(document.querySelector(sel)).transform;"
        " return t === 'none' ? 1 : new DOMMatrix(t).a; }"
    )
    alt_click(page, AUDIENCE_SLIDE, 0.3, 0.6)
    page.wait_for_function(f"() => ({scale})('{AUDIENCE_SLIDE}') === 2.5", timeout=5000)
    origin = page.evaluate(
        "() => getComputedStyle(document.getElementById('podium-deck'))"
        ".getPropertyValue('--zoom-x')"
    )
    assert origin.strip().startswith("30")
    at(page, 3)  # an Alt+click is the zoom's, not the next step's
    page.keyboard.press("Escape")
    page.wait_for_function(f"() => !({zoomed})()", timeout=5000)
    # Alt+click again zooms out, too.
    alt_click(page, AUDIENCE_SLIDE, 0.5, 0.5)
    page.wait_for_function(zoomed, timeout=5000)
    alt_click(page, AUDIENCE_SLIDE, 0.5, 0.5)
    page.wait_for_function(f"() => !({zoomed})()", timeout=5000)
    # A new slide starts unzoomed.
    alt_click(page, AUDIENCE_SLIDE, 0.5, 0.5)
    page.wait_for_function(zoomed, timeout=5000)
    page.keyboard.press("ArrowRight")
    at(page, 4)
    page.wait_for_function(f"() => !({zoomed})()", timeout=5000)


def test_zoom_in_the_presenter_is_mirrored(web: Any, site: Path) -> None:
    presenter, audience = presenter_and_audience(web, site)
    alt_click(presenter, NOW_SLIDE, 0.7, 0.25)
    audience.wait_for_function(
        "() => document.getElementById('podium-deck').classList.contains('zoomed')",
        timeout=5000,
    )
    x, y = audience.evaluate(
        "() => { const s = getComputedStyle(document.getElementById('podium-deck'));"
        " return [parseFloat(s.getPropertyValue('--zoom-x')),"
        " parseFloat(s.getPropertyValue('--zoom-y'))]; }"
    )
    assert abs(x - 70) < 2 and abs(y - 25) < 2
    assert presenter.evaluate(
        "() => document.getElementById('podium-current').classList.contains('zoomed')"
    )
    presenter.keyboard.press("Escape")
    audience.wait_for_function(
        "() => !document.getElementById('podium-deck').classList.contains('zoomed')",
        timeout=5000,
    )
    at(audience, 3)


def test_zoom_respects_reduced_motion(browser: Any, site: Path) -> None:
    for motion, expected in (("reduce", "0s"), ("no-preference", "0.3s")):
        context = browser.new_context(reduced_motion=motion)
        try:
            page = context.new_page()
            page.goto((site / "intro-keras" / "index.html").as_uri())
            duration = page.evaluate(
                "(sel) => getComputedStyle(document.querySelector(sel)).transitionDuration",
                AUDIENCE_SLIDE,
            )
            assert duration == expected
        finally:
            context.close()


STUB_WAKE_LOCK = """
window.__wakeLocks = [];
Object.defineProperty(navigator, 'wakeLock', { configurable: true, value: {
  request(type) {
    window.__wakeLocks.push(type);
    return Promise.resolve({ released: false, release: () => Promise.resolve() });
  },
} });
"""


def test_the_screen_is_kept_awake_while_presenting(web: Any, site: Path) -> None:
    web.context.add_init_script(STUB_WAKE_LOCK)
    for view in ("index.html", "presenter.html"):
        page = web.page((site / "intro-keras" / view).as_uri())
        page.wait_for_function("() => window.__wakeLocks.length > 0", timeout=5000)
        assert page.evaluate("() => window.__wakeLocks") == ["screen"]
    # The browser lets the lock go when the page is hidden; coming back takes it again.
    page.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")
    page.wait_for_function("() => window.__wakeLocks.length === 2", timeout=5000)


def test_without_a_wake_lock_api_nothing_fails(web: Any, site: Path) -> None:
    web.context.add_init_script("delete Navigator.prototype.wakeLock;")
    page = web.page((site / "intro-keras" / "index.html").as_uri())
    at(page, 1)
    page.keyboard.press("ArrowRight")
    at(page, 2)  # and the web fixture fails the test on any console error


def test_help_lists_the_tools(web: Any, site: Path) -> None:
    for view in ("index.html", "presenter.html"):
        page = web.page((site / "intro-keras" / view).as_uri())
        page.keyboard.press("?")
        help_text = page.locator("#podium-help").inner_text()
        assert "Laser pointer" in help_text
        assert "Alt+click" in help_text and "Zoom" in help_text

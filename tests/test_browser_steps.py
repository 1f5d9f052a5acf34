"""Steps in real headless Chromium: fragments of each kind, in document order with pauses and
incremental lists; code walkthroughs (#N.S, back and forth, the presenter's next preview);
notes per step in the presenter; the final state in the handout and in print."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from podium.cli.app import cli
from tests.helpers import ROOT, at

STEPS_DECK = ROOT / "tests" / "decks" / "steps.md"

SHOWN = "el => getComputedStyle(el).visibility === 'visible'"
# The code lines of slide 3 that are marked, and those dimmed, as 1-based line numbers.
MARKED = """root => [...root.querySelectorAll('pre .line')].flatMap((l, i) =>
  getComputedStyle(l).display === 'block' ? [i + 1] : [])"""
DIMMED = """root => [...root.querySelectorAll('pre .line')].flatMap((l, i) =>
  +getComputedStyle(l).opacity < 1 ? [i + 1] : [])"""


@pytest.fixture(scope="module")
def steps_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("steps") / "_site"
    result = CliRunner().invoke(cli, ["build", str(STEPS_DECK), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out / "steps"


def shown(page: Any, text: str) -> bool:
    return bool(page.locator(".slide.current").get_by_text(text, exact=True).evaluate(SHOWN))


def test_fragments_appear_fade_and_emphasise_step_by_step(web: Any, steps_site: Path) -> None:
    page = web.page((steps_site / "index.html").as_uri() + "#1")
    emphasised = page.locator(".slide.current").get_by_text("Emphasised later")
    assert shown(page, "Always shown")
    assert not shown(page, "Appears at once") and not shown(page, "Fades in")
    assert shown(page, "Emphasised later")  # .highlight: there all along, not yet emphasised
    plain = emphasised.evaluate("el => getComputedStyle(el).backgroundColor")
    page.keyboard.press("ArrowRight")
    at(page, 1, 1)
    assert shown(page, "Appears at once") and not shown(page, "Fades in")
    appear = page.locator(".slide.current .fragment").first
    assert appear.evaluate("el => getComputedStyle(el).transitionDuration") == "0s"
    page.keyboard.press("ArrowRight")
    at(page, 1, 2)
    fade = page.locator(".slide.current .fade")
    assert fade.evaluate("el => getComputedStyle(el).transitionDuration") == "0.6s"
    page.wait_for_function("el => getComputedStyle(el).opacity === '1'", arg=fade.element_handle())
    assert emphasised.evaluate("el => getComputedStyle(el).backgroundColor") == plain
    page.keyboard.press("ArrowRight")
    at(page, 1, 3)
    assert "emphasised" in str(emphasised.get_attribute("class"))
    page.wait_for_function(  # the emphasis eases in
        "([el, plain]) => getComputedStyle(el).backgroundColor === 'rgb(255, 226, 122)'"
        " && plain !== 'rgb(255, 226, 122)'",
        arg=[emphasised.element_handle(), plain],
        timeout=5000,
    )
    # Back again: the emphasis goes, then the fade.
    page.keyboard.press("ArrowLeft")
    at(page, 1, 2)
    assert emphasised.evaluate("el => getComputedStyle(el).backgroundColor") == plain  # at once
    page.keyboard.press("ArrowLeft")
    at(page, 1, 1)
    assert not shown(page, "Fades in")


def test_reduced_motion_fades_nothing(web: Any, steps_site: Path) -> None:
    page = web.page()
    page.emulate_media(reduced_motion="reduce")
    page.goto((steps_site / "index.html").as_uri() + "#1.2")
    fade = page.locator(".slide.current .fade")
    assert fade.evaluate("el => getComputedStyle(el).transitionDuration") == "0s"


def test_fragments_count_in_document_order_with_pauses_and_lists(
    web: Any, steps_site: Path
) -> None:
    page = web.page((steps_site / "index.html").as_uri() + "#2")
    order = ["After the pause", "item one", "item two", "a"]  # "a": the table's first cell
    seen = []
    for step in range(5):
        at(page, 2, step)
        seen.append([text for text in order if shown(page, text)])
        page.keyboard.press("ArrowRight")
    assert seen == [[], order[:1], order[:2], order[:3], order]
    assert page.evaluate("() => podium.data.slides[1].steps") == 4


def test_code_walkthrough_steps_through_its_ranges_in_the_url(web: Any, steps_site: Path) -> None:
    page = web.page((steps_site / "index.html").as_uri() + "#3.1")
    slide = page.locator(".slide.current")
    assert slide.evaluate(MARKED) == [4]
    assert slide.evaluate(DIMMED) == [1, 2, 3, 5, 6, 7]
    page.keyboard.press("ArrowRight")
    at(page, 3, 2)
    assert page.evaluate("() => location.hash") == "#3.2"
    assert slide.evaluate(MARKED) == [6, 7]
    page.keyboard.press("ArrowRight")  # "all": nothing dimmed, nothing singled out
    at(page, 3, 3)
    assert slide.evaluate(MARKED) == [] and slide.evaluate(DIMMED) == []
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    at(page, 3, 0)
    assert page.evaluate("() => location.hash") == "#3"
    assert slide.evaluate(MARKED) == [1, 2]
    # From the next slide, back lands on the last range; a typed #N.S goes to its range.
    page.keyboard.press("End")
    at(page, 4, 0)
    page.keyboard.press("ArrowLeft")
    at(page, 3, 3)
    page.evaluate("() => { location.hash = '#3.1'; }")
    at(page, 3, 1)
    assert page.locator(".slide.current").evaluate(MARKED) == [4]


def test_presenter_previews_the_next_range_and_highlights_the_steps_notes(
    web: Any, steps_site: Path
) -> None:
    page = web.page((steps_site / "presenter.html").as_uri() + "#3")
    current = (
        "() => [...document.querySelectorAll('#podium-notes .note.current')]"
        ".map(n => n.textContent.trim())"
    )
    assert page.locator("#podium-current").evaluate(MARKED) == [1, 2]
    assert page.locator("#podium-next").evaluate(MARKED) == [4]
    assert page.evaluate(current) == ["First the imports."]
    assert page.locator("#podium-step").text_content() == "step 0 of 3"
    page.keyboard.press("ArrowRight")
    at(page, 3, 1)
    assert page.locator("#podium-current").evaluate(MARKED) == [4]
    assert page.locator("#podium-next").evaluate(MARKED) == [6, 7]
    assert page.evaluate(current) == ["Then the model."]
    assert page.locator("#podium-step").text_content() == "step 1 of 3"
    # Every note stays listed, in order; those still to come are quieter.
    notes = page.locator("#podium-notes .note")
    assert notes.count() == 4
    assert "later" in str(notes.nth(2).get_attribute("class"))
    page.keyboard.press("ArrowLeft")
    at(page, 3, 0)
    assert page.evaluate(current) == ["First the imports."]


def test_presenter_scrolls_the_steps_notes_into_view(web: Any, steps_site: Path) -> None:
    page = web.page((steps_site / "presenter.html").as_uri() + "#3")
    page.evaluate("() => document.body.style.setProperty('--notes-size', '80px')")
    page.evaluate("() => podium.go(3, 3)")
    at(page, 3, 3)
    in_view = """() => { const body = document.getElementById('podium-notes');
      const b = body.getBoundingClientRect();
      const r = body.querySelector('.note.current').getBoundingClientRect();
      return r.top >= b.top && r.bottom <= b.bottom + 1; }"""
    assert page.evaluate("() => document.getElementById('podium-notes').scrollTop") > 0
    assert page.evaluate(in_view)


def test_a_slide_with_notes_of_one_step_highlights_nothing(web: Any, steps_site: Path) -> None:
    page = web.page((steps_site / "presenter.html").as_uri() + "#1")
    assert page.locator("#podium-notes .note.current").count() == 1  # three steps' notes
    page.evaluate("() => podium.go(2)")
    at(page, 2, 0)
    assert page.locator("#podium-notes .note.current").count() == 0


def test_handout_and_print_show_the_final_state(web: Any, steps_site: Path) -> None:
    handout = web.page((steps_site / "handout.html").as_uri())
    code = handout.locator("#code-walkthrough .slide")
    handout.wait_for_function("() => document.querySelector('#code-walkthrough .slide pre')")
    assert code.evaluate(MARKED) == [1, 2, 4, 6, 7] and code.evaluate(DIMMED) == []
    fragments = handout.locator("#fragments .slide")
    assert fragments.get_by_text("Fades in").evaluate(SHOWN)
    assert "emphasised" in str(fragments.get_by_text("Emphasised later").get_attribute("class"))
    assert handout.locator("#code-walkthrough .item-notes p").all_text_contents() == [
        "First the imports.",
        "Then the model.",
        "Then its layers and training.",
        "And all of it together.",
    ]
    page = web.page((steps_site / "index.html").as_uri() + "#3.1")
    page.emulate_media(media="print")
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    slide = page.locator("#code-walkthrough")
    assert slide.evaluate(MARKED) == [1, 2, 4, 6, 7] and slide.evaluate(DIMMED) == []
    assert page.locator("#fragments").get_by_text("Fades in").evaluate(SHOWN)
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    assert slide.evaluate(MARKED) == [4]

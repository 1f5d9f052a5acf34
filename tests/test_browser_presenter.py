"""The presenter view in real headless Chromium: previews, notes, timer and pacing, and the sync
with the audience window both ways, over file:// and HTTP, through reloads, with and without
BroadcastChannel (without it, as in Firefox and Safari on file://, only postMessage links them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import HELP_KBDS, at, help_misses

NO_BROADCAST = "delete window.BroadcastChannel;"


def open_presenter_from_audience(web: Any, url: str) -> tuple[Any, Any]:
    audience = web.page(url)
    with web.context.expect_page() as popup:
        audience.keyboard.press("p")
    presenter = popup.value
    presenter.wait_for_load_state()
    return audience, presenter


def text(page: Any, selector: str) -> str:
    return str(page.locator(selector).text_content()).strip()


def with_fake_clock(web: Any, url: str) -> Any:
    """A page on Playwright's fake clock, stopped, so only run_for() moves time."""
    page = web.page()
    page.clock.install(time=1_767_600_000_000)
    page.goto(url)
    page.clock.pause_at(1_767_600_001_000)
    return page


def test_presenter_shows_current_next_and_notes(web: Any, site: Path) -> None:
    page = web.page((site / "intro-keras" / "presenter.html").as_uri() + "#3")
    assert "Keras: The Python deep learning library" in text(page, "#podium-current")
    assert "Why Keras vs. TensorFlow?" in text(page, "#podium-next")
    assert "A collection of high-level APIs" in text(page, "#podium-notes")
    assert text(page, "#podium-count") == "Slide 3 of 8"
    # notes are rendered markdown: lists are lists
    assert page.locator("#podium-notes li").count() >= 4
    page.keyboard.press("ArrowRight")
    at(page, 4)
    assert "User friendly" in text(page, "#podium-notes")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    at(page, 2)
    assert text(page, "#podium-notes") == "No notes for this slide."
    page.keyboard.press("End")
    at(page, 8)
    assert page.locator("#podium-end").is_visible()
    assert "Let\u2019s work on the Image Classification colab" in text(page, "#podium-notes")


def test_next_preview_shows_the_next_step(web: Any, site: Path) -> None:
    page = web.page((site / "every-feature" / "presenter.html").as_uri() + "#2")
    visible = (
        "el => [...el.querySelectorAll('li')]"
        ".filter(li => getComputedStyle(li).visibility === 'visible').length"
    )
    assert page.locator("#podium-current").evaluate(visible) == 0
    assert page.locator("#podium-next").evaluate(visible) == 1
    assert text(page, "#podium-step") == "step 0 of 3"  # what the audience sees
    page.keyboard.press("ArrowRight")
    at(page, 2, 1)
    assert page.locator("#podium-current").evaluate(visible) == 1
    assert page.locator("#podium-next").evaluate(visible) == 2
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    at(page, 2, 3)
    assert "Code" in text(page, "#podium-next")


def test_previews_are_inert_copies(web: Any, site: Path) -> None:
    page = web.page((site / "intro-keras" / "presenter.html").as_uri() + "#7")
    page.keyboard.press("ArrowRight")
    at(page, 8)
    preview = page.locator("#podium-current > .slide")
    assert preview.get_attribute("aria-hidden") == "true"
    assert preview.evaluate("el => el.inert")
    assert preview.locator("a").get_attribute("tabindex") == "-1"
    assert page.locator("#podium-current [id]").count() == 0


def test_audience_opens_presenter_and_they_drive_each_other(web: Any, base: str) -> None:
    audience, presenter = open_presenter_from_audience(web, f"{base}/intro-keras/index.html#2")
    at(presenter, 2)
    assert presenter.url.split("#")[0].endswith("/intro-keras/presenter.html")
    presenter.keyboard.press("ArrowRight")
    at(audience, 3)
    assert audience.evaluate("location.hash") == "#3"
    audience.keyboard.press("ArrowRight")
    at(presenter, 4)
    presenter.keyboard.press("b")
    audience.wait_for_selector(".blackout", state="visible")
    audience.keyboard.press("b")
    presenter.wait_for_selector("#podium-black", state="hidden")
    assert presenter.locator("#podium-blackout").get_attribute("aria-pressed") == "false"
    # p again brings up the same presenter window, not a second one
    audience.keyboard.press("p")
    assert len(web.context.pages) == 2


def test_presenter_opens_audience_window(web: Any, base: str) -> None:
    presenter = web.page(f"{base}/intro-keras/presenter.html#5")
    with web.context.expect_page() as popup:
        presenter.get_by_role("button", name="Open audience window").click()
    audience = popup.value
    audience.wait_for_load_state()
    at(audience, 5)
    audience.keyboard.press("End")
    at(presenter, 8)
    presenter.keyboard.press("Home")
    at(audience, 1)


@pytest.mark.parametrize("broadcast", [True, False], ids=["broadcast", "postmessage-only"])
def test_sync_survives_a_reload_of_either_window(
    web: Any, base: str, broadcast: bool, request: pytest.FixtureRequest
) -> None:
    if not broadcast:
        web.context.add_init_script(NO_BROADCAST)
    audience, presenter = open_presenter_from_audience(web, f"{base}/intro-keras/index.html#2")
    assert audience.evaluate("'BroadcastChannel' in window") is broadcast
    at(presenter, 2)
    presenter.reload()
    at(presenter, 2)
    presenter.keyboard.press("ArrowRight")
    at(audience, 3)
    audience.reload()
    at(audience, 3)
    audience.keyboard.press("ArrowRight")
    at(presenter, 4)
    presenter.keyboard.press("ArrowRight")
    at(audience, 5)
    # the window that stayed re-attaches the reloaded one even when it is behind
    audience.reload()
    presenter.keyboard.press("ArrowRight")
    at(audience, 6)


def test_windows_opened_independently_sync_by_broadcast(web: Any, base: str) -> None:
    presenter = web.page(f"{base}/intro-keras/presenter.html#4")
    audience = web.page(f"{base}/intro-keras/index.html")
    at(audience, 4)  # the newcomer takes the position of the window already open
    presenter.keyboard.press("ArrowRight")
    at(audience, 5)
    audience.keyboard.press("Home")
    at(presenter, 1)


def test_timer_pauses_resumes_and_resets_only_when_confirmed(web: Any, site: Path) -> None:
    page = with_fake_clock(web, (site / "intro-keras" / "presenter.html").as_uri())
    elapsed = page.locator("#podium-elapsed")
    pause = page.locator("#podium-pause")
    assert elapsed.inner_text() == "0:00" and pause.inner_text() == "Start"
    page.clock.run_for(10_000)
    assert elapsed.inner_text() == "0:00", "the timer waits for the talk to start"
    page.keyboard.press("ArrowRight")  # the first step starts it
    assert pause.inner_text() == "Pause"
    page.clock.run_for(65_000)
    assert elapsed.inner_text() == "1:05"
    pause.click()
    assert pause.inner_text() == "Resume"
    page.clock.run_for(30_000)
    assert elapsed.inner_text() == "1:05"
    page.keyboard.press("t")
    page.clock.run_for(5_000)
    assert elapsed.inner_text() == "1:10"
    reset = page.locator("#podium-reset")
    reset.click()
    page.clock.run_for(1_000)
    assert elapsed.inner_text() == "1:11", "one press only asks"
    assert reset.inner_text() == "Reset to 0:00?"
    reset.click()
    assert elapsed.inner_text() == "0:00" and pause.inner_text() == "Start"


def test_timer_survives_a_reload(web: Any, site: Path) -> None:
    page = with_fake_clock(web, (site / "intro-keras" / "presenter.html").as_uri())
    page.keyboard.press("t")
    page.clock.run_for(125_000)
    page.reload()
    page.clock.run_for(1_000)
    assert page.locator("#podium-elapsed").inner_text() in ("2:05", "2:06")


def test_countdown_and_pacing_for_a_planned_duration(web: Any, site: Path) -> None:
    # every-feature: 9 slides in 9 minutes, so one minute per slide
    page = with_fake_clock(web, (site / "every-feature" / "presenter.html").as_uri() + "#9")
    pacing = page.locator("#podium-pacing")
    assert "Remaining of 9 min" in text(page, ".p-remaining .p-k")
    assert pacing.get_attribute("data-status") == "idle"
    page.keyboard.press("Home")  # starts the timer on slide 1
    page.keyboard.press("ArrowRight")
    at(page, 2)
    page.clock.run_for(1_000)
    assert pacing.get_attribute("data-status") == "ahead"
    assert text(page, "#podium-pace-text").startswith("Ahead by")
    page.clock.run_for(89_000)
    assert pacing.get_attribute("data-status") == "on-time"
    assert text(page, "#podium-remaining") == "7:30"
    page.clock.run_for(120_000)
    assert pacing.get_attribute("data-status") == "behind"
    assert text(page, "#podium-pace-text") == "Behind by 1:30"
    page.clock.run_for(420_000)  # 630 s of a 540 s talk
    assert text(page, "#podium-remaining") == "+1:30"


def test_notes_size_is_adjustable_and_remembered(web: Any, site: Path) -> None:
    page = web.page((site / "intro-keras" / "presenter.html").as_uri() + "#3")
    size = "parseFloat(getComputedStyle(document.getElementById('podium-notes')).fontSize)"
    start = page.evaluate(size)
    assert 28 <= start <= 36
    page.keyboard.press("+")
    page.keyboard.press("+")
    assert page.evaluate(size) == start + 8
    page.reload()
    assert page.evaluate(size) == start + 8
    page.get_by_role("button", name="Smaller notes").click()
    assert page.evaluate(size) == start + 4
    page.reload()
    assert page.evaluate(size) == start + 4
    assert text(page, "#podium-font-size") == f"{int(start + 4)} px"


def test_presenter_overview_and_help(web: Any, site: Path) -> None:
    page = web.page((site / "intro-keras" / "presenter.html").as_uri() + "#1")
    page.keyboard.press("o")
    page.locator("#podium-overview li[data-index='6'] > a").click()
    at(page, 6)
    assert page.locator("#podium-overview").is_hidden()
    page.keyboard.press("?")
    help_text = text(page, "dialog#podium-help")
    for words in ("Larger or smaller notes", "timer", "audience window", "Black screen"):
        assert words in help_text
    page.keyboard.press("Escape")
    assert page.locator("dialog#podium-help").is_hidden()


def test_presenter_help_lists_exactly_the_keys_it_handles(web: Any, site: Path) -> None:
    page = web.page((site / "intro-keras" / "presenter.html").as_uri() + "#3")
    assert help_misses(page) == ([], [])
    shown = page.evaluate(HELP_KBDS)
    for key in ("Shift+Space", "a", "t", "r", "+", "-"):
        assert key in shown, key
    assert "p" not in shown  # the audience view's key: the presenter does not answer to it
    page.keyboard.press("Shift+Space")
    at(page, 2)


def test_presenter_follows_a_changed_hash_like_the_audience_view(web: Any, site: Path) -> None:
    page = web.page((site / "intro-keras" / "presenter.html").as_uri() + "#4")
    at(page, 4)
    page.evaluate("location.hash = '#6'")
    at(page, 6)
    assert text(page, "#podium-count") == "Slide 6 of 8"
    assert "Using Keras" in text(page, "#podium-current")
    page.evaluate("location.hash = '#2'")
    at(page, 2)
    assert page.evaluate("location.hash") == "#2"


def test_black_screen_notice_is_a_badge_beside_the_preview(web: Any, site: Path) -> None:
    page = web.page((site / "intro-keras" / "presenter.html").as_uri() + "#4")
    badge = page.locator("#podium-black")
    assert badge.is_hidden()
    page.keyboard.press("b")
    assert badge.is_visible()
    assert text(page, "#podium-black").startswith("Audience screen is black")
    box = badge.bounding_box()
    preview = page.locator("#podium-current").bounding_box()
    # compact: one line of legible type, no wider than the preview ...
    assert box["height"] < 40 and box["width"] < preview["width"]
    assert (
        page.evaluate(
            "parseFloat(getComputedStyle(document.getElementById('podium-black')).fontSize)"
        )
        >= 14
    )
    # ... and clear of the slide the presenter still reads
    assert box["y"] + box["height"] <= preview["y"] or box["y"] >= preview["y"] + preview["height"]
    page.keyboard.press("b")
    assert badge.is_hidden()


# Label in name, strictly: a control whose visible text holds a letter or digit has that text
# in its accessible name (axe 4.12 lets `A-` pass inside "Smaller notes" on the "a").
NAME_MISMATCHES = """() => [...document.querySelectorAll("button[aria-label]")]
  .filter((b) => /[\\p{L}\\p{N}]/u.test(b.innerText))
  .filter((b) => !b.ariaLabel.toLowerCase().includes(b.innerText.trim().toLowerCase()))
  .map((b) => `${b.innerText.trim()} / ${b.getAttribute("aria-label")}`)"""


@pytest.mark.parametrize("view", ["presenter.html#4", "index.html#4"])
def test_buttons_say_what_they_show(web: Any, http_site: str, view: str) -> None:
    """WCAG 2.5.3 label in name (axe's label-content-name-mismatch, off by default): a voice
    control user says what they see (`A-`, `A+`) and the button answers."""
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    page = web.page(f"{http_site}/intro-keras/{view}")
    rule = "label-content-name-mismatch"
    results = Axe().run(page, options={"runOnly": {"type": "rule", "values": [rule]}})
    bad = [[n["target"] for n in v["nodes"]] for v in results.response["violations"]]
    assert bad == []
    assert page.evaluate(NAME_MISMATCHES) == []

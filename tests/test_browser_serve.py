"""``podium serve`` in real headless Chromium: edits patch the open pages in place, reloads
keep the slide and step, errors show over the page, the presenter window stays in sync.

Every test also fails on a console error or an outside request (the ``web`` fixture).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.helpers import BROKEN, LIVE_DECK, Live

WAIT = 15_000  # ms: generous, for a busy 2-core machine


def state(page: Any) -> tuple[int, int]:
    slide, step = page.evaluate("[window.podium.state.slide, window.podium.state.step]")
    return int(slide), int(step)


def open_live(web: Any, url: str) -> Any:
    page = web.page(url)
    page.wait_for_function("() => document.documentElement.dataset.podiumLive === 'connected'")
    page.evaluate("window.__sameDocument = true")  # gone after a reload
    return page


def wait_for_build(page: Any, build: int) -> None:
    page.wait_for_function(
        "() => "
        f"document.documentElement.dataset.podiumBuild === '{build}'"
        " && document.documentElement.dataset.podiumLive === 'connected'",
        timeout=WAIT,
    )


def reloaded(page: Any) -> bool:
    return not page.evaluate("window.__sameDocument === true")


def test_an_edit_patches_the_slide_in_place_keeping_slide_and_step(
    live: Callable[..., Live], web: Any
) -> None:
    served = live()
    page = open_live(web, served.url("/live/#2.1"))
    assert state(page) == (2, 1)
    served.write(LIVE_DECK.replace("- two", "- two, edited"))
    page.wait_for_function(
        "() => document.querySelector('section.slide.current').textContent.includes('two, edited')",
        timeout=WAIT,
    )
    assert not reloaded(page)
    assert state(page) == (2, 1) and page.evaluate("location.hash") == "#2.1"
    # the step state was applied to the new content: item 2 is still hidden
    items = page.locator("section.slide.current li")
    assert [items.nth(i).is_visible() for i in range(3)] == [True, False, False]


def test_a_reload_keeps_the_slide_and_step(live: Callable[..., Live], web: Any) -> None:
    served = live()
    page = open_live(web, served.url("/live/#2.2"))
    page.keyboard.press("j")  # do not jump to the edited slide
    assert page.evaluate("document.documentElement.dataset.podiumFollow") == "off"
    served.write(LIVE_DECK + "\n---\n\n# Fourth\n")  # a new slide: the page must reload
    wait_for_build(page, 2)
    assert reloaded(page)
    assert state(page) == (2, 2) and page.evaluate("location.hash") == "#2.2"
    assert page.evaluate("window.podium.data.count") == 4
    assert page.evaluate("document.documentElement.dataset.podiumFollow") == "off"


def test_the_audience_jumps_to_the_edited_slide_unless_told_not_to(
    live: Callable[..., Live], web: Any
) -> None:
    served = live()
    page = open_live(web, served.url("/live/#1"))
    assert page.locator("section.slide[data-index='3']").get_attribute("id") == "third"
    edited = LIVE_DECK.replace("# Third", "# Third, renamed")
    served.write(edited)
    page.wait_for_function("() => window.podium.state.slide === 3", timeout=WAIT)
    assert not reloaded(page)  # a new title (and so a new id) is patched in place too
    current = page.locator("section.slide.current")
    assert "Third, renamed" in current.inner_text()
    assert current.get_attribute("id") == "third-renamed"
    assert "Jump to the slide just edited" in (page.locator("#podium-help").text_content() or "")
    page.keyboard.press("j")
    served.write(edited.replace("- one", "- uno"))
    wait_for_build(page, 3)
    assert state(page) == (3, 0)


def test_an_error_shows_over_the_page_until_the_next_good_save(
    live: Callable[..., Live], web: Any
) -> None:
    served = live()
    page = open_live(web, served.url("/live/#3"))
    served.write(BROKEN)
    overlay = page.locator("#podium-error")
    overlay.wait_for(state="visible", timeout=WAIT)
    text = overlay.inner_text()
    assert "live.md:" in text and "error[comment-unterminated]" in text
    assert "Body three." in page.locator("section.slide.current").inner_text()  # last good build
    # a page opened while the build is broken shows the error at once
    second = open_live(web, served.url("/live/presenter.html"))
    second.locator("#podium-error").wait_for(state="visible", timeout=WAIT)
    served.write(LIVE_DECK.replace("Body three.", "Fixed three."))
    overlay.wait_for(state="detached", timeout=WAIT)
    second.locator("#podium-error").wait_for(state="detached", timeout=WAIT)
    assert "Fixed three." in page.locator("section.slide.current").inner_text()
    assert not reloaded(page)


def test_warnings_show_as_a_dismissible_badge(live: Callable[..., Live], web: Any) -> None:
    served = live(LIVE_DECK.replace("res/fig.png", "res/missing.png"))
    page = open_live(web, served.url("/live/"))
    badge = page.locator("#podium-warnings")
    badge.wait_for(state="visible", timeout=WAIT)
    assert "1 warning" in badge.inner_text()
    badge.get_by_role("button", name="1 warning").click()
    assert "image-missing" in badge.inner_text()
    badge.get_by_role("button", name="Dismiss the warnings").click()
    badge.wait_for(state="detached")


def test_the_presenter_stays_in_sync_across_a_reload(live: Callable[..., Live], web: Any) -> None:
    served = live()
    # Both on slide 3, and no key pressed just before the save (a viewer who moved since
    # the save is not moved: see test_an_update_never_moves_a_viewer_who_moved_since_the_save)
    audience = open_live(web, served.url("/live/#3"))
    presenter = open_live(web, served.url("/live/presenter.html#3"))
    presenter.wait_for_function("() => window.podium.state.slide === 3", timeout=WAIT)
    served.write(LIVE_DECK + "\n---\n\n# Fourth\n\n<!-- the new note -->\n")  # reload, jump to 4
    for page in (audience, presenter):
        wait_for_build(page, 2)
        page.wait_for_function("() => window.podium.state.slide === 4", timeout=WAIT)
        assert reloaded(page)
    assert "the new note" in presenter.locator("#podium-notes").inner_text()
    audience.bring_to_front()
    audience.keyboard.press("ArrowLeft")
    presenter.wait_for_function("() => window.podium.state.slide === 3", timeout=WAIT)
    presenter.bring_to_front()
    presenter.keyboard.press("ArrowLeft")  # and back the other way
    audience.wait_for_function(
        "() => window.podium.state.slide === 2 && window.podium.state.step === 3", timeout=WAIT
    )


def test_a_notes_edit_patches_the_presenter_in_place(live: Callable[..., Live], web: Any) -> None:
    served = live()
    presenter = open_live(web, served.url("/live/presenter.html#2"))
    served.write(LIVE_DECK.replace("note for the steps", "a much better note"))
    presenter.wait_for_function(
        "() => document.getElementById('podium-notes').textContent.includes('a much better note')",
        timeout=WAIT,
    )
    assert not reloaded(presenter) and state(presenter) == (2, 0)


def test_the_handout_and_the_deck_index_reload_with_the_edit(
    live: Callable[..., Live], web: Any
) -> None:
    served = live()
    handout = open_live(web, served.url("/live/handout.html"))
    index = open_live(web, served.url("/"))
    served.write(LIVE_DECK.replace("# Live deck", "# Renamed deck"))
    for page in (handout, index):
        page.wait_for_function(
            "() => "
            "document.body.textContent.includes('Renamed deck')"
            " && document.documentElement.dataset.podiumLive === 'connected'",
            timeout=WAIT,
        )
        assert reloaded(page)


def test_a_page_past_the_stream_cap_says_so(live: Callable[..., Live], web: Any) -> None:
    served = live(max_streams=1)
    open_live(web, served.url("/live/"))
    second = web.page(served.url("/live/presenter.html"))
    second.wait_for_function(
        "() => document.documentElement.dataset.podiumLive === 'refused'", timeout=WAIT
    )
    assert "too many live pages" in second.locator(".toast").inner_text()


def test_an_update_never_moves_a_viewer_who_moved_since_the_save(
    live: Callable[..., Live], web: Any
) -> None:
    served = live()
    page = open_live(web, served.url("/live/#1"))
    assert page.evaluate("document.documentElement.dataset.podiumFollow") == "on"
    served.write(LIVE_DECK.replace("Body three.", "Body three, edited."))  # slide 3 edited
    page.keyboard.press("ArrowRight")  # right after the save: to slide 2, then its step 1
    page.keyboard.press("ArrowRight")
    wait_for_build(page, 2)
    assert not reloaded(page)
    assert state(page) == (2, 1) and page.evaluate("location.hash") == "#2.1"
    # the edit is in place all the same
    assert "Body three, edited." in page.locator("section.slide[data-index='3']").inner_text()


# Runs a test's hook right after live.js has handled an update (the reload it asked for
# has not happened yet: it lands after this task).
AFTER_UPDATE = """
(() => {
  const Real = window.EventSource;
  window.EventSource = class extends Real {
    addEventListener(type, listener, ...rest) {
      if (type !== "update") return super.addEventListener(type, listener, ...rest);
      return super.addEventListener(type, (e) => {
        listener(e);
        if (window.__afterUpdate) window.__afterUpdate();
      }, ...rest);
    }
  };
})();
"""


def test_moves_made_while_the_page_reloads_survive_the_reload(
    live: Callable[..., Live], web: Any
) -> None:
    served = live()
    page = web.page()
    page.add_init_script(AFTER_UPDATE)
    page.goto(served.url("/live/#1"))
    page.wait_for_function("() => document.documentElement.dataset.podiumLive === 'connected'")
    page.evaluate("window.__sameDocument = true")
    # the viewer goes on twice while the reload is on its way
    page.evaluate("() => { window.__afterUpdate = () => { podium.next(); podium.next(); }; }")
    served.write(LIVE_DECK + "\n---\n\n# Fourth\n")  # a new slide: the page reloads
    wait_for_build(page, 2)
    assert reloaded(page)
    page.wait_for_function("() => window.podium.state.slide === 2", timeout=WAIT)
    assert state(page) == (2, 1) and page.evaluate("location.hash") == "#2.1"
    assert page.evaluate("window.podium.data.count") == 4

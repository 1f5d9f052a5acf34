"""What an instructor does in every engine they may present from: Chromium, Firefox (Debian's
firefox-esr through Playwright) and WebKit (Safari's engine: WebKitGTK through Selenium).

Keys and the URL hash, the audience and presenter windows driving each other (opened in either
order, by each other or independently, over file:// and HTTP), print, and the live update of
``podium serve``. The engines are launched once per session (tests/conftest.py); each test gets
fresh windows through a small adapter, so one test body runs on all three.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

import pytest

from tests.helpers import LIVE_DECK, Live

ENGINES = ("chromium", "firefox", "webkit")
WAIT = 10.0  # seconds: generous, for a busy 2-core machine


class Window(Protocol):
    def goto(self, url: str) -> None: ...
    def press(self, key: str) -> None: ...
    def evaluate(self, expression: str) -> Any: ...
    def wait(self, expression: str) -> None: ...
    def back(self) -> None: ...
    def reload(self) -> None: ...


class Engine(Protocol):
    name: str

    def open(self, url: str) -> Window: ...
    def popup(self, opener: Window, key: str) -> Window: ...


# ---- Playwright (Chromium, Firefox) -----------------------------------------------------------


class PlaywrightWindow:
    def __init__(self, page: Any) -> None:
        self.page = page

    def goto(self, url: str) -> None:
        self.page.goto(url)

    def press(self, key: str) -> None:
        self.page.bring_to_front()
        self.page.keyboard.press(key)

    def evaluate(self, expression: str) -> Any:
        return self.page.evaluate(expression)

    def wait(self, expression: str) -> None:
        # Polling, not requestAnimationFrame: a window behind another may get no frames.
        # A function, not a bare expression: the pages' policy forbids eval.
        self.page.wait_for_function(f"() => ({expression})", polling=50, timeout=WAIT * 1000)

    def back(self) -> None:
        self.page.go_back()

    def reload(self) -> None:
        self.page.reload()


class PlaywrightEngine:
    """One browser context per test; console errors and uncaught exceptions fail the test."""

    def __init__(self, name: str, browser: Any) -> None:
        self.name = name
        self.context = browser.new_context(viewport={"width": 1280, "height": 720})
        self.errors: list[str] = []
        self.context.on("page", self._watch)

    def _watch(self, page: Any) -> None:
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))

    def open(self, url: str) -> Window:
        page = self.context.new_page()
        page.goto(url)
        return PlaywrightWindow(page)

    def popup(self, opener: Window, key: str) -> Window:
        with self.context.expect_page(timeout=WAIT * 1000) as opened:
            opener.press(key)
        page = opened.value
        page.wait_for_load_state()
        return PlaywrightWindow(page)

    def close(self) -> None:
        self.context.close()


# ---- Selenium (WebKit) ------------------------------------------------------------------------


class SeleniumWindow:
    """A window of the shared driver: every call first makes it the driver's current window."""

    def __init__(self, driver: Any, handle: str) -> None:
        self.driver = driver
        self.handle = handle

    def _focus(self) -> Any:
        if self.driver.current_window_handle != self.handle:
            self.driver.switch_to.window(self.handle)
        return self.driver

    def goto(self, url: str) -> None:
        self._focus().get(url)

    def press(self, key: str) -> None:
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys

        named = {"ArrowRight": Keys.ARROW_RIGHT, "ArrowLeft": Keys.ARROW_LEFT}
        named |= {"Home": Keys.HOME, "End": Keys.END, "Escape": Keys.ESCAPE}
        ActionChains(self._focus()).send_keys(named.get(key, key)).perform()

    def evaluate(self, expression: str) -> Any:
        return self._focus().execute_script(f"return ({expression});")

    def wait(self, expression: str) -> None:
        from selenium.webdriver.support.wait import WebDriverWait

        driver = self._focus()
        check = f"return !!({expression});"
        WebDriverWait(driver, WAIT, poll_frequency=0.05).until(lambda d: d.execute_script(check))

    def back(self) -> None:
        self._focus().back()

    def reload(self) -> None:
        self._focus().refresh()


class SeleniumEngine:
    """The session's WebKit driver, lent to one test: it starts in the driver's first window and
    closes every other window at the end."""

    name = "webkit"

    def __init__(self, driver: Any) -> None:
        self.driver = driver
        self.first = driver.window_handles[0]
        driver.switch_to.window(self.first)
        self.used_first = False

    def open(self, url: str) -> Window:
        if self.used_first:
            self.driver.switch_to.new_window("window")
        self.used_first = True
        window = SeleniumWindow(self.driver, self.driver.current_window_handle)
        window.goto(url)
        return window

    def popup(self, opener: Window, key: str) -> Window:
        from selenium.webdriver.support.wait import WebDriverWait

        before = set(self.driver.window_handles)
        opener.press(key)
        WebDriverWait(self.driver, WAIT).until(lambda d: set(d.window_handles) - before)
        (handle,) = set(self.driver.window_handles) - before
        window = SeleniumWindow(self.driver, handle)
        window.wait("document.readyState === 'complete' && !!window.podium")
        return window

    def close(self) -> None:
        for handle in self.driver.window_handles:
            if handle != self.first:
                self.driver.switch_to.window(handle)
                self.driver.close()
        self.driver.switch_to.window(self.first)
        self.driver.get("about:blank")


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    name = request.param
    if name == "webkit":
        session = SeleniumEngine(request.getfixturevalue("webkit"))
        yield session
        session.close()
        return
    fixture = "browser" if name == "chromium" else name
    playwright_session = PlaywrightEngine(name, request.getfixturevalue(fixture))
    yield playwright_session
    playwright_session.close()
    assert playwright_session.errors == [], f"console errors: {playwright_session.errors}"


def at(window: Window, slide: int, step: int = 0) -> None:
    """Wait until the window's deck is at slide/step (windows sync asynchronously)."""
    window.wait(
        f"window.podium && podium.state && podium.state.slide === {slide}"
        f" && podium.state.step === {step}"
    )


# ---- the audience view ------------------------------------------------------------------------


def test_keys_and_the_hash_walk_the_deck(engine: Engine, base: str) -> None:
    audience = engine.open(f"{base}/intro-keras/index.html#2")
    at(audience, 2)
    for key, slide in (("ArrowRight", 3), ("ArrowRight", 4), ("ArrowLeft", 3), ("End", 8)):
        audience.press(key)
        at(audience, slide)
        assert audience.evaluate("location.hash") == f"#{slide}"
        shown = "document.querySelector('section.slide.current').dataset.index"
        assert audience.evaluate(shown) == str(slide)
    audience.press("Home")
    at(audience, 1)
    audience.back()  # history walks the slides back
    at(audience, 8)
    audience.evaluate("location.hash = '#5'")  # a typed hash
    at(audience, 5)
    audience.reload()
    at(audience, 5)
    assert audience.evaluate("document.querySelector('.slide-number').textContent") == "5 / 8"


THUMBNAILS = """[...document.querySelectorAll('#podium-overview > ol > li')].slice(0, 8).map(li => {
    const frame = li.querySelector('.frame').getBoundingClientRect();
    const slide = li.querySelector('.frame > .slide');
    const blocks = [...slide.querySelectorAll(':scope > *')].map(el => {
        const box = el.getBoundingClientRect();
        return [box.left - frame.left, box.width, parseFloat(getComputedStyle(el).fontSize)];
    });
    return [frame.width, slide.getBoundingClientRect().width, blocks];
})"""


def test_overview_thumbnails_are_the_slides_scaled_down(engine: Engine, site: Path) -> None:
    """Each thumbnail is its slide at the frame's width, its text laid out inside, the type
    scaled alike. (WebKit laid out the slides in the overview with the container units of
    their content-visibility:auto item while it was skipped: centred titles got no width and
    ran out of their frames, bullets were missing.)"""
    audience = engine.open((site / "intro-keras" / "index.html").as_uri() + "#3")
    big = "parseFloat(getComputedStyle(document.querySelector('.current .big')).fontSize)"
    width = "document.querySelector('section.slide.current').getBoundingClientRect().width"
    big_on_slide = audience.evaluate(big) / audience.evaluate(width)
    audience.press("o")
    audience.wait("!document.getElementById('podium-overview').hidden")
    thumbnails = audience.evaluate(THUMBNAILS)
    assert len(thumbnails) == 8
    for index, (frame, slide, blocks) in enumerate(thumbnails, start=1):
        assert slide == pytest.approx(frame, abs=1), f"slide {index} is not its frame's width"
        for left, block_width, _ in blocks:
            assert block_width > 0 and left >= 0, f"slide {index}: {blocks}"
            assert left + block_width <= frame + 1, f"slide {index}: {blocks}"
    big_in_thumbnail = thumbnails[2][2][0][2] / thumbnails[2][1]
    assert big_in_thumbnail == pytest.approx(big_on_slide, rel=0.02), "type not scaled alike"


# ---- the presenter window, in sync both ways ---------------------------------------------------


def drive_each_other(first: Window, second: Window) -> None:
    """Keys in either window move the other, blackout included, also after a reload."""
    first.press("ArrowRight")
    at(second, 4)
    second.press("ArrowRight")
    at(first, 5)
    second.press("b")
    first.wait("podium.state.blackout === true")
    first.press("b")
    second.wait("podium.state.blackout === false")
    first.press("Home")
    at(second, 1)
    # either window may reload: the two find each other again
    second.reload()
    at(second, 1)
    first.press("ArrowRight")
    at(second, 2)
    first.reload()
    at(first, 2)
    second.press("ArrowRight")
    at(first, 3)


def test_the_audience_opens_the_presenter_and_they_drive_each_other(
    engine: Engine, base: str
) -> None:
    audience = engine.open(f"{base}/intro-keras/index.html#3")
    presenter = engine.popup(audience, "p")
    assert presenter.evaluate("podium.view") == "presenter"
    at(presenter, 3)
    drive_each_other(audience, presenter)


def test_the_presenter_opens_the_audience_and_they_drive_each_other(
    engine: Engine, base: str
) -> None:
    presenter = engine.open(f"{base}/intro-keras/presenter.html#3")
    audience = engine.popup(presenter, "a")
    assert audience.evaluate("podium.view") == "audience"
    at(audience, 3)
    drive_each_other(presenter, audience)


@pytest.mark.parametrize("first_view", ["presenter", "audience"])
def test_windows_opened_independently_sync_in_either_order(
    engine: Engine, base: str, first_view: str
) -> None:
    """Two tabs opened by hand, not by each other: no window.opener links them, and in WebKit
    no BroadcastChannel message passes between file:// pages (nor, after a reload, a "storage"
    event): the regression test for the localStorage queue that links them there."""
    pages = {"presenter": "presenter.html", "audience": "index.html"}
    second_view = "audience" if first_view == "presenter" else "presenter"
    first = engine.open(f"{base}/intro-keras/{pages[first_view]}#3")
    at(first, 3)
    second = engine.open(f"{base}/intro-keras/{pages[second_view]}")
    at(second, 3)  # the newcomer takes the position of the window already open
    drive_each_other(first, second)


@pytest.fixture(scope="module")
def packed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Keras deck built ``--self-contained``: one file per view, side by side."""
    from click.testing import CliRunner

    from podium.cli.app import cli
    from tests.helpers import KERAS_DECK

    out = tmp_path_factory.mktemp("packed") / "out"
    result = CliRunner().invoke(cli, ["build", str(KERAS_DECK), "-o", str(out), "--self-contained"])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("opened", ["by-p", "by-hand"])
def test_self_contained_files_present_and_sync(engine: Engine, packed: Path, opened: str) -> None:
    """The one-file views run their inlined scripts (allowed by hash) in every engine, and the
    audience file and the presenter file beside it drive each other over file://."""
    audience = engine.open((packed / "intro-keras.html").as_uri() + "#3")
    at(audience, 3)
    if opened == "by-p":
        presenter = engine.popup(audience, "p")
    else:
        presenter = engine.open((packed / "intro-keras-presenter.html").as_uri())
    assert presenter.evaluate("podium.view") == "presenter"
    at(presenter, 3)
    drive_each_other(audience, presenter)


# ---- print -------------------------------------------------------------------------------------


def pdf_pages(pdf: bytes) -> int:
    """Page objects in a PDF, also those packed in compressed object streams (Firefox's)."""
    pattern = rb"/Type\s*/Page\b"
    count = len(re.findall(pattern, pdf))
    for stream in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            count += len(re.findall(pattern, zlib.decompress(stream.group(1))))
        except zlib.error:
            continue  # an image or a font, not an object stream
    return count


def test_print_lays_out_every_slide_one_per_page(engine: Engine, site: Path) -> None:
    if engine.name == "webkit":
        pytest.skip(
            "WebKitWebDriver has no Print Page command (/session/{id}/print is unknown) and "
            "WebDriver cannot switch a page to print media, so WebKit's print layout is untested"
        )
    assert isinstance(engine, PlaywrightEngine)
    audience = engine.open((site / "intro-keras" / "index.html").as_uri() + "#4")
    assert isinstance(audience, PlaywrightWindow)
    pdf = audience.page.pdf(prefer_css_page_size=True, print_background=True)
    assert pdf_pages(pdf) == 8


def test_pdf_pages_counts_pages_in_object_streams() -> None:
    packed = b"1 0 obj\n<< /Type /ObjStm >>\nstream\n" + zlib.compress(b"<< /Type /Page >>")
    assert pdf_pages(packed + b"\nendstream\n<< /Type /Page >> << /Type /Pages >>") == 2


# ---- podium serve --------------------------------------------------------------------------------


def test_serve_updates_the_open_page_in_place_on_save(
    engine: Engine, live: Callable[..., Live]
) -> None:
    served = live()
    audience = engine.open(served.url("/live/#2.1"))
    audience.wait("document.documentElement.dataset.podiumLive === 'connected'")
    audience.evaluate("window.__sameDocument = true")  # gone after a reload
    at(audience, 2, 1)
    served.write(LIVE_DECK.replace("- two", "- two, edited"))
    audience.wait(
        "document.querySelector('section.slide.current').textContent.includes('two, edited')"
    )
    assert audience.evaluate("window.__sameDocument === true"), "patched, not reloaded"
    at(audience, 2, 1)
    assert audience.evaluate("location.hash") == "#2.1"

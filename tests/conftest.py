"""Shared fixtures: deck folders, the CLI runner, and real browsers, each launched once per
session: headless Chromium and Firefox (Debian's, driven by Playwright) and WebKit (WebKitGTK's
WebKitWebDriver, driven by Selenium under Xvfb)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
KERAS_DECK = ROOT / "slides" / "intro-keras.md"
#: The first bytes of a PNG: enough for podium to take a file as a real image.
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(17)

CHROMIUM_CANDIDATES = ("/usr/lib/chromium/chromium-headless-shell", "/usr/lib/chromium/chromium")
# Keep every hostname but loopback from resolving: nothing can load from the internet.
NO_NETWORK = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


DeckDir = Callable[[dict[str, str | bytes]], Path]


@pytest.fixture
def deck_dir(tmp_path: Path) -> DeckDir:
    """Write ``{relative path: text or bytes}`` under a fresh folder and return the folder."""

    def make(files: dict[str, str | bytes]) -> Path:
        for name, content in files.items():
            target = tmp_path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        return tmp_path

    return make


FIREFOX = "/usr/bin/firefox-esr"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
XVFB = "/usr/bin/Xvfb"


def chromium_path() -> str | None:
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit
    return next((p for p in CHROMIUM_CANDIDATES if os.path.exists(p)), None)


def engine_missing(reason: str) -> NoReturn:
    """Skip a test whose browser is not installed; on CI (env CI set) that is a failure."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: `make browsers` installs it")
    pytest.skip(f"{reason}; run `make browsers`")


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Any]:
    """Playwright's driver, started once: one per thread may run, so every engine shares it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_driver: Any) -> Iterator[object]:
    """One headless Chromium for the whole session (Debian's, driven by Playwright)."""
    path = chromium_path()
    if path is None:
        engine_missing("no Debian Chromium found")
    launched = playwright_driver.chromium.launch(executable_path=path, args=[NO_NETWORK])
    yield launched
    launched.close()


@pytest.fixture(scope="session")
def firefox(playwright_driver: Any) -> Iterator[object]:
    """One headless Firefox for the session: Debian's firefox-esr through Playwright's WebDriver
    BiDi channel ("moz-firefox"; playwright 1.57 to 1.64 only, see pyproject.toml)."""
    if not os.access(FIREFOX, os.X_OK):
        engine_missing(f"no {FIREFOX}")
    launched = playwright_driver.firefox.launch(
        channel="moz-firefox",
        executable_path=FIREFOX,
        # Without this the back/forward cache hides history navigations from the driver.
        firefox_user_prefs={"browser.sessionhistory.max_total_viewers": 0},
    )
    yield launched
    launched.close()


@pytest.fixture(scope="session")
def webkit() -> Iterator[Any]:
    """One WebKit (WebKitGTK 2.50, Safari's engine) for the session, as a Selenium driver.

    Playwright cannot drive Debian's WebKit; WebKitWebDriver can, but only with a display, so
    it gets a private Xvfb. Selenium Manager is kept off the network (SE_OFFLINE): the driver's
    path is given, so it has nothing to look up."""
    import subprocess

    for path in (WEBKIT_DRIVER, XVFB):
        if not os.access(path, os.X_OK):
            engine_missing(f"no {path}")
    os.environ["SE_OFFLINE"] = "true"
    from selenium import webdriver
    from selenium.webdriver.webkitgtk.service import Service

    read, write = os.pipe()
    xvfb = subprocess.Popen(
        [XVFB, "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as displayfd:
        display = displayfd.readline().strip()
    try:
        if not display:
            pytest.fail(f"Xvfb did not start (exit {xvfb.poll()})")
        options = webdriver.WebKitGTKOptions()
        options.add_argument("--automation")  # required as soon as any argument is given
        # Else window.open() returns null: the audience's `p` could not open the presenter.
        options.add_argument("--javascript-can-open-windows-automatically=true")
        service = Service(
            executable_path=WEBKIT_DRIVER, env={**os.environ, "DISPLAY": f":{display}"}
        )
        driver = webdriver.WebKitGTK(options=options, service=service)
        try:
            yield driver
        finally:
            driver.quit()
    finally:
        xvfb.terminate()
        xvfb.wait(10)


# ---- the views (templates/, podium.render): a site built for the browser tests -------------

FEATURES_DECK = ROOT / "tests" / "decks" / "every-feature.md"


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``podium build`` of the Keras deck (``intro-keras``) and the every-feature deck
    (``every-feature``) into one site, shared by the browser tests (they only read it)."""
    from podium.cli.app import cli

    out = tmp_path_factory.mktemp("site") / "_site"
    result = CliRunner().invoke(cli, ["build", str(KERAS_DECK), str(FEATURES_DECK), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "intro-keras" / "index.html").is_file(), result.output
    return out


@pytest.fixture(scope="session")
def http_site(site: Path) -> Iterator[str]:
    """The built site over HTTP on 127.0.0.1 (stdlib server in a thread); yields the base URL."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class Web:
    """One browser context for a test: every page's console errors, uncaught exceptions and
    requests are recorded; the test fails at teardown on any error or outside request."""

    LOCAL = ("file://", "http://127.0.0.1", "data:", "about:", "blob:")

    def __init__(self, browser: Any, **options: Any) -> None:
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.context = browser.new_context(**options)
        self.context.on("request", self._request)
        self.context.on("page", self._watch)

    def _request(self, request: Any) -> None:
        if not request.url.startswith(self.LOCAL):
            self.outside.append(request.url)

    def _watch(self, page: Any) -> None:
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))

    def page(self, url: str | None = None) -> Any:
        page = self.context.new_page()
        if url:
            page.goto(url)
        return page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def web(browser: Any) -> Iterator[Web]:
    session = Web(browser, viewport={"width": 1280, "height": 720})
    yield session
    session.close()
    assert session.errors == [], f"console errors: {session.errors}"
    assert session.outside == [], f"requests outside the site: {session.outside}"


# ---- the dev server (src/podium/serve/) ------------------------------------------------------


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Callable[..., object]]:
    """Start ``podium serve`` in-process over a fresh deck folder; stopped at teardown, and
    checked to leave no thread running (the helpers live in tests/test_server.py)."""
    from tests.test_server import serve_live

    yield from serve_live(tmp_path)


@pytest.fixture(autouse=True)
def _private_cache_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests never read or write the user's ~/.cache/podium."""
    monkeypatch.setenv("PODIUM_CACHE_DIR", str(tmp_path_factory.mktemp("podium-cache")))

"""Shared fixtures: deck folders, the CLI runner, and real browsers, each launched once per
session: headless Chromium and Firefox (Debian's, driven by Playwright) and WebKit (WebKitGTK's
WebKitWebDriver, driven by Selenium under Xvfb)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.helpers import (
    FEATURES_DECK,
    FIREFOX,
    KERAS_DECK,
    NO_NETWORK,
    WEBKIT_DRIVER,
    XVFB,
    DeckDir,
    Web,
    chromium_path,
    engine_missing,
    serve_class,
    serve_live,
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


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


@pytest.fixture(params=["file", "http"])
def base(request: pytest.FixtureRequest, site: Path) -> str:
    """The built site's folder URL, opened from disk or over HTTP (each test runs with both)."""
    if request.param == "file":
        return site.as_uri()
    return str(request.getfixturevalue("http_site"))


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
    checked to leave no thread running (the helpers live in tests/helpers.py)."""
    yield from serve_live(tmp_path)


@pytest.fixture(autouse=True)
def _private_cache_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests never read or write the user's ~/.cache/podium."""
    monkeypatch.setenv("PODIUM_CACHE_DIR", str(tmp_path_factory.mktemp("podium-cache")))


@pytest.fixture
def classroom(tmp_path: Path) -> Iterator[Callable[..., object]]:
    """Start ``podium serve --classroom`` in-process (on 127.0.0.1) over a copy of the
    classroom deck; stopped at teardown (the helpers live in tests/helpers.py)."""
    yield from serve_class(tmp_path)

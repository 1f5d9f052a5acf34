"""Shared fixtures: deck folders, the CLI runner, and one real headless Chromium per session."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
KERAS_DECK = ROOT / "slides" / "intro-keras.md"

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


def chromium_path() -> str | None:
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit
    return next((p for p in CHROMIUM_CANDIDATES if os.path.exists(p)), None)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the whole session (Debian's, driven by Playwright)."""
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("no Debian Chromium found: `make browser` installs it")
        pytest.skip("no Debian Chromium; run `make browser`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=[NO_NETWORK])
        yield launched
        launched.close()


# ---- the views (templates/, render.py): a site built for the browser tests ------------------

FEATURES_DECK = ROOT / "tests" / "decks" / "every-feature.md"


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``podium build`` of the Keras deck (``intro-keras``) and the every-feature deck
    (``every-feature``) into one site, shared by the browser tests (they only read it)."""
    from podium.cli import cli

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


# ---- the dev server (src/podium/server.py) ----------------------------------------------------


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

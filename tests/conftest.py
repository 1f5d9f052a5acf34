"""Shared fixtures: deck folders, the CLI runner, and one real headless Chromium per session."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

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

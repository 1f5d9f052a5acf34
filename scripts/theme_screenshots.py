"""Screenshots of the built-in themes, to look at after a change to the look.

    .venv/bin/python scripts/theme_screenshots.py OUT_FOLDER [--docs]

Builds the Keras deck and tests/decks/dense.md in every theme and saves, at 1920x1080, the
Keras title, bullet, image and code slides and every slide of the dense deck, plus the
presenter view, the handout and the site index of each theme. ``--docs`` also writes the
small pictures of docs/themes.md (960x540) into docs/images/. Needs the test extras
(Playwright) and Debian's Chromium; loads nothing from the network.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THEMES = ("light", "dark", "high-contrast")
CHROMIUM = ("/usr/lib/chromium/chromium-headless-shell", "/usr/lib/chromium/chromium")
#: The Keras slides to show: title, bullets, image, code.
KERAS_SLIDES = {"title": 1, "bullets": 3, "image": 6, "code": 7}


def build(theme: str, out: Path) -> None:
    decks = [str(ROOT / "slides" / "intro-keras.md"), str(ROOT / "tests" / "decks" / "dense.md")]
    command = [sys.executable, "-m", "podium", "build", *decks, "-o", str(out), "--theme", theme]
    subprocess.run(command, check=True, capture_output=True)


def shoot(page: object, url: str, target: Path) -> None:
    page.goto(url)  # type: ignore[attr-defined]
    page.wait_for_function("() => document.fonts.status === 'loaded'")  # type: ignore[attr-defined]
    page.wait_for_timeout(350)  # type: ignore[attr-defined]
    page.screenshot(path=str(target))  # type: ignore[attr-defined]


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    out = Path(argv[0])
    docs = "--docs" in argv
    out.mkdir(parents=True, exist_ok=True)
    executable = os.environ.get("CHROMIUM") or next(p for p in CHROMIUM if os.path.exists(p))
    with tempfile.TemporaryDirectory() as temp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=["--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"],
        )
        full = browser.new_page(viewport={"width": 1920, "height": 1080})
        small = browser.new_page(viewport={"width": 1920, "height": 1080}, device_scale_factor=0.5)
        for theme in THEMES:
            site = Path(temp) / theme
            build(theme, site)
            keras = (site / "intro-keras" / "index.html").as_uri()
            for name, number in KERAS_SLIDES.items():
                shoot(full, f"{keras}#{number}", out / f"{theme}-keras-{name}.png")
            dense = (site / "dense" / "index.html").as_uri()
            for number in range(1, 7):
                shoot(full, f"{dense}#{number}", out / f"{theme}-dense-{number}.png")
            shoot(
                full,
                (site / "intro-keras" / "presenter.html").as_uri() + "#3",
                out / f"{theme}-presenter.png",
            )
            shoot(
                full, (site / "intro-keras" / "handout.html").as_uri(), out / f"{theme}-handout.png"
            )
            shoot(full, (site / "index.html").as_uri(), out / f"{theme}-index.png")
            if docs:
                shoot(small, f"{dense}#3", ROOT / "docs" / "images" / f"theme-{theme}.png")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Measure how a built deck's slides fit, in headless Chromium (``podium check --layout``).

Each deck's audience page is opened over file:// at 1920 x 1080, offline as for the PDF
(:mod:`podium.export.pdf`: no hostname resolves, no request leaves the built site), and asked
for every slide's fit (``podium.fitReport()``, templates/serve/fit-report.js). What it answers
is read by :mod:`podium.site.fit` as untrusted input.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from podium.export.pdf import PrintFailed, _allowed, _first_line
from podium.render import TEMPLATES_DIR

#: The screen a deck is measured on: a projector's, full HD.
VIEWPORT = {"width": 1920, "height": 1080}
#: Milliseconds a page may take to load and measure before it counts as failed.
TIMEOUT_MS = 60_000
MEASURE = "() => document.fonts.ready.then(() => window.podium.fitReport())"


def fit_script() -> str:
    """``podium.fitReport`` and ``podium.fitFacts`` (templates/serve/fit-report.js)."""
    return (TEMPLATES_DIR / "serve" / "fit-report.js").read_text("utf-8")


def measure_page(browser: Any, page_file: Path, site: Path) -> object:
    """The fit report of one built audience page (``site`` is the built site's folder: the
    only files the page may load). Raises :class:`PrintFailed` when the page fails."""
    context = browser.new_context(viewport=VIEWPORT)
    root = site.resolve().as_uri() + "/"

    def only_the_site(route: Any) -> None:
        if _allowed(route.request.url, root):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_the_site)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(page_file.resolve().as_uri(), wait_until="load")
        page.wait_for_function("() => !!(window.podium && window.podium.fit)")
        # The measuring code is no part of a built page: it is run here, from the tool's side
        # (an evaluation by the driver, which the page's script policy does not apply to).
        page.evaluate(f"() => {{ {fit_script()} }}")
        return page.evaluate(MEASURE)
    except Exception as problem:  # Playwright's Error or TimeoutError
        raise PrintFailed(_first_line(problem)) from None
    finally:
        context.close()

"""Measure how a built deck's slides fit, in headless Chromium (``podium check --layout``).

Each deck's audience page is opened over file:// at 1920 x 1080, offline as for the PDF
(:mod:`podium.export.pdf`: no hostname resolves, no request leaves the built site), and asked
for every slide's fit (``podium.fitReport()``, templates/serve/fit-report.js). What it answers
is read by :mod:`podium.site.fit` as untrusted input.
"""

from __future__ import annotations

from pathlib import Path

from podium.export.cdp import Chromium
from podium.export.pdf import evaluate, site_page
from podium.render import TEMPLATES_DIR

#: The screen a deck is measured on: a projector's, full HD.
VIEWPORT = (1920, 1080)
MEASURE = "window.podium.fitReport()"


def fit_script() -> str:
    """``podium.fitReport`` and ``podium.fitFacts`` (templates/serve/fit-report.js)."""
    return (TEMPLATES_DIR / "serve" / "fit-report.js").read_text("utf-8")


def measure_page(browser: Chromium, page_file: Path, site: Path) -> object:
    """The fit report of one built audience page (``site`` is the built site's folder: the
    only files the page may load). Raises :class:`~podium.export.pdf.PrintFailed` when the
    page fails."""
    with site_page(browser, page_file, site, VIEWPORT) as page:
        # The measuring code is no part of a built page: it is run here, from the tool's side
        # (an evaluation over DevTools, which the page's script policy does not apply to).
        evaluate(browser, page.session, fit_script())
        return evaluate(browser, page.session, MEASURE)

"""Print a deck's built pages to PDF with headless Chromium, over file:// and offline.

The driver is Playwright against the Chromium already on the machine (the ``podium[pdf]``
extra; no browser is downloaded): it waits for the page's fonts and script, and its
``page.pdf`` asks Chromium for a document outline from the headings and a tagged PDF, which
Chromium's ``--print-to-pdf`` switch cannot. Requests that would leave ``file://`` are
refused twice: hostnames do not resolve, and every request but for the built site's own
files (and data:/blob: URLs) is aborted, so a page cannot read a file outside the site either.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Debian's headless shell first (smallest, fastest to start), then full browsers.
CANDIDATES = (
    "/usr/lib/chromium/chromium-headless-shell",
    "/usr/lib/chromium/chromium",
    "/usr/bin/chromium",
    "/opt/google/chrome/chrome",
)
COMMANDS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: No hostname resolves: a remote image or font fails at once instead of being fetched.
NO_NETWORK = "--host-resolver-rules=MAP * ~NOTFOUND"
INLINE_SCHEMES = ("data:", "about:", "blob:")

# Each step of a slide as a page of its own: copies of the slide before the final state, each
# drawn at its step by the page's own podium.js (so fragments, emphasis and code walkthroughs
# look as the audience saw them). The print style shows every step, so the copies override it;
# the audience view's beforeprint puts the slides (not the copies) in their final state.
STEPS_SCRIPT = """() => {
  const copies = [];
  const style = document.createElement("style");
  style.textContent = ".slide.pdf-step .step-hidden { visibility: hidden !important; }";
  document.head.append(style);
  for (const slide of document.querySelectorAll(".deck > .slide")) {
    const last = Math.max(0, Math.floor(+slide.dataset.steps) || 0);
    copies.push(last);
    for (let step = 0; step < last; step++) {
      const copy = slide.cloneNode(true);
      copy.classList.add("pdf-step");
      copy.removeAttribute("id");
      for (const el of copy.querySelectorAll("[id]")) el.removeAttribute("id");
      window.podium.applySteps(copy, step);
      // Only the final state keeps its heading in the outline: one bookmark per slide.
      for (const h of copy.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
        h.setAttribute("role", "presentation");
      }
      slide.before(copy);
    }
  }
  return copies;
}"""

FOOTER = (
    '<div style="font: 8px sans-serif; color: #555; width: 100%; text-align: center;">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)


class BrowserMissing(Exception):
    """No Playwright (or pypdf) to drive Chromium with."""


class PrintFailed(Exception):
    """Chromium would not start, or failed to load or print a page (the message says why)."""


@dataclass(frozen=True)
class Job:
    """One PDF to make: the built page to print, where to write it, and how."""

    page: Path
    target: Path
    site: Path
    """The built site's folder: the only files the page may load."""
    handout: bool = False
    steps: bool = False
    paper: str = "a4"
    meta: Mapping[str, str] | None = None
    titles: tuple[str, ...] = ()
    """Each slide's title, for the outline of a slides PDF (one bookmark per slide)."""


def find_chromium(environ: Mapping[str, str] = os.environ) -> str | None:
    """``$PODIUM_CHROMIUM`` if set, else the first Chromium or Chrome found; the search is
    skipped when ``$PODIUM_CHROMIUM_SEARCH`` is ``0`` (tests use it to hide the browsers)."""
    named = environ.get("PODIUM_CHROMIUM")
    if named:
        return named if os.access(named, os.X_OK) else None
    if environ.get("PODIUM_CHROMIUM_SEARCH") == "0":
        return None
    for path in CANDIDATES:
        if os.access(path, os.X_OK):
            return path
    return next((found for c in COMMANDS if (found := shutil.which(c))), None)


@contextmanager
def chromium(path: str) -> Iterator[Any]:
    """A headless Chromium at ``path``, driven by Playwright, for as long as the block runs."""
    try:
        import pypdf  # noqa: F401  (the outline and the author are written with it)
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise BrowserMissing("playwright") from None
    with sync_playwright() as driver:
        try:
            browser = driver.chromium.launch(executable_path=path, args=[NO_NETWORK])
        except Exception as problem:  # Playwright's Error: not a Chromium, or it crashed
            raise PrintFailed(_first_line(problem)) from None
        try:
            yield browser
        finally:
            browser.close()


def _first_line(problem: Exception) -> str:
    lines = str(problem).strip().splitlines()
    return lines[0] if lines else type(problem).__name__


def _allowed(url: str, site: str) -> bool:
    return url.startswith(INLINE_SCHEMES) or url.startswith(site)


def print_pdf(browser: Any, job: Job) -> int:
    """Print ``job`` with ``browser``; return the number of requests refused."""
    context = browser.new_context()
    refused: list[str] = []
    context.on("requestfailed", lambda request: refused.append(request.url))
    site = job.site.resolve().as_uri() + "/"

    def only_the_site(route: Any) -> None:
        if _allowed(route.request.url, site):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_the_site)
    try:
        page = context.new_page()
        page.goto(job.page.resolve().as_uri(), wait_until="load")
        page.evaluate("() => document.fonts.ready")
        copies: list[int] = [0] * len(job.titles)
        if job.steps and not job.handout:
            copies = page.evaluate(STEPS_SCRIPT)
        # The handout's headings make its outline; a slide's title is not always a heading
        # (a "big" slide is one paragraph), so a slides PDF gets its outline from the model.
        options: dict[str, Any] = {"print_background": True, "tagged": True}
        options["outline"] = job.handout
        if job.handout:
            options.update(
                format="Letter" if job.paper == "letter" else "A4",
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=FOOTER,
                margin={"top": "14mm", "bottom": "16mm", "left": "13mm", "right": "13mm"},
            )
        else:
            options.update(prefer_css_page_size=True)
        data: bytes = page.pdf(**options)
    except Exception as problem:  # Playwright's Error or TimeoutError: a crash, a page that hung
        raise PrintFailed(_first_line(problem)) from None
    finally:
        context.close()
    job.target.parent.mkdir(parents=True, exist_ok=True)
    outline = [] if job.handout else _first_pages(job.titles, copies)
    job.target.write_bytes(_finished(data, job.meta or {}, outline))
    return len([url for url in refused if not _allowed(url, site)])


def _first_pages(titles: tuple[str, ...], copies: list[int]) -> list[tuple[str, int]]:
    """Each slide's title and the (0-based) page it starts on, given how many step pages
    come before each slide's final state."""
    pages, at = [], 0
    for title, extra in zip(titles, copies, strict=False):
        pages.append((title, at))
        at += extra + 1
    return pages


def _finished(data: bytes, meta: Mapping[str, str], outline: list[tuple[str, int]]) -> bytes:
    """``data`` with the front matter's title and author in the document information
    (Chromium writes the page title only) and the slides' outline."""
    import io
    import logging

    from pypdf import PdfReader, PdfWriter

    # Chromium's trailer is one object short of pypdf's count: pypdf repairs it and says so
    # on stderr, which tells the user nothing.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    wanted = {f"/{key.title()}": value for key, value in meta.items() if value}
    if wanted:
        writer.add_metadata(wanted)
    pages = len(writer.pages)
    for title, page in outline:
        if page < pages:
            writer.add_outline_item(title=title, page_number=page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

"""Print a deck's built pages to PDF with headless Chromium, over file:// and offline.

Chromium is the one already on the machine, driven over its DevTools pipe
(:mod:`podium.export.cdp`; no browser is downloaded): the page's fonts and script are waited
for, and ``Page.printToPDF`` gives a tagged PDF (and, for the handout, an outline from its
headings), which Chromium's ``--print-to-pdf`` switch cannot; :mod:`podium.export.finish`
appends the slides' outline and the author. Requests that would leave ``file://`` are
refused twice: hostnames do not resolve, and every request but for the built site's own
files (and data:/blob: URLs) is failed, so a page cannot read a file outside the site either."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from podium.export.cdp import TIMEOUT, Chromium, DevToolsError, pdf_bytes
from podium.export.finish import finished

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
#: As Playwright launched it before: no sandbox (it cannot start as root with one), nothing in the
#: background (updates, sync, extensions), and no profile left behind.
QUIET = (
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-extensions",
    "--disable-sync",
    "--disable-dev-shm-usage",
)

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
    """No pypdf to read a PDF that Chromium wrote unlike its usual."""


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
def chromium(path: str) -> Iterator[Chromium]:
    """A headless Chromium at ``path``, driven over its DevTools pipe, while the block runs."""
    try:
        browser = Chromium(path, [NO_NETWORK, *QUIET])
    except DevToolsError as problem:
        raise PrintFailed(str(problem)) from None
    try:
        browser.call("Browser.getVersion")  # it started, and it speaks DevTools
    except DevToolsError as problem:
        browser.close()
        raise PrintFailed(str(problem)) from None
    try:
        yield browser
    finally:
        browser.close()


def _allowed(url: str, site: str) -> bool:
    return url.startswith(INLINE_SCHEMES) or url.startswith(site)


def _inches(length: str) -> float:
    return float(length.removesuffix("mm")) / 25.4


@dataclass
class SitePage:
    """A page of a built site open in Chromium: its DevTools session, and the requests it
    made that were refused (anything outside the site)."""

    session: str
    refused: list[str]


@dataclass(frozen=True)
class Tab:
    """A blank tab of Chromium, its DevTools session, with requests paused for
    :func:`site_page` to allow or fail."""

    target: str
    session: str


def open_tab(browser: Chromium) -> Tab:
    """A new blank tab, ready for :func:`site_page`: opened while the decks are still being
    built, its round trips to Chromium are off the export's critical path."""
    try:
        return _new_tab(browser)
    except DevToolsError as problem:
        raise PrintFailed(str(problem)) from None


def _new_tab(browser: Chromium) -> Tab:
    target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
    attached = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})
    session: str = attached["sessionId"]
    # Every request pauses until site_page's handler allows or fails it; about:blank makes none.
    browser.call("Fetch.enable", {"patterns": [{"urlPattern": "*"}]}, session)
    browser.call("Page.enable", {}, session)
    return Tab(target, session)


@contextmanager
def site_page(
    browser: Chromium,
    page: Path,
    site: Path,
    viewport: tuple[int, int] | None = None,
    tab: Tab | None = None,
) -> Iterator[SitePage]:
    """``page`` (a file of the built ``site``) loaded in ``tab`` (from :func:`open_tab`), or
    else a new tab of ``browser``, its fonts ready, every request outside the site failed;
    the tab is closed after the block. Raises :class:`PrintFailed` when the page does not
    load."""
    root = site.resolve().as_uri() + "/"
    refused: list[str] = []
    loaded: list[str] = []
    target = tab.target if tab is not None else ""
    try:
        if tab is None:
            tab = _new_tab(browser)
            target = tab.target
        session = tab.session

        def on_event(message: dict[str, Any]) -> None:
            if message.get("sessionId") != session:
                return
            if message["method"] == "Fetch.requestPaused":
                params = message["params"]
                url = params["request"]["url"]
                if _allowed(url, root):
                    browser.send(
                        "Fetch.continueRequest", {"requestId": params["requestId"]}, session
                    )
                else:
                    refused.append(url)
                    failed = {"requestId": params["requestId"], "errorReason": "BlockedByClient"}
                    browser.send("Fetch.failRequest", failed, session)
            elif message["method"] == "Page.loadEventFired":
                loaded.append("load")

        browser.on_event = on_event
        if viewport is not None:
            width, height = viewport
            metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
            browser.call("Emulation.setDeviceMetricsOverride", metrics, session)
        navigated = browser.call("Page.navigate", {"url": page.resolve().as_uri()}, session)
        if navigated.get("errorText"):
            raise DevToolsError(f"{page}: {navigated['errorText']}")
        deadline = time.monotonic() + TIMEOUT
        while not loaded:  # events arrive while Chromium answers a harmless question
            if time.monotonic() > deadline:
                raise DevToolsError(f"{page} did not load in {TIMEOUT:.0f} s")
            browser.call("Runtime.evaluate", {"expression": "document.readyState"}, session)
        evaluate(browser, session, "document.fonts.ready.then(() => true)")
        yield SitePage(session, refused)
    except DevToolsError as problem:  # a crash, a page that hung, an answer with an error
        raise PrintFailed(str(problem)) from None
    finally:
        browser.on_event = lambda message: None
        if target and not browser.closing:  # no answer awaited: nothing depends on it
            with suppress(DevToolsError):
                browser.send("Target.closeTarget", {"targetId": target})


def print_pdf(browser: Chromium, job: Job, *, tab: Tab | None = None, last: bool = False) -> int:
    """Print ``job`` with ``browser`` (in ``tab`` if given); return the number of requests
    refused. ``last``: no other page follows, so Chromium is told to quit as soon as the PDF
    is in, and shuts down while the PDF is decoded, finished and written."""
    with site_page(browser, job.page, job.site, tab=tab) as page:
        session = page.session
        copies: list[int] = [0] * len(job.titles)
        if job.steps and not job.handout:
            copies = evaluate(browser, session, f"({STEPS_SCRIPT})()")
        # The handout's headings make its outline; a slide's title is not always a heading
        # (a "big" slide is one paragraph), so a slides PDF gets its outline from the model.
        options: dict[str, Any] = {
            "printBackground": True,
            "generateTaggedPDF": True,
            "generateDocumentOutline": job.handout,
        }
        if job.handout:
            # Letter is 8.5 x 11 in; A4 210 x 297 mm (Playwright gave 8.27 x 11.7 in)
            width, height = (8.5, 11.0) if job.paper == "letter" else (210 / 25.4, 297 / 25.4)
            options.update(
                paperWidth=width,
                paperHeight=height,
                displayHeaderFooter=True,
                headerTemplate="<span></span>",
                footerTemplate=FOOTER,
                marginTop=_inches("14mm"),
                marginBottom=_inches("16mm"),
                marginLeft=_inches("13mm"),
                marginRight=_inches("13mm"),
            )
        else:
            options.update(preferCSSPageSize=True)
        printed = browser.call("Page.printToPDF", options, session)
        if last:
            browser.start_closing()
        data = pdf_bytes(printed)
    job.target.parent.mkdir(parents=True, exist_ok=True)
    outline = [] if job.handout else _first_pages(job.titles, copies)
    try:
        data = finished(data, job.meta or {}, outline)
    except ImportError:  # a PDF Chromium wrote unlike its usual, and no pypdf to read it
        raise BrowserMissing("pypdf") from None
    job.target.write_bytes(data)
    return len(page.refused)


def evaluate(browser: Chromium, session: str, expression: str) -> Any:
    """The value of ``expression`` (awaited when a promise) in the page of ``session``."""
    params = {"expression": expression, "awaitPromise": True, "returnByValue": True}
    result = browser.call("Runtime.evaluate", params, session)
    if "exceptionDetails" in result:
        raise DevToolsError(result["exceptionDetails"].get("text", "a script failed"))
    return result["result"].get("value")


def _first_pages(titles: tuple[str, ...], copies: list[int]) -> list[tuple[str, int]]:
    """Each slide's title and the (0-based) page it starts on, given how many step pages
    come before each slide's final state."""
    pages, at = [], 0
    for title, extra in zip(titles, copies, strict=False):
        pages.append((title, at))
        at += extra + 1
    return pages

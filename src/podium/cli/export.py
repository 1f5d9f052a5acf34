"""``podium export pdf``: build the decks into a private temporary folder with the site code,
then print each deck's built page to a PDF with headless Chromium (:mod:`podium.export.pdf`)."""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from podium.cli import output
from podium.diagnostics import counts, exit_status

if TYPE_CHECKING:
    from podium.export.pdf import Job, Tab
    from podium.site.build import Site
    from podium.site.sources import DeckSource


class ExportUsage(Exception):
    """The options do not fit the decks named (exit status 2)."""


def pdf_targets(slugs: Sequence[str], out: str | None, *, handout: bool) -> list[Path]:
    """Where each deck's PDF goes: ``-o FILE.pdf`` for one deck, else ``<slug>.pdf`` (or
    ``<slug>-handout.pdf``) in the ``-o`` folder, or in the current folder."""
    return export_targets(slugs, out, "-handout.pdf" if handout else ".pdf")


def export_targets(slugs: Sequence[str], out: str | None, suffix: str) -> list[Path]:
    """Where each deck's file goes: ``-o FILE.ext`` for one deck, else ``<slug><suffix>`` in
    the ``-o`` folder, or in the current folder."""
    extension = suffix[suffix.rindex(".") :]
    if out is not None and out.lower().endswith(extension):
        if len(slugs) != 1:
            kind = extension[1:].upper().replace("PPTX", "PowerPoint")
            raise ExportUsage(output.export_one_file(len(slugs), kind))
        return [Path(out)]
    folder = Path(out) if out is not None else Path()
    return [folder / f"{slug}{suffix}" for slug in slugs]


def _jobs(site: Site, built: Path, targets: list[Path], **how: object) -> list[Job]:
    from podium.export.pdf import Job

    jobs = []
    for (source, deck), target in zip(site.decks, targets, strict=True):
        view = "handout.html" if how["handout"] else "index.html"
        meta = {"title": deck.title, "author": str(deck.meta.get("author") or "")}
        titles = tuple(s.title or f"Slide {n}" for n, s in enumerate(deck.slides, 1))
        page = built / source.slug / view
        paper = how["paper"] or deck.settings.paper  # --paper, else the deck's own setting
        options = {**how, "paper": paper}
        jobs.append(Job(page, target, built, meta=meta, titles=titles, **options))  # type: ignore[arg-type]
    return jobs


@contextmanager
def progress(
    label: str, stream: TextIO | None = None, *, delay: float = 1.0, every: float = 0.5
) -> Iterator[None]:
    """On a terminal, once the work inside has taken ``delay`` seconds: ``label`` and the
    seconds so far, redrawn every ``every`` seconds and wiped at the end. Quiet in a pipe."""
    out = stream or sys.stderr
    if not out.isatty():
        yield
        return
    done = threading.Event()
    started = time.perf_counter()

    def draw() -> None:
        if done.wait(delay):
            return
        while True:
            seconds = time.perf_counter() - started
            print(f"\r{label} {seconds:.0f} s", end="", file=out, flush=True)
            if done.wait(every):
                break
        print("\r\033[K", end="", file=out, flush=True)

    thread = threading.Thread(target=draw, name="podium-progress", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def run_export_pdf(
    sources: Sequence[object],
    out: str | None,
    *,
    steps: bool,
    handout: bool,
    paper: str | None,
    theme: str | None = None,
    strict: bool = False,
) -> int:
    """Export every deck in ``sources`` to PDF; print what happened; return the exit status."""
    from podium.export.pdf import (
        BrowserMissing,
        PrintFailed,
        chromium,
        find_chromium,
        open_tab,
        print_pdf,
    )

    started = time.perf_counter()
    browser_path = find_chromium()
    if browser_path is None:
        output.echo(output.NO_CHROMIUM, err=True)
        return 2
    # Chromium starts in the worker while this thread builds the
    # decks: on two cores the two take about as long, and neither waits for the other.
    ready: Future[list[Job]] = Future()
    stop = threading.Event()

    def print_all() -> None:
        with chromium(browser_path) as browser:
            tab: Tab | None = open_tab(
                browser
            )  # the first page's tab, opened while the decks build
            jobs = ready.result()
            for number, job in enumerate(jobs, 1):
                if stop.is_set():  # Ctrl-C: the PDF being printed ends, no other starts
                    return
                with progress(output.exporting(number, len(jobs), job.target)):
                    last = number == len(jobs)
                    refused = print_pdf(browser, job, tab=tab, last=last)
                tab = None
                output.echo(output.pdf_written(job.target, refused))

    try:
        with (
            tempfile.TemporaryDirectory(prefix="podium-pdf-") as temp,
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="podium-pdf") as pool,
        ):
            printing = pool.submit(print_all)
            try:
                # Imported once Chromium is starting: its start overlaps these imports too.
                from podium.site.build import build_site
                from podium.site.write import write_site

                site = build_site(sources, notes=handout, theme=theme)  # type: ignore[arg-type]
                output.print_diagnostics(site.diagnostics)
                targets = pdf_targets([s.slug for s, _ in site.decks], out, handout=handout)
                built = Path(temp) / "site"
                write_site(site, built)
                ready.set_result(
                    _jobs(site, built, targets, handout=handout, steps=steps, paper=paper)
                )
                printing.result()
            except BaseException:  # a usage error, Ctrl-C: the worker closes Chromium and ends
                stop.set()
                if not ready.done():
                    ready.set_exception(CancelledError())
                raise
    except BrowserMissing:
        output.echo(output.NO_PYPDF, err=True)
        return 2
    except PrintFailed as problem:
        output.echo(output.print_failed(browser_path, str(problem)), err=True)
        return 1
    except OSError as problem:  # the PDF could not be written: no folder, no permission
        where = problem.filename or out
        output.echo(output.output_unwritable(where, problem.strerror or str(problem)), err=True)
        return 1
    errors, warnings = counts(d.severity for d in site.diagnostics)
    seconds = time.perf_counter() - started
    output.echo(output.exported(len(site.decks), seconds, output.tally(errors, warnings)))
    return exit_status(errors, warnings, strict=strict)


def run_export_pptx(
    sources: Sequence[DeckSource],
    out: str | None,
    *,
    theme: str | None = None,
    strict: bool = False,
) -> int:
    """Export every deck in ``sources`` to an editable PowerPoint file, each in ``theme``
    (``--theme``) or its own; print what happened; return the exit status."""
    try:
        import pptx  # noqa: F401  (the optional extra)
    except ImportError:
        output.echo(output.NO_PPTX, err=True)
        return 2
    from podium.export.pdf import find_chromium
    from podium.export.pptx import export_pptx, load
    from podium.export.pptx_theme import theme_named

    started = time.perf_counter()
    targets = export_targets([s.slug for s in sources], out, ".pptx")
    chromium = find_chromium()  # draws math and SVG; without it they show as text
    errors = warnings = 0
    written = 0
    for number, (source, target) in enumerate(zip(sources, targets, strict=True), 1):
        with progress(output.building_pptx(number, len(targets), target)):
            deck, tokens, lines = load(source.file, source.display)
            look = theme_named(theme or deck.settings.theme)
            exported = (
                export_pptx(deck, tokens, lines, chromium=chromium, theme=look) if lines else None
            )
        diagnostics = [*deck.diagnostics, *(exported.diagnostics if exported else ())]
        output.print_diagnostics(diagnostics)
        found_errors, found_warnings = counts(d.severity for d in diagnostics)
        errors, warnings = errors + found_errors, warnings + found_warnings
        if exported is None:
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(exported.data)
        except OSError as problem:
            where = problem.filename or target
            output.echo(output.output_unwritable(where, problem.strerror or str(problem)), err=True)
            return 1
        written += 1
        output.echo(output.pptx_written(target, len(deck.slides)))
    seconds = time.perf_counter() - started
    output.echo(output.exported_pptx(written, seconds, output.tally(errors, warnings)))
    return exit_status(errors, warnings, strict=strict)

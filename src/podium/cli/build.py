"""The work of ``podium build`` and ``podium check``, without click, and the one table of
the build command's options that both of its parsers are made from.

Two parsers read a build's command line: click's (:mod:`podium.cli.app`, for every command)
and :func:`fast_build`'s (the entry point's shortcut for a plain ``podium build``, which
spares an up-to-date build the import of click). Both are generated from :data:`OUTPUT` and
:data:`BUILD_FLAGS`, and both end in :func:`run_build`, so they cannot drift apart.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from podium.cli import output
from podium.diagnostics import counts, exit_status, readable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from podium.model import Diagnostic
    from podium.site.sources import DeckSource


class Flag:
    """One flag of ``podium build``: the words that set it, and which keyword argument of
    :func:`run_build` it sets to what."""

    __slots__ = ("help", "keyword", "names", "value")

    def __init__(self, names: tuple[str, ...], keyword: str, value: bool, help: str) -> None:
        self.names = names
        self.keyword = keyword
        self.value = value
        self.help = help

    @property
    def dest(self) -> str:
        """The flag's parameter name in click: its last spelling, as an identifier."""
        return self.names[-1].lstrip("-").replace("-", "_")


#: The build's output folder option (it takes a value; the default is ``output.DEFAULT_OUTPUT``).
OUTPUT = ("-o", "--output")
#: The build's theme option (it takes one of :data:`THEME_NAMES`; none: each deck's own).
THEME = ("--theme",)
#: The built-in themes (``podium.model.THEMES``, written out here: the fast path imports no
#: model; a test checks that they agree).
THEME_NAMES = ("light", "dark", "high-contrast")
STRICT = Flag(("--strict",), "strict", True, "Treat warnings as errors (exit status 1).")
VERBOSE = Flag(("-v", "--verbose"), "verbose", True, "Also show info diagnostics.")
#: Every flag of ``podium build``, in the order ``--help`` lists them.
BUILD_FLAGS = (
    STRICT,
    VERBOSE,
    Flag(("--no-notes",), "notes", False, "Leave speaker notes out of the output."),
    Flag(("--unsafe-html",), "unsafe_html", True, "Let the decks' raw HTML through unsanitised."),
    Flag(("--no-cache",), "cache", False, "Parse everything again, ignoring earlier builds."),
    Flag(
        ("--self-contained",),
        "self_contained",
        True,
        "Write each view as one HTML file with everything inlined, to share alone.",
    ),
)
LAYOUT = Flag(
    ("--layout",),
    "layout",
    True,
    "Measure each slide in headless Chromium at 1920x1080: warn where it scrolls or code wraps.",
)
#: ``podium check``'s flags.
CHECK_FLAGS = (STRICT, VERBOSE, LAYOUT)


def chosen(flags: Sequence[Flag], given: dict[str, bool]) -> dict[str, bool]:
    """The keyword arguments of the flags set in ``given`` (click's values, by ``dest``)."""
    return {flag.keyword: flag.value for flag in flags if given[flag.dest]}


class UsageProblem(Exception):
    """A command line that cannot run as given (exit status 2); nothing was touched."""


class NoDecks(UsageProblem):
    """The paths named hold no deck (or none were named and there is no slides/ folder)."""


class OutputRefused(UsageProblem):
    """The output folder is not safe to write to."""


def named_or_default(paths: Sequence[str]) -> list[str]:
    """The paths named, else the default ``slides/`` folder, else :class:`NoDecks`."""
    from podium.site.sources import DEFAULT_SOURCE  # here: `podium --help` need not load it

    if paths:
        return list(paths)
    if not os.path.isdir(DEFAULT_SOURCE):
        raise NoDecks(output.NO_SOURCE)
    return [DEFAULT_SOURCE]


def plan_build(named: Sequence[str], out: str) -> tuple[list[DeckSource], Path]:
    """The decks ``named`` holds and the output folder, or :class:`UsageProblem`."""
    from podium.site.sources import discover_decks, output_dir_problem

    sources = discover_decks(named)
    if not sources:
        raise NoDecks(output.no_decks(named))
    folder = Path(out)
    problem = output_dir_problem(folder, sources, named)
    if problem is not None:
        raise OutputRefused(problem)
    return sources, folder


def fast_build(argv: Sequence[str], *, started: float) -> int | None:
    """The exit status of a plain ``podium build`` it ran, or None: run the full command,
    which words every answer but a build's (an unknown option, a missing path, no decks,
    a refused output folder)."""
    if not argv or argv[0] != "build":
        return None
    line = _read_build_line(argv[1:])
    if line is None:
        return None
    paths, out, flags = line
    try:
        named = named_or_default(paths)
        if not all(os.path.exists(path) for path in named):
            return None
        sources, folder = plan_build(named, out)
    except UsageProblem:
        return None
    return run_build(sources, folder, started=started, **flags)


def _read_build_line(args: Sequence[str]) -> tuple[list[str], str, dict[str, Any]] | None:
    """The paths, output folder and flags (as :func:`run_build`'s keywords) of
    ``PATHS... [-o DIR] [FLAGS]``; None for anything else."""
    flags = {name: flag for flag in BUILD_FLAGS for name in flag.names}
    given = f"{OUTPUT[-1]}="
    theme_given = f"{THEME[-1]}="
    paths: list[str] = []
    out = output.DEFAULT_OUTPUT
    keywords: dict[str, Any] = {}
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if arg in OUTPUT and rest:
            out = rest.pop(0)
        elif arg.startswith(given):
            out = arg.removeprefix(given)
        elif (arg in THEME and rest) or arg.startswith(theme_given):
            theme = rest.pop(0) if arg in THEME else arg.removeprefix(theme_given)
            if theme not in THEME_NAMES:
                return None  # click says which names there are
            keywords["theme"] = theme
        elif arg in flags:
            keywords[flags[arg].keyword] = flags[arg].value
        elif arg.startswith("-") or not arg:
            return None  # another option (or "--"): the full command reads those
        else:
            paths.append(arg)
    return paths, out, keywords


def run_build(
    sources: Sequence[DeckSource],
    out: Path,
    *,
    strict: bool = False,
    verbose: bool = False,
    notes: bool = True,
    unsafe_html: bool = False,
    cache: bool = True,
    self_contained: bool = False,
    theme: str | None = None,
    started: float | None = None,
) -> int:
    """Build ``sources`` into ``out``, print what happened, and return the exit status."""
    from podium.site.manifest import build_flags, up_to_date

    started = time.perf_counter() if started is None else started
    unsafe = True if unsafe_html else None
    flags = build_flags(notes=notes, unsafe_html=unsafe, self_contained=self_contained, theme=theme)
    fresh = up_to_date(out, sources, flags) if cache else None
    said = None if fresh is None else readable(fresh.diagnostics)
    if fresh is not None and said is not None:
        # Nothing changed since the last build: say what it said, and do nothing.
        output.print_diagnostics(said, verbose=verbose)
        errors, warnings = counts(d["severity"] for d in said)
        seconds = time.perf_counter() - started
        tallied = output.tally(errors, warnings)
        output.echo(output.up_to_date(len(sources), fresh.slides, out, seconds, tallied))
        return exit_status(errors, warnings, strict=strict)

    from podium.site.build import build_site
    from podium.site.write import write_site

    site = build_site(
        sources,
        notes=notes,
        unsafe_html=unsafe,
        disk_cache=cache,
        self_contained=self_contained,
        theme=theme,
    )
    output.print_diagnostics(site.diagnostics, verbose=verbose)
    try:
        result = write_site(site, out)
    except OSError as problem:  # a full disk, a file where a folder should be, no permission
        where = problem.filename or out
        output.echo(output.output_unwritable(where, problem.strerror or str(problem)), err=True)
        return 1
    for name in result.skipped:
        output.echo(output.output_exists(out / name), err=True)
    if result.damaged:
        from podium.site.sources import MANIFEST

        said_damaged = output.manifest_damaged(
            out / MANIFEST, result.damaged, skipped=bool(result.skipped)
        )
        for line in said_damaged:
            output.echo(line, err=True)
    seconds = time.perf_counter() - started
    slides = sum(len(deck.slides) for _, deck in site.decks)
    errors, warnings = counts(d.severity for d in site.diagnostics)
    warnings += 1 if result.damaged and not result.skipped else 0
    output.echo(
        output.built(
            len(site.decks),
            slides,
            out,
            seconds,
            written=len(result.written),
            unchanged=len(result.unchanged),
            removed=len(result.removed),
            tallied=output.tally(errors, warnings),
        )
    )
    for source, _ in site.decks:
        page = f"{source.slug}/index.html"
        if self_contained:
            from podium.render.inline import self_contained_name

            page = self_contained_name("index.html", source.slug)
        output.echo(output.deck_page(source.display, out / page))
    return 1 if result.skipped else exit_status(errors, warnings, strict=strict)


def run_check(
    named: Sequence[str], *, strict: bool = False, verbose: bool = False, layout: bool = False
) -> int:
    """``podium check``: print every problem of the decks ``named`` holds and a tally;
    return the exit status (:class:`NoDecks` when they hold none). With ``layout``, the
    slides are measured in headless Chromium when there is one (:func:`measured_layout`)."""
    from podium.site.build import discover_decks, load_deck

    sources = discover_decks(named)
    if not sources:
        raise NoDecks(output.no_decks(named))
    diagnostics: list[Diagnostic] = []
    measured = measured_layout(sources) if layout else None
    if measured is not None:
        diagnostics.extend(measured)
    else:
        for source in sources:
            diagnostics.extend(load_deck(source).diagnostics)
    diagnostics = list(dict.fromkeys(diagnostics))  # the course's settings: once, not per deck
    output.print_diagnostics(diagnostics, verbose=verbose)
    errors, warnings = counts(d.severity for d in diagnostics)
    if errors or warnings:
        output.echo(output.tally(errors, warnings), err=True)
    return exit_status(errors, warnings, strict=strict)


def measured_layout(sources: Sequence[DeckSource]) -> list[Diagnostic] | None:
    """Every diagnostic of the decks, with their slides measured in headless Chromium: the
    ``slide-overflow`` warnings it finds take the place of the text-length estimates
    (``slide-dense``). None, after a note saying why, when there is no browser to measure
    with (the caller falls back on the estimates)."""
    import tempfile

    from podium.export.pdf import PrintFailed, chromium, find_chromium
    from podium.site.build import build_site
    from podium.site.write import write_site

    browser_path = find_chromium()
    if browser_path is None:
        output.echo(output.layout_estimated(output.NO_LAYOUT_CHROMIUM), err=True)
        return None
    site = build_site(sources, notes=False)
    found = [d for d in site.diagnostics if d.code != "slide-dense"]
    with tempfile.TemporaryDirectory(prefix="podium-layout-") as temp:
        built = Path(temp) / "site"
        write_site(site, built)

        def measure_all() -> list[Diagnostic]:
            from podium.export.layout import measure_page
            from podium.site.fit import fit_diagnostics, read_fit_report

            said: list[Diagnostic] = []
            with chromium(browser_path) as browser:
                for source, deck in site.decks:
                    report = measure_page(browser, built / source.slug / "index.html", built)
                    said.extend(fit_diagnostics(deck, read_fit_report(report, len(deck.slides))))
            return said

        try:
            found.extend(measure_all())
        except PrintFailed as problem:
            reason = output.layout_failed(browser_path, str(problem))
            output.echo(output.layout_estimated(reason), err=True)
            return None
    return found

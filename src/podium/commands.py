"""``podium build`` itself, without click: the CLI and the fast entry point both run it.

The caller has read the command line and checked it (:func:`plan_build` says what is wrong
with it); everything from there on, including what is printed and the exit status, is here,
so the two ways in cannot drift apart.
"""

from __future__ import annotations

import time
from pathlib import Path

from podium.console import echo, print_diagnostics, readable
from podium.report import counts, plural, status, up_to_date_line

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from podium.site.sources import DeckSource


class UsageProblem(Exception):
    """A command line that cannot run as given (exit status 2); nothing was touched."""


class NoDecks(UsageProblem):
    """The paths named hold no deck."""


class OutputRefused(UsageProblem):
    """The output folder is not safe to write to."""


def plan_build(named: Sequence[str], output: str) -> tuple[list[DeckSource], Path]:
    """The decks ``named`` holds and the output folder, or :class:`UsageProblem`."""
    from podium.site.sources import discover_decks, output_dir_problem

    sources = discover_decks(named)
    if not sources:
        raise NoDecks(f"no decks (*.md) found in {', '.join(named)}")
    out = Path(output)
    problem = output_dir_problem(out, sources, named)
    if problem is not None:
        raise OutputRefused(problem)
    return sources, out


def run_build(
    sources: Sequence[DeckSource],
    out: Path,
    *,
    strict: bool = False,
    verbose: bool = False,
    notes: bool = True,
    unsafe_html: bool = False,
    cache: bool = True,
    started: float | None = None,
) -> int:
    """Build ``sources`` into ``out``, print what happened, and return the exit status."""
    from podium.site.manifest import build_flags, up_to_date

    started = time.perf_counter() if started is None else started
    unsafe = True if unsafe_html else None
    flags = build_flags(notes=notes, unsafe_html=unsafe)
    fresh = up_to_date(out, sources, flags) if cache else None
    said = None if fresh is None else readable(fresh.diagnostics)
    if fresh is not None and said is not None:
        # Nothing changed since the last build: say what it said, and do nothing.
        print_diagnostics(said, verbose=verbose)
        errors, warnings = counts(d["severity"] for d in said)
        seconds = time.perf_counter() - started
        slides = fresh.slides
        echo(up_to_date_line(len(sources), slides, out, seconds, errors=errors, warnings=warnings))
        return status(errors, warnings, strict=strict)

    from podium.site.build import build_site
    from podium.site.write import write_site

    site = build_site(sources, notes=notes, unsafe_html=unsafe, disk_cache=cache)
    print_diagnostics(site.diagnostics, verbose=verbose)
    try:
        result = write_site(site, out)
    except OSError as problem:  # a full disk, a file where a folder should be, no permission
        where = problem.filename or out
        echo(f"{where}: error[output-unwritable]: {problem.strerror or problem}", err=True)
        return 1
    for name in result.skipped:
        echo(f"{out / name}: error[output-exists]: not made by podium; left unchanged", err=True)
    if result.damaged:
        _say_damaged(out, result.damaged, skipped=bool(result.skipped))
    seconds = time.perf_counter() - started
    slides = sum(len(deck.slides) for _, deck in site.decks)
    errors, warnings = counts(d.severity for d in site.diagnostics)
    warnings += 1 if result.damaged and not result.skipped else 0
    echo(
        f"Built {plural(len(site.decks), 'deck')} ({plural(slides, 'slide')}) into {out}/ "
        f"in {seconds:.2f} s: {len(result.written)} written, {len(result.unchanged)} unchanged"
        + (f", {len(result.removed)} stale removed" if result.removed else "")
        + f"; {plural(errors, 'error')}, {plural(warnings, 'warning')}."
    )
    for source, _ in site.decks:
        echo(f"  {source.display}: {out / source.slug / 'index.html'}")
    return 1 if result.skipped else status(errors, warnings, strict=strict)


def _say_damaged(out: Path, reason: str, *, skipped: bool) -> None:
    """The manifest could not be read whole: say so, and what to do when it cost files."""
    from podium.site.sources import MANIFEST

    severity = "error" if skipped else "warning"
    echo(
        f"{out / MANIFEST}: {severity}[manifest-damaged]: {reason}; podium rewrote it, "
        "touching only files it could prove it wrote",
        err=True,
    )
    if skipped:
        echo(
            "    hint: delete the files marked output-exists (or empty the folder) if they "
            "are podium's, and build again",
            err=True,
        )

"""Everything the command line says, and how: each message is worded once, here.

No click here (the entry point's fast path prints too). Severities are coloured (as click
would) only on a terminal, and never under ``NO_COLOR``.
"""

from __future__ import annotations

import os
import sys

from podium.diagnostics import format_line, position

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from pathlib import Path
    from typing import Any, TextIO

#: Where ``podium build`` writes when no ``-o`` is given.
DEFAULT_OUTPUT = "_site"
#: ``podium --version``, in click's placeholders (the fast path fills them in itself).
VERSION = "%(prog)s, version %(version)s"
#: What click says on Ctrl+C; the fast path says it too.
ABORTED = "Aborted!"
NO_SOURCE = "no decks named and no slides/ folder here"
NOT_A_PLAIN_NAME = "a plain file name, like intro-python"

_COLOURS = {"error": "31", "warning": "33", "info": "36"}


def echo(text: str, *, err: bool = False) -> None:
    stream = sys.stderr if err else sys.stdout
    stream.write(text + "\n")
    stream.flush()


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def version_line(version: str) -> str:
    return VERSION % {"prog": "podium", "version": version}


def no_decks(named: Sequence[str]) -> str:
    return f"no decks (*.md) found in {', '.join(named)}"


def tally(errors: int, warnings: int) -> str:
    """``2 errors, 1 warning.``: how every command ends its summary."""
    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}."


def up_to_date(decks: int, slides: int, out: Path, seconds: float, tallied: str) -> str:
    return (
        f"Up to date: {plural(decks, 'deck')} ({plural(slides, 'slide')}) in {out}/ "
        f"({seconds:.2f} s); {tallied}"
    )


def built(
    decks: int,
    slides: int,
    out: Path,
    seconds: float,
    *,
    written: int,
    unchanged: int,
    removed: int,
    tallied: str,
) -> str:
    return (
        f"Built {plural(decks, 'deck')} ({plural(slides, 'slide')}) into {out}/ "
        f"in {seconds:.2f} s: {written} written, {unchanged} unchanged"
        + (f", {removed} stale removed" if removed else "")
        + f"; {tallied}"
    )


def deck_page(display: str, page: Path) -> str:
    """One line per deck under a build's summary: where its audience view is."""
    return f"  {display}: {page}"


def output_unwritable(where: object, reason: str) -> str:
    return f"{where}: error[output-unwritable]: {reason}"


def output_exists(path: Path) -> str:
    return f"{path}: error[output-exists]: not made by podium; left unchanged"


def manifest_damaged(manifest: Path, reason: str, *, skipped: bool) -> list[str]:
    """The manifest could not be read whole: say so, and what to do when it cost files."""
    severity = "error" if skipped else "warning"
    lines = [
        f"{manifest}: {severity}[manifest-damaged]: {reason}; podium rewrote it, "
        "touching only files it could prove it wrote"
    ]
    if skipped:
        lines.append(
            "    hint: delete the files marked output-exists (or empty the folder) if they "
            "are podium's, and build again"
        )
    return lines


def deck_exists(target: Path) -> str:
    return f"{target} exists already; nothing was written"


def deck_written(target: Path) -> str:
    return f"Wrote {target}. Present it with: podium serve {target}"


def _coloured(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR")


def print_diagnostics(diagnostics: Iterable[Any], *, verbose: bool = False) -> None:
    """``path:line:col: severity[code]: message`` (and its hint) on stderr, in position order.
    Takes :class:`~podium.model.Diagnostic` objects or the dicts a manifest keeps."""
    rows = [d.to_json() if not isinstance(d, dict) else d for d in diagnostics]
    colour = _coloured(sys.stderr)
    for d in sorted(rows, key=_position):
        if d["severity"] == "info" and not verbose:
            continue
        severity = d["severity"]
        if colour:
            severity = f"\x1b[{_COLOURS[severity]}m\x1b[1m{severity}\x1b[0m"
        line = format_line(d["path"], d["line"], d["col"], severity, d["code"], d["message"])
        echo(line, err=True)
        if d.get("hint"):
            echo(f"    hint: {d['hint']}", err=True)


def _position(d: dict[str, Any]) -> tuple[str, int, int, int, str]:
    return position(d["path"], d["line"], d["col"], d["severity"], d["code"])


# ---- podium export pdf ----------------------------------------------------------------------
NO_CHROMIUM = (
    "error: no Chromium found to print with: install one (Debian: apt install "
    "chromium-headless-shell) or set PODIUM_CHROMIUM to its path"
)
NO_PLAYWRIGHT = "error: PDF export needs Playwright: pip install 'podium[pdf]'"


NO_PPTX = "error: PowerPoint export needs python-pptx: pip install 'podium[pptx]'"


def export_one_file(decks: int, kind: str = "PDF") -> str:
    return f"-o names one {kind} file but {plural(decks, 'deck')} were named: give a folder"


def exporting(number: int, total: int, target: Path) -> str:
    return f"Printing {target} ({number}/{total})..."


def pdf_written(target: Path, refused: int) -> str:
    blocked = f" ({plural(refused, 'request')} outside the deck refused)" if refused else ""
    return f"Wrote {target}{blocked}"


def building_pptx(number: int, total: int, target: Path) -> str:
    return f"Writing {target} ({number}/{total})..."


def pptx_written(target: Path, slides: int) -> str:
    return f"Wrote {target} ({plural(slides, 'slide')})"


def exported_pptx(files: int, seconds: float, tallied: str) -> str:
    return f"Exported {plural(files, 'PowerPoint file')} ({seconds:.2f} s); {tallied}"


def print_failed(browser: str, reason: str) -> str:
    return f"error: Chromium ({browser}) could not print: {reason}"


def exported(pdfs: int, seconds: float, tallied: str) -> str:
    return f"Exported {plural(pdfs, 'PDF')} ({seconds:.2f} s); {tallied}"


def layout_estimated(reason: str) -> str:
    """``check --layout`` could not measure: the text-length estimate stands in."""
    return (
        f"note: {reason}: the layout is not measured; slide-dense warnings are estimates"
        " from text length (--layout needs Chromium and Playwright: pip install 'podium[pdf]')"
    )


NO_LAYOUT_CHROMIUM = "no Chromium found (set PODIUM_CHROMIUM to its path)"
NO_LAYOUT_PLAYWRIGHT = "no Playwright"


def layout_failed(browser: str, reason: str) -> str:
    return f"Chromium ({browser}) could not measure the slides: {reason}"

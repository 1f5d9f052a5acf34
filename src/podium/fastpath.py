"""The ``podium`` command's entry point, with a fast answer to the most common run.

An instructor runs ``podium build`` over and over; when nothing changed, the answer is in
the output folder's manifest, and importing click, the parser and Jinja2 to give it cost
more than everything else. So this entry point answers that one case itself: a plain
``podium build [PATHS...] [-o DIR]`` whose output is up to date. It prints exactly what the
full command prints then, and any other case, or any doubt (an option it does not know, a
path that is not there, an output folder that would be refused, a terminal that wants
colours), goes to the full command (``cli.py``), which decides everything else.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

DEFAULT_SOURCE = "slides"
_OUTPUT_OPTIONS = ("-o", "--output")


def main() -> None:
    status = fast_build(sys.argv[1:], started=time.perf_counter())
    if status is not None:
        sys.exit(status)
    from podium.cli import main as full

    full()


def _split(args: Sequence[str]) -> tuple[list[str], str] | None:
    """The paths and output folder of ``build PATHS... -o DIR``; None for anything else."""
    paths: list[str] = []
    output = "_site"
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if arg in _OUTPUT_OPTIONS and rest:
            output = rest.pop(0)
        elif arg.startswith("--output="):
            output = arg.removeprefix("--output=")
        elif arg.startswith("-") or not arg:
            return None  # an option (or "--"): the full command reads those
        else:
            paths.append(arg)
    return paths, output


def fast_build(argv: Sequence[str], *, started: float) -> int | None:
    """The exit status of an up-to-date ``podium build``, or None: run the full command."""
    if not argv or argv[0] != "build":
        return None
    split = _split(argv[1:])
    if split is None:
        return None
    named, output = split
    if not named:
        if not os.path.isdir(DEFAULT_SOURCE):
            return None
        named = [DEFAULT_SOURCE]
    if not all(os.path.exists(path) for path in named):
        return None

    from podium.manifest import build_flags, up_to_date
    from podium.report import format_line, up_to_date_line
    from podium.sources import discover_decks, output_dir_problem

    sources = discover_decks(named)
    out = Path(output)
    if not sources or output_dir_problem(out, sources, named) is not None:
        return None
    fresh = up_to_date(out, sources, build_flags(notes=True, unsafe_html=None))
    said = None if fresh is None else _readable(fresh.diagnostics)
    if fresh is None or said is None:
        return None
    printed = [d for d in said if d["severity"] != "info"]
    if printed and sys.stderr.isatty():
        return None  # the full command colours what it prints on a terminal
    for d in printed:
        text = format_line(d["path"], d["line"], d["col"], d["severity"], d["code"], d["message"])
        print(text, file=sys.stderr)
        if d.get("hint"):
            print(f"    hint: {d['hint']}", file=sys.stderr)
    errors = sum(1 for d in said if d["severity"] == "error")
    warnings = sum(1 for d in said if d["severity"] == "warning")
    seconds = time.perf_counter() - started
    print(
        up_to_date_line(len(sources), fresh.slides, out, seconds, errors=errors, warnings=warnings)
    )
    return 1 if errors else 0


_FIELDS = {"path": str, "line": int, "col": int, "severity": str, "code": str, "message": str}
_RANK = {"error": 0, "warning": 1, "info": 2}


def _readable(stored: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """The manifest's diagnostics in print order, if every one has the fields it should
    (importing the model's dataclasses would cost more than the rest of this answer)."""
    for d in stored:
        if not isinstance(d, dict) or d.get("severity") not in _RANK:
            return None
        if not all(isinstance(d.get(key), kind) for key, kind in _FIELDS.items()):
            return None
    return sorted(
        stored, key=lambda d: (d["path"], d["line"], d["col"], _RANK[d["severity"]], d["code"])
    )

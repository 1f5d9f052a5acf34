"""What the commands print, and how: no click here, so the fast entry point can print too.

Severities are coloured (as click would) only on a terminal, and never under ``NO_COLOR``.
"""

from __future__ import annotations

import os
import sys

from podium.report import SEVERITY_RANK, format_line

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any, TextIO

_COLOURS = {"error": "31", "warning": "33", "info": "36"}
_FIELDS = {"path": str, "line": int, "col": int, "severity": str, "code": str, "message": str}


def echo(text: str, *, err: bool = False) -> None:
    stream = sys.stderr if err else sys.stdout
    stream.write(text + "\n")
    stream.flush()


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
    return (d["path"], d["line"], d["col"], SEVERITY_RANK[d["severity"]], d["code"])


def readable(stored: object) -> list[dict[str, Any]] | None:
    """The diagnostics a manifest kept, if every one has the fields it should (reading them
    as dicts spares an up-to-date build importing the model)."""
    if not isinstance(stored, list):
        return None
    for d in stored:
        if not isinstance(d, dict) or d.get("severity") not in SEVERITY_RANK:
            return None
        if not all(isinstance(d.get(key), kind) for key, kind in _FIELDS.items()):
            return None
    return stored

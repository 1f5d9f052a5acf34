"""Diagnostics as every tool reads them: severities, their order, the one line format, and
the exit status they add up to.

A leaf: it imports nothing of podium (and nothing slow), so the model, the build and the
command line's fast path can all lean on it.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time: an up-to-date build starts fast
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any, Literal, TypeAlias

    Severity: TypeAlias = Literal["error", "warning", "info"]

#: Errors first, then warnings, then infos: the order diagnostics are printed in.
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}

#: The fields of a diagnostic's JSON form (the one a manifest keeps), and their types.
FIELDS = {"path": str, "line": int, "col": int, "severity": str, "code": str, "message": str}


def format_line(path: str, line: int, col: int, severity: str, code: str, message: str) -> str:
    """``path:line:col: severity[code]: message``, the one format every tool reads."""
    return f"{path}:{line}:{col}: {severity}[{code}]: {message}"


def position(
    path: str, line: int, col: int, severity: str, code: str
) -> tuple[str, int, int, int, str]:
    """The sort key of a diagnostic: by file and position, errors first at one place."""
    return (path, line, col, SEVERITY_RANK[severity], code)


def counts(severities: Iterable[str]) -> tuple[int, int]:
    """How many errors and warnings."""
    seen = list(severities)
    return seen.count("error"), seen.count("warning")


def exit_status(errors: int, warnings: int, *, strict: bool) -> int:
    """The exit status: 1 on errors, or on warnings under ``--strict``."""
    return 1 if errors or (strict and warnings) else 0


def readable(stored: object) -> list[dict[str, Any]] | None:
    """The diagnostics a manifest kept (their JSON form), if every one has the fields it
    should; else None. Reading them as dicts spares an up-to-date build the model."""
    if not isinstance(stored, list):
        return None
    for d in stored:
        if not isinstance(d, dict) or d.get("severity") not in SEVERITY_RANK:
            return None
        if not all(isinstance(d.get(key), kind) for key, kind in FIELDS.items()):
            return None
    return stored

"""What the commands say, shared by the CLI and its fast path (no click here)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from pathlib import Path

    from podium.model import Diagnostic


#: Errors first, then warnings, then infos: the order diagnostics are printed in.
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def counts(severities: Iterable[str]) -> tuple[int, int]:
    """How many errors and warnings."""
    seen = list(severities)
    return seen.count("error"), seen.count("warning")


def summarise(diagnostics: Sequence[Diagnostic]) -> tuple[int, int]:
    return counts(d.severity for d in diagnostics)


def status(errors: int, warnings: int, *, strict: bool) -> int:
    """The exit status: 1 on errors, or on warnings under ``--strict``."""
    return 1 if errors or (strict and warnings) else 0


def exit_status(diagnostics: Sequence[Diagnostic], *, strict: bool) -> int:
    return status(*summarise(diagnostics), strict=strict)


def format_line(path: str, line: int, col: int, severity: str, code: str, message: str) -> str:
    """``path:line:col: severity[code]: message``, the one format every tool reads."""
    return f"{path}:{line}:{col}: {severity}[{code}]: {message}"


def up_to_date_line(
    decks: int, slides: int, out: Path, seconds: float, *, errors: int, warnings: int
) -> str:
    return (
        f"Up to date: {plural(decks, 'deck')} ({plural(slides, 'slide')}) in {out}/ "
        f"({seconds:.2f} s); {plural(errors, 'error')}, {plural(warnings, 'warning')}."
    )

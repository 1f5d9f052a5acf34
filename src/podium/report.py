"""What the commands say, shared by the CLI and its fast path (no click here)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from podium.model import Diagnostic


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summarise(diagnostics: Sequence[Diagnostic]) -> tuple[int, int]:
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = sum(1 for d in diagnostics if d.severity == "warning")
    return errors, warnings


def exit_status(diagnostics: Sequence[Diagnostic], *, strict: bool) -> int:
    errors, warnings = summarise(diagnostics)
    return 1 if errors or (strict and warnings) else 0


def shown(diagnostics: Sequence[Diagnostic], *, verbose: bool) -> list[Diagnostic]:
    """The diagnostics a command prints, in order: infos only with ``-v``."""
    from podium.model import Diagnostic

    ordered = sorted(diagnostics, key=Diagnostic.sort_key)
    return [d for d in ordered if verbose or d.severity != "info"]


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

"""The parse environment shared by the core rules of one parse: where diagnostics go."""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from podium.model import Asset, Diagnostic, Poll, Resolved

if TYPE_CHECKING:
    from pathlib import Path

    from podium.diagnostics import Severity

ENV_KEY = "podium"


class ImageResolver(Protocol):
    """What the syntax plugins need of an image resolver (the parse stage provides one:
    ``podium.parse.assets.AssetResolver``)."""

    @property
    def roots(self) -> tuple[Path, ...]:
        """Where images are looked for, in order."""

    @property
    def project_root(self) -> Path:
        """The deck's project folder: nothing outside it is read."""

    def resolve(self, reference: str) -> Resolved:
        """How one image reference of the deck resolves."""


@dataclass
class ParseEnv:
    """What one parse knows and collects; lives in markdown-it's ``env`` under ``podium``."""

    path: str
    """The deck's path as the user named it, for diagnostics."""
    lines: Sequence[str]
    """The deck's source lines, newlines stripped (0-based)."""
    resolver: ImageResolver | None = None
    """Resolves image references; None when parsing text with no file behind it."""
    unsafe_html: bool = False
    """The author's raw HTML passes untouched (``--unsafe-html`` or ``[tool.podium]``)."""
    line_offset: int = 0
    """Added to token lines: notes are parsed on their own but report deck lines."""
    in_note: bool = False
    """Parsing a speaker note's markdown rather than a slide."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    assets: dict[str, Asset] = field(default_factory=dict)
    resolutions: dict[str, Resolved] = field(default_factory=dict)
    """Every image reference seen and how it resolved (a cached slide checks them again)."""
    polls: list[Poll] = field(default_factory=list)
    """The slide's quick checks (``{.poll}`` lists), in order."""
    footnote_labels: list[str] = field(default_factory=list)
    """The footnote labels the slide defines (the deck names them in other slides' warnings)."""
    footnote_issues: list[tuple[str, Diagnostic]] = field(default_factory=list)
    """A slide's footnote warnings, by label, for the deck to finish: whether another slide
    defines (or refers to) that label is known only there."""

    def report(
        self,
        line0: int,
        col: int,
        severity: Severity,
        code: str,
        message: str,
        hint: str | None = None,
    ) -> None:
        """Record a diagnostic at a 0-based token line (offset applied) and 1-based column."""
        self.diagnostics.append(self.diagnostic(line0, col, severity, code, message, hint))

    def diagnostic(
        self,
        line0: int,
        col: int,
        severity: Severity,
        code: str,
        message: str,
        hint: str | None = None,
    ) -> Diagnostic:
        """A diagnostic at a 0-based token line (offset applied) and 1-based column."""
        line = line0 + self.line_offset + 1
        return Diagnostic(self.path, line, col, severity, code, message, hint)

    def locate(
        self,
        block_map: list[int] | None,
        needle: str,
        *,
        last: bool = False,
        after: tuple[int, int] | None = None,
    ) -> tuple[int, int]:
        """0-based line and 1-based column of ``needle`` within a block's source lines;
        ``after`` (a position this returned) finds the next occurrence after that one."""
        if not block_map:
            return 0, 1
        start, end = block_map[0] + self.line_offset, block_map[1] + self.line_offset
        order = range(end - 1, start - 1, -1) if last else range(start, end)
        for index in order:
            if 0 <= index < len(self.lines):
                line = self.lines[index]
                if after is not None:
                    after_line, after_col = after[0] + self.line_offset, after[1]
                    if index < after_line:
                        continue
                    col = line.find(needle, after_col if index == after_line else 0)
                else:
                    col = line.rfind(needle) if last else line.find(needle)
                if col >= 0:
                    return index - self.line_offset, col + 1
        return block_map[0], 1


def get_env(env: MutableMapping[str, Any]) -> ParseEnv:
    value = env.get(ENV_KEY)
    if not isinstance(value, ParseEnv):
        value = ParseEnv(path="<string>", lines=())
        env[ENV_KEY] = value
    return value

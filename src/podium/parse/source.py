"""A deck file's bytes to the text the parser reads.

Decks come from anywhere: a byte-order mark, CRLF or lone-CR line ends, Latin-1 or UTF-16
files and NUL bytes all turn up. Each is either normalised away (one newline convention, no
NUL) or reported at its position, and the text is returned all the same, so every other
problem in the deck shows in the same run.
"""

from __future__ import annotations

from typing import Any

from podium.model import Diagnostic

__all__ = ["decode_source", "normalise_text", "without_nul"]


def decode_source(data: bytes, *, path: str) -> tuple[str, list[Diagnostic]]:
    """Bytes of a deck file to text; bytes that are not UTF-8 are an error at their position.

    The text is still returned (with U+FFFD for bad bytes) so every other problem shows too.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
        return text, [
            Diagnostic(
                path, 1, 1, "error", "encoding", "file is UTF-16, not UTF-8", "re-save it as UTF-8"
            )
        ]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        return data.decode("utf-8", errors="replace"), [_not_utf8(data, exc.start, path)]


def _not_utf8(data: bytes, start: int, path: str) -> Diagnostic:
    """The error for a file whose first undecodable byte is at ``start``."""
    # Counted as the parser counts: after CRLF and lone CR became LF.
    before = normalise_text(data[:start].decode("utf-8", errors="replace"))
    line = before.count("\n") + 1
    col = len(before) - before.rfind("\n")
    byte = data[start]
    hint = "re-save the file as UTF-8"
    if 0x80 <= byte <= 0x9F:
        hint = "it looks like Windows-1252; " + hint
    elif byte >= 0xA0:
        hint = "it looks like Latin-1; " + hint
    # One U+FFFD per undecodable sequence, less those written in the file: one pass
    # (re-decoding the rest after each bad byte is quadratic in the bad bytes).
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    more = f" (and {bad - 1} more)" if bad > 1 else ""
    return Diagnostic(
        path, line, col, "error", "encoding", f"not valid UTF-8: byte 0x{byte:02X}{more}", hint
    )


def normalise_text(text: str) -> str:
    """One newline convention: CRLF, CR and LF files give the same deck. NUL becomes U+FFFD
    (as CommonMark says), in the front matter and raw HTML too: no page holds a NUL."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")


def without_nul(value: Any) -> Any:
    """Front matter with every NUL (a YAML ``"\\0"`` makes one) as U+FFFD."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_nul(item) for item in value]
    return value

"""Speaker notes: every HTML comment outside code, block or inline, in source order.

markdown-it only makes comments tokens with ``html=True``; code blocks and code spans keep
``<!--`` as code, so notes are taken from tokens and never from the raw text. A block may
hold several comments and other HTML (``<!-- a --> <!-- b -->`` is two notes); what is
left after taking the comments out is ordinary raw HTML.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from podium.syntax.env import ParseEnv, get_env

# A thematic break line as CommonMark reads one: inside a comment, a forgotten `-->`.
SEPARATOR_LINE = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")


@dataclass(frozen=True)
class Comment:
    """One ``<!-- ... -->`` in a piece of HTML (``end`` is -1 when it never closes)."""

    start: int
    end: int
    body: str


def find_comments(text: str) -> Iterator[Comment]:
    """Every comment in ``text``, in order; an unclosed one last. Linear time: a regular
    expression with a lazy body took quadratic time on text full of ``<!--``."""
    position = text.find("<!--")
    while position >= 0:
        body_start = position + 4
        # `<!-->` and `<!--->` are complete (empty) comments in CommonMark.
        if text.startswith(">", body_start) or text.startswith("->", body_start):
            end = text.index(">", body_start) + 1
            yield Comment(position, end, "")
        else:
            close = text.find("-->", body_start)
            if close < 0:
                yield Comment(position, -1, text[body_start:])
                return
            end = close + 3
            yield Comment(position, end, text[body_start:close])
        position = text.find("<!--", end)


@dataclass(frozen=True)
class RawNote:
    markdown: str
    line0: int
    """0-based deck line of the ``<!--``."""
    text_line0: int
    """0-based deck line where the note's text starts (for diagnostics inside it)."""


def _raw_note(body: str, line0: int) -> RawNote | None:
    text = clean_note(body)
    if not text:
        return None
    leading = body[: len(body) - len(body.lstrip())]
    return RawNote(text, line0, line0 + leading.count("\n"))


def notes_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("podium_notes", notes_rule)
    md.add_render_rule("podium_note", lambda *args: "")


def clean_note(body: str) -> str:
    """Dedent and trim a comment's text: ``<!--\\n  text\\n-->`` -> ``text``."""
    lines = body.split("\n")
    first = lines[0].strip()
    rest = textwrap.dedent("\n".join(lines[1:]))
    return "\n".join([first, rest] if first else [rest]).strip("\n").strip()


def notes_rule(state: StateCore) -> None:
    env = get_env(state.env)
    for token in state.tokens:
        if token.type == "html_block" and "<!--" in token.content and not env.in_note:
            _block_comments(env, token)
        elif token.type == "inline" and token.children:
            _inline_comments(env, token)


class _LineCounter:
    """0-based lines of increasing offsets in a text, each newline counted once (counting
    from the start for every comment was quadratic in a block of thousands of them)."""

    def __init__(self, text: str, first_line: int) -> None:
        self.text = text
        self.line = first_line
        self.offset = 0

    def at(self, offset: int) -> int:
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


def _block_comments(env: ParseEnv, token: Token) -> None:
    notes: list[RawNote] = []
    lines = _LineCounter(token.content, token.map[0] if token.map else 0)
    kept: list[str] = []
    previous = 0
    for comment in find_comments(token.content):
        kept.append(token.content[previous : comment.start])
        line0 = lines.at(comment.start)
        if comment.end < 0:
            # A comment left open in a list item or a quote, which ends with it (the chunk
            # parse closes one that would run on to the end): kept off the slide.
            env.report(
                line0,
                _last_column(env, line0, "<!--"),
                "error",
                "comment-unterminated",
                "speaker note '<!--' is never closed",
                "close it with --> (read here as ending with its list item, quote or block)",
            )
            previous = len(token.content)
        else:
            _check_swallowed(env, comment.body, line0, lines.at(comment.end))
            previous = comment.end
        note = _raw_note(comment.body, line0)
        if note is not None:
            notes.append(note)
    kept.append(token.content[previous:])
    remainder = "".join(kept)
    token.meta["notes"] = notes
    token.content = remainder if remainder.strip() else ""


def _last_column(env: ParseEnv, line0: int, needle: str) -> int:
    """1-based column of the last ``needle`` on a source line (1 when it is not there)."""
    index = line0 + env.line_offset
    line = env.lines[index] if 0 <= index < len(env.lines) else ""
    return line.rfind(needle) + 1 or 1


def _check_swallowed(env: ParseEnv, body: str, line0: int, end0: int) -> None:
    """Warn when a comment hides what was surely meant to show: it runs across slide
    separators, or holds another ``<!--`` (comments do not nest: a forgotten ``-->`` makes
    a note run on to the next note's ``-->``, silently taking the slides between)."""
    lines = body.split("\n")
    breaks = [line0 + offset for offset, line in enumerate(lines) if _is_separator(lines, offset)]
    nested = body.find("<!--")
    if not breaks and nested < 0:
        return
    # Lines are said relative to the '<!--': this runs on one chunk of the deck, which is
    # cached and reused wherever the chunk moves, so a line number in the text would go stale.
    message = f"speaker note runs on to the '-->' {_below(end0 - line0)}"
    if breaks:
        count = len(breaks)
        where = ", ".join(str(line - line0) for line in breaks[:5])
        where += ", ..." if count > 5 else ""
        plural = "s" if count > 1 else ""
        message += (
            f" across {count} slide separator{plural} ({where} line{'' if where == '1' else 's'}"
            " below), "
            f"hiding the slide{plural} after {'them' if count > 1 else 'it'}"
        )
    if nested >= 0:
        nested_below = body.count("\n", 0, nested)
        message += f"; it holds another '<!--' ({_below(nested_below)}): is a '-->' missing?"
    env.report(
        line0,
        1,
        "warning",
        "comment-spans-slides",
        message,
        "close each note with --> where it ends",
    )


def _below(count: int) -> str:
    return "on the same line" if count == 0 else f"{count} line{'s' if count > 1 else ''} below"


def _is_separator(lines: list[str], offset: int) -> bool:
    """A separator line in a comment's body that would be a slide break had the comment
    been closed before it: after a blank line, an ATX heading or the ``<!--`` line itself."""
    if not offset or not SEPARATOR_LINE.match(lines[offset]):
        return False
    before = lines[offset - 1].strip()
    return offset == 1 or not before or before.startswith("#")


def _inline_comments(env: ParseEnv, inline: Token, *, in_alt: bool = False) -> None:
    children = inline.children or []
    for child in children:
        if child.type == "image" and child.children:
            # An image's description is its alt text: a comment in it is a note like any
            # other, never alt text the audience (or a --no-notes build) gets to read.
            alt = Token("inline", "", 0, map=inline.map, children=child.children)
            _inline_comments(env, alt, in_alt=True)
    for position, child in enumerate(children):
        if child.type == "html_inline" and child.content.startswith("<!--"):
            comment = next(find_comments(child.content), None)
            line0, _ = env.locate(inline.map, child.content.split("\n", 1)[0])
            child.type = "podium_note"
            child.meta["note"] = _raw_note(comment.body, line0) if comment else None
            child.content = ""
        elif child.type == "text" and "<!--" in child.content and not in_alt:
            # `text <!-- note` never closed inside a paragraph: the rest of it is the note,
            # kept off the slide so the audience never reads it.
            cut = child.content.index("<!--")
            line0, col = env.locate(inline.map, "<!--")
            env.report(
                line0,
                col,
                "error",
                "comment-unterminated",
                "speaker note '<!--' is never closed",
                "close it with --> (the rest of the paragraph was taken as the note)",
            )
            rest = child.content[cut + 4 :] + "".join(c.content for c in children[position + 1 :])
            child.content = child.content[:cut].rstrip()
            note = Token("podium_note", "", 0)
            note.meta["note"] = _raw_note(rest, line0)
            del children[position + 1 :]
            children.append(note)
            return

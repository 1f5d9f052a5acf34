"""Quick checks: a list marked ``{.poll}`` is a poll; ``- [x]`` marks a quiz's right answer.

The marks are task-list syntax (``- [ ]``, ``- [x]``), read here on the poll's own items
only: mdit-py-plugins' tasklists would turn every ``- [ ]`` list of every deck into
checkboxes. The list keeps its items as the audience sees them (``data-poll`` on the list,
``data-option`` on each item, marks taken off); which option is right goes into the model
(:class:`podium.model.Poll`), never into the slide's HTML, so no page shows it before the
presenter reveals it.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from podium.model import Poll
from podium.syntax.env import ParseEnv, get_env

_MARK = re.compile(r"^\[([ xX])\](?:[ \t]+|$)")
_LISTS = ("bullet_list_open", "ordered_list_open")
#: Inline children whose content is text a reader sees.
_TEXT = frozenset({"text", "code_inline", "math_inline"})


def polls_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("polls", polls)


def polls(state: StateCore) -> None:
    env = get_env(state.env)
    if env.in_note:
        return
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type in _LISTS and (
            "poll" in str(token.attrGet("class") or "").split() or _marked_before(tokens, index)
        ):
            _poll(tokens, index, env)


def _marked_before(tokens: list[Token], index: int) -> bool:
    """``{.poll}`` as a paragraph of its own right before the list (the attributes plugin
    puts it on the list later, when it assembles the slide)."""
    return "poll" in (_attrs_paragraph(tokens, index) or ())


def _attrs_paragraph(tokens: list[Token], index: int) -> tuple[str, ...] | None:
    """The classes of an attributes-only paragraph right before ``tokens[index]``."""
    if index < 3 or tokens[index - 1].type != "paragraph_close":
        return None
    attrs = tokens[index - 3].meta.get("attrs_only")
    classes = getattr(attrs, "classes", None)
    return tuple(classes) if isinstance(classes, tuple) else None


def _poll(tokens: list[Token], start: int, env: ParseEnv) -> None:
    opening = tokens[start]
    number = len(env.polls) + 1
    opening.attrSet("data-poll", str(number))
    options: list[str] = []
    marked: list[int] = []
    depth = 0
    item: Token | None = None
    for token in tokens[start + 1 :]:
        if token.type in _LISTS:
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            if depth == 0:
                break
            depth -= 1
        elif token.type == "list_item_open" and depth == 0:
            token.attrSet("data-option", str(len(options)))
            item = token
            options.append("")
        elif token.type == "inline" and item is not None and depth == 0:
            if _take_mark(token):
                marked.append(len(options) - 1)
            options[-1] = plain_text(token)
            item = None  # the option is its first paragraph
    line0 = opening.map[0] if opening.map else 0
    if len(options) < 2:
        env.report(
            line0,
            1,
            "error",
            "poll-options",
            f"a poll needs at least 2 options; this one has {len(options)}",
            "write each option as an item of the list marked {.poll}: - [ ] option",
        )
    if len(marked) > 1:
        env.report(
            line0,
            1,
            "error",
            "poll-answers",
            f"a quiz has one right answer; {len(marked)} options are marked [x]",
            "mark only the right answer with [x], the others with [ ] (or nothing)",
        )
    answer = marked[0] if len(marked) == 1 else None
    env.polls.append(Poll(number, _question(tokens, start), tuple(options), answer))


def _take_mark(inline: Token) -> bool:
    """Take a ``[ ]`` or ``[x]`` mark off the start of an option; True for ``[x]``."""
    children = inline.children or []
    if not children or children[0].type != "text":
        return False
    found = _MARK.match(children[0].content)
    if found is None:
        return False
    children[0].content = children[0].content[found.end() :]
    return found.group(1) != " "


def plain_text(inline: Token) -> str:
    """What an inline token says, as text (marks, emphasis and links left out)."""
    words = "".join(
        child.content if child.type in _TEXT else " " if "break" in child.type else ""
        for child in inline.children or []
    )
    return " ".join(words.split())


def _question(tokens: list[Token], start: int) -> str:
    """The paragraph or heading right before the list (and its ``{.poll}``), as text."""
    if _attrs_paragraph(tokens, start) is not None:
        start -= 3
    if start >= 2 and tokens[start - 1].type in ("paragraph_close", "heading_close"):
        before = tokens[start - 2]
        if before.type == "inline" and before.level == tokens[start].level + 1:
            return plain_text(before)
    return ""

"""A slide's steps: what appears (or is emphasised) one step at a time, in document order.

Steps begin at a pause (``. . .``), at each item of an ``{.incremental}`` list, at each
``{.fragment}`` (any block, a column, an image or other inline element), and at each range
after the first of a code walkthrough (``hl="1-2|4|all"``). The numbers go on the tokens as
``data-step`` (hidden until that step) or ``data-emphasis`` (``{.fragment .highlight}``:
shown all along, emphasised from that step), which the views' podium.js reads.

Each speaker note belongs to the step most recently begun above it; the notes right after a
code walkthrough go with its ranges in order (the first with the first range, and so on).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from markdown_it.token import Token

from podium.syntax.attributes.grammar import Attrs
from podium.syntax.notes import RawNote

FRAGMENT = "fragment"
HIGHLIGHT = "highlight"
INCREMENTAL = "incremental"
_LISTS = frozenset({"bullet_list_open", "ordered_list_open"})
#: Tokens whose HTML carries no attributes: a fragment there could never be hidden.
_NO_ATTRS = frozenset({"html_inline"})


def classes_of(token: Token) -> tuple[str, ...]:
    attrs: Attrs | None = token.meta.get("attrs")
    return attrs.classes if attrs else ()


@dataclass
class Steps:
    """What numbering a slide's steps found."""

    count: int = 0
    """How many steps the slide has after its first state."""
    notes: list[tuple[RawNote, int]] = field(default_factory=list)
    """Every note of the slide in source order, with the step it belongs to."""


@dataclass
class _Walk:
    tokens: list[Token]
    steps: Steps = field(default_factory=Steps)
    note_step: int = 0
    """The step a note met now belongs to."""
    walkthrough: deque[int] = field(default_factory=deque)
    """Steps of a walkthrough's later ranges still waiting for the notes right after it."""

    def begin(self) -> int:
        self.steps.count += 1
        self.note_step = self.steps.count
        self.walkthrough.clear()
        return self.steps.count

    def mark(self, token: Token, *, item: bool = False) -> None:
        """A fragment (or an incremental list's item): number it."""
        classes = classes_of(token)
        if not item and (FRAGMENT not in classes or token.type in _NO_ATTRS):
            return
        step = self.begin()
        name = "data-emphasis" if HIGHLIGHT in classes and not item else "data-step"
        token.attrSet(name, str(step))

    def note(self, raw: RawNote | None) -> None:
        if raw is None:
            return
        self.steps.notes.append((raw, self.note_step))
        if self.walkthrough:
            self.note_step = self.walkthrough.popleft()

    def content(self) -> None:
        """A block that is not a note: notes after it no longer follow a walkthrough."""
        if self.walkthrough:
            self.note_step = self.walkthrough[-1]
            self.walkthrough.clear()

    def code(self, fence: Token) -> None:
        parts = fence.meta.get("hl_walk")
        if not parts:
            return
        first = self.note_step
        later = [self.begin() for _ in parts[1:]]
        fence.meta["hl_steps"] = tuple(later)
        self.note_step = first
        self.walkthrough = deque(later)

    def inline(self, children: Iterable[Token]) -> None:
        for child in children:
            if child.type == "podium_note":
                self.note(child.meta.get("note"))
            elif child.nesting >= 0 and child.type != "text":
                self.mark(child)
            if child.type == "image" and child.children:
                for grandchild in child.children:
                    if grandchild.type == "podium_note":
                        self.note(grandchild.meta.get("note"))


def number_steps(
    tokens: list[Token],
    blocks: Iterable[tuple[int, int, bool]],
    is_pause: Callable[[int], bool],
) -> Steps:
    """Number the steps of a slide whose top-level blocks are ``(start, end, shown)``
    (``shown``: a block the slide shows, not a note or an attribute paragraph)."""
    walk = _Walk(tokens)
    revealed = 0  # the step blocks appear at now: that of the last pause, else 0
    for start, end, shown in blocks:
        if is_pause(start):
            revealed = walk.begin()
            continue
        opening = tokens[start]
        if shown:
            walk.content()
            if revealed:
                opening.attrSet("data-step", str(revealed))
            column: Attrs | None = opening.meta.get("column_attrs")
            if column is not None and FRAGMENT in column.classes:
                step = walk.begin()
                opening.meta["column_step"] = (
                    "data-emphasis" if HIGHLIGHT in column.classes else "data-step",
                    step,
                )
        items = set(_incremental_items(tokens, start, end))
        for position in range(start, end):
            token = tokens[position]
            for raw in token.meta.get("notes", ()):
                walk.note(raw)
            walk.mark(token, item=position in items)
            if token.type == "fence":
                walk.code(token)
            if token.children:
                walk.inline(token.children)
        if revealed and tokens[start].type in _LISTS and INCREMENTAL in classes_of(opening):
            # After a pause, what follows an incremental list waits for its last item.
            revealed = walk.steps.count
    return walk.steps


def _incremental_items(tokens: list[Token], start: int, end: int) -> Iterator[int]:
    """Positions of the items of every ``{.incremental}`` list in ``tokens[start:end]``."""
    for position in range(start, end):
        opening = tokens[position]
        if opening.type not in _LISTS or INCREMENTAL not in classes_of(opening):
            continue
        depth = 0
        for inner in range(position, end):
            token = tokens[inner]
            depth += token.nesting
            if token.type == "list_item_open" and token.level == opening.level + 1:
                yield inner
            if depth == 0:
                break

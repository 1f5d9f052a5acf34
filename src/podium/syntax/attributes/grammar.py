"""Attribute blocks: ``{#id .class key=value key="quoted value"}``.

This module owns the grammar only: reading the text between the braces, recovering the
typos authors really make (``{.big)``), and the allowlist of the keys that may reach the
HTML (values are checked by :mod:`podium.syntax.sanitize`, which also owns ``style``).
Where a block attaches (element, block, slide, fence) is decided by
:mod:`podium.syntax.attributes.plugin`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from podium.syntax.sanitize import (
    UNSAFE_VALUE,
    is_reserved_id,
    sanitize_style,
    unreserved_id,
)

# One item of the grammar. Values may be quoted with " or ', or bare up to a space or brace.
_ITEM = re.compile(
    r"""\s*(?:
        \#(?P<id>[^\s{}#.="']+)
      | \.(?P<cls>[^\s{}#.="']+)
      | (?P<key>[A-Za-z_:][\w.:-]*)\s*=\s*(?:
            "(?P<dq>[^"]*)" | '(?P<sq>[^']*)' | (?P<bare>[^\s"'{}]+)
        )
    )""",
    re.VERBOSE,
)
# What makes brace text *look* like an attribute block (as opposed to `{1}`, `{Apache 2.0}`,
# set notation or JSON, which must stay literal and silent).
_LOOKS_LIKE_ATTRS = re.compile(r"^\s*:?\s*(?:[.#][A-Za-z_]|[A-Za-z_][\w-]*\s*=)")

# Trailing blocks are matched only at the text's last "{" (see `trailing`): searching for
# them anywhere made a long run of spaces cost quadratic time.
#: Trailing block at the end of a block's text: ``Sample Code {.big}``.
TRAILING = re.compile(r"\{(?P<body>[^{}\n]*)\}[ \t]*$")
#: A trailing block closed with the wrong bracket: ``Using Keras {.big)``.
TRAILING_TYPO = re.compile(r"\{(?P<body>[^{}()\[\]\n]*)[)\]][ \t]*$")
#: A trailing block never closed: ``Title {.a .b``.
TRAILING_OPEN = re.compile(r"\{(?P<body>[^{}\n]*)$")
#: A block at the very start of text, right after an inline element: ``![](a.png){.bg}``.
LEADING = re.compile(r"^\{(?P<body>[^{}\n]*)\}")
#: A paragraph made only of an attribute block.
WHOLE = re.compile(r"^\s*\{(?P<body>[^{}\n]*)\}\s*$")

# Keys an author may set besides id/class; `data-*` are allowed too.
ALLOWED_KEYS = frozenset(
    {"width", "height", "layout", "hl", "style", "pad", "offset-x", "offset-y", "title"}
)
#: The classes the dialect and the theme give a meaning to (docs/dialect.md): a class close
#: to one of these but not one of them is most likely a typo (``{.colum}``).
KNOWN_CLASSES = (
    "big",
    "column",
    "incremental",
    "fragment",
    "fade",
    "highlight",
    "poll",
    "background",
    "dark",
)
#: How alike a written class must be to a known one to be taken for a typo of it (difflib's
#: ratio: ``colum``/``column`` is 0.91, ``red``/``dark`` 0.57: custom classes stay silent).
_TYPO_CUTOFF = 0.75
_BARE_WORD = re.compile(r"^\s*([A-Za-z][\w-]*)\s*$")
_SAFE_ID = re.compile(r"^[A-Za-z][\w:.-]*$")
_SAFE_CLASS = re.compile(r"^-?[A-Za-z_][\w-]*$")


@dataclass(frozen=True)
class Attrs:
    """What an attribute block says, already allowlisted."""

    id: str | None = None
    classes: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    """Allowlisted ``key=value`` pairs, in source order (``style`` already sanitised)."""
    dropped: tuple[str, ...] = field(default=(), compare=False)
    """Human-readable descriptions of what the allowlist removed, for a warning."""
    renamed: tuple[str, ...] = field(default=(), compare=False)
    """Ids in the views' namespace (``podium-...``) as written, changed in ``id``."""

    def get(self, key: str) -> str | None:
        for name, value in self.pairs:
            if name == key:
                return value
        return None

    def without(self, *keys: str, classes: tuple[str, ...] = ()) -> Attrs:
        return Attrs(
            id=self.id,
            classes=tuple(c for c in self.classes if c not in classes),
            pairs=tuple(p for p in self.pairs if p[0] not in keys),
        )

    def __bool__(self) -> bool:
        return bool(self.id or self.classes or self.pairs)

    def merged(self, other: Attrs) -> Attrs:
        return Attrs(
            id=other.id or self.id,
            classes=tuple(dict.fromkeys(self.classes + other.classes)),
            pairs=self.pairs + other.pairs,
            dropped=self.dropped + other.dropped,
            renamed=self.renamed + other.renamed,
        )


@dataclass(frozen=True)
class ParsedBlock:
    """The result of reading brace text."""

    attrs: Attrs | None
    """``None`` when the text could not be read as attributes."""
    recovered: str | None = None
    """Set when the text was read only by fixing a typo: a description of the fix."""


def trailing(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """``pattern`` matched at the last ``{`` of ``text`` (linear time, whatever the text)."""
    start = text.rfind("{")
    return pattern.match(text, start) if start >= 0 else None


def looks_like_attrs(body: str) -> bool:
    return bool(_LOOKS_LIKE_ATTRS.match(body))


def parse_body(body: str) -> ParsedBlock:
    """Read the text between ``{`` and ``}``; ``attrs`` is None when it is not the grammar."""
    text = body.strip()
    if text.startswith(":"):  # `{: .big}`, tolerated by md2googleslides
        text = text[1:]
    text = text.rstrip()  # then only items remain once pos < len(text): no copy per item
    pos = 0
    recovered: str | None = None
    ident: str | None = None
    classes: list[str] = []
    pairs: list[tuple[str, str]] = []
    while pos < len(text):
        match = _ITEM.match(text, pos)
        if match is None:
            # An unclosed quote at the very end: `{style="font-size: 8pt}`. Read as meant.
            tail = re.match(r"\s*([A-Za-z_:][\w.:-]*)\s*=\s*([\"'])([^\"']*)$", text[pos:])
            if tail is None:
                return ParsedBlock(None)
            pairs.append((tail.group(1), tail.group(3)))
            recovered = f"closed the quote of {tail.group(1)}={tail.group(2)}{tail.group(3)}"
            break
        if match.group("id"):
            ident = match.group("id")
        elif match.group("cls"):
            classes.append(match.group("cls"))
        else:
            value = next(
                (v for v in (match.group("dq"), match.group("sq"), match.group("bare")) if v),
                "",
            )
            pairs.append((match.group("key"), value))
        pos = match.end()
    if not (ident or classes or pairs):
        return ParsedBlock(None)
    return ParsedBlock(_allowlisted(ident, classes, pairs), recovered)


def _allowlisted(ident: str | None, classes: list[str], pairs: list[tuple[str, str]]) -> Attrs:
    dropped: list[str] = []
    if ident is not None and not _SAFE_ID.match(ident):
        dropped.append(f"id #{ident}")
        ident = None
    kept_classes: dict[str, None] = {}  # ordered and unique, with a constant-time lookup
    for cls in classes:
        if _SAFE_CLASS.match(cls):
            kept_classes[cls] = None
        else:
            dropped.append(f"class .{cls}")
    kept: list[tuple[str, str]] = []
    for key, value in pairs:
        name = key.lower()
        if name == "id" and _SAFE_ID.match(value):
            ident = value
        elif name == "class":
            kept_classes.update(dict.fromkeys(c for c in value.split() if _SAFE_CLASS.match(c)))
        elif name.startswith("on"):
            dropped.append(f"event handler {key}=")
        elif not (name in ALLOWED_KEYS or re.fullmatch(r"data-[a-z0-9][a-z0-9-]*", name)):
            dropped.append(f"{key}= (not an allowed attribute)")
        elif name == "style":
            style, removed = sanitize_style(value)
            dropped.extend(removed)
            if style:
                kept.append((name, style))
        elif UNSAFE_VALUE.search(value):
            dropped.append(f"{key}={value!r} (unsafe value)")
        else:
            kept.append((name, value))
    renamed: tuple[str, ...] = ()
    if ident is not None and is_reserved_id(ident):
        renamed, ident = (ident,), unreserved_id(ident)
    return Attrs(
        id=ident,
        classes=tuple(kept_classes),
        pairs=tuple(kept),
        dropped=tuple(dropped),
        renamed=renamed,
    )


def suggest_class(name: str) -> str | None:
    """The known class ``name`` is probably a typo of, or None (a known or custom class)."""
    if name in KNOWN_CLASSES:
        return None
    close = difflib.get_close_matches(name.lower(), KNOWN_CLASSES, n=1, cutoff=_TYPO_CUTOFF)
    return close[0] if close else None


def bare_class(body: str) -> str | None:
    """The known class brace text without its dot names (``{big}``, ``{colum}``), or None:
    other braces (``{x}``, ``{Apache 2.0}``) are text, silently."""
    match = _BARE_WORD.match(body)
    if match is None:
        return None
    word = match.group(1)
    return word.lower() if word.lower() in KNOWN_CLASSES else suggest_class(word)


def describe(attrs: Attrs) -> str:
    """Canonical text of an attribute block, for messages: ``{#id .big key="v"}``."""
    parts = [f"#{attrs.id}"] if attrs.id else []
    parts += [f".{c}" for c in attrs.classes]
    parts += [f'{k}="{v}"' for k, v in attrs.pairs]
    return "{" + " ".join(parts) + "}"

"""The deck model: frozen dataclasses, no I/O.

Everything the parser learns about a deck lands here, and everything the views and the
CLI need is read from here. Lines are 1-based, as an editor shows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from podium.diagnostics import format_line, position

if TYPE_CHECKING:
    from podium.diagnostics import Severity

#: The layouts a slide can have; docs/dialect.md describes them.
LAYOUTS = ("title", "section", "big", "big-body", "columns", "image", "body", "blank")


#: The built-in themes; docs/themes.md shows each. The first is the default.
THEMES = ("light", "dark", "high-contrast")
#: Paper sizes of the handout, printed or exported.
PAPERS = ("a4", "letter")


@dataclass(frozen=True)
class Settings:
    """How a deck is shown: its front matter over the course's ``[tool.podium]`` over the
    defaults (``podium build --theme`` over all three)."""

    theme: str = THEMES[0]
    """One of :data:`THEMES`."""
    lang: str = "en"
    """The pages' language (``<html lang>``)."""
    footer: str = ""
    """Text in the corner of every slide; '' for none."""
    logo: str = ""
    """The logo's path relative to the deck's output folder (a checked image, also among
    the deck's assets); '' for none."""
    paper: str = PAPERS[0]
    """The handout's paper size (one of :data:`PAPERS`)."""
    course: str = ""
    """The course's title, for the site's index page ([tool.podium] ``title``)."""
    templates: str = ""
    """The project's own ``templates/`` folder (absolute), or '' when it has none: its
    templates come before podium's and its ``theme.css`` is loaded after the theme."""
    templates_state: tuple[tuple[object, ...], ...] = ()
    """The state of that folder's files when the deck was read: an edit there re-renders."""


#: How an image reference resolved.
Status = Literal[
    "ok", "missing", "outside", "remote", "invalid", "hidden", "not-image", "unreadable"
]


@dataclass(frozen=True)
class Resolved:
    """Where a reference in the deck points."""

    status: Status
    target: str = ""
    """For ``ok``: the path relative to the deck's output folder; for ``remote``: the URL."""
    source: str = ""
    """For ``ok``: absolute path on disk; otherwise the path that was looked for, for messages."""
    kind: str = ""
    """For ``ok``: the image kind its content shows (``png``, ``svg``...)."""
    detail: str = ""
    """For a refusal: why, in words (``it is HTML``, ``permission denied``)."""
    removed: tuple[str, ...] = ()
    """For an SVG: what the sanitiser took out of the copy."""


@dataclass(frozen=True, order=False)
class Diagnostic:
    """A problem found in a source file, precise enough for an editor to jump to."""

    path: str
    """The file, as the user named it (or ``<string>`` for text parsed without a path)."""
    line: int
    """1-based line."""
    col: int
    """1-based column."""
    severity: Severity
    """``error`` fails a build; ``warning`` fails it only under ``--strict``; ``info`` never."""
    code: str
    """A stable name a user can look up in the docs, e.g. ``attrs-malformed``."""
    message: str
    """What is wrong, in one sentence."""
    hint: str | None = None
    """How to fix it, when there is something useful to say."""

    def format(self) -> str:
        """``path:line:col: severity[code]: message``, the one format every tool reads."""
        return format_line(self.path, self.line, self.col, self.severity, self.code, self.message)

    def sort_key(self) -> tuple[str, int, int, int, str]:
        return position(self.path, self.line, self.col, self.severity, self.code)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }
        if self.hint:
            data["hint"] = self.hint
        return data


@dataclass(frozen=True)
class Note:
    """One speaker note: the text of one HTML comment."""

    markdown: str
    """The note's markdown source, dedented, as the author wrote it."""
    html: str
    """The note rendered (and sanitised) as HTML."""
    line: int
    """1-based line of the ``<!--`` that opened it."""
    step: int = 0
    """The step of its slide it belongs to: 0 before any step, else the step most recently
    begun above it (a pause, a fragment, an item of an incremental list, a code range)."""


@dataclass(frozen=True)
class Asset:
    """A local file a deck references (an image), checked and ready to copy."""

    source: str
    """Absolute path of the file on disk (after resolving symlinks)."""
    target: str
    """Path relative to the deck's output folder, with ``/`` separators."""


@dataclass(frozen=True)
class Poll:
    """A quick check: a list marked ``{.poll}``; ``- [x]`` marks a quiz's right answer."""

    number: int
    """1-based among the polls of its slide (the poll's id is ``<slide>.<number>``)."""
    question: str
    """Plain text of the paragraph or heading right before the list; may be empty."""
    options: tuple[str, ...]
    """Plain text of each option, in order, without its ``[ ]`` or ``[x]`` mark."""
    answer: int | None = None
    """0-based index of the right answer (marked ``[x]``); None for a poll with none."""


@dataclass(frozen=True)
class PollTally:
    """The votes one poll got in one class (``podium serve --classroom`` saves them); the
    handout lists them."""

    date: str
    """The day of the class, ``YYYY-MM-DD``."""
    slide: int
    """The slide the poll was on (1-based)."""
    question: str
    options: tuple[str, ...]
    counts: tuple[int, ...]
    """Votes per option, in the order of :attr:`options`."""
    answer: int | None = None
    """0-based index of the right answer, when the poll was a quiz."""


@dataclass(frozen=True)
class Slide:
    """One slide of a deck."""

    index: int
    """1-based position in the deck."""
    line: int
    """1-based first source line of the slide's content (or of its separator when empty)."""
    end_line: int
    """1-based last source line of the slide."""
    layout: str
    """One of :data:`LAYOUTS`: inferred from the content or set by ``{layout=...}``."""
    id: str
    """A stable HTML id: ``{#id}`` when given, else made from the title."""
    classes: tuple[str, ...]
    """Classes from the slide's attribute block (``{.dark}``); the layout is not among them."""
    attrs: tuple[tuple[str, str], ...]
    """Other allowlisted attributes of the slide (``data-*``, ``style``), in source order."""
    title: str
    """Plain text of the slide's title: the h1, else the big point, else the h2; may be empty."""
    html: str
    """The rendered, sanitised slide body."""
    notes: tuple[Note, ...]
    """Speaker notes, in source order."""
    steps: int = 0
    """How many incremental-reveal steps the slide has after its first state."""
    source_hash: str = ""
    """Hash of all that shaped the slide: its source text, the settings, how its images
    resolved and the deck's link definitions (what is cached by it never goes stale)."""
    polls: tuple[Poll, ...] = ()
    """The slide's quick checks, in order (their answers never reach the audience's HTML)."""

    @property
    def notes_markdown(self) -> tuple[str, ...]:
        return tuple(note.markdown for note in self.notes)

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "line": self.line,
            "end_line": self.end_line,
            "layout": self.layout,
            "id": self.id,
            "classes": list(self.classes),
            "attrs": dict(self.attrs),
            "title": self.title,
            "steps": self.steps,
            "notes": list(self.notes_markdown),
            "note_steps": [note.step for note in self.notes],
            "html": self.html,
            **({"polls": [_poll_json(poll) for poll in self.polls]} if self.polls else {}),
        }


def _poll_json(poll: Poll) -> dict[str, Any]:
    return {
        "number": poll.number,
        "question": poll.question,
        "options": list(poll.options),
        "answer": poll.answer,
    }


def _frozen_meta() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Deck:
    """A parsed deck: front matter, slides, referenced assets and every diagnostic found."""

    path: str
    """The deck file as the user named it (``<string>`` when parsed from text)."""
    slides: tuple[Slide, ...]
    """The slides, in source order."""
    meta: Mapping[str, Any] = field(default_factory=_frozen_meta)
    """Validated front matter (``title``, ``author``, ``date``, ``duration``, ...): only known
    keys with valid values, as text, the way ``podium inspect`` shows them."""
    aspect: str = "16:9"
    """The slides' aspect ratio from the front matter: ``16:9`` or ``4:3``."""
    duration_seconds: int | None = None
    """The planned length of the talk, from the front matter's ``duration``; None if unset."""
    assets: tuple[Asset, ...] = ()
    """Local files the slides reference, to copy beside the output."""
    diagnostics: tuple[Diagnostic, ...] = ()
    """Everything wrong with the deck, sorted by position."""
    dependencies: tuple[str, ...] = ()
    """Absolute paths of the files besides the deck that shaped it: the images it uses, and
    where missing images were looked for (so their appearing is a change too)."""
    unsafe_html: bool = False
    """Its raw HTML was let through unsanitised (the builder allowed it): its pages' content
    security policy lets inline script run."""
    settings: Settings = field(default_factory=Settings)
    """Theme, language, footer, logo, paper and the course's title and templates."""

    @property
    def title(self) -> str:
        """The front matter's title, else the first slide's title, else the file name."""
        meta_title = self.meta.get("title")
        if isinstance(meta_title, str) and meta_title.strip():
            return meta_title.strip()
        for slide in self.slides:
            if slide.title:
                return slide.title
        stem = self.path.rsplit("/", 1)[-1]
        return stem.removesuffix(".md") or "Untitled deck"

    @property
    def has_errors(self) -> bool:
        """Whether a diagnostic is an error (then the build fails)."""
        return any(d.severity == "error" for d in self.diagnostics)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "title": self.title,
            "meta": _jsonable(dict(self.meta)),
            "slides": [slide.to_json() for slide in self.slides],
            "assets": [{"source": a.source, "target": a.target} for a in self.assets],
            "diagnostics": [d.to_json() for d in self.diagnostics],
        }


def _jsonable(value: Any) -> Any:
    """Front matter may hold dates and other YAML scalars that JSON lacks: stringify them."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)

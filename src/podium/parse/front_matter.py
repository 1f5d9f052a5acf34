"""Front matter: found, read safely, and validated all at once.

A deck may start with ``---``, a YAML mapping, ``---``. Anything else between two leading
``---`` lines is a slide, not metadata. YAML is read with the safe loader: front matter
never runs code.
"""

from __future__ import annotations

import functools
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from podium.model import PAPERS, THEMES, Diagnostic

KNOWN_KEYS = (
    "title", "author", "date", "duration", "aspect", "theme", "lang", "footer", "logo", "paper",
    "html",
)  # fmt: skip
ASPECTS = ("16:9", "4:3")
#: A week: a longer "duration" is a typo, and unbounded numbers overflow ``int(float)``.
MAX_DURATION_SECONDS = 7 * 24 * 3600
HTML_POLICIES = ("safe", "unsafe")


_FENCE = re.compile(r"^---[ \t]*$")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
_DURATION = re.compile(
    r"^\s*(?:(?P<h>\d+(?:\.\d+)?)\s*h(?:ours?|rs?)?)?\s*"
    r"(?:(?P<m>\d+(?:\.\d+)?)\s*m(?:in(?:utes?|s)?)?)?\s*"
    r"(?:(?P<s>\d+)\s*s(?:ec(?:onds?|s)?)?)?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FrontMatter:
    meta: Mapping[str, Any]
    """The validated mapping (only known keys with valid values)."""
    end_line: int
    """0-based index of the closing ``---`` line; -1 when the deck has no front matter."""
    diagnostics: tuple[Diagnostic, ...] = ()


NO_FRONT_MATTER = FrontMatter(MappingProxyType({}), -1)


#: Front matter is a flat mapping; deeper YAML is refused before PyYAML's recursive
#: composer meets it (``[[[[...`` thousands deep raised RecursionError).
MAX_YAML_DEPTH = 20
#: Longer runs of digits stay text: Python refuses to turn over 4,300 digits into an int,
#: and no front matter value needs more than a few.
MAX_NUMBER_DIGITS = 18


@functools.cache
def _loader() -> type[Any]:
    """The safe loader, tightened for input from strangers.

    - YAML 1.1's base-60 numbers are gone: ``aspect: 16:9`` is text, not 969;
    - dates stay the text written (``date: 2024-13-45`` made PyYAML raise ValueError);
    - numbers have at most :data:`MAX_NUMBER_DIGITS` digits, longer ones are text;
    - aliases (``*name``) are refused: 600 bytes of nested aliases expand to gigabytes;
    - nesting deeper than :data:`MAX_YAML_DEPTH` is refused.

    PyYAML is slow to import: it is imported here, so only decks with front matter pay for it.
    """
    import yaml
    from yaml.composer import ComposerError

    class Refused(ComposerError):
        """Well-formed YAML that front matter does not accept."""

    class Loader(yaml.SafeLoader):
        depth = 0
        refused = Refused

        def compose_node(self, parent: Any, index: Any) -> Any:
            event: Any = self.peek_event()  # type: ignore[no-untyped-call]
            mark: Any = event.start_mark
            if isinstance(event, yaml.AliasEvent):
                problem = f"aliases (*{event.anchor}) are not allowed in front matter"
                raise Refused(None, None, problem, mark)
            if self.depth >= MAX_YAML_DEPTH:
                raise Refused(None, None, f"nested more than {MAX_YAML_DEPTH} levels", mark)
            self.depth += 1
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    Loader.yaml_implicit_resolvers = {
        first: [
            (tag, rx) for tag, rx in resolvers if not tag.endswith((":int", ":float", ":timestamp"))
        ]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    digits = MAX_NUMBER_DIGITS
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:int", re.compile(rf"^[-+]?[0-9]{{1,{digits}}}$"), list("-+0123456789")
    )
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:float",
        re.compile(rf"^[-+]?(?=[0-9.]{{2,{digits + 1}}}$)(?:[0-9]+\.[0-9]*|\.[0-9]+)$"),
        list("-+.0123456789"),
    )
    return Loader


def read_front_matter(lines: list[str], *, path: str) -> FrontMatter:
    """Find and validate the front matter at the top of a deck's lines (newlines stripped)."""
    if not lines or not _FENCE.match(lines[0]):
        return NO_FRONT_MATTER
    end = next((i for i in range(1, len(lines)) if _CLOSE.match(lines[i])), None)
    if end is None or end == 1:
        return NO_FRONT_MATTER
    body = "\n".join(lines[1:end])
    import yaml

    try:
        data = yaml.load(body, Loader=_loader())  # a SafeLoader subclass: no code runs
    except yaml.YAMLError as exc:
        if not re.match(r"^\s*[A-Za-z_][\w-]*\s*:", body):
            return NO_FRONT_MATTER  # not meant as YAML: a slide between two separators
        mark = getattr(exc, "problem_mark", None)
        line = (mark.line + 2) if mark is not None else 2
        col = (mark.column + 1) if mark is not None else 1
        problem = getattr(exc, "problem", None) or "invalid YAML"
        what = "refused" if isinstance(exc, _loader().refused) else "is not valid YAML"
        diagnostic = Diagnostic(
            path, line, col, "error", "meta-invalid", f"front matter {what}: {problem}"
        )
        return FrontMatter(MappingProxyType({}), end, (diagnostic,))
    except Exception as exc:  # around PyYAML alone, on text from strangers
        # An explicit tag on a value it cannot read: PyYAML's constructors trust their input
        # and raise what comes (`!!timestamp 2024-13-45`: ValueError, `!!float` with no
        # value: IndexError, `!!timestamp x`: AttributeError).
        diagnostic = Diagnostic(
            path, 2, 1, "error", "meta-invalid", f"front matter value cannot be read: {exc}"
        )
        return FrontMatter(MappingProxyType({}), end, (diagnostic,))
    if not isinstance(data, dict):
        return NO_FRONT_MATTER
    meta, diagnostics = _validate(data, lines, end, path)
    return FrontMatter(MappingProxyType(meta), end, tuple(diagnostics))


_KEY_AT_LINE_START = re.compile(r"""^\s*(['"]?)(?P<key>[^'":]*?)\1\s*:""")


def _key_lines(lines: list[str], end: int) -> dict[str, int]:
    """The 1-based line of each key written at a line's start, found in one pass (a search
    per key made thousands of unknown keys quadratic); the first one wins."""
    found: dict[str, int] = {}
    for index in range(1, end):
        match = _KEY_AT_LINE_START.match(lines[index])
        if match:
            found.setdefault(match.group("key").strip(), index + 1)
    return found


def _validate(
    data: dict[Any, Any], lines: list[str], end: int, path: str
) -> tuple[dict[str, Any], list[Diagnostic]]:
    meta: dict[str, Any] = {}
    problems: list[Diagnostic] = []
    key_lines = _key_lines(lines, end)

    def warn(key: str, code: str, message: str, hint: str | None = None) -> None:
        problems.append(Diagnostic(path, key_lines.get(key, 2), 1, "warning", code, message, hint))

    for raw_key, value in data.items():
        key = str(raw_key)
        if key not in KNOWN_KEYS:
            warn(
                key,
                "meta-unknown",
                f"unknown front matter key {key!r}",
                f"known keys: {', '.join(KNOWN_KEYS)}",
            )
            continue
        if value is None:
            continue  # `author:` left empty is no author, not the text "None"
        if key == "duration":
            seconds = parse_duration(value)
            if seconds is None:
                warn(
                    key,
                    "meta-invalid",
                    f"duration {value!r} is not a length of time",
                    "write it like 45m, 1h30m or 90 (minutes)",
                )
                continue
            meta[key] = value if isinstance(value, str) else f"{value}m"
        elif key == "aspect":
            text = str(value).strip()
            if text not in ASPECTS:
                warn(
                    key,
                    "meta-invalid",
                    f"aspect {value!r} is not supported; using 16:9",
                    f"use one of {', '.join(ASPECTS)}",
                )
                continue
            meta[key] = text
        elif key == "theme":
            text = str(value).strip()
            if text not in THEMES:
                warn(key, "theme-unknown", *unknown_theme(value))
                continue
            meta[key] = text
        elif key == "paper":
            text = str(value).strip().lower()
            if text not in PAPERS:
                warn(key, "meta-invalid", *unknown_paper(value))
                continue
            meta[key] = text
        elif key == "html":
            text = "unsafe" if value is True else "safe" if value is False else str(value)
            if text not in HTML_POLICIES:
                warn(
                    key,
                    "meta-invalid",
                    f"html {value!r} is not a policy; keeping it safe",
                    "use html: safe (the default) or html: unsafe",
                )
                continue
            meta[key] = text
        elif isinstance(value, dict | list):
            warn(key, "meta-invalid", f"{key} should be text, not a {type(value).__name__}")
        else:
            meta[key] = value if isinstance(value, str) else str(value)
    return meta, problems


def unknown_theme(value: object) -> tuple[str, str]:
    """The message and hint of a theme podium does not have."""
    return (
        f"unknown theme {value!r}; using the default",
        f"known themes: {', '.join(THEMES)} (a project's templates/theme.css adds to one)",
    )


def unknown_paper(value: object) -> tuple[str, str]:
    return f"paper {value!r} is not a paper size; using A4", f"use one of {', '.join(PAPERS)}"


def parse_duration(value: Any) -> int | None:
    """Seconds in ``45m``, ``1h30m``, ``90s``, ``1.5h`` or a bare number of minutes."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _seconds(value * 60)
    text = str(value).strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return _seconds(float(text) * 60)
    # h:mm:ss or mm:ss; a bounded first part: int() refuses over 4,300 digits
    if re.fullmatch(r"\d{1,6}(?::\d{1,2}){1,2}", text):
        total = 0
        for part in text.split(":"):
            total = total * 60 + int(part)
        return total or None
    match = _DURATION.match(text)
    if not match or not any(match.groupdict().values()):
        return None
    hours = float(match.group("h") or 0)
    minutes = float(match.group("m") or 0)
    seconds = float(match.group("s") or 0)
    return _seconds(hours * 3600 + minutes * 60 + seconds)


def _seconds(value: float) -> int | None:
    """A positive, finite number of seconds as an int; None otherwise."""
    if not (0 < value < MAX_DURATION_SECONDS):
        return None
    return int(value) or None


# --- the course's settings: [tool.podium] in the project's pyproject.toml ----------------------

#: Keys of ``[tool.podium]``: settings of the person building. ``html`` is a guard, which
#: a deck cannot change; the others are the course's defaults, which a deck's front matter
#: overrides (``title`` is the course's, for the site's index page).
COURSE_KEYS = ("html", "theme", "title", "paper", "lang", "footer", "logo")


@dataclass(frozen=True)
class CourseSettings:
    """What the project's ``pyproject.toml`` says under ``[tool.podium]``."""

    unsafe_html: bool = False
    """``html = "unsafe"``: the builder lets every deck of the project through unsanitised."""
    file: str = ""
    """The ``pyproject.toml`` read (absolute), or '' when there is none."""
    diagnostics: tuple[Diagnostic, ...] = ()
    defaults: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """The valid defaults a deck may override: theme, title, paper, lang, footer, logo."""
    logo_line: int = 1
    """The line of ``logo =`` (where a refused logo is reported)."""
    display: str = ""
    """The file as diagnostics name it."""


def read_course_settings(project_root: Path) -> CourseSettings:
    """``[tool.podium]`` of ``project_root/pyproject.toml``; problems are warnings."""
    file = project_root / "pyproject.toml"
    try:
        info = file.stat()
    except OSError:
        return CourseSettings()
    if not stat.S_ISREG(info.st_mode):  # a FIFO would block the read for good
        return CourseSettings()
    return _course_settings(str(file), _display(str(file)), info.st_mtime_ns, info.st_size)


@functools.lru_cache(maxsize=64)
def _course_settings(file: str, display: str, mtime_ns: int, size: int) -> CourseSettings:
    """Read once per version of the file: every deck of a course asks."""
    import tomllib

    try:
        text = Path(file).read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        problem = Diagnostic(
            display, 1, 1, "warning", "config-invalid", f"cannot read [tool.podium]: {exc}"
        )
        return CourseSettings(file=file, diagnostics=(problem,), display=display)
    tool = data.get("tool", {})
    table = tool.get("podium", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        table = {}
    lines = text.splitlines()
    problems: list[Diagnostic] = []
    unsafe = False
    defaults: dict[str, str] = {}

    def warn(line: int, code: str, message: str, hint: str) -> None:
        problems.append(Diagnostic(display, line, 1, "warning", code, message, hint))

    for key, value in table.items():
        line = _toml_key_line(lines, key)
        if key not in COURSE_KEYS:
            warn(line, "config-unknown", f"unknown [tool.podium] key {key!r}",
                 f"known keys: {', '.join(COURSE_KEYS)}")  # fmt: skip
        elif key == "html":
            if value in HTML_POLICIES:
                unsafe = value == "unsafe"
            else:
                warn(line, "config-invalid",
                     f"[tool.podium] html = {value!r} is not a policy; keeping it safe",
                     'use html = "safe" (the default) or html = "unsafe"')  # fmt: skip
        elif not isinstance(value, str):
            warn(line, "config-invalid", f"[tool.podium] {key} should be text, not {value!r}",
                 f'write it in quotes: {key} = "..."')  # fmt: skip
        elif key == "theme" and value.strip() not in THEMES:
            warn(line, "theme-unknown", *unknown_theme(value))
        elif key == "paper" and value.strip().lower() not in PAPERS:
            warn(line, "config-invalid", *unknown_paper(value))
        else:
            defaults[key] = value.strip().lower() if key == "paper" else value.strip()
    return CourseSettings(
        unsafe,
        file,
        tuple(problems),
        MappingProxyType(defaults),
        _toml_key_line(lines, "logo"),
        display,
    )


def _display(file: str) -> str:
    """The file as diagnostics name it: relative to the current folder when below it."""
    try:
        return str(Path(file).relative_to(Path.cwd()))
    except ValueError:
        return file


def _toml_key_line(lines: list[str], key: str) -> int:
    """1-based line of ``key`` in the ``[tool.podium]`` table (1 when not found)."""
    inside = False
    for number, line in enumerate(lines, 1):
        text = line.strip()
        if text.startswith("["):
            header = text.split("#")[0].strip()
            inside = bool(re.fullmatch(r"\[\s*tool\s*\.\s*podium\s*\]", header))
        elif inside and re.match(rf"^['\"]?{re.escape(key)}['\"]?\s*=", text):
            return number
    return 1


def unsafe_html_request(
    lines: list[str], front: FrontMatter, *, allowed: bool, path: str
) -> Diagnostic | None:
    """The warning for a deck whose front matter asks for ``html: unsafe``: only the person
    building may let raw HTML through (``--unsafe-html`` or ``[tool.podium]``)."""
    if front.meta.get("html") != "unsafe" or allowed:
        return None
    return Diagnostic(
        path,
        _key_lines(lines, front.end_line).get("html", 2),
        1,
        "warning",
        "html-unsafe-ignored",
        "the front matter asks for `html: unsafe`, but a deck cannot switch off the "
        "sanitiser: its raw HTML is still made safe",
        'if you trust this deck, build it with --unsafe-html, or set html = "unsafe" '
        "under [tool.podium] in the project's pyproject.toml",
    )

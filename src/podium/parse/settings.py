"""A deck's settings (:class:`~podium.model.Settings`): its front matter over the course's
``[tool.podium]`` over the defaults. The logo is checked like any image of the deck; the
project's own ``templates/`` folder is found and its state taken, so an edit there rebuilds.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from podium.model import PAPERS, THEMES, Asset, Diagnostic, Resolved, Settings
from podium.parse.assets import AssetResolver
from podium.parse.front_matter import CourseSettings
from podium.parse.source import without_nul
from podium.template_files import TEMPLATES_DIR, file_state

#: The project's folder of its own templates and ``theme.css``, under its root.
PROJECT_TEMPLATES = "templates"
#: The stylesheet a project adds after the theme.
PROJECT_THEME_CSS = "theme.css"


@dataclass(frozen=True)
class DeckSettings:
    settings: Settings
    assets: tuple[Asset, ...] = ()
    """The logo, when there is one."""
    diagnostics: tuple[Diagnostic, ...] = ()
    dependencies: tuple[str, ...] = ()
    """Files that shaped the settings: where the logo was looked for, and the project's
    template files (found or not: one appearing changes the pages)."""


def deck_settings(
    meta: Mapping[str, Any],
    course: CourseSettings,
    resolver: AssetResolver | None,
    *,
    path: str,
    key_line: int,
) -> DeckSettings:
    """The settings of a deck whose valid front matter is ``meta``. ``key_line`` is the line
    of the front matter's ``logo:`` (where a refused logo is reported)."""
    defaults = course.defaults

    def chosen(key: str, default: str) -> str:
        value = meta.get(key) or defaults.get(key) or default
        return str(without_nul(str(value)))  # YAML's "\0" and TOML's "\u0000" make one

    assets: list[Asset] = []
    diagnostics: list[Diagnostic] = []
    dependencies: list[str] = []
    logo = ""
    reference = str(meta.get("logo") or "").strip()
    where = (path, key_line)
    logo_resolver = resolver
    if not reference and defaults.get("logo") and resolver is not None:
        reference = defaults["logo"]
        where = (course.display, course.logo_line)
        # The course's logo is the project's: relative to its root, whichever deck asks.
        logo_resolver = AssetResolver(resolver.project_root, resolver.project_root)
    if reference and logo_resolver is not None:
        found = logo_resolver.resolve(reference)
        dependencies.extend(logo_resolver.looked_at(reference))
        if found.status == "ok":
            logo = found.target
            assets.append(Asset(found.source, found.target))
            dependencies.append(found.source)
        else:
            diagnostics.append(_refused_logo(reference, found, *where))
    templates, state, looked = _project_templates(resolver)
    dependencies.extend(looked)
    settings = Settings(
        theme=chosen("theme", THEMES[0]),
        lang=chosen("lang", "en"),
        footer=chosen("footer", ""),
        logo=logo,
        paper=chosen("paper", PAPERS[0]),
        course=str(without_nul(str(defaults.get("title") or ""))),  # the course's, not the deck's
        templates=templates,
        templates_state=state,
    )
    return DeckSettings(settings, tuple(assets), tuple(diagnostics), tuple(dependencies))


_WHY = {
    "missing": "it is not found",
    "outside": "it is outside the project folder",
    "hidden": "it is a hidden file or inside a hidden folder",
    "not-image": "it is not an image",
    "unreadable": "it cannot be read",
    "invalid": "it is not a usable path",
    "remote": "it is on the web (the pages load nothing from the web)",
}


def _refused_logo(reference: str, found: Resolved, path: str, line: int) -> Diagnostic:
    why = _WHY.get(found.status, found.status)
    detail = f" ({found.detail})" if found.detail else ""
    return Diagnostic(
        path,
        line,
        1,
        "warning",
        "logo-refused",
        f"logo {reference!r} is not used: {why}{detail}",
        "the logo is an image file inside the project (PNG, JPEG, GIF, WebP, AVIF or SVG)",
    )


def _project_templates(
    resolver: AssetResolver | None,
) -> tuple[str, tuple[tuple[object, ...], ...], list[str]]:
    """The project's templates folder ('' when it has none), the state of its files, and
    every file of it a build reads or would read (podium's template names and theme.css)."""
    if resolver is None:
        return "", (), []
    folder = resolver.project_root / PROJECT_TEMPLATES
    if _same_folder(folder, TEMPLATES_DIR):
        return "", (), []  # podium's own repository: its templates are podium's
    names = [PROJECT_THEME_CSS, *_template_names()]
    looked = [str(folder / name) for name in names]
    if not os.path.isdir(folder):
        return "", (), looked
    state = tuple(file_state(name) for name in looked)
    return str(folder), state, looked


def _template_names() -> list[str]:
    """The names of podium's own templates (what a project may override)."""
    try:
        return sorted(n for n in os.listdir(TEMPLATES_DIR) if n.endswith(".j2"))
    except OSError:
        return []


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False

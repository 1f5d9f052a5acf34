"""The Jinja2 environment of the views: the templates in ``templates/``, autoescape on,
the filters and globals the templates call, and compiled templates kept in the private cache.

Templates are read from their source and compiled by Jinja2. Compiled code is kept in the
cache folder (:class:`CheckedBytecodeCache`), so a build compiles them only the first time
it runs, and again after a template (or Jinja2) changes.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

from podium.render.helpers import (
    byline,
    deck_data,
    deck_style,
    format_duration,
    json_for_script,
    presenter_notes,
    slide_attrs,
    slide_class,
    thumbnail_html,
)
from podium.template_files import TEMPLATES_DIR

#: Where the templates, CSS, JavaScript and fonts of the views are (``src/podium/templates``
#: links to the repository's ``templates/``; the wheel holds the folder itself).
_OPTIONS: Mapping[str, Any] = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True}


def make_environment(
    bytecode_cache: jinja2.BytecodeCache | None = None, *, project_templates: str = ""
) -> jinja2.Environment:
    """A Jinja2 environment over :data:`TEMPLATES_DIR`: autoescape on, undefined names are
    errors, the helpers of :mod:`podium.render.helpers` callable from every template.

    ``project_templates``: a project's own ``templates/`` folder, looked in first (it is the
    builder's, like ``pyproject.toml``: docs/security.md). Its template may extend podium's
    own as ``podium/<name>`` (``{% extends "podium/base.html.j2" %}``)."""
    podium = jinja2.FileSystemLoader(str(TEMPLATES_DIR))
    loader: jinja2.BaseLoader = podium
    if project_templates:
        loader = jinja2.ChoiceLoader(
            [
                jinja2.PrefixLoader({"podium": podium}),
                jinja2.FileSystemLoader(project_templates),
                podium,
            ]
        )
    env = jinja2.Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        bytecode_cache=bytecode_cache,
        **_OPTIONS,
    )
    env.filters["tojson_script"] = json_for_script
    env.globals.update(
        slide_class=slide_class,
        slide_attrs=slide_attrs,
        thumbnail_html=thumbnail_html,
        deck_data=deck_data,
        format_duration=format_duration,
        byline=byline,
        deck_style=deck_style,
        presenter_notes=presenter_notes,
    )
    return env


def private_bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept beside the chunk cache, in its ``templates`` folder. Jinja2
    checks each template's source time, so an edited template is compiled again. They are
    code: kept only in a private cache folder (see ``podium.private``), or not at all."""
    from podium.private import cache_dir, private_folder

    folder = cache_dir() / "templates"
    if private_folder(cache_dir()) is not None or private_folder(folder) is not None:
        return None
    return CheckedBytecodeCache(folder)


class CheckedBytecodeCache(jinja2.BytecodeCache):
    """Jinja2's compiled templates on disk, read only from files of ours that no one else
    may write (what is in them runs), each with a CRC-32 of its bytes: a damaged one is
    compiled again, never run."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _file(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.folder / f"{bucket.key}.checked-cache"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        from podium.private import read_private

        data = read_private(self._file(bucket))
        if data is not None and data[:4] == zlib.crc32(data[4:]).to_bytes(4, "big"):
            bucket.bytecode_from_string(data[4:])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        import tempfile

        data = bucket.bytecode_to_string()
        try:
            with tempfile.NamedTemporaryFile(dir=self.folder, delete=False) as handle:
                handle.write(zlib.crc32(data).to_bytes(4, "big") + data)
            os.replace(handle.name, self._file(bucket))
        except OSError:
            pass  # not kept: compiled again next run

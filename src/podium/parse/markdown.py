"""The markdown-it configuration: one parser for slides and notes, one splitter for chunks.

Both start from the same preset and options and share the dialect's block rules, so the
splitter (block level only, run on whole chunks) sees exactly the block structure the full
parser sees when it finishes each slide.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from markdown_it import MarkdownIt

from podium.syntax.attributes.plugin import attributes_plugin
from podium.syntax.code import code_plugin
from podium.syntax.footnotes import footnote_block_plugin, footnotes_plugin
from podium.syntax.generated import block_plugin, generated_plugin
from podium.syntax.html import html_plugin
from podium.syntax.links import links_plugin
from podium.syntax.media import media_plugin
from podium.syntax.notes import notes_plugin
from podium.syntax.polls import polls_plugin
from podium.syntax.shortcodes import shortcodes_plugin

__all__ = ["MAX_NESTING", "PLUGINS", "make_markdown", "make_splitter"]

#: markdown-it's commonmark preset stops at 20 and then silently drops the rest of the
#: document; real decks never nest this deep, and the parse reports it when one does.
MAX_NESTING = 100

#: The dialect, in the order its core rules run (each plugin pushes its rule last). The
#: orders that matter today: ``notes`` before ``html``, so that notes take the comments
#: out of raw HTML before the sanitiser sees it (the other way round it strips the comments
#: and the notes are lost); ``polls`` after ``attributes``, whose class marks a poll. The
#: others touch different tokens; a new rule that reads what another rule wrote goes after it.
PLUGINS: tuple[Callable[[MarkdownIt], None], ...] = (
    generated_plugin,
    shortcodes_plugin,
    footnotes_plugin,
    notes_plugin,
    attributes_plugin,
    media_plugin,
    code_plugin,
    html_plugin,
    links_plugin,
    polls_plugin,
)


def _base(*, breaks: bool = False) -> MarkdownIt:
    """CommonMark with raw HTML (the notes are comments), tables and strikethrough."""
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING, "breaks": breaks})
    md.enable(["table", "strikethrough"])
    return md


@functools.cache
def make_markdown(*, breaks: bool = False) -> MarkdownIt:
    """The one markdown-it configuration: CommonMark + tables + strikethrough + the dialect.

    Speaker notes keep their line breaks (``breaks``): authors write them line by line, as a
    label above a list or one thought a line, and mean them so.
    """
    md = _base(breaks=breaks)
    for plugin in PLUGINS:
        plugin(md)
    return md


@functools.cache
def make_splitter() -> MarkdownIt:
    """Block level only: the structure of a chunk, before each slide's inline parse."""
    md = _base()
    block_plugin(md)
    footnote_block_plugin(md)
    md.core.ruler.enableOnly(["normalize", "block"])
    # The splitter must see exactly the block structure the full parser sees.
    assert make_markdown().block.ruler.get_active_rules() == md.block.ruler.get_active_rules()
    return md

"""Footnotes: ``text[^1]`` and ``[^1]: the note``, at the foot of their slide.

Built on mdit-py-plugins' footnote rules (the definition's block rule and the reference's
inline rule), with a slide's own scope: each slide is parsed alone (it is the unit of caching
and of parallel work), so a slide's footnotes are the definitions it holds, numbered 1, 2, ...
in the order the slide first refers to them, as md2googleslides-era tools and Slidev do on a
slide. A definition may stand anywhere in its slide.

- ``[^x]`` with no definition on its slide stays text, with a warning (``footnote-undefined``:
  the usual cause is a definition written on another slide);
- a definition nothing on its slide refers to is not shown (``footnote-unused``);
- a label defined twice keeps its first definition (``footnote-duplicate``).

Marks and notes carry no ids and no links: on a slide the note is in view below its mark,
a click on a slide is the next step, and ``#...`` addresses name slides. So no footnote can
take an id another slide's footnote, a slide, or the views (``podium-...``) use.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.footnote.index import footnote_def, footnote_ref, footnote_tail

from podium.model import Diagnostic
from podium.syntax.env import ParseEnv, get_env

__all__ = ["footnote_block_plugin", "footnotes_plugin", "undefined_message", "unused_message"]

#: A reference: ``[^label]``, the label without spaces or brackets. A bracket ends the
#: label, so reading one stops at the next ``[``: ``[^[^[^...`` costs linear time, not
#: quadratic (mdit-py-plugins' own rule reads on to the end of the text from each ``[^``).
_REFERENCE = re.compile(r"\[\^([^\[\]\s]+)\]")


def footnote_block_plugin(md: MarkdownIt) -> None:
    """The definition's block rule (shared by the chunk splitter, so both see one structure)."""
    md.block.ruler.before(
        "reference", "footnote_def", footnote_def, {"alt": ["paragraph", "reference"]}
    )


def footnotes_plugin(md: MarkdownIt) -> None:
    footnote_block_plugin(md)
    md.inline.ruler.after("image", "footnote_ref", _footnote_ref)
    md.core.ruler.before("inline", "podium_footnote_labels", footnote_labels_rule)
    md.core.ruler.after("inline", "podium_footnotes", footnotes_rule)
    md.add_render_rule("footnote_ref", _render_ref)
    md.add_render_rule("footnote_block_open", _render_block_open)
    md.add_render_rule("footnote_block_close", _render_block_close)
    md.add_render_rule("footnote_open", _render_item_open)
    md.add_render_rule("footnote_close", _render_item_close)
    md.add_render_rule("footnote_anchor", _render_nothing)


def _footnote_ref(state: StateInline, silent: bool) -> bool:
    """mdit-py-plugins' reference rule, run only where a reference can be (see _REFERENCE)."""
    if not _REFERENCE.match(state.src, state.pos, state.posMax):
        return False
    return footnote_ref(state, silent)


def footnote_labels_rule(state: StateCore) -> None:
    """Before the inline parse: this slide's (or note's) own labels, so only they match."""
    env = get_env(state.env)
    refs: dict[str, int] = {}
    for token in state.tokens:
        if token.type != "footnote_reference_open":
            continue
        label = token.meta["label"]
        if ":" + label in refs:
            line0 = token.map[0] if token.map else 0
            env.report(
                line0,
                1,
                "warning",
                "footnote-duplicate",
                f"footnote [^{label}] is defined twice on this slide; the first one is kept",
                "give each footnote its own label",
            )
            token.meta["duplicate"] = True
            continue
        refs[":" + label] = -1
        if not env.in_note:
            env.footnote_labels.append(label)
    state.env["footnotes"] = {"refs": refs, "list": {}}


def footnotes_rule(state: StateCore) -> None:
    """After the inline parse: warn about loose references and unused definitions, then move
    the definitions that are referred to to the end, numbered in order of first reference."""
    env = get_env(state.env)
    data: dict[str, Any] = state.env.get("footnotes") or {"refs": {}, "list": {}}
    for token in state.tokens:
        if token.type == "inline" and token.children and "[^" in token.content:
            _report_loose_references(env, token)
    unused = [
        token
        for token in state.tokens
        if token.type == "footnote_reference_open"
        and not token.meta.get("duplicate")
        and data["refs"].get(":" + token.meta["label"], -1) < 0
    ]
    for token in unused:
        label = token.meta["label"]
        _issue(
            env,
            label,
            env.diagnostic(
                token.map[0] if token.map else 0,
                1,
                "warning",
                "footnote-unused",
                unused_message(label),
                f"write [^{label}] where it belongs, on the same slide (footnotes are per slide)",
            ),
        )
    # The slide assembly holds on to the token list: change it in place.
    tokens = state.tokens
    _drop_duplicates(state)
    footnote_tail(state)
    tokens[:] = state.tokens
    state.tokens = tokens


def _drop_duplicates(state: StateCore) -> None:
    """A second definition of a label goes, so the first one is the one shown."""
    kept: list[Token] = []
    depth = 0  # > 0 inside a second definition
    for token in state.tokens:
        opens = token.type == "footnote_reference_open"
        if depth:
            depth += 1 if opens else -1 if token.type == "footnote_reference_close" else 0
            continue
        if opens and token.meta.get("duplicate"):
            depth = 1
            continue
        kept.append(token)
    state.tokens = kept


def _report_loose_references(env: ParseEnv, inline: Token) -> None:
    """``[^x]`` left as text: no definition of ``x`` on this slide."""
    run: list[str] = []
    found: list[str] = []
    for child in [*(inline.children or []), None]:
        if child is not None and child.type == "text":
            run.append(child.content)
            continue
        found.extend(m.group(0) for m in _REFERENCE.finditer("".join(run)))
        run = []
    position: tuple[int, int] | None = None
    for written in found:
        position = env.locate(inline.map, written, after=position)
        label = written[2:-1]
        _issue(
            env,
            label,
            env.diagnostic(
                position[0],
                position[1],
                "warning",
                "footnote-undefined",
                undefined_message(label, in_note=env.in_note),
                f"footnotes are numbered per slide: write {written}: ... on the same slide",
            ),
        )


def _issue(env: ParseEnv, label: str, diagnostic: Diagnostic) -> None:
    """A slide's footnote warning goes to the deck, which says where else the label is; a
    note's is final (notes are not slides: their footnotes are the note's own)."""
    if env.in_note:
        env.diagnostics.append(diagnostic)
    else:
        env.footnote_issues.append((label, diagnostic))


def undefined_message(label: str, defined_on: int | None = None, *, in_note: bool = False) -> str:
    """``footnote-undefined``, knowing (or not) another slide that defines the label."""
    if defined_on:
        where = f"is defined on slide {defined_on}, not on this one"
    else:
        where = "has no definition in this note" if in_note else "has no definition on this slide"
    return f"footnote [^{label}] {where}; it stays as text"


def unused_message(label: str, referred_on: int | None = None) -> str:
    """``footnote-unused``, knowing (or not) another slide that refers to the label."""
    other = f" (slide {referred_on} does)" if referred_on else ""
    return f"footnote [^{label}] is never referred to on its slide{other}; it is not shown"


# ---- rendering: plain numbers, no ids, no links (see the module's docstring) -----------------


def _number(tokens: Sequence[Token], idx: int) -> str:
    return str(tokens[idx].meta["id"] + 1)


def _render_ref(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return f'<sup class="footnote-ref">{_number(tokens, idx)}</sup>'


def _render_block_open(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return '<ol class="footnotes" aria-label="Footnotes">\n'


def _render_block_close(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return "</ol>\n"


def _render_item_open(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return "<li>"


def _render_item_close(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return "</li>\n"


def _render_nothing(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return ""

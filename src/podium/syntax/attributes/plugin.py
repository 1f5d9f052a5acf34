"""Where attribute blocks attach, and the typo recovery around them.

- ``![](a.png){.background}``, ``[x](u){.y}``, `` `x`{.y} ``: the element just before (no space);
- ``Sample Code {.big}`` at the end of a heading, paragraph or list item: that block
  (on a line of its own after a list's last item: the list);
- a paragraph made only of ``{...}``: marked here, attached by the slide assembly
  (slide attributes at a slide's start, else the next block; ``{.column}`` breaks columns);
- fence info strings are read by ``syntax.code``.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from podium.syntax.attributes import grammar
from podium.syntax.attributes.grammar import Attrs
from podium.syntax.env import ParseEnv, get_env
from podium.syntax.sanitize import RESERVED_ID_PREFIX, unreserved_id

# Inline elements an attribute block may follow, and how to find the token it styles.
_ELEMENT_ENDS = {"image", "code_inline", "link_close", "strong_close", "em_close", "s_close"}


def attributes_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("podium_attributes", attributes_rule)


def apply_attrs(token: Token, attrs: Attrs) -> None:
    """Put allowlisted attributes on a token; ``layout``/``hl`` stay in ``meta`` only."""
    existing: Attrs | None = token.meta.get("attrs")
    attrs = existing.merged(attrs) if existing else attrs
    token.meta["attrs"] = attrs
    if attrs.id:
        token.attrSet("id", attrs.id)
    if attrs.classes:
        token.attrSet("class", " ".join(attrs.classes))
    for key, value in attrs.pairs:
        if key not in {"layout", "hl", "pad", "offset-x", "offset-y"}:
            token.attrSet(key, value)
    style = _image_offsets(attrs)
    if style:
        previous = token.attrGet("style")
        token.attrSet("style", f"{previous}; {style}" if previous else style)


def _image_offsets(attrs: Attrs) -> str:
    """md2googleslides' image parameters ``pad``, ``offset-x``, ``offset-y`` as CSS."""
    parts = []
    for key, prop in (("pad", "padding"), ("offset-x", "left"), ("offset-y", "top")):
        value = attrs.get(key)
        if value is not None and value.lstrip("-").isdigit():
            parts.append(f"{prop}: {int(value)}px")
    if any(p.startswith(("left", "top")) for p in parts):
        parts.append("position: relative")
    return "; ".join(parts)


def report_dropped(env: ParseEnv, line0: int, col: int, attrs: Attrs) -> None:
    """What the allowlist removed or renamed, and classes that look like typos."""
    for name in attrs.classes:
        known = grammar.suggest_class(name)
        if known is not None:
            env.report(
                line0,
                col,
                "warning",
                "attrs-unknown",
                f"unknown class .{name}: did you mean .{known}?",
                f"podium gives meaning to {', '.join('.' + c for c in grammar.KNOWN_CLASSES)}",
            )
    for ident in attrs.renamed:
        report_reserved_id(env, line0, col, ident)
    if attrs.dropped:
        env.report(
            line0,
            col,
            "warning",
            "attrs-dropped",
            "attribute block: removed " + ", ".join(attrs.dropped),
            "allowed: #id, .class, width, height, layout, hl, style (some properties), data-*",
        )


def report_reserved_id(env: ParseEnv, line0: int, col: int, ident: str) -> None:
    env.report(
        line0,
        col,
        "warning",
        "id-reserved",
        f"id {ident!r} is reserved for the views; it is {unreserved_id(ident)!r}",
        f"ids starting with {RESERVED_ID_PREFIX!r} belong to podium: choose another",
    )


def _report_unreadable(env: ParseEnv, line0: int, col: int, written: str) -> None:
    env.report(
        line0,
        col,
        "warning",
        "attrs-malformed",
        f"could not read attribute block {written!r}; it stays as text",
        "write it as {.class}, {#id} or {key=value}",
    )


def attributes_rule(state: StateCore) -> None:
    env = get_env(state.env)
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "inline" or not token.children:
            continue
        _element_attrs(env, token)
        whole = grammar.WHOLE.match(token.content)
        if whole and grammar.looks_like_attrs(whole.group("body")) and len(token.children) == 1:
            _attrs_paragraph(env, tokens, index, whole.group("body"))
        else:
            _trailing_attrs(env, tokens, index)


def _element_attrs(env: ParseEnv, inline: Token) -> None:
    children = inline.children or []
    for position in range(1, len(children)):
        child = children[position]
        previous = children[position - 1]
        if child.type != "text" or previous.type not in _ELEMENT_ENDS:
            continue
        match = grammar.LEADING.match(child.content)
        if not match or not grammar.looks_like_attrs(match.group("body")):
            continue
        parsed = grammar.parse_body(match.group("body"))
        line0, col = env.locate(inline.map, match.group(0))
        if parsed.attrs is None:
            _report_unreadable(env, line0, col, match.group(0))
            child.meta["unreadable_end"] = match.end()  # the trailing pass must not read it again
            continue
        target = _element_target(children, position - 1)
        apply_attrs(target, parsed.attrs)
        report_dropped(env, line0, col, parsed.attrs)
        child.content = child.content[match.end() :]


def _element_target(children: list[Token], end: int) -> Token:
    closing = children[end]
    if closing.nesting != -1:
        return closing  # image, code_inline
    opening_type = closing.type.replace("_close", "_open")
    depth = 0
    for position in range(end, -1, -1):
        token = children[position]
        if token.type == closing.type:
            depth += 1
        elif token.type == opening_type:
            depth -= 1
            if depth == 0:
                return token
    return closing


def _attrs_paragraph(env: ParseEnv, tokens: list[Token], index: int, body: str) -> None:
    parsed = grammar.parse_body(body)
    inline = tokens[index]
    line0 = inline.map[0] if inline.map else 0
    if parsed.attrs is None:
        _report_unreadable(env, line0, 1, f"{{{body}}}")
        return
    report_dropped(env, line0, 1, parsed.attrs)
    tokens[index - 1].meta["attrs_only"] = parsed.attrs


def _block_for(tokens: list[Token], index: int) -> Token:
    """The token a trailing block styles: the heading/paragraph, or its list item."""
    opening = tokens[index - 1]
    if (
        opening.type == "paragraph_open"
        and index >= 2
        and tokens[index - 2].type == "list_item_open"
    ):
        return tokens[index - 2]
    return opening


def _trailing_attrs(env: ParseEnv, tokens: list[Token], index: int) -> None:
    inline = tokens[index]
    children = inline.children or []
    last = children[-1]
    if last.type != "text" or "{" not in last.content:
        return
    opening = tokens[index - 1]
    if opening.type not in {"paragraph_open", "heading_open"}:
        return  # table cells and the like: braces stay text
    own_line = (
        len(children) >= 2 and children[-2].type == "softbreak" and last.content.startswith("{")
    )
    match = grammar.trailing(grammar.TRAILING, last.content)
    recovered: str | None = None
    if match and not grammar.looks_like_attrs(match.group("body")):
        _report_bare_class(env, inline, match.group(0), match.group("body"))
        return
    if match:
        parsed = grammar.parse_body(match.group("body"))
        recovered = parsed.recovered
    else:
        match = grammar.trailing(grammar.TRAILING_TYPO, last.content)
        if match and grammar.looks_like_attrs(match.group("body")):
            parsed = grammar.parse_body(match.group("body"))
            if parsed.attrs is not None:
                recovered = "read as " + grammar.describe(parsed.attrs)
        else:
            _report_unclosed(env, inline, last)
            return
    if match.start() < last.meta.get("unreadable_end", 0):
        return  # the block right after an element, already reported as unreadable
    written = match.group(0).strip()
    line0, col = env.locate(inline.map, written, last=True)
    if parsed.attrs is None:
        _report_unreadable(env, line0, col, written)
        return
    if recovered:
        env.report(
            line0,
            col,
            "warning",
            "attrs-malformed",
            f"malformed attribute block {written!r}: {recovered}",
            f"write {grammar.describe(parsed.attrs)}",
        )
    report_dropped(env, line0, col, parsed.attrs)
    last.content = last.content[: match.start()].rstrip(" \t")
    if not last.content and own_line:
        del children[-2:]
    elif not last.content:
        del children[-1]
    _attach_trailing(tokens, index, parsed.attrs, own_line=own_line)


def _attach_trailing(tokens: list[Token], index: int, attrs: Attrs, *, own_line: bool) -> None:
    target = _block_for(tokens, index)
    if target.type == "list_item_open" and own_line:
        # `- last item` then `{.column}` / `{.incremental}` on the next line: the whole list.
        # markdown-it reads that line as a lazy continuation of the item's paragraph.
        the_list = _enclosing_list(tokens, index)
        if the_list is not None and _is_last_item(tokens, index, target):
            if "column" in attrs.classes:
                the_list.meta["column_after"] = True
                attrs = attrs.without(classes=("column",))
            if attrs:
                apply_attrs(the_list, attrs)
            return
    if "column" in attrs.classes and target.level == 0:
        target.meta["column_after"] = True
        attrs = attrs.without(classes=("column",))
    if attrs:
        apply_attrs(target, attrs)


def _enclosing_list(tokens: list[Token], index: int) -> Token | None:
    item_level = tokens[index - 2].level
    for position in range(index - 3, -1, -1):
        token = tokens[position]
        if token.level == item_level - 1 and token.type in {
            "bullet_list_open",
            "ordered_list_open",
        }:
            return token
    return None


def _is_last_item(tokens: list[Token], index: int, item: Token) -> bool:
    for token in tokens[index + 1 :]:
        if token.level < item.level:
            return True
        if token.level == item.level and token.type == "list_item_open":
            return False
    return True


def _report_bare_class(env: ParseEnv, inline: Token, written: str, body: str) -> None:
    """``{big}``: braces around a class name without its dot stay text, with a suggestion."""
    known = grammar.bare_class(body)
    if known is None:
        return
    line0, col = env.locate(inline.map, written, last=True)
    env.report(
        line0,
        col,
        "warning",
        "attrs-unknown",
        f"{written!r} is text, not an attribute block: did you mean {{.{known}}}?",
        "a class in an attribute block starts with a dot",
    )


def _report_unclosed(env: ParseEnv, inline: Token, last: Token) -> None:
    match = grammar.trailing(grammar.TRAILING_OPEN, last.content)
    if match is None:
        return
    body = match.group("body")
    if body.strip() and not grammar.looks_like_attrs(body):
        return
    written = match.group(0).strip()
    line0, col = env.locate(inline.map, written, last=True)
    env.report(
        line0,
        col,
        "warning",
        "attrs-malformed",
        f"attribute block {written!r} is never closed; it stays as text",
        "close it with }",
    )

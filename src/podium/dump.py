"""A readable text dump of a deck model, for fixture tests and ``podium inspect``."""

from __future__ import annotations

from podium.model import Deck


def _indent(text: str, prefix: str = "    ") -> str:
    return "".join(f"{prefix}{line}\n" if line else "\n" for line in text.rstrip("\n").split("\n"))


def dump_deck(deck: Deck, *, html: bool = True) -> str:
    """One block per slide (layout, span, title, attributes, HTML, notes), then diagnostics."""
    out: list[str] = []
    if deck.meta:
        out.append("meta: " + ", ".join(f"{k}={v}" for k, v in deck.meta.items()) + "\n")
    for slide in deck.slides:
        out.append(
            f"slide {slide.index} [{slide.layout}] lines {slide.line}-{slide.end_line}"
            f" #{slide.id}\n"
        )
        if slide.title:
            out.append(f"  title: {slide.title}\n")
        if slide.classes or slide.attrs:
            parts = [f".{c}" for c in slide.classes] + [f"{k}={v}" for k, v in slide.attrs]
            out.append(f"  attrs: {' '.join(parts)}\n")
        if slide.steps:
            out.append(f"  steps: {slide.steps}\n")
        if html and slide.html.strip():
            out.append("  html:\n" + _indent(slide.html))
        for poll in slide.polls:
            marks = [
                f"{'[x]' if i == poll.answer else '[ ]'} {text}"
                for i, text in enumerate(poll.options)
            ]
            question = f" {poll.question}" if poll.question else ""
            out.append(f"  poll {poll.number}:{question}\n" + _indent("\n".join(marks)))
        for number, note in enumerate(slide.notes, start=1):
            step = f", step {note.step}" if note.step else ""
            out.append(f"  note {number} (line {note.line}{step}):\n" + _indent(note.markdown))
    if deck.diagnostics:
        out.append("diagnostics:\n")
        for d in deck.diagnostics:
            out.append(f"  {d.line}:{d.col} {d.severity}[{d.code}]: {d.message}\n")
    return "".join(out)

"""Placing one slide's content: the title and body in their placeholders, the other blocks
stacked below as the views stack them, shrunk together when they would not fit (as the views'
shrink-to-fit does), pictures filling the room that is left."""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Pt

from podium.export.pptx_blocks import Code, Generated, Item, Link, Para, Pictures, Table, Text
from podium.export.pptx_images import SCALE, Fragment
from podium.export.pptx_master import Box, Canvas
from podium.export.pptx_text import Look, write_code, write_paragraphs
from podium.export.pptx_theme import EMU_PER_PX, LAYOUTS, Theme, points
from podium.model import Slide

if TYPE_CHECKING:
    from markdown_it.token import Token
    from pptx.presentation import Presentation
    from pptx.slide import Slide as PptxSlide
    from pptx.slide import SlideLayout

    from podium.parse.slide import SlideTokens

#: ``pptx_warning(code, text to find in the slide's source, message, hint=None)``.
Report = Callable[..., None]
#: Average advance of a character, in ems (Inter and its usual substitutes).
CHAR_EM = 0.55
MONO_EM = 0.6
#: A text frame's default insets: 0.1 in left and right, 0.05 in top and bottom.
INSET_X, INSET_Y = 14.4, 7.2
MIN_PICTURE = 260
#: The smallest code type (canvas pixels): a longer line wraps rather than shrink past it.
MIN_CODE = 18
LEAST_SCALE = 0.45
WHITE = "FFFFFF"
NOTES_POINTS = 12
#: The theme size of each paragraph style (``sub``: a title or section slide's subtitle).
_SIZE_KEYS = {
    "h1": "title",
    "h2": "subtitle",
    "h3": "h3",
    "big": "big-body",
    "code": "code",
    "sub": "title-slide-subtitle",
}


@dataclass(frozen=True)
class Picture:
    """An image ready to place: bytes PowerPoint reads, and its size in pixels."""

    data: bytes
    width: int
    height: int


@dataclass
class Plan:
    """What one slide will hold, before anything is placed."""

    slide: Slide
    tokens: SlideTokens
    columns: list[list[Item]]
    lead: list[Para] = field(default_factory=list)
    """Paragraphs above the body: an h2, big points besides the title's."""
    title: Token | None = None
    subtitle: Token | None = None
    """The h2 of a title or section slide (its own placeholder)."""


def _emu(px: float) -> Emu:
    return Emu(round(px * EMU_PER_PX))


def _place(shape: Any, box: Box) -> None:
    shape.left, shape.top, shape.width, shape.height = box.emu()


def _text_of(para: Para) -> str:
    if para.inline is None:
        return para.text
    return "".join(c.content for c in para.inline.children or [] if c.type != "podium_note")


def lines(chars: int, size: float, width: float, em: float = CHAR_EM) -> int:
    """How many lines ``chars`` characters of ``size`` take in ``width`` (an estimate)."""
    per_line = max(1.0, (width - 2 * INSET_X) / (size * em))
    return max(1, math.ceil(chars / per_line))


class SlideWriter:
    """Writes one slide of a presentation from its :class:`Plan`."""

    def __init__(
        self,
        prs: Presentation,
        layouts: Mapping[str, SlideLayout],
        canvas: Canvas,
        theme: Theme,
        pptx_warning: Report,
    ) -> None:
        self.prs = prs
        self.layouts = layouts
        self.canvas = canvas
        self.theme = theme
        self.pptx_warning = pptx_warning
        self.slide: PptxSlide | None = None

    def notes(self, text: str) -> None:
        assert self.slide is not None
        frame = self.slide.notes_slide.notes_text_frame
        if frame is None:  # python-pptx's own notes master always has a body
            return
        frame.text = text
        # Each line of the notes is a paragraph: flush left, at a reading size that fits
        # a page (the default notes style hangs and indents them).
        for paragraph in frame.paragraphs:
            properties = paragraph._p.get_or_add_pPr()
            properties.set("marL", "0")
            properties.set("indent", "0")
            for run in paragraph.runs:
                run.font.size = Pt(NOTES_POINTS)
        frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE

    def write(
        self, plan: Plan, pictures: Mapping[int, Picture | Link], drawn: Mapping[str, bytes]
    ) -> None:
        name = plan.slide.layout
        slide = self.prs.slides.add_slide(self.layouts[name])
        self.slide = slide
        self.pictures = pictures
        self.drawn = drawn
        holders = {ph.placeholder_format.idx: ph for ph in slide.placeholders}
        boxes = self.canvas.placeholders(name)
        dark = bool(plan.tokens.backgrounds) or "dark" in plan.slide.classes
        if plan.tokens.backgrounds:
            self._backgrounds(plan.tokens.backgrounds)
        elif dark and not LAYOUTS[name].dark:
            slide.background.fill.solid()
            slide.background.fill.fore_color.rgb = RGBColor.from_string(self.theme.accent_ground)
        on_ground = self.theme.on_accent if dark or LAYOUTS[name].dark else None
        self.colour = WHITE if plan.tokens.backgrounds else on_ground  # on the dark scrim
        top = self._title(plan, holders, boxes)
        regions = self._regions(plan, name, boxes, top)
        used: set[int] = {0} if plan.title is not None else set()
        for number, (box, idx) in enumerate(regions):
            items = plan.columns[number] if number < len(plan.columns) else []
            if number == 0 and (plan.lead or plan.subtitle is not None):
                lead = [Para(plan.subtitle, style="sub")] if plan.subtitle is not None else []
                items = [Text([*lead, *plan.lead]), *items]
            holder = holders.get(idx) if idx is not None else None
            if self._flow(items, box, holder) and idx is not None:
                used.add(idx)
        for idx, holder in holders.items():
            if idx not in used:
                holder.element.getparent().remove(holder.element)

    # ---- the title and where the body goes ---------------------------------------------

    def _title(self, plan: Plan, holders: Mapping[int, Any], boxes: Mapping[int, Box]) -> float:
        """Write the title; return where the body may start (canvas pixels)."""
        content = self.canvas.content
        name = plan.slide.layout
        holder = holders.get(0)
        if holder is None or plan.title is None:
            return content.y
        write_paragraphs(
            holder.text_frame,
            [Para(plan.title, style="title")],
            Look(self.theme, colour=self.colour),
        )
        holder.text_frame.word_wrap = True
        box = boxes[0]
        if name in {"body", "columns", "image", "big-body"}:
            key = "big-body" if name == "big-body" else "title"
            size = self.theme.sizes[key]
            count = lines(len(_text_of(Para(plan.title))), size, box.w)
            height = max(box.h, count * size * 1.15 + 2 * INSET_Y)
            box = Box(box.x, box.y, box.w, height)
            _place(holder, box)
        if name == "big" or (plan.tokens.title_is_big and name != "big-body"):
            return box.y + box.h + self.theme.gap
        # The accent rule under a title, as the views draw it (h1::after).
        width, thick = (150.0, 10.0) if name in {"title", "section"} else (112.0, 8.0)
        x = (self.canvas.width - width) / 2 if name == "title" else box.x + INSET_X
        rule = Box(x, box.y + box.h + 18, width, thick)  # clear of the descenders
        self._rule(rule, self.theme.accent_soft if self.colour else self.theme.accent)
        return rule.y + rule.h + self.theme.gap

    def _rule(self, box: Box, colour: str) -> None:
        assert self.slide is not None
        bar = self.slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, *box.emu())
        bar.adjustments[0] = 0.5
        bar.fill.solid()
        bar.fill.fore_color.rgb = RGBColor.from_string(colour)
        bar.line.fill.background()
        bar.shadow.inherit = False
        bar.name = "Title rule"

    def _regions(
        self, plan: Plan, name: str, boxes: Mapping[int, Box], top: float
    ) -> list[tuple[Box, int | None]]:
        """Each column's box and the placeholder that may hold its first text."""
        content = self.canvas.content
        bottom = content.y + content.h
        if name == "blank":
            return [(content, None)]
        if name in {"title", "section"}:
            box = boxes[1]
            return [(Box(box.x, box.y, box.w, bottom + 60 - box.y), 1)]
        if name == "big":
            return [(Box(content.x, top, content.w, max(bottom - top, 0)), None)]
        count = max(len(plan.columns), 2 if name == "columns" else 1)
        gutter = 90
        width = (content.w - gutter * (count - 1)) / count
        regions: list[tuple[Box, int | None]] = []
        for number in range(count):
            box = Box(content.x + number * (width + gutter), top, width, bottom - top)
            idx = 1 + number if name == "columns" and number < 2 else (1 if number == 0 else None)
            regions.append((box, idx))
        return regions

    # ---- the body: items stacked in a box ------------------------------------------------

    def _flow(self, items: Sequence[Item], box: Box, holder: Any) -> bool:
        """Stack ``items`` in ``box``; return whether ``holder`` (a placeholder) was used."""
        if not items:
            return False
        gap = self.theme.gap
        natural = [self._height(item, box.w, 1.0) for item in items]
        flexible = sum(1 for h in natural if h is None)
        fixed = sum(h for h in natural if h is not None)
        room = box.h - gap * (len(items) - 1) - flexible * MIN_PICTURE
        scale = 1.0 if fixed <= room or fixed == 0 else max(LEAST_SCALE, room / fixed)
        heights = [self._height(item, box.w, scale) for item in items]
        left = box.h - gap * scale * (len(items) - 1) - sum(h for h in heights if h is not None)
        share = max(left / flexible, MIN_PICTURE * scale) if flexible else 0
        y = box.y
        used = False
        for item, height in zip(items, heights, strict=True):
            h = share if height is None else height
            used = (
                self._item(item, Box(box.x, y, box.w, h), holder if not used else None, scale)
                or used
            )
            y += h + gap * scale
        return used

    def _height(self, item: Item, width: float, scale: float) -> float | None:
        """The height ``item`` needs at ``scale`` (None: it takes what room is left)."""
        theme = self.theme
        if isinstance(item, Text):
            return self._text_height(item.paras, width, scale)
        if isinstance(item, Code):
            size = self._code_size(item.content, width, scale)
            count = self._code_lines(item.content, size, width)
            return count * size * 1.3 + 60 * scale + 2 * INSET_Y
        if isinstance(item, Table):
            size = theme.sizes["table"] * scale
            columns = max(len(row) for row in item.rows)
            total = 0.0
            for row in item.rows:
                longest = max((len(_text_of(Para(cell))) for cell in row if cell), default=1)
                total += lines(longest, size, width / columns) * size * 1.2 + 2 * INSET_Y
            return total
        if isinstance(item, Pictures):
            if len(item.images) == 1:
                return None
            placed = self._row(item, width)
            tallest = max((h for _, _, h in placed), default=0) * scale
            links = [
                self._link_height(self._link_of(image), width, 1.0) + self.theme.gap / 2
                for image in item.images
                if not isinstance(self.pictures.get(id(image)), Picture)
            ]
            return tallest + sum(links)
        if isinstance(item, Generated):
            png = self.drawn.get(Fragment(item.kind, item.html).key) if item.html else None
            drawn_size = self._png_size(png)
            if drawn_size is not None:
                return drawn_size[1] / SCALE * scale
            return (item.source.count("\n") + 1) * theme.sizes["code"] * 1.3 * scale + 60
        assert isinstance(item, Link)
        return self._link_height(item, width, scale)

    def _text_height(self, paras: Sequence[Para], width: float, scale: float) -> float:
        total = 2 * INSET_Y
        body = self.theme.sizes["body"]
        for number, para in enumerate(paras):
            key = _SIZE_KEYS.get(para.style)
            size = (self.theme.sizes[key] if key else body) * scale
            if para.level > 1:
                size *= 0.88 ** (para.level - 1)
            indent = para.level * 1.15 * body * scale
            em = MONO_EM if para.style == "code" else CHAR_EM
            count = sum(
                lines(len(piece), size, width - indent, em) for piece in _text_of(para).split("\n")
            )
            total += count * size * 1.2
            if number:
                total += body * scale * (0.6 if para.level else 0.9)
        return total

    def _code_size(self, content: str, width: float, scale: float) -> float:
        longest = max((len(line.expandtabs(4)) for line in content.split("\n")), default=1)
        fits = (width - 80 - 2 * INSET_X) / (max(longest, 1) * MONO_EM)
        return max(min(self.theme.sizes["code"] * scale, fits), MIN_CODE)

    def _code_lines(self, content: str, size: float, width: float) -> int:
        """Lines of code as shown: a line too long even at the smallest size wraps."""
        room = max(1.0, (width - 80 - 2 * INSET_X) / (size * MONO_EM))
        return sum(
            max(1, math.ceil(len(line.expandtabs(4)) / room)) for line in content.split("\n")
        )

    # ---- one item ------------------------------------------------------------------------

    def _item(self, item: Item, box: Box, holder: Any, scale: float) -> bool:
        """Place ``item``; return whether it went into ``holder``."""
        if isinstance(item, Text):
            return self._text(item.paras, box, holder, scale)
        if isinstance(item, Code):
            self._code(item, box, scale)
        elif isinstance(item, Table):
            self._table(item, box, scale)
        elif isinstance(item, Pictures):
            return self._pictures(item, box, holder)
        elif isinstance(item, Generated):
            self._generated(item, box, scale)
        else:
            self._link(item, box, scale)
        return False

    def _look(self, scale: float, *, placeholder: bool) -> Look:
        size = None if placeholder and scale == 1 and not self.colour else self.theme.sizes["body"]
        return Look(self.theme, size=size, colour=self.colour, scale=scale, media=self._media)

    def _media(self, label: str, url: str) -> None:
        self.pptx_warning(
            "pptx-media",
            "@[",
            f"{label} {url!r} cannot be carried into a slide file: the slide shows its link",
        )

    def _text(self, paras: Sequence[Para], box: Box, holder: Any, scale: float) -> bool:
        assert self.slide is not None
        use = holder is not None and holder.placeholder_format.type != 18  # not a picture one
        shape = holder if use else self.slide.shapes.add_textbox(*box.emu())
        _place(shape, box)
        frame = shape.text_frame
        write_paragraphs(frame, paras, self._look(scale, placeholder=use))
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
        frame.vertical_anchor = MSO_ANCHOR.TOP
        return use

    def _code(self, item: Code, box: Box, scale: float) -> None:
        assert self.slide is not None
        shape = self.slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, *box.emu())
        shape.adjustments[0] = min(0.5, 16 / max(box.h, 1))
        shape.fill.solid()
        shape.fill.fore_color.rgb = RGBColor.from_string(self.theme.code_ground)
        shape.line.fill.background()
        shape.shadow.inherit = False
        frame = shape.text_frame
        frame.margin_left = frame.margin_right = _emu(40 * scale)
        frame.margin_top = frame.margin_bottom = _emu(30 * scale)
        frame.vertical_anchor = MSO_ANCHOR.TOP
        size = self._code_size(item.content, box.w, scale)
        write_code(frame, item.content, item.language, Look(self.theme), size, item.hl)
        longest = max(len(line.expandtabs(4)) for line in item.content.split("\n"))
        frame.word_wrap = longest * size * MONO_EM > box.w - 80 - 2 * INSET_X

    def _table(self, item: Table, box: Box, scale: float) -> None:
        assert self.slide is not None
        columns = max(len(row) for row in item.rows)
        frame = self.slide.shapes.add_table(len(item.rows), columns, *box.emu())
        table = frame.table
        size = self.theme.sizes["table"] * scale
        look = Look(self.theme, size=size)
        for r, row in enumerate(item.rows):
            for c in range(columns):
                cell = table.cell(r, c)
                inline = row[c] if c < len(row) else None
                para = Para(inline, style="h6" if r == 0 else "p")
                write_paragraphs(cell.text_frame, [para], look)
                # The theme's rows, not the default table style's tints of its accent.
                ground = theme_row(self.theme, r)
                cell.fill.solid()
                cell.fill.fore_color.rgb = RGBColor.from_string(ground)
                align = item.aligns[c] if c < len(item.aligns) else ""
                if align in {"center", "right"}:
                    cell.text_frame.paragraphs[0].alignment = (
                        PP_ALIGN.CENTER if align == "center" else PP_ALIGN.RIGHT
                    )
                for run in cell.text_frame.paragraphs[0].runs:
                    run.font.size = Pt(points(size))
                    if r == 0:
                        run.font.bold = True
                        run.font.color.rgb = RGBColor.from_string(self.theme.on_accent)

    def _row(self, item: Pictures, width: float) -> list[tuple[Token, float, float]]:
        """Images side by side at their own size, narrowed together to fit ``width``."""
        sizes = []
        for image in item.images:
            found = self.pictures.get(id(image))
            if isinstance(found, Picture):
                sizes.append((image, float(found.width), float(found.height)))
        total = sum(w for _, w, _ in sizes) + 20 * (len(sizes) - 1)
        shrink = min(1.0, width / total) if total else 1.0
        return [(image, w * shrink, h * shrink) for image, w, h in sizes]

    def _link_of(self, image: Token) -> Link:
        found = self.pictures.get(id(image))
        return found if isinstance(found, Link) else Link("Image", str(image.attrGet("src") or ""))

    def _link_height(self, item: Link, width: float, scale: float) -> float:
        size = self.theme.sizes["body"] * scale
        return lines(len(_link_text(item)), size, width) * size * 1.25 + 2 * INSET_Y

    def _pictures(self, item: Pictures, box: Box, holder: Any) -> bool:
        assert self.slide is not None
        used = False
        # Asked once: a picture placeholder that receives a picture is replaced by it.
        is_picture_holder = holder is not None and holder.placeholder_format.type == 18
        if len(item.images) == 1:
            placed = [(item.images[0], box)]
        else:
            row = self._row(item, box.w)
            x = box.x
            placed = []
            for image, w, h in row:
                placed.append((image, Box(x, box.y, w, min(h, box.h))))
                x += w + 20
            # What cannot be a picture: one box under the other, below the row.
            y = box.y + max((h for _, _, h in row), default=-self.theme.gap) + self.theme.gap
            for image in item.images:
                if not isinstance(self.pictures.get(id(image)), Picture):
                    link = self._link_of(image)
                    height = self._link_height(link, box.w, 1.0)
                    placed.append((image, Box(box.x, y, box.w, height)))
                    y += height + self.theme.gap / 2
        for image, area in placed:
            found = self.pictures.get(id(image))
            if not isinstance(found, Picture):
                self._link(self._link_of(image), area, 1.0)
                continue
            fitted = _contain(found, area)
            if is_picture_holder and not used:
                picture = holder.insert_picture(io.BytesIO(found.data))
                picture.crop_left = picture.crop_right = picture.crop_top = picture.crop_bottom = 0
                _place(picture, fitted)
                used = True
            else:
                picture = self.slide.shapes.add_picture(io.BytesIO(found.data), *fitted.emu())
            alt = "".join(c.content for c in image.children or [])
            if alt:
                picture._element._nvXxPr.cNvPr.set("descr", alt)
        return used

    def _backgrounds(self, images: Sequence[Token]) -> None:
        """Background images cover the slide, under a dark scrim that keeps text readable."""
        assert self.slide is not None
        full = Box(0, 0, self.canvas.width, self.canvas.height)
        tree = self.slide.shapes._spTree
        behind = 2  # the shapes come after the tree's own properties
        for image in images:
            found = self.pictures.get(id(image))
            if isinstance(found, Picture):
                picture = self.slide.shapes.add_picture(io.BytesIO(found.data), *full.emu())
                tree.remove(picture._element)
                tree.insert(behind, picture._element)
                behind += 1
        scrim = self.slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, *full.emu())
        scrim.fill.solid()
        scrim.fill.fore_color.rgb = RGBColor.from_string("080E1E")
        _alpha(scrim, 78)
        scrim.line.fill.background()
        scrim.shadow.inherit = False
        tree.remove(scrim._element)
        tree.insert(behind, scrim._element)

    def _generated(self, item: Generated, box: Box, scale: float) -> None:
        assert self.slide is not None
        png = self.drawn.get(Fragment(item.kind, item.html).key) if item.html else None
        size = self._png_size(png)
        if png is None or size is None:
            if item.html:
                self.pptx_warning(
                    "pptx-not-drawn",
                    "$$",
                    f"{'math' if item.kind == 'math' else 'SVG'} needs Chromium to be drawn; "
                    "the slide shows its source",
                    "install Chromium (Debian: chromium-headless-shell)",
                )
            self._code(Code(item.source, ""), box, scale)
            return
        width, height = size[0] / SCALE * scale, size[1] / SCALE * scale
        shrink = min(1.0, box.w / width, box.h / height)
        width, height = width * shrink, height * shrink
        area = Box(box.x + (box.w - width) / 2, box.y, width, height)
        self.slide.shapes.add_picture(io.BytesIO(png), *area.emu())

    def _png_size(self, png: bytes | None) -> tuple[int, int] | None:
        from podium.export.pptx_images import picture_size

        return picture_size(png) if png is not None else None

    def _link(self, item: Link, box: Box, scale: float) -> None:
        assert self.slide is not None
        if item.code == "pptx-media":
            self.pptx_warning(
                "pptx-media",
                item.url,
                f"{item.label} {item.url!r} cannot be carried into a slide file: "
                "the slide shows its link",
            )
        size = self.theme.sizes["body"] * scale
        text = (
            f"▶ {item.label}: {item.url}"
            if item.code == "pptx-media"
            else f"{item.label}: {item.url}"
        )
        height = min(box.h, lines(len(text), size, box.w) * size * 1.25 + 2 * INSET_Y)
        shape = self.slide.shapes.add_textbox(*Box(box.x, box.y, box.w, height).emu())
        shape.line.color.rgb = RGBColor.from_string(self.colour or self.theme.accent)
        frame = shape.text_frame
        frame.word_wrap = True
        # Sized by estimate, not "grow with the text": LibreOffice grows it before it breaks
        # a long address, so the box came out a line short.
        frame.auto_size = MSO_AUTO_SIZE.NONE
        paragraph = frame.paragraphs[0]
        run = paragraph.add_run()
        run.text = text
        run.font.size = Pt(points(size))
        run.font.color.rgb = RGBColor.from_string(self.colour or self.theme.accent)
        if item.url.startswith(("http://", "https://")):
            run.hyperlink.address = item.url


def _link_text(item: Link) -> str:
    return (
        f"▶ {item.label}: {item.url}" if item.code == "pptx-media" else f"{item.label}: {item.url}"
    )


def _contain(picture: Picture, area: Box) -> Box:
    """The largest box of the picture's proportions inside ``area``, centred."""
    ratio = picture.width / max(picture.height, 1)
    width, height = area.w, area.w / ratio
    if height > area.h:
        width, height = area.h * ratio, area.h
    return Box(area.x + (area.w - width) / 2, area.y + (area.h - height) / 2, width, height)


def _alpha(shape: Any, percent: int) -> None:
    from lxml import etree
    from pptx.oxml.ns import qn

    colour = shape.fill._xPr.find(f"{qn('a:solidFill')}/{qn('a:srgbClr')}")
    if colour is not None:
        etree.SubElement(colour, qn("a:alpha")).set("val", str(percent * 1000))


def theme_row(theme: Theme, row: int) -> str:
    """A table row's ground: the head on the accent ground, then paper and stripe in turn
    (as the pages' tables are)."""
    if row == 0:
        return theme.accent_ground
    return theme.stripe if row % 2 == 0 else theme.paper

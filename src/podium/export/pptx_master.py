"""The slide master and layouts of an exported deck, made from python-pptx's default template
and a :class:`~podium.export.pptx_theme.Theme`: the theme's colours and fonts, the master's
text styles, one named layout per Podium layout with its placeholders where the views put
the title and the body."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree
from pptx.oxml.ns import qn
from pptx.util import Emu

from podium.export.pptx_theme import EMU_PER_PX, LAYOUTS, Theme, points

if TYPE_CHECKING:
    from pptx.presentation import Presentation
    from pptx.slide import SlideLayout

_THEME_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


@dataclass(frozen=True)
class Box:
    """A rectangle on the slide in canvas pixels."""

    x: float
    y: float
    w: float
    h: float

    def emu(self) -> tuple[Emu, Emu, Emu, Emu]:
        return (
            Emu(round(self.x * EMU_PER_PX)),
            Emu(round(self.y * EMU_PER_PX)),
            Emu(round(self.w * EMU_PER_PX)),
            Emu(round(self.h * EMU_PER_PX)),
        )


@dataclass(frozen=True)
class Canvas:
    """The slide's size in canvas pixels, and the content box inside its padding."""

    width: int
    height: int
    theme: Theme

    @property
    def content(self) -> Box:
        top, right, bottom, left = self.theme.padding
        return Box(left, top, self.width - left - right, self.height - top - bottom)

    def placeholders(self, layout: str) -> dict[int, Box]:
        """Where each placeholder of ``layout`` sits (by placeholder index)."""
        c = self.content
        title_h = 130
        body_top = c.y + title_h + self.theme.gap
        body = Box(c.x, body_top, c.w, c.y + c.h - body_top)
        if layout == "title":
            return {0: Box(c.x, 250, c.w, 300), 1: Box(c.x, 610, c.w, 200)}
        if layout == "section":
            x = 160
            return {0: Box(x, 180, self.width - x - 115, 480), 1: Box(x, 700, c.w, 200)}
        if layout == "big":
            return {0: c}
        if layout == "big-body":
            big_h = 200
            top = c.y + big_h + self.theme.gap
            return {0: Box(c.x, c.y, c.w, big_h), 1: Box(c.x, top, c.w, c.y + c.h - top)}
        if layout == "columns":
            gutter = 90
            w = (c.w - gutter) / 2
            return {
                0: Box(c.x, c.y, c.w, title_h),
                1: Box(c.x, body.y, w, body.h),
                2: Box(c.x + w + gutter, body.y, w, body.h),
            }
        if layout in {"body", "image"}:
            return {0: Box(c.x, c.y, c.w, title_h), 1: body}
        return {}


def prepare(prs: Presentation, theme: Theme, aspect: str) -> tuple[Canvas, dict[str, SlideLayout]]:
    """Size ``prs`` for ``aspect`` and dress its master in ``theme``; return the canvas and
    the layout made for each Podium layout."""
    canvas = Canvas(1440 if aspect == "4:3" else 1920, 1080, theme)
    prs.slide_width = Emu(canvas.width * EMU_PER_PX)
    prs.slide_height = Emu(canvas.height * EMU_PER_PX)
    master = prs.slide_master
    _theme_part(master.part.part_related_by(_THEME_REL), theme)
    _text_styles(master.element, theme)
    _background(master.element, theme.paper)
    originals = list(master.slide_layouts)
    layouts: dict[str, SlideLayout] = {}
    for name, spec in LAYOUTS.items():
        layout = originals[spec.base]
        layout.element.cSld.set("name", spec.name)
        boxes = canvas.placeholders(name)
        for shape in list(layout.placeholders):
            idx = shape.placeholder_format.idx
            if idx not in spec.keep:
                shape.element.getparent().remove(shape.element)
                continue
            shape.left, shape.top, shape.width, shape.height = boxes[idx].emu()
            _plain(shape.element)
        _layout_look(layout, name, theme)
        layouts[name] = layout
    used = {id(layout) for layout in layouts.values()}
    for layout in originals:
        if id(layout) not in used:
            master.slide_layouts.remove(layout)
    return canvas, layouts


def _sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    child = etree.SubElement(parent, qn(tag))
    for key, value in attrs.items():
        child.set(key, value)
    return child


def _solid(parent: etree._Element, colour: str) -> None:
    fill = _sub(parent, "a:solidFill")
    _sub(fill, "a:srgbClr", val=colour)


def _theme_part(part: object, theme: Theme) -> None:
    """The theme's colour scheme and fonts (what "theme colours" and "+mj-lt" mean)."""
    blob: bytes = part.blob  # type: ignore[attr-defined]
    root = etree.fromstring(blob)
    scheme = {
        "dk1": theme.ink,
        "lt1": theme.paper,
        "dk2": theme.accent,
        "lt2": theme.inline_code_ground,
        "accent1": theme.accent,
        "accent2": theme.accent_soft,
        "accent3": theme.muted,
        "accent4": theme.code_ground,
        "hlink": theme.accent,
        "folHlink": theme.accent,
    }
    colours = root.find(f".//{{{_A}}}clrScheme")
    assert colours is not None  # the default template has one
    colours.set("name", f"Podium {theme.name}")
    for name, value in scheme.items():
        slot = colours.find(f"{{{_A}}}{name}")
        if slot is None:
            continue
        for child in list(slot):
            slot.remove(child)
        _sub(slot, "a:srgbClr", val=value)
    fonts = root.find(f".//{{{_A}}}fontScheme")
    assert fonts is not None
    fonts.set("name", f"Podium {theme.name}")
    for kind in ("majorFont", "minorFont"):
        latin = fonts.find(f"{{{_A}}}{kind}/{{{_A}}}latin")
        if latin is not None:
            latin.set("typeface", theme.font)
            latin.set("pitchFamily", "34")  # proportional, sans serif: what to substitute
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)  # type: ignore[attr-defined]


def _size(px: float) -> str:
    return str(round(points(px) * 100))


def _text_styles(master: etree._Element, theme: Theme) -> None:
    """Titles and body text of every layout: the theme's sizes, ink and accent bullets."""
    styles = master.find(qn("p:txStyles"))
    assert styles is not None
    title = styles.find(f"{qn('p:titleStyle')}/{qn('a:lvl1pPr')}")
    assert title is not None
    title.set("algn", "l")
    run = title.find(qn("a:defRPr"))
    assert run is not None
    run.set("sz", _size(theme.sizes["title"]))
    run.set("b", "1")
    body = styles.find(qn("p:bodyStyle"))
    assert body is not None
    size = float(theme.sizes["body"])
    for level in range(1, 10):
        paragraph = body.find(qn(f"a:lvl{level}pPr"))
        if paragraph is None:
            continue
        for old in paragraph.findall(qn("a:buClr")):
            paragraph.remove(old)
        spacing = paragraph.find(qn("a:spcBef"))
        if spacing is not None:
            for child in list(spacing):
                spacing.remove(child)
            _sub(spacing, "a:spcPts", val=str(round(points(size) * 0.6 * 100)))
        colour = etree.Element(qn("a:buClr"))
        _sub(colour, "a:srgbClr", val=theme.accent)
        font = paragraph.find(qn("a:buFont"))
        (font if font is not None else paragraph.find(qn("a:spcBef"))).addprevious(colour)
        run = paragraph.find(qn("a:defRPr"))
        if run is not None:
            run.set("sz", _size(size))
        size = max(size * 0.88, 24)


def _background(element: etree._Element, colour: str) -> None:
    """A solid background for a master or a layout (``p:bg`` comes first in ``p:cSld``)."""
    c_sld = element.find(qn("p:cSld"))
    assert c_sld is not None
    for old in c_sld.findall(qn("p:bg")):
        c_sld.remove(old)
    bg = etree.Element(qn("p:bg"))
    props = _sub(bg, "p:bgPr")
    _solid(props, colour)
    _sub(props, "a:effectLst")
    c_sld.insert(0, bg)


def _layout_look(layout: SlideLayout, name: str, theme: Theme) -> None:
    """What sets a layout apart: ground, title size and colour, alignment."""
    spec = LAYOUTS[name]
    if spec.dark:
        _background(layout.element, theme.accent_ground)
    looks: Mapping[str, dict[int, tuple[str, str, str, bool]]] = {
        # placeholder: (size key, colour, alignment, anchor at the bottom)
        "title": {
            0: ("title-slide", theme.accent, "ctr", True),
            1: ("title-slide-subtitle", theme.muted, "ctr", False),
        },
        "section": {
            0: ("section", theme.on_accent, "l", True),
            1: ("section-subtitle", theme.accent_soft, "l", False),
        },
        "big": {0: ("big", theme.on_accent, "ctr", False)},
        "big-body": {0: ("big-body", theme.accent, "l", True)},
    }
    for shape in list(layout.placeholders):  # a list: python-pptx types __iter__ oddly
        idx = shape.placeholder_format.idx
        look = looks.get(name, {}).get(idx)
        if look is None:
            if idx == 0:
                _anchor(shape.element, "b")
            continue
        size_key, colour, align, bottom = look
        _anchor(shape.element, "b" if bottom else ("ctr" if name == "big" else "t"))
        _list_style(shape.element, theme.sizes[size_key], colour, align, bold=idx == 0)


def _plain(shape: etree._Element) -> None:
    """Forget the template layout's own text settings (a caption's small type, its anchor):
    the master's styles and :func:`_layout_look` decide."""
    text = shape.find(qn("p:txBody"))
    if text is None:
        return
    body = text.find(qn("a:bodyPr"))
    if body is not None:
        for key in list(body.attrib):
            del body.attrib[key]
        for child in list(body):
            body.remove(child)
    styles = text.find(qn("a:lstStyle"))
    if styles is not None:
        for child in list(styles):
            styles.remove(child)


def _anchor(shape: etree._Element, anchor: str) -> None:
    body = shape.find(f"{qn('p:txBody')}/{qn('a:bodyPr')}")
    if body is not None:
        body.set("anchor", anchor)


def _list_style(shape: etree._Element, px: float, colour: str, align: str, *, bold: bool) -> None:
    """The first level's look, set on a layout's placeholder (slides inherit it)."""
    text = shape.find(qn("p:txBody"))
    if text is None:
        return
    old = text.find(qn("a:lstStyle"))
    styles = etree.Element(qn("a:lstStyle"))
    if old is not None:
        old.addprevious(styles)
        text.remove(old)
    else:
        text.find(qn("a:bodyPr")).addnext(styles)
    level = _sub(styles, "a:lvl1pPr", algn=align, marL="0", indent="0")
    _sub(level, "a:buNone")
    run = _sub(level, "a:defRPr", sz=_size(px), b="1" if bold else "0")
    _solid(run, colour)

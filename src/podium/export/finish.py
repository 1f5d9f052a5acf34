"""Add the document information and an outline to a PDF Chromium printed, as an incremental
update: new objects, a cross-reference section for them and a trailer are appended after
Chromium's bytes, which stay as they are.

Rewriting the file through pypdf (import, parse every object, clone, write) took about half a
second for a 100-slide deck, a sixth of the whole export. Chromium writes a classic
cross-reference table and plain dictionaries for its catalog, page tree and information, so
reading those few objects by their offsets and appending a few more takes milliseconds at any
size. A file this reader does not expect (an object stream, a damaged table) goes through
pypdf instead, which repairs what it can.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence

REF = rb"(\d+) (\d+) R"
#: An entry of Chromium's information dictionary: a name and a literal or hex string.
INFO_ENTRY = rb"/(\w+)\s*(\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f\s]*>)"


class Unreadable(Exception):
    """The PDF is not laid out as this reader expects (pypdf takes over)."""


def finished(data: bytes, meta: Mapping[str, str], outline: Sequence[tuple[str, int]]) -> bytes:
    """``data`` with ``meta`` (``title``, ``author``; empty values left out) in its document
    information and ``outline`` (each slide's title and 0-based page) as its bookmarks."""
    wanted = {key.title(): value for key, value in meta.items() if value}
    if not wanted and not outline:
        return data
    try:
        return _appended(data, wanted, outline)
    except (Unreadable, ValueError, IndexError):
        return _rewritten(data, wanted, outline)


def pdf_text(text: str) -> bytes:
    """A PDF text string: UTF-16 with its byte order mark, in hex (any character, no escaping)."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


class _Pdf:
    """The objects of a PDF with a classic cross-reference table, found by their offsets."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.startxref = int(data[data.rindex(b"startxref") + 9 :].split()[0])
        self.offsets: dict[int, int] = {}
        at = self.startxref
        if not data.startswith(b"xref", at):
            raise Unreadable("no cross-reference table where startxref points")
        lines = iter(data[at : data.index(b"trailer", at)].split(b"\n")[1:])
        for line in lines:
            if not line.strip():
                continue
            first, count = (int(n) for n in line.split())
            for number in range(first, first + count):
                offset, _, kind = next(lines).split()
                if kind == b"n":
                    self.offsets[number] = int(offset)
        tail = data[data.index(b"trailer", at) : data.rindex(b"startxref")]
        self.trailer = tail
        self.size = max(int(self._key(tail, rb"/Size (\d+)")), max(self.offsets, default=0) + 1)

    @staticmethod
    def _key(text: bytes, pattern: bytes) -> bytes:
        found = re.search(pattern, text)
        if found is None:
            raise Unreadable(pattern.decode())
        return found.group(1)

    def ref(self, text: bytes, key: bytes) -> int | None:
        found = re.search(re.escape(key) + rb"\s+" + REF, text)
        return int(found.group(1)) if found else None

    def object(self, number: int) -> bytes:
        """The body of object ``number`` (between ``obj`` and ``endobj``)."""
        at = self.offsets[number]
        header = f"{number} 0 obj".encode()
        if not self.data.startswith(header, at):
            raise Unreadable(f"object {number} is not at its offset")
        return self.data[at + len(header) : self.data.index(b"endobj", at)].strip()

    def pages(self, node: int, depth: int = 0) -> Iterable[int]:
        """The page objects under page tree ``node``, in order."""
        if depth > 32:
            raise Unreadable("page tree too deep")
        body = self.object(node)
        if re.search(rb"/Type\s*/Pages\b", body) is None:
            yield node
            return
        kids = re.search(rb"/Kids\s*\[([^\]]*)\]", body)
        if kids is None:
            raise Unreadable("a page tree node without kids")
        for kid in re.findall(REF, kids.group(1)):
            yield from self.pages(int(kid[0]), depth + 1)


def _appended(data: bytes, wanted: Mapping[str, str], outline: Sequence[tuple[str, int]]) -> bytes:
    pdf = _Pdf(data)
    root = pdf.ref(pdf.trailer, b"/Root")
    if root is None:
        raise Unreadable("no catalog")
    catalog = pdf.object(root)
    pages_root = pdf.ref(catalog, b"/Pages")
    if pages_root is None or not catalog.startswith(b"<<"):
        raise Unreadable("no page tree")
    pages = list(pdf.pages(pages_root))
    objects: dict[int, bytes] = {}
    size = pdf.size

    marks = [(title, pages[page]) for title, page in outline if 0 <= page < len(pages)]
    if marks:
        top, first = size, size + 1
        last = first + len(marks) - 1
        for index, (title, page) in enumerate(marks):
            number = first + index
            links = b""
            if number > first:
                links += b" /Prev %d 0 R" % (number - 1)
            if number < last:
                links += b" /Next %d 0 R" % (number + 1)
            objects[number] = b"<</Title %s /Parent %d 0 R /Dest [%d 0 R /Fit]%s>>" % (
                pdf_text(title),
                top,
                page,
                links,
            )
        objects[top] = b"<</Type /Outlines /First %d 0 R /Last %d 0 R /Count %d>>" % (
            first,
            last,
            len(marks),
        )
        size = last + 1
        without = re.sub(rb"/Outlines\s+" + REF, b"", catalog)
        objects[root] = b"<</Outlines %d 0 R\n" % top + without[2:]

    info = pdf.ref(pdf.trailer, b"/Info")
    if wanted:
        entries = [b"/%s %s" % (k.encode(), pdf_text(v)) for k, v in wanted.items()]
        if info is not None:  # Chromium's creator, producer and dates stay
            for key, value in re.findall(INFO_ENTRY, pdf.object(info), re.S):
                if key.decode() not in wanted:
                    entries.append(b"/%s %s" % (key, value))
        else:
            info, size = size, size + 1
        objects[info] = b"<<" + b"\n".join(entries) + b">>"
    return _update(data, pdf, objects, size, root, info)


def _update(
    data: bytes, pdf: _Pdf, objects: dict[int, bytes], size: int, root: int, info: int | None
) -> bytes:
    """``data`` followed by ``objects``, their cross-reference section and a new trailer."""
    out = io.BytesIO()
    out.write(data if data.endswith(b"\n") else data + b"\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, objects[number]))
    xref = out.tell()
    out.write(b"xref\n")
    for first, run in _runs(sorted(offsets)):
        out.write(b"%d %d\n" % (first, len(run)))
        out.write(b"".join(b"%010d 00000 n\r\n" % offsets[number] for number in run))
    identity = re.search(rb"/ID\s*(\[[^\]]*\])", pdf.trailer)
    out.write(b"trailer\n<</Size %d /Root %d 0 R /Prev %d" % (size, root, pdf.startxref))
    if info is not None:
        out.write(b" /Info %d 0 R" % info)
    if identity:
        out.write(b" /ID " + identity.group(1))
    out.write(b">>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def _runs(numbers: Iterable[int]) -> Iterable[tuple[int, list[int]]]:
    """Consecutive object numbers grouped: each cross-reference subsection is one run."""
    run: list[int] = []
    for number in numbers:
        if run and number != run[-1] + 1:
            yield run[0], run
            run = []
        run.append(number)
    if run:
        yield run[0], run


def _rewritten(data: bytes, wanted: Mapping[str, str], outline: Sequence[tuple[str, int]]) -> bytes:
    """The same through pypdf: slower, but it reads (and repairs) any PDF."""
    import logging

    from pypdf import PdfReader, PdfWriter

    # pypdf says on stderr what it repaired, which tells the user nothing.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    if wanted:
        writer.add_metadata({f"/{key}": value for key, value in wanted.items()})
    pages = len(writer.pages)
    for title, page in outline:
        if 0 <= page < pages:
            writer.add_outline_item(title=title, page_number=page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

"""Put PDF files together into one, writing each page to disk as soon as it is read.

pypdf's PdfWriter (and poppler's pdfunite) keep every page of the result in memory until
the end: about 3.5 MB per progress report with pypdf (benchmarks/batch_print.py), so a
clinic's batch would need gigabytes. Here each input file is read with pypdf, the objects
its pages use are copied to the output at once (renumbered), and only their byte offsets
and the page numbers stay in memory; the page tree, the bookmarks and the cross-reference
table are written at the end. Memory therefore stays that of one input file.

Inherited page attributes (resources, media box) are flattened into each page by pypdf's
reader; each input's own catalogue (outline, structure tree, names) is left behind.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    EncodedStreamObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

_PAGES = 1  # the object number of the page tree's root, reserved first


@dataclass(frozen=True)
class Part:
    path: Path
    bookmark: str | None = None


class _Output:
    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.offsets: list[int | None] = [None]  # object 1: the page tree, written last
        handle.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def reserve(self) -> int:
        self.offsets.append(None)
        return len(self.offsets)

    def write(self, number: int, obj: PdfObject) -> None:
        self.offsets[number - 1] = self.handle.tell()
        self.handle.write(f"{number} 0 obj\n".encode())
        obj.write_to_stream(self.handle)
        self.handle.write(b"\nendobj\n")


def _ref(number: int) -> IndirectObject:
    return IndirectObject(number, 0, None)


class _Copier:
    """Copies the objects one input file's pages use, each once, under new numbers."""

    def __init__(self, output: _Output) -> None:
        self.output = output
        self.numbers: dict[int, int] = {}
        self.pending: list[tuple[int, IndirectObject]] = []

    def number_for(self, ref: IndirectObject) -> int:
        number = self.numbers.get(ref.idnum)
        if number is None:
            number = self.numbers[ref.idnum] = self.output.reserve()
            self.pending.append((number, ref))
        return number

    def translate(self, obj: PdfObject) -> PdfObject:
        if isinstance(obj, IndirectObject):
            return _ref(self.number_for(obj))
        if isinstance(obj, StreamObject):
            if isinstance(obj, EncodedStreamObject):
                copy = EncodedStreamObject()
                copy._data = obj._data  # the encoded bytes, as they are
            else:
                copy = DecodedStreamObject()
                copy.set_data(obj.get_data())
            for key, value in obj.items():
                if key != "/Length":
                    copy[NameObject(key)] = self.translate(value)
            return copy
        if isinstance(obj, DictionaryObject):
            copy = DictionaryObject()
            for key, value in obj.items():
                copy[NameObject(key)] = self.translate(value)
            return copy
        if isinstance(obj, ArrayObject):
            return ArrayObject(self.translate(value) for value in obj)
        return obj

    def flush(self) -> None:
        while self.pending:
            number, ref = self.pending.pop()
            obj = ref.get_object()
            self.output.write(number, self.translate(obj if obj is not None else NullObject()))

    def page(self, page: DictionaryObject) -> int:
        number = self.output.reserve()
        copy = DictionaryObject()
        for key, value in page.items():
            if key in ("/Parent", "/StructParents"):  # the tree and structure stay behind
                continue
            copy[NameObject(key)] = self.translate(value)
        copy[NameObject("/Parent")] = _ref(_PAGES)
        self.output.write(number, copy)
        self.flush()
        return number


def concatenate(
    parts: Iterable[Part], target: Path, *, title: str | None = None, language: str | None = None
) -> int:
    """Write ``parts`` one after the other into ``target``; a part's bookmark points at its
    first page. Returns the number of pages."""
    with target.open("wb") as handle:
        output = _Output(handle)
        pages: list[int] = []
        bookmarks: list[tuple[str, int]] = []
        for part in parts:
            reader = PdfReader(part.path)
            copier = _Copier(output)
            first = len(pages)
            for page in reader.pages:
                pages.append(copier.page(page))
            if part.bookmark and len(pages) > first:
                bookmarks.append((part.bookmark, pages[first]))
            del reader, copier
        output.write(
            _PAGES,
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Pages"),
                    NameObject("/Kids"): ArrayObject(_ref(n) for n in pages),
                    NameObject("/Count"): NumberObject(len(pages)),
                }
            ),
        )
        catalog = DictionaryObject(
            {NameObject("/Type"): NameObject("/Catalog"), NameObject("/Pages"): _ref(_PAGES)}
        )
        if language:
            catalog[NameObject("/Lang")] = TextStringObject(language)
        if bookmarks:
            catalog[NameObject("/Outlines")] = _ref(_outline(output, bookmarks))
            catalog[NameObject("/PageMode")] = NameObject("/UseOutlines")
        catalog_number = output.reserve()
        output.write(catalog_number, catalog)
        info_number = output.reserve()
        info = DictionaryObject({NameObject("/Producer"): TextStringObject("Rehab")})
        if title:
            info[NameObject("/Title")] = TextStringObject(title)
        output.write(info_number, info)
        _trailer(output, catalog_number, info_number)
    return len(pages)


def _outline(output: _Output, bookmarks: list[tuple[str, int]]) -> int:
    root = output.reserve()
    items = [output.reserve() for _ in bookmarks]
    for index, ((title, page), number) in enumerate(zip(bookmarks, items, strict=True)):
        item = DictionaryObject(
            {
                NameObject("/Title"): TextStringObject(title),
                NameObject("/Parent"): _ref(root),
                NameObject("/Dest"): ArrayObject([_ref(page), NameObject("/Fit")]),
            }
        )
        if index > 0:
            item[NameObject("/Prev")] = _ref(items[index - 1])
        if index < len(items) - 1:
            item[NameObject("/Next")] = _ref(items[index + 1])
        output.write(number, item)
    output.write(
        root,
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Outlines"),
                NameObject("/First"): _ref(items[0]),
                NameObject("/Last"): _ref(items[-1]),
                NameObject("/Count"): NumberObject(len(items)),
            }
        ),
    )
    return root


def _trailer(output: _Output, catalog: int, info: int) -> None:
    handle = output.handle
    start = handle.tell()
    size = len(output.offsets) + 1
    handle.write(f"xref\n0 {size}\n0000000000 65535 f \n".encode())
    for offset in output.offsets:
        if offset is None:  # reserved but never written: a free entry
            handle.write(b"0000000000 65535 f \n")
        else:
            handle.write(f"{offset:010d} 00000 n \n".encode())
    trailer = DictionaryObject(
        {
            NameObject("/Size"): NumberObject(size),
            NameObject("/Root"): _ref(catalog),
            NameObject("/Info"): _ref(info),
        }
    )
    handle.write(b"trailer\n")
    trailer.write_to_stream(handle)
    handle.write(f"\nstartxref\n{start}\n%%EOF\n".encode())

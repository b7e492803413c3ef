"""Office 97-2003 files made without Office: an OLE compound file ([MS-CFB] version 4, 4096-byte sectors) holding a
Word .doc's streams ([MS-DOC]: a FIB, one piece of text, its piece table) or a PowerPoint .ppt's ([MS-PPT]: a
Document with its SlideListWithText, each slide's container, notes pages, a persist directory and the UserEditAtom
the Current User stream points at). olefile reads them as it reads Office's; tests and bench/scaling.py write them.

Every stream is at least the mini stream's cutoff (4096 bytes; padded with zeros past its end, as Office pads
its own), so no mini stream is needed.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

_SECTOR = 4096
_FREE, _END, _FAT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
_NO_STREAM = 0xFFFFFFFF


def cfb_bytes(streams: dict[str, bytes]) -> bytes:
    """A compound file holding ``streams`` (name -> bytes) under its root, each padded to the mini stream cutoff."""
    names = sorted(streams, key=lambda n: (len(n), n.upper()))  # the directory's order: by length, then by name
    data = [streams[n] + bytes(max(0, _SECTOR - len(streams[n]))) for n in names]
    chains, sector = [], 0
    for payload in data:
        count = -(-len(payload) // _SECTOR)
        chains.append(list(range(sector, sector + count)))
        sector += count
    entries = 1 + len(names)
    dir_sectors = -(-entries * 128 // _SECTOR)
    dir_chain = list(range(sector, sector + dir_sectors))
    sector += dir_sectors
    fat_sectors = 1
    while fat_sectors * (_SECTOR // 4) < sector + fat_sectors:
        fat_sectors += 1
    if fat_sectors > 109:
        raise ValueError("too large for a compound file without DIFAT sectors")
    fat_chain = list(range(sector, sector + fat_sectors))
    fat = [_FREE] * (fat_sectors * (_SECTOR // 4))
    for chain in [*chains, dir_chain]:
        for here, after in zip(chain, chain[1:] + [_END]):
            fat[here] = after
    for here in fat_chain:
        fat[here] = _FAT
    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 24, 0x003E, 0x0004, 0xFFFE, 12, 6)
    struct.pack_into("<IIIIIIIII", header, 40, dir_sectors, fat_sectors, dir_chain[0], 0, 4096, _END, 0, _END, 0)
    difat = fat_chain + [_FREE] * (109 - fat_chain.__len__())
    struct.pack_into("<109I", header, 76, *difat)
    directory = bytearray(dir_sectors * _SECTOR)
    _entry(directory, 0, "Root Entry", 5, _NO_STREAM, _NO_STREAM, 1 if names else _NO_STREAM, _END, 0)
    for n, (name, chain, payload) in enumerate(zip(names, chains, data), 1):
        right = n + 1 if n < len(names) else _NO_STREAM  # each the next's left neighbour: a tree of right links
        _entry(directory, n, name, 2, _NO_STREAM, right, _NO_STREAM, chain[0], len(payload))
    for n in range(entries, dir_sectors * _SECTOR // 128):
        struct.pack_into("<III", directory, n * 128 + 68, _NO_STREAM, _NO_STREAM, _NO_STREAM)
    body = b"".join(p + bytes(-len(p) % _SECTOR) for p in data) + bytes(directory)
    body += struct.pack(f"<{len(fat)}I", *fat)
    return bytes(header) + bytes(_SECTOR - 512) + body


def _entry(directory: bytearray, n: int, name: str, kind: int, left: int, right: int, child: int, start: int,
           size: int) -> None:
    at = n * 128
    encoded = name.encode("utf-16-le")
    directory[at:at + len(encoded)] = encoded
    struct.pack_into("<HBB", directory, at + 64, len(encoded) + 2, kind, 1)
    struct.pack_into("<III", directory, at + 68, left, right, child)
    struct.pack_into("<IQ", directory, at + 116, start, size)


# --- Word 97-2003 ------------------------------------------------------------------------------------------------

_TEXT_AT = 2048  # where the text starts in the WordDocument stream, past the FIB


def doc_bytes(text: str, *, compressed: bool = False, encrypted: bool = False, title: str = "",
              footnotes: str = "", styles: dict[int, int] | None = None, row_ends: tuple[int, ...] = (),
              cell_paragraphs: tuple[int, ...] = (), deleted: tuple[tuple[int, int], ...] = ()) -> bytes:
    """A .doc whose main text is ``text`` (paragraphs ending "\\r", cells "\\x07", fields "\\x13...\\x14...\\x15"
    as Word stores them), one piece: UTF-16LE, or cp1252 when ``compressed``; ``footnotes`` the footnote story's
    characters after it. ``encrypted`` sets the FIB's flag (the text stays plain: what a reader must refuse).
    ``styles``: a paragraph's number (from 0, "\\r" apart) -> its style's built-in id (sti: 1-9 "heading N", 62
    the Title), written in a style sheet and in the paragraphs' property pages; the others are Normal. ``row_ends``:
    the positions of the "\\x07" marks that end table rows, each a paragraph of its own properties (sprmPFInTable,
    the row's sprmTDefTable, sprmPFTtp) as Word writes them; ``cell_paragraphs``: the "\\r" marks of a cell's
    paragraphs before its last (sprmPFInTable); ``deleted``: spans of characters
    a tracked change deleted (sprmCFRMarkDel, with its author and date), in the character property pages."""
    if text and not text.endswith("\r"):
        text += "\r"
    chars = text + footnotes
    stored = chars.encode("cp1252") if compressed else chars.encode("utf-16-le")
    fib = bytearray(_TEXT_AT)
    flags = 0x0200 | (0x0100 if encrypted else 0)  # fWhichTblStm: the table stream is "1Table"; fEncrypted
    struct.pack_into("<HHHHHH", fib, 0, 0xA5EC, 0x00C1, 0, 0x0409, 0, flags)
    at = 32
    struct.pack_into("<H", fib, at, 14)
    at += 2 + 28
    struct.pack_into("<H", fib, at, 22)
    longs = [0] * 22
    longs[0], longs[3], longs[4] = _TEXT_AT + len(stored), len(text), len(footnotes)
    struct.pack_into("<22i", fib, at + 2, *longs)
    at += 2 + 88
    struct.pack_into("<H", fib, at, 93)
    fc = (_TEXT_AT * 2) | 0x4000_0000 if compressed else _TEXT_AT
    plc = struct.pack("<II", 0, len(chars)) + struct.pack("<HIH", 0, fc, 0)
    clx = b"\x02" + struct.pack("<I", len(plc)) + plc
    struct.pack_into("<iI", fib, at + 2 + 8 * 33, 0, len(clx))
    word, table = bytes(fib) + stored, clx
    if styles:
        sheet = _style_sheet()
        struct.pack_into("<iI", fib, at + 2 + 8 * 1, len(table), len(sheet))
        table += sheet
        width = 1 if compressed else 2
        pages, plc = _property_pages(text, styles, _TEXT_AT, width, len(word))
        struct.pack_into("<iI", fib, at + 2 + 8 * 13, len(table), len(plc))
        table += plc
        word = bytes(fib) + stored
        word += bytes(-len(word) % 512) + pages
    width = 1 if compressed else 2
    if row_ends:
        marks = [(at, _ROW_END_PAPX) for at in row_ends] + [(at, _IN_TABLE_PAPX) for at in cell_paragraphs]
        runs = [(_TEXT_AT + at * width, _TEXT_AT + (at + 1) * width, props) for at, props in sorted(marks)]
        pages, plc = _fkp_pages(runs, len(word), papx=True)
        if styles:  # the style pages' list and these pages' in one PlcBtePapx (the runs of each read alone)
            at_plc, size = struct.unpack_from("<iI", fib, at + 2 + 8 * 13)
            plc = _joined_plc(table[at_plc:at_plc + size], plc)
        struct.pack_into("<iI", fib, at + 2 + 8 * 13, len(table), len(plc))
        table += plc
        word = bytes(fib) + word[_TEXT_AT:]
        word += bytes(-len(word) % 512) + pages
    if deleted:
        runs = [(_TEXT_AT + a * width, _TEXT_AT + b * width, _DELETED_CHPX) for a, b in sorted(deleted)]
        pages, plc = _fkp_pages(runs, len(word), papx=False)
        struct.pack_into("<iI", fib, at + 2 + 8 * 12, len(table), len(plc))
        table += plc
        word = bytes(fib) + word[_TEXT_AT:]
        word += bytes(-len(word) % 512) + pages
    streams = {"WordDocument": word, "1Table": table}
    if title:
        streams["\x05SummaryInformation"] = _summary(title)
    return cfb_bytes(streams)


_STIS = list(range(10)) + [62]  # the style sheet's styles: istd n is sti n (Normal, heading 1-9), istd 10 the Title


def _style_sheet() -> bytes:
    """An STSH: its header (cbStshi, then cstd and the base STD's size) and each style's STD, its sti alone."""
    stshi = struct.pack("<HH", len(_STIS), 10) + bytes(14)
    return struct.pack("<H", len(stshi)) + stshi + b"".join(struct.pack("<HH", 10, sti) + bytes(8) for sti in _STIS)


def _property_pages(text: str, styles: dict[int, int], text_at: int, width: int,
                    stream_size: int) -> tuple[bytes, bytes]:
    """The paragraphs' property pages (PapxFkp, 20 paragraphs a page, each naming its style's istd), written from
    the 512-byte page after ``stream_size``, and the PlcBtePapx that lists them."""
    bounds, at = [], text_at
    for paragraph in text.split("\r")[:-1]:
        end = at + (len(paragraph) + 1) * width
        bounds.append((at, end))
        at = end
    first_page = -(-stream_size // 512)
    pages, fcs, numbers = b"", [], []
    for group in range(0, len(bounds), 20):
        runs = bounds[group:group + 20]
        page = bytearray(512)
        struct.pack_into(f"<{len(runs) + 1}I", page, 0, *[a for a, _ in runs], runs[-1][1])
        where = 510
        for n, _ in enumerate(runs):
            istd = _STIS.index(styles.get(group + n, 0))
            where -= 4
            page[where] = 2  # cb: 2*2-1 bytes of properties, the istd and a byte of none
            struct.pack_into("<H", page, where + 1, istd)
            page[4 * (len(runs) + 1) + 13 * n] = where // 2
        page[511] = len(runs)
        fcs.append(runs[0][0])
        numbers.append(first_page + group // 20)
        pages += bytes(page)
    fcs.append(bounds[-1][1])
    plc = struct.pack(f"<{len(fcs)}I", *fcs) + struct.pack(f"<{len(numbers)}I", *numbers)
    return pages, plc


# A row's mark's paragraph properties: the Normal style's istd, sprmPFInTable 1, the row's sprmTDefTable (its operand's
# size in 2 bytes, then one cell of three columns' edges and a TC of 20 bytes each), sprmPFTtp 1.
_DEF_TABLE = struct.pack("<B4h", 3, 0, 3000, 6000, 9000) + bytes(60)
_ROW_END_PAPX = (struct.pack("<H", 0) + b"\x16\x24\x01" + b"\x08\xd6" + struct.pack("<H", len(_DEF_TABLE) + 1)
                 + _DEF_TABLE + b"\x17\x24\x01")
_IN_TABLE_PAPX = struct.pack("<H", 0) + b"\x16\x24\x01"  # a cell's paragraph: sprmPFInTable 1
# A deleted run's character properties: sprmCIbstRMarkDel (the author's index), sprmCDttmRMarkDel (the date),
# sprmCFRMarkDel 1.
_DELETED_CHPX = b"\x04\x48\x01\x00" + b"\x05\x68" + bytes(4) + b"\x00\x08\x01"


def _fkp_pages(runs: list[tuple[int, int, bytes]], stream_size: int, papx: bool) -> tuple[bytes, bytes]:
    """Property pages of ``runs`` (first byte, end byte, properties), written from the 512-byte page after
    ``stream_size``, 10 runs a page, each with the run of no properties before it where they do not touch (a page's
    runs follow one another): PapxFkp (``papx``: each run's BxPap 13 bytes, the PapxInFkp a size in words and the
    properties padded to a word) or ChpxFkp (a byte each, the Chpx a size byte and the grpprl), each properties
    written once a page as Word does; and the PlcBte listing the pages."""
    def record(props: bytes) -> bytes:
        return bytes([(len(props) + 2) // 2]) + props + bytes(len(props) % 2 == 0) if papx \
            else bytes([len(props)]) + props

    first_page = -(-stream_size // 512)
    pages, fcs, numbers = b"", [], []
    for group in range(0, len(runs), 10):
        chunk: list[tuple[int, int, bytes | None]] = []
        for a, b, props in runs[group:group + 10]:
            if chunk and chunk[-1][1] < a:
                chunk.append((chunk[-1][1], a, None))
            chunk.append((a, b, props))
        page = bytearray(512)
        struct.pack_into(f"<{len(chunk) + 1}I", page, 0, *[a for a, _, _ in chunk], chunk[-1][1])
        placed: dict[bytes, int] = {}
        where = 511
        for props in dict.fromkeys(p for _, _, p in chunk if p is not None):
            written = record(props)
            where = (where - len(written)) // 2 * 2
            page[where:where + len(written)] = written
            placed[props] = where // 2
        entry = 13 if papx else 1
        for n, (_, _, props) in enumerate(chunk):
            page[4 * (len(chunk) + 1) + entry * n] = placed[props] if props is not None else 0
        page[511] = len(chunk)
        fcs.append(chunk[0][0])
        numbers.append(first_page + group // 10)
        pages += bytes(page)
    fcs.append(runs[-1][1])
    plc = struct.pack(f"<{len(fcs)}I", *fcs) + struct.pack(f"<{len(numbers)}I", *numbers)
    return pages, plc


def _joined_plc(first: bytes, second: bytes) -> bytes:
    """One PlcBte listing the pages of two: their pages' first bytes, then their page numbers."""
    def parts(plc: bytes) -> tuple[list[int], list[int]]:
        count = (len(plc) - 4) // 8
        values = list(struct.unpack(f"<{2 * count + 1}I", plc))
        return values[:count], values[count + 1:]

    (fcs_a, pages_a), (fcs_b, pages_b) = parts(first), parts(second)
    fcs, pages = fcs_a + fcs_b, pages_a + pages_b
    return struct.pack(f"<{len(fcs) + 1}I", *fcs, max(fcs) + 1) + struct.pack(f"<{len(pages)}I", *pages)


def _summary(title: str) -> bytes:
    """A SummaryInformation property set ([MS-OLEPS]) holding its code page (1252) and the title (a VT_LPSTR)."""
    value = title.encode("cp1252") + b"\x00"
    title_prop = struct.pack("<II", 0x1E, len(value)) + value + bytes(-len(value) % 4)
    codepage = struct.pack("<HHhH", 0x02, 0, 1252, 0)
    body = struct.pack("<IIII", 1, 24, 2, 32) + codepage + title_prop
    section = struct.pack("<II", 8 + len(body), 2) + body
    fmtid = bytes.fromhex("E0859FF2F94F6810AB9108002B27B3D9")
    return struct.pack("<HHI16sI", 0xFFFE, 0, 0x00020006, bytes(16), 1) + fmtid + struct.pack("<I", 48) + section


# --- PowerPoint 97-2003 ------------------------------------------------------------------------------------------

@dataclass
class SlideSpec:
    title: str = ""
    body: list[str] = field(default_factory=list)  # the body placeholder's paragraphs
    box: str = ""  # a text box of the slide's own, stored in its drawing only
    notes: list[str] = field(default_factory=list)


def _record(kind: int, payload: bytes, *, container: bool = False, instance: int = 0) -> bytes:
    return struct.pack("<HHI", (instance << 4) | (0xF if container else 0), kind, len(payload)) + payload


def _text(kind: int, text: str, ascii_bytes: bool = False) -> bytes:
    header = _record(0x0F9F, struct.pack("<I", kind))
    if ascii_bytes:
        return header + _record(0x0FA8, text.encode("latin-1"))
    return header + _record(0x0FA0, text.encode("utf-16-le"))


def ppt_bytes(slides: list[SlideSpec], *, encrypted: bool = False) -> bytes:
    """A .ppt of ``slides``: titles and bodies in the SlideListWithText, a text box in the slide's own container,
    notes in notes pages. ``encrypted`` adds a CryptSession10Container as a persist object (what a reader refuses)."""
    stream = bytearray()
    slide_ids = [256 + n for n in range(len(slides))]
    persist: dict[int, int] = {}
    # persist ids: 1 the document, then each slide, then each notes page
    slide_list = bytearray()  # grown in place: bytes += bytes copies the whole list for each slide
    for n, (spec, slide_id) in enumerate(zip(slides, slide_ids)):
        slide_list += _record(0x03F3, struct.pack("<IIiII", 2 + n, 0, 2, slide_id, 0))
        if spec.title:
            slide_list += _text(0, spec.title)
        if spec.body:
            slide_list += _text(1, "\r".join(spec.body), ascii_bytes=all(ord(c) < 256 for c in "".join(spec.body)))
    notes_list = bytearray()
    with_notes = [n for n, spec in enumerate(slides) if spec.notes]
    for k, n in enumerate(with_notes):
        notes_list += _record(0x03F3, struct.pack("<IIiII", 2 + len(slides) + k, 0, 0, 0x1000 + n, 0))
    document = _record(0x03E9, bytes(40))  # DocumentAtom
    document += _record(0x0FF0, bytes(slide_list), container=True, instance=0)
    if notes_list:
        document += _record(0x0FF0, bytes(notes_list), container=True, instance=2)
    persist[1] = len(stream)
    stream += _record(0x03E8, document, container=True)
    for n, spec in enumerate(slides):
        persist[2 + n] = len(stream)
        inner = _record(0x03EF, bytes(24))  # SlideAtom
        if spec.box:
            textbox = _record(0xF00D, _text(4, spec.box), container=True)
            drawing = _record(0xF004, textbox, container=True)
            inner += _record(0x040C, _record(0xF002, drawing, container=True), container=True)
        stream += _record(0x03EE, inner, container=True)
    for k, n in enumerate(with_notes):
        persist[2 + len(slides) + k] = len(stream)
        inner = _record(0x03F1, struct.pack("<Ii", slide_ids[n], 0))
        box = _record(0xF00D, _text(2, "\r".join(slides[n].notes)), container=True)
        inner += _record(0x040C, _record(0xF002, _record(0xF004, box, container=True), container=True),
                         container=True)
        stream += _record(0x03F0, inner, container=True)
    if encrypted:
        persist[max(persist) + 1] = len(stream)
        stream += _record(0x2F14, _record(0x2F15, bytes(64)), container=True)
    ids = sorted(persist)
    directory_at = len(stream)
    entries = b""
    for at in range(0, len(ids), 4095):  # a run of at most 4,095 ids (cPersist's 12 bits), from its first id
        run = ids[at:at + 4095]
        entries += struct.pack("<I", (len(run) << 20) | run[0]) + struct.pack(f"<{len(run)}I", *(persist[i] for i in run))
    stream += _record(0x1772, entries)
    edit_at = len(stream)
    stream += _record(0x0FF5, struct.pack("<IHBBIIIIHH", slide_ids[-1] if slide_ids else 0, 0, 0, 3, 0,
                                          directory_at, 1, max(ids) + 1, 1, 0))
    user = b"docchat\x00"
    current = _record(0x0FF6, struct.pack("<IIIHHBBH", 0x14, 0xE391C05F, edit_at, len(user), 0x03F4, 3, 0, 0)
                      + user + struct.pack("<I", 8))
    return cfb_bytes({"PowerPoint Document": bytes(stream), "Current User": current})

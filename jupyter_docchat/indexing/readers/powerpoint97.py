"""The slides' text of a PowerPoint 97-2003 .ppt, as its "PowerPoint Document" stream stores it ([MS-PPT]): records,
each with an 8-byte header (version and instance, type, length), containers (version 0xF) holding records.

The slides in the deck's order are the SlidePersistAtoms of the document's SlideListWithText (instance 0); the text of
their placeholders follows each atom there (TextCharsAtom UTF-16, TextBytesAtom a byte a character), headed by a
TextHeaderAtom saying what it is (a title, the body). A slide's other text (text boxes, a table's cells, and every
placeholder's where PowerPoint 2007 and later wrote the deck) is in the slide's own container, which the persist
directory locates: the Current User stream points at the last UserEditAtom, which points at its persist directory
and at the edit before it (a deck saved quickly holds several). Notes pages are found so too, each naming its slide.

Bounded for a hostile stream: a record's length is checked against its container's, containers nest at most
_MAX_DEPTH deep, the edits followed at most _MAX_EDITS, and all the records read for one deck at most a few times
the stream's size in 8-byte headers (_Budget): slides that point at one another's records read no more than that.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Iterator

_HEADER = 8
_CONTAINER = 0xF
_DOCUMENT, _SLIDE, _NOTES = 0x03E8, 0x03EE, 0x03F0
_SLIDE_LIST = 0x0FF0  # SlideListWithText; instance 0 the slides, 2 the notes pages
_SLIDE_PERSIST = 0x03F3
_TEXT_HEADER, _TEXT_CHARS, _TEXT_BYTES = 0x0F9F, 0x0FA0, 0x0FA8
_NOTES_ATOM = 0x03F1
_USER_EDIT, _PERSIST_DIRECTORY = 0x0FF5, 0x1772
CRYPT_SESSION = 0x2F14  # CryptSession10Container: the deck is encrypted
_TITLES = (0, 6)  # TextHeaderAtom's textType: a title, a centred title
_NOTES_TEXT = (2,)
_MAX_DEPTH = 16
_MAX_EDITS = 1024
_MAX_SLIDES = 65_536


@dataclass
class Slide:
    """A slide's title (its first title placeholder's text), its text a paragraph a line, and its notes' lines."""

    number: int
    title: str = ""
    lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # The texts added, by their kind: a placeholder's may be in two places (the list and the slide's drawing)
    read: set[tuple[int, str]] = field(default_factory=set, repr=False)


@dataclass
class _Budget:
    """Record headers left to read for this deck."""

    left: int

    def spend(self) -> bool:
        self.left -= 1
        return self.left >= 0


@dataclass(frozen=True)
class _Record:
    kind: int
    instance: int
    container: bool
    start: int  # the payload's first byte
    end: int


def _records(data: bytes, start: int, end: int, budget: _Budget) -> Iterator[_Record]:
    """The records from ``start`` to ``end``, one level: stops at a header cut short or a length past ``end``."""
    at = start
    while at + _HEADER <= end and budget.spend():
        version_instance, kind, length = struct.unpack_from("<HHI", data, at)
        payload = at + _HEADER
        if payload + length > end:
            return
        yield _Record(kind, version_instance >> 4, version_instance & 0xF == _CONTAINER, payload, payload + length)
        at = payload + length


def _record_at(data: bytes, at: int, budget: _Budget) -> _Record | None:
    if at < 0:
        return None
    return next(_records(data, at, len(data), budget), None)


def _walk(data: bytes, record: _Record, budget: _Budget, depth: int = 0) -> Iterator[_Record]:
    """Every record inside a container, depth first, in the stream's order."""
    if depth >= _MAX_DEPTH:
        return
    for inner in _records(data, record.start, record.end, budget):
        yield inner
        if inner.container:
            yield from _walk(data, inner, budget, depth + 1)


def encrypted(stream: bytes) -> bool:
    """Whether a CryptSession10Container is among the stream's top records (PowerPoint writes it there when a
    password is set)."""
    budget = _Budget(len(stream) // _HEADER + 1)
    return any(r.kind == CRYPT_SESSION for r in _records(stream, 0, len(stream), budget))


def persist_offsets(stream: bytes, current_edit: int) -> dict[int, int]:
    """Each persist object's offset in the stream, from the UserEditAtom at ``current_edit`` back through the edits
    before it (a later edit's offset wins). Empty when the edits do not read."""
    budget = _Budget(_MAX_EDITS * 4)
    offsets: dict[int, int] = {}
    seen: set[int] = set()
    at = current_edit
    while at not in seen and len(seen) < _MAX_EDITS:
        seen.add(at)
        edit = _record_at(stream, at, budget)
        if edit is None or edit.kind != _USER_EDIT or edit.end - edit.start < 20:
            break
        last_edit, directory_at = struct.unpack_from("<II", stream, edit.start + 8)
        directory = _record_at(stream, directory_at, budget)
        if directory is not None and directory.kind == _PERSIST_DIRECTORY:
            for persist, offset in _directory(stream, directory).items():
                offsets.setdefault(persist, offset)
        if last_edit == 0:
            break
        at = last_edit
    return offsets


def _directory(stream: bytes, record: _Record) -> dict[int, int]:
    """A PersistDirectoryAtom's entries: runs of (first id, count) each followed by as many offsets."""
    out: dict[int, int] = {}
    at = record.start
    while at + 4 <= record.end:
        entry = struct.unpack_from("<I", stream, at)[0]
        first, count = entry & 0xFFFFF, entry >> 20
        at += 4
        count = min(count, (record.end - at) // 4)
        for n in range(count):
            out[first + n] = struct.unpack_from("<I", stream, at + 4 * n)[0]
        at += 4 * count
    return out


def persist_kinds(stream: bytes, offsets: dict[int, int]) -> list[int]:
    """The record type of each persist object (an encrypted deck's CryptSession10Container is one)."""
    budget = _Budget(len(offsets) + 1)
    records = (_record_at(stream, offset, budget) for offset in sorted(set(offsets.values())))
    return [record.kind for record in records if record is not None]


def document_edit(current_user: bytes) -> int | None:
    """The offset of the last UserEditAtom, as the Current User stream's CurrentUserAtom gives it."""
    if len(current_user) < _HEADER + 12:
        return None
    return struct.unpack_from("<I", current_user, _HEADER + 8)[0]


def slides(stream: bytes, offsets: dict[int, int]) -> list[Slide]:
    """The deck's slides in order, each with its text and notes. ``offsets``: persist_offsets (empty when the edits
    do not read: the document is then found by its record, and each slide by its SlideListWithText's text alone)."""
    budget = _Budget(4 * (len(stream) // _HEADER) + 1024)
    document = _document(stream, offsets, budget)
    if document is None:
        return []
    lists: dict[int, list[tuple[int, int, list[tuple[int, str]]]]] = {}
    for record in _records(stream, document.start, document.end, budget):
        if record.kind == _SLIDE_LIST and record.container and record.instance not in lists:
            lists[record.instance] = _slide_list(stream, record, budget)
    out: list[Slide] = []
    by_id: dict[int, Slide] = {}
    read: set[int] = set()  # slide containers read: a hostile list names one many times
    for number, (persist, slide_id, texts) in enumerate(lists.get(0, [])[:_MAX_SLIDES], 1):
        slide = Slide(number)
        _add(slide, texts)
        container = _record_at(stream, offsets.get(persist, -1), budget) if persist not in read else None
        read.add(persist)
        if container is not None and container.kind == _SLIDE and container.container:
            _add(slide, _texts(stream, container, budget))
        out.append(slide)
        by_id[slide_id] = slide
    for persist, _, texts in lists.get(2, [])[:_MAX_SLIDES]:
        container = _record_at(stream, offsets.get(persist, -1), budget) if persist not in read else None
        read.add(persist)
        if container is None or container.kind != _NOTES or not container.container:
            continue
        notes_of = _notes_slide(stream, container, budget)
        if notes_of is not None and notes_of in by_id:
            _add(by_id[notes_of], [(kind, text) for kind, text in texts + _texts(stream, container, budget)
                                   if kind in _NOTES_TEXT])
    return out


def _document(stream: bytes, offsets: dict[int, int], budget: _Budget) -> _Record | None:
    """The Document container: the persist object the last edit names, else the last one among the top records."""
    for offset in sorted(set(offsets.values())):
        record = _record_at(stream, offset, budget)
        if record is not None and record.kind == _DOCUMENT and record.container:
            return record
    found = None
    for record in _records(stream, 0, len(stream), budget):
        if record.kind == _DOCUMENT and record.container:
            found = record
    return found


def _slide_list(stream: bytes, record: _Record, budget: _Budget) -> list[tuple[int, int, list[tuple[int, str]]]]:
    """A SlideListWithText's entries: (persist id, slide id, [(text type, text)]) a slide, its texts those that follow
    its SlidePersistAtom."""
    entries: list[tuple[int, int, list[tuple[int, str]]]] = []
    kind = 4  # TextHeaderAtom's "other" until a header says
    for inner in _records(stream, record.start, record.end, budget):
        if inner.kind == _SLIDE_PERSIST and inner.end - inner.start >= 16:
            persist, _, _, slide_id = struct.unpack_from("<IIiI", stream, inner.start)
            entries.append((persist, slide_id, []))
        elif inner.kind == _TEXT_HEADER and inner.end - inner.start >= 4:
            kind = struct.unpack_from("<I", stream, inner.start)[0]
        elif inner.kind in (_TEXT_CHARS, _TEXT_BYTES) and entries:
            entries[-1][2].append((kind, _atom_text(stream, inner)))
    return entries


def _texts(stream: bytes, container: _Record, budget: _Budget) -> list[tuple[int, str]]:
    """Every text atom in a slide's or notes page's container, each with the type its TextHeaderAtom gives."""
    out: list[tuple[int, str]] = []
    kind = 4
    for record in _walk(stream, container, budget):
        if record.kind == _TEXT_HEADER and record.end - record.start >= 4:
            kind = struct.unpack_from("<I", stream, record.start)[0]
        elif record.kind in (_TEXT_CHARS, _TEXT_BYTES):
            out.append((kind, _atom_text(stream, record)))
    return out


def _notes_slide(stream: bytes, container: _Record, budget: _Budget) -> int | None:
    for record in _records(stream, container.start, container.end, budget):
        if record.kind == _NOTES_ATOM and record.end - record.start >= 4:
            return int(struct.unpack_from("<I", stream, record.start)[0])
    return None


def _atom_text(stream: bytes, record: _Record) -> str:
    raw = stream[record.start:record.end]
    if record.kind == _TEXT_CHARS:
        return raw[:len(raw) // 2 * 2].decode("utf-16-le", errors="replace")
    return raw.decode("latin-1")  # each byte the low byte of a UTF-16 character whose high byte is 0


def _paragraphs(text: str) -> list[str]:
    """A text atom's paragraphs ("\\r" apart, "\\x0b" a line break within one) as lines."""
    return [line.strip() for line in text.replace("\x0b", "\r").split("\r") if line.strip()]


def _add(slide: Slide, texts: list[tuple[int, str]]) -> None:
    """A slide's texts as lines, its first title its title; a text already read (a placeholder's, in both the
    SlideListWithText and the slide's drawing) once, the same words in a title and the body twice. A notes placeholder's text is the notes'. "*" alone is a
    placeholder's field (the slide's number, the date), no text."""
    for kind, text in texts:
        lines = _paragraphs(text)
        key = (kind, "\n".join(lines))
        if not lines or key in slide.read or key[1] == "*":
            continue
        slide.read.add(key)
        if kind in _NOTES_TEXT:
            slide.notes += lines
            continue
        if kind in _TITLES and not slide.title:
            slide.title = " ".join(lines)
        slide.lines += lines

"""What a .docx or .pptx holds, looked at before python-docx or python-pptx opens it: both read their parts whole into
memory (python-pptx every part of the package, images and media too), so a file of a few hundred kB whose part unpacks
to gigabytes (a zip bomb) ate the memory it named (probe 34: a 320 kB .pptx read 300 MB). A part's unpacked size is
the one the zip's directory gives, and Python's zipfile unpacks no more than that, so the sum of them bounds what is
read, as gzipped.py bounds a gzipped page's.

A workbook (.xlsx, .xlsm, .xlsb, .ods: readers/sheets.py) is held to the same limits before calamine reads it.

It also names what a file is when it is no Office package: a password-protected document (Office writes it encrypted
inside an OLE compound file, not a zip; it was "unreadable .docx (BadZipFile)"), an old binary .doc or .ppt renamed,
and a deck named .docx or a document named .pptx (read as what it holds).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import Literal

from jupyter_docchat.indexing.readers.base import UnreadableFile

Kind = Literal["docx", "pptx"]
# The text's parts (XML) unpacked: as much as a gzipped page may unpack to (MAX_FILE_BYTES), which python-docx and
# lxml then hold a few times over as trees. Media (images, video) is stored packed already, so it unpacks to about the
# file's own size: the whole package is let four times that.
XML_LIMIT = 64 * 1024 * 1024
TOTAL_LIMIT = 4 * XML_LIMIT
_BOMB_RATIO = 100  # unpacked to packed: a bomb's parts pack their zeros or repeats far tighter than any document's
_STEP = 1024 * 1024  # bytes unpacked at a time, as gzipped.py's
_OLE = bytes.fromhex("D0CF11E0A1B11AE1")  # an OLE compound file's signature: Office 97-2003, or an encrypted package
# The stream Office writes an encrypted package's bytes to, as its directory names it (UTF-16).
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_MAIN_PART: dict[str, Kind] = {"word/document.xml": "docx", "ppt/presentation.xml": "pptx"}


def package_kind(data: bytes, suffix: Kind) -> Kind:
    """What the package ``data`` holds, "docx" or "pptx", read as a file named ``suffix``. Raises UnreadableFile for a
    file that is no Office package, or one that unpacks to more than the limits."""
    if data.startswith(_OLE):
        refuse_encrypted(data, suffix)
        old = ".doc" if suffix == "docx" else ".ppt"
        raise UnreadableFile(f"an old binary Office file (Word 97-2003 {old}?) named .{suffix}: save it as .{suffix}")
    names = unpacked_names(data, suffix)
    if names is None:
        return suffix  # python-docx or python-pptx names it, as it did: "unreadable .docx (BadZipFile)"
    held = [kind for name, kind in _MAIN_PART.items() if name in names]
    if suffix in held or not held:
        return suffix  # python-docx or python-pptx names what else is wrong
    return held[0]


def ole_file(data: bytes) -> bool:
    """Whether ``data`` is an OLE compound file: an Office 97-2003 file, or an encrypted package."""
    return data.startswith(_OLE)


def refuse_encrypted(data: bytes, suffix: str) -> None:
    """Raises UnreadableFile for an OLE file holding an encrypted package (Office's password-protected file)."""
    if data.startswith(_OLE) and _ENCRYPTED in data:
        raise UnreadableFile(f"password-protected .{suffix} (encrypted): save it without a password to index it")


def unpacked_names(data: bytes, suffix: str, text_limit: int = XML_LIMIT) -> set[str] | None:
    """The names of the parts of the zip package ``data`` once each is unpacked within the limits, its text's parts
    within ``text_limit`` bytes (None for no zip). Raises UnreadableFile for a zip bomb or a part that does not unpack."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        return None
    with package:
        members = package.infolist()
        checked(package, suffix, text_limit)
        return {m.filename for m in members}


def checked(package: zipfile.ZipFile, suffix: str, text_limit: int = XML_LIMIT) -> None:
    """Raises UnreadableFile for a package whose parts unpack to more than the limits (its text's parts to more than
    ``text_limit`` bytes), or to other than their sizes: what every reader of a zip package (Office's, OpenDocument's,
    a workbook, an EPUB) asks before it reads a part."""
    members = package.infolist()
    _within_limits(members, text_limit)
    # The sizes a zip's directory gives may lie: zipfile cuts a part at its given size, but only after unpacking
    # what one read asks for, and python-pptx asks for a part whole (a part said to be 100 bytes unpacked 400 MB,
    # and the read peaked at 835 MB before the part's checksum failed). Unpacked here a MB at a time, each part is
    # its given size or fails its checksum, and only then does python-docx or python-pptx read it.
    try:
        for member in members:
            if member.compress_type != zipfile.ZIP_STORED:
                with package.open(member) as stream:
                    while stream.read(_STEP):
                        pass
    except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError, ValueError, zlib.error) as exc:
        raise UnreadableFile(f"unreadable .{suffix} ({type(exc).__name__})") from None


def open_checked(data: bytes, suffix: str) -> zipfile.ZipFile:
    """The zip package ``data``, checked (``checked``); UnreadableFile for one that is no zip, named as a file of
    ``suffix`` ("epub", "odt")."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise UnreadableFile(f"unreadable .{suffix} ({type(exc).__name__})") from None
    try:
        checked(package, suffix)
    except UnreadableFile:
        package.close()
        raise
    return package


def _within_limits(members: list[zipfile.ZipInfo], text_limit: int = XML_LIMIT) -> None:
    xml = sum(m.file_size for m in members if _text_part(m.filename.lower()))
    total = sum(m.file_size for m in members)
    if xml > text_limit or total > TOTAL_LIMIT:
        limit = text_limit if xml > text_limit else TOTAL_LIMIT
        # A bomb packs its hundreds of MB a thousand times over; a large workbook of a million rows, about eight
        # times (its XML repeats itself): over the limit both, but only the first is a bomb.
        packed = sum(m.compress_size for m in members)
        what = "zip bomb" if total > _BOMB_RATIO * max(packed, 1) else "too large to read"
        raise UnreadableFile(f"{what}: unpacks to over {limit // (1024 * 1024)} MB")


def _text_part(name: str) -> bool:
    """Whether a part holds the text: XML, or an .xlsb workbook's binary records (its sheets and strings under xl/; not a
    .docm's macros or an object embedded in a document, which are never read)."""
    return name.endswith((".xml", ".rels")) or (name.startswith("xl/") and name.endswith(".bin")
                                                 and not name.endswith("vbaproject.bin"))

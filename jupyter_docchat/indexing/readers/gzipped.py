"""Pages a package ships gzipped (Debian's ``changelog.html.gz``, ``*.txt.gz``, ``README.gz``): ``NAME.gz`` is
read as ``NAME``. The size limit is the unpacked text's, counted while unpacking, so a small file that unpacks
to gigabytes (a gzip bomb) is stopped at the limit and named, never held in memory."""

from __future__ import annotations

import zlib
from pathlib import PurePath
from typing import TypeVar

from jupyter_docchat.indexing.readers.base import UnreadableFile

GZIP_SUFFIX = ".gz"
_STEP = 1024 * 1024  # bytes unpacked at a time: the limit is checked between steps
P = TypeVar("P", bound=PurePath)


def gzipped(path: PurePath) -> bool:
    """``NAME.EXT.gz``, or a name read without a suffix gzipped (Debian's ``README.gz``, ``NEWS.gz``,
    ``changelog.gz``: a README is read since readers 9, its gzipped twin was an unsupported type)."""
    return path.suffix.lower() == GZIP_SUFFIX and bool(path.stem)


def read_as(path: P) -> P:
    """The name a file is read as: ``page.html.gz`` as ``page.html``, any other as itself."""
    return path.with_suffix("") if gzipped(path) else path


def gunzip(data: bytes, limit: int) -> bytes:
    """The unpacked bytes of a gzip file (every member of it). Raises UnreadableFile when they would be
    over ``limit`` bytes, or the file is not gzip or cut short."""
    if not data:  # an empty file holds no member: the empty page it stands for, named "no text" as one
        return b""
    out = bytearray()
    rest = data
    while True:
        unpacker = zlib.decompressobj(wbits=31)  # 31: a gzip header and trailer, checked
        try:
            while rest or not unpacker.eof:
                chunk = unpacker.decompress(rest, _STEP)
                rest = unpacker.unconsumed_tail
                out += chunk
                if len(out) > limit:
                    raise UnreadableFile(f"gzip bomb: unpacks to over {limit // (1024 * 1024)} MB")
                if unpacker.eof or (not chunk and not rest):
                    break
        except zlib.error:
            raise UnreadableFile("broken gzip") from None
        if not unpacker.eof:
            raise UnreadableFile("broken gzip (cut short)")
        rest = unpacker.unused_data
        if not rest.strip(b"\x00"):  # what follows the last member: nothing, or tar-like zero padding
            return bytes(out)

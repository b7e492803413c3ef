"""Plain text and source code: one section per file (the chunker splits code by its language)."""

from __future__ import annotations

from pathlib import Path

from jupyter_docchat.indexing.readers.base import decode
from jupyter_docchat.types import Section


def read_text(path: Path, data: bytes) -> list[Section]:
    return [Section(decode(data))]


def read_code(path: Path, data: bytes) -> list[Section]:
    return [Section(decode(data), 1, "", kind="code")]



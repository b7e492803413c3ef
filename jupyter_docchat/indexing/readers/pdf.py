"""PDF: one section per page with text, by pypdf (loaded on first use)."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from jupyter_docchat.indexing.readers.base import UnreadableFile
from jupyter_docchat.types import Section


def read_pdf(path: Path, data: bytes) -> list[Section]:
    with _quiet_logger("pypdf"):  # broken files are reported in our summary, not as stray log lines
        return _read_pdf(data)


@contextmanager
def _quiet_logger(name: str) -> Iterator[None]:
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _read_pdf(data: bytes) -> list[Section]:
    import io

    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableFile("encrypted PDF")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableFile:
        raise
    except Exception as exc:  # pypdf raises a wide variety on broken files (PdfReadError, KeyError, ...)
        raise UnreadableFile(f"unreadable PDF ({type(exc).__name__})") from exc
    return [Section(text, 1, f"page {n}", page=n, kind="pdf") for n, text in enumerate(pages, 1) if text.strip()]



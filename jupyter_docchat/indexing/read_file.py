"""Read and chunk one file: what a reading worker runs for each request, and the main process for a small update.

Apart from the pool (``reading``) so a worker imports no more than it runs: the pool's modules (subprocess,
selectors, concurrent.futures, the scan) were 8-11 ms of each worker's start.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jupyter_docchat.indexing.chunking import Chunker
from jupyter_docchat.indexing.copies import text_key
from jupyter_docchat.indexing.readers import (HTML_EXTS, PLAIN_TEXT_EXTS, UnreadableFile, decode, format_suffix,
                                              may_be_mailbox, read_sections, unpacked)
from jupyter_docchat.indexing.readers.mail_folders import thunderbird_folder
from jupyter_docchat.indexing.skips import (BUNDLED, ENCODED, INDEX_PAGE, MACHINE_LINES, REDIRECT, SCRIPT_EXTS,
                                            bundled_library, encoded_data, machine_length, redirect_page,
                                            texinfo_index_page)
from jupyter_docchat.indexing.user_file import MAX_FILE_BYTES, read_user_file
from jupyter_docchat.types import Chunk

# A mailbox is read up to this size (other files up to MAX_FILE_BYTES): an export of a few years of one list or folder
# is 100 MB and more, a mailbox the user asks about as one source; its messages are read a message at a time, ticked.
MAX_MAILBOX_BYTES = 256 * 1024 * 1024

# A file that reads to no text at all is named, not counted as indexed: a scanned PDF is pages of images.
NO_TEXT = "no text"
NO_TEXT_PDF = "no text (scanned pages? docchat does not read text in images)"
READER_FAILED = "docchat's reader failed on it, please report it"


@dataclass(frozen=True)
class ChunkerSpec:
    """What a worker needs to build the same Chunker as the parent (picklable)."""

    chunk_size: int
    chunk_overlap: int
    embeddings: str

    def build(self) -> Chunker:
        return _chunker(self)


@lru_cache(maxsize=4)
def _chunker(spec: ChunkerSpec) -> Chunker:
    from jupyter_docchat.store.token_counts import token_counter

    count, window = token_counter(spec.embeddings)
    return Chunker(spec.chunk_size, spec.chunk_overlap, count, window)


@dataclass
class ReadResult:
    rel: str
    digest: str = ""
    size: int = 0
    chunks: list[Chunk] | None = None
    skipped: str = ""  # why the file could not be read; "" when it was
    gone: bool = False  # an OSError (deleted or unreadable since the scan), rather than bad content
    text_key: str = ""  # copies.text_key of its sections: a file with the same text is a copy


def unreadable(exc: OSError) -> str:
    """Why a file could not be read, for the report. A file deleted after the folder was looked at is said to be gone:
    files deleted while a folder was indexed were "unreadable (No such file or directory)", and a user looked for what
    kept them from being read (probe 27)."""
    if isinstance(exc, FileNotFoundError):
        return "deleted while the folder was indexed"
    return f"unreadable ({exc.strerror or type(exc).__name__})"


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_one(rel: str, path: Path, spec: ChunkerSpec, checks: bool = True) -> ReadResult:
    """Read and chunk one file. ``checks``: apply the default skips that look at the content."""
    try:
        data = read_user_file(path, MAX_MAILBOX_BYTES if may_be_mailbox(path) or thunderbird_folder(path) else MAX_FILE_BYTES)
    except UnreadableFile as exc:  # not a regular file, or too large
        return ReadResult(rel, skipped=exc.reason)
    except OSError as exc:
        return ReadResult(rel, skipped=unreadable(exc), gone=True)
    digest, size = file_hash(data), len(data)  # the bytes actually indexed, even if the file moved on since the check
    try:
        path, data = unpacked(path, data, MAX_FILE_BYTES)  # a gzipped page is read as the page
        # The checks of what a file holds are docchat's own reading too (probe 31): a fault in one stopped the update.
        if checks and (why := _content_skip(format_suffix(path), data)):
            return ReadResult(rel, digest, size, skipped=why)
        sections = read_sections(path, data)
        chunks = spec.build().chunk(rel, digest, sections)
        key = text_key(sections)
    except UnreadableFile as exc:
        return ReadResult(rel, digest, size, skipped=exc.reason)
    except Exception as exc:
        # A reader's own fault on one file must not stop the folder's index: a notebook whose cell's source was null
        # ended `docchat index` with "the store at ... failed: 'NoneType' object has no attribute 'strip'" and nothing
        # indexed (probe 30). The file is named in the summary with the error's kind; the others are read.
        return ReadResult(rel, digest, size, skipped=f"{READER_FAILED} ({type(exc).__name__})")
    if not chunks:
        return ReadResult(rel, digest, size, skipped=NO_TEXT_PDF if path.suffix.lower() == ".pdf" else NO_TEXT)
    return ReadResult(rel, digest, size, chunks, text_key=key)


def _content_skip(suffix: str, data: bytes) -> str:
    """Why a file is left out by default for what it holds ("" when it is read): the skips a name cannot tell."""
    if suffix in PLAIN_TEXT_EXTS:
        text = decode(data)
        if machine_length(text):
            return MACHINE_LINES
        if encoded_data(text):
            return ENCODED
    if suffix in HTML_EXTS and redirect_page(data):
        return REDIRECT
    if suffix in HTML_EXTS and texinfo_index_page(data):
        return INDEX_PAGE
    if suffix in SCRIPT_EXTS and bundled_library(data):
        return BUNDLED
    return ""

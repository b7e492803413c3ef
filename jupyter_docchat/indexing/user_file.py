"""The one way docchat opens a file of the user's folder: without blocking, and only a regular file.

A folder changes between the scan and the read. A FIFO put in a file's place blocks a plain
``open()`` until some writer comes (for ever, with the store's write lock held), and a device
never ends; so the file is opened non-blocking and its type checked on the open descriptor,
not on the name, which could be swapped again in between.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from jupyter_docchat.indexing.readers import UnreadableFile

# Larger files are named and skipped rather than read into memory (a log or a data dump, not a document).
MAX_FILE_BYTES = 64 * 1024 * 1024


def read_user_file(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes. Raises UnreadableFile (not a regular file, or over ``limit``) or OSError."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile("not a regular file")  # a FIFO, socket or device
        if info.st_size > limit:
            raise UnreadableFile("too large")
        with os.fdopen(fd, "rb", closefd=False) as stream:
            # The size it has, and a byte more: a read of the limit allocated 64 MB for every file first (33 µs of
            # each of mpich's small pages, 3 % of reading them). A file still growing is read on, and stops at the
            # limit too.
            data = stream.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += stream.read(limit + 1 - len(data))
        if len(data) > limit:
            raise UnreadableFile("too large")
        return data
    finally:
        os.close(fd)

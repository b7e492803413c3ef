"""A GGUF file's chat template, read from its header without loading the model.

A base model's GGUF has none; llama.cpp then falls back to ChatML and the model loops on template
tokens, so such a file is refused before it is served. The ``gguf`` package reads the same header but
parses every tokenizer entry in Python (about 10 s for SmolLM2's 49,152 tokens here); this reader skips
them by their lengths (a few ms). Layout: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md
"""

from __future__ import annotations

import mmap
import struct
from pathlib import Path
from typing import NoReturn

from jupyter_docchat.errors import ModelError

MAGIC = b"GGUF"
TEMPLATE_KEY = "tokenizer.chat_template"
STRING, ARRAY = 8, 9
# Bytes of each fixed-size value type: uint8, int8, uint16, int16, uint32, int32, float32, bool,
# (8: string), (9: array), uint64, int64, float64.
FIXED_SIZES = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}


class GGUFError(ModelError):
    """The file is not a GGUF file this reader understands."""


def chat_template(path: str | Path) -> str | None:
    """The file's ``tokenizer.chat_template``, or None when it has none (or an empty one)."""
    try:
        with open(path, "rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return _template(data, Path(path).name)
    except ValueError as exc:  # mmap of an empty file
        raise GGUFError(f"{Path(path).name} is not a GGUF file: {exc}") from None
    except OSError as exc:
        raise GGUFError(f"cannot read {Path(path).name}: {exc.strerror or exc}") from None


def template_of(data: bytes) -> str | None:
    """The chat template of a GGUF file's bytes (or of its header alone)."""
    return _template(memoryview(data), "the file")


def _template(data: mmap.mmap | memoryview, name: str) -> str | None:
    reader = _Reader(data, name)
    if reader.take(4) != MAGIC:
        raise GGUFError(f"{name} is not a GGUF file (it does not start with 'GGUF')")
    version = reader.number("<I")
    if version not in (2, 3):
        raise GGUFError(f"{name} is GGUF version {version}, which this reader does not know (2 and 3 are)")
    reader.number("<Q")  # tensors
    for _ in range(reader.number("<Q")):
        key = reader.string()
        kind = reader.number("<I")
        if key == TEMPLATE_KEY:
            return (reader.string() or None) if kind == STRING else None  # llama.cpp takes "" for none
        reader.skip_value(kind)
    return None


class _Reader:
    def __init__(self, data: mmap.mmap | memoryview, name: str) -> None:
        self.data, self.name, self.at = data, name, 0

    def cut_short(self) -> NoReturn:
        raise GGUFError(f"{self.name} is cut short or damaged (its header runs past the end)")

    def take(self, n: int) -> bytes:
        if n < 0 or self.at + n > len(self.data):
            self.cut_short()
        chunk = bytes(self.data[self.at:self.at + n])
        self.at += n
        return chunk

    def number(self, fmt: str) -> int:
        size = struct.calcsize(fmt)
        if self.at + size > len(self.data):
            self.cut_short()
        value = struct.unpack_from(fmt, self.data, self.at)[0]
        self.at += size
        return value

    def string(self) -> str:
        return self.take(self.number("<Q")).decode("utf-8", errors="replace")

    def skip(self, n: int) -> None:
        if n < 0 or self.at + n > len(self.data):
            self.cut_short()
        self.at += n

    def skip_value(self, kind: int) -> None:
        if kind in FIXED_SIZES:
            self.skip(FIXED_SIZES[kind])
        elif kind == STRING:
            self.skip(self.number("<Q"))
        elif kind == ARRAY:
            item, count = self.number("<I"), self.number("<Q")
            if item in FIXED_SIZES:
                self.skip(FIXED_SIZES[item] * count)
            elif item == STRING:  # the tokenizer's vocabulary: tens of thousands, so a tight loop
                data, at, end, length = self.data, self.at, len(self.data), struct.Struct("<Q")
                for _ in range(count):
                    if at + 8 > end:
                        self.cut_short()
                    at += 8 + length.unpack_from(data, at)[0]
                self.skip(at - self.at)
            else:  # arrays of arrays: not written by llama.cpp's converters
                raise GGUFError(f"{self.name} has a metadata array of type {item}, which this reader does not know")
        else:
            raise GGUFError(f"{self.name} has a metadata value of unknown type {kind}")

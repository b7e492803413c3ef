"""The catalog's rows as named records: what the store hands the layers above (never bare tuples)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple


class CollectionRow(NamedTuple):
    """A collection's embedding model and the folder it was indexed from ('' for a server's copy)."""

    embeddings: str
    root: str


class ChunkRow(NamedTuple):
    """A chunk's text and metadata, as stored (the metadata names its file, place and heading)."""

    text: str
    meta: dict[str, Any]


class SourceRow(NamedTuple):
    """One chunk of a file, with its id."""

    id: str
    text: str
    meta: dict[str, Any]


class TodoRow(NamedTuple):
    """A chunk waiting for its vector: what the embedder needs and what Chroma stores."""

    id: str
    text_hash: str
    heading: str
    text: str
    meta: dict[str, Any]


@dataclass
class FileRecord:
    source: str
    hash: str
    chunks: int


@dataclass
class CollectionInfo:
    name: str
    embeddings: str
    root: str
    files: int
    chunks: int
    updated: float
    waiting: int = 0  # chunks without a vector yet
    # The folder indexed is no longer there (deleted, moved, or replaced by a file): searches and answers
    # come from the index as it was. Set by DocIndex.status, which can look; the catalog cannot.
    folder_gone: bool = False

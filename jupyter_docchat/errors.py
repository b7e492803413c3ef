"""The small family of errors the core raises.

Every message is one line that says what happened and what to do; the magics
turn them into ``UsageError`` so the user sees no traceback.
"""

from __future__ import annotations

import re
from typing import Literal, Mapping

# What a message tells the user to do next, named for no front end: the core says it in words
# ("index a folder first") and each front end (the magics, the CLI) adds its own command for it.
Remedy = Literal["index", "finish_index", "ask", "key", "model"]


def first_line(exc: BaseException, limit: int = 200) -> str:
    """An exception's first line, for a one-line message (its type's name when it says nothing)."""
    lines = str(exc).strip().splitlines()
    return (lines[0] if lines else type(exc).__name__)[:limit]


def scrub(text: str, key: str) -> str:
    """``text`` with ``key`` masked: servers echo a rejected key back in their error message."""
    return text.replace(key, "***") if key else text


# What str.splitlines breaks a line at (safe_text.name_on_one_line writes a file name's the same way).
_LINE_BREAKS = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


class DocChatError(Exception):
    """Base class of every error docchat raises on purpose. Its message is one line: a line break in what it
    names (a folder, a file, a model's path the user gave) is written as its escape (``\\n``)."""

    remedy: Remedy | None = None  # the next step its message ends with, if any

    def __init__(self, *args: object, remedy: Remedy | None = None) -> None:
        super().__init__(*args)
        if remedy is not None:
            self.remedy = remedy

    def __str__(self) -> str:
        return _LINE_BREAKS.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), super().__str__())


def with_command(message: str, remedy: Remedy | None, commands: Mapping[str, str]) -> str:
    """``message`` followed by the front end's command for ``remedy`` (as it is when it has none)."""
    command = commands.get(remedy) if remedy else None
    return f"{message} ({command})" if command else message


class SettingError(DocChatError):
    """A setting's value is of the wrong kind or outside its limits (settings.LIMITS)."""


class FolderError(DocChatError):
    """The folder to index is missing, not a folder, or holds nothing to index."""


class FolderGoneError(FolderError):
    """The folder being indexed was deleted or moved while the update ran: nothing was removed."""


class FolderEmptiedError(FolderError):
    """The check before a question found the folder holding no file to index where the collection holds some
    (its files gone, what is left all skipped): nothing was removed."""


class NoIndexError(DocChatError):
    """A question or search was made before anything was indexed."""

    remedy: Remedy | None = "index"  # None while another run is indexing the collection: no second run


class EmbeddingMismatchError(DocChatError):
    """The collection was built with another embedding model."""


class StoreLockedError(DocChatError):
    """Another process holds the store's write lock."""


class StoreError(DocChatError):
    """The store cannot be opened or written (read-only, disk full, server down)."""


class IndexClosedError(StoreError):
    """The index was closed (by another thread) while a call was using it: the call may simply be run again."""


class EmbeddingError(DocChatError):
    """The embedding model could not be loaded or failed."""


class EmptyQuestionError(DocChatError):
    """The question is empty."""

    remedy = "ask"


class ModelError(DocChatError):
    """The chat model failed; the subclasses say why."""


class AuthError(ModelError):
    """The API key was rejected."""


class RateLimitError(ModelError):
    """The server kept answering 429 after our retries."""


class ServerError(ModelError):
    """The server kept answering 5xx after our retries."""


class ConnectionFailedError(ModelError):
    """The model server could not be reached, or the connection dropped."""

"""Paths as the user typed them: ``~`` and ``~user`` expanded, or a one-line error naming the path."""

from __future__ import annotations

import os
from pathlib import Path

from jupyter_docchat.errors import DocChatError


def user_path(value: str | os.PathLike[str]) -> Path:
    """``value`` with a leading ``~`` or ``~user`` expanded. pathlib raised RuntimeError("Could not determine home
    directory.") for a user this machine does not have (a path copied from another machine): a traceback on the
    command line, and elsewhere "the store ... failed", whatever the path was for."""
    if "\x00" in os.fspath(value):  # no file name holds one; "~\x00" failed in the user lookup as "embedded null byte"
        raise DocChatError(f"the path {os.fspath(value)!r} holds a NUL character: name a file or folder")
    path = Path(value)
    try:
        return path.expanduser()
    except RuntimeError:
        first = path.parts[0] if path.parts else str(value)
        who = f"no user {first[1:]!r}" if len(first) > 1 else "no home folder for this user"
        raise DocChatError(f"{first}: this machine has {who} ({os.fspath(value)} cannot be expanded); "
                           "name the folder in full") from None

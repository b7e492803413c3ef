"""Options of ``%ask``/``%%ask``: leading ``--name value`` pairs, then the question verbatim.

A question is free text (apostrophes, quotes, braces), so it is never run
through a shell-style splitter or ``str.format``.
"""

from __future__ import annotations

import re
from typing import Any

_VALUED = {"k", "collection", "model", "store", "server", "with"}
_FLAGS = {"no-stream", "explain", "notebook"}
_OPTION = re.compile(r"\s*--([a-z][a-z-]*)(?:=(\S+))?")


def parse_ask(line: str, cell: str | None) -> tuple[dict[str, Any], str]:
    opts: dict[str, Any] = {}
    rest = line or ""
    while True:
        match = _OPTION.match(rest)
        if not match:
            break
        name, value = match.group(1), match.group(2)
        rest = rest[match.end():]
        if name in _FLAGS:
            opts[name.replace("-", "_")] = True
            continue
        if name not in _VALUED:
            raise ValueError(f"unknown option --{name}: use --k, --collection, --model, --with, --notebook, --no-stream, "
                             "--explain, --store or --server")
        if value is None:
            parts = rest.strip().split(None, 1)
            if not parts:
                raise ValueError(f"--{name} needs a value")
            value, rest = parts[0], (parts[1] if len(parts) > 1 else "")
            rest = " " + rest
        opts[name] = value
    if "k" in opts:
        try:
            opts["k"] = int(opts["k"])
        except ValueError:
            raise ValueError(f"--k needs a whole number, not {opts['k']!r}") from None
        if not 1 <= opts["k"] <= 50:
            raise ValueError("--k must be between 1 and 50")
    question = cell if cell is not None else rest
    if cell is not None and rest.strip():
        raise ValueError(f"%%ask takes the question from the cell; unexpected text after the options: {rest.strip()!r}")
    return opts, (question or "").strip()

"""Options of ``%ask``/``%%ask``: leading ``--name value`` pairs, then the question verbatim.

The options are split as every magic's are (``shell_words``: quotes group, ``$VAR`` expands), one
word at a time, and the splitting stops at the first word that is not an option (or after ``--``):
a question is free text (apostrophes, unbalanced quotes, braces, ``$``), so it is never run through
the splitter or ``str.format``.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from jupyter_docchat.notebook import shell_words
from jupyter_docchat.settings import check_setting

_VALUED = {"k", "collection", "model", "store", "server", "with"}
_FLAGS = {"no-stream", "explain", "notebook"}
_OPTIONS = ("use --k, --collection, --model, --with, --notebook, --no-stream, --explain, --store or --server "
            "(or -- before a question that starts with -)")
# The command line's spelling of --k (docchat ask -k 3): "-k 3", "-k=3", "-k3".
_SHORT_K = re.compile(r"-k(?=\s|=|$|\d+(?:\s|$))")


def parse_ask(line: str, cell: str | None) -> tuple[dict[str, Any], str]:
    """The options (``no-stream`` as ``no_stream``) and the question: the line after the options, or
    the cell. ValueError (or a SettingError for ``--k``) says what is wrong in one line."""
    line = line or ""
    opts: dict[str, Any] = {}
    pos = shell_words.next_word_at(line, 0)
    while line.startswith("--", pos) or _SHORT_K.match(line, pos):
        words = shell_words.words(line, pos)
        word, pos = _next(words)
        if word == "--":  # the end of the options: the question may start with "--"
            pos = shell_words.next_word_at(line, pos)
            break
        if _SHORT_K.match(word):
            word = "--k" + ("" if word[2:3] in ("", "=") else "=") + word[2:]
        name, has_value, value = word[2:].partition("=")
        if name in _FLAGS:
            if has_value:
                raise ValueError(f"--{name} takes no value")
            opts[name.replace("-", "_")] = True
        elif name in _VALUED:
            if not has_value:
                value, pos = _next(words, f"--{name} needs a value")
            # --with a --with b adds both (the second replaced the first, which went unsaid)
            opts[name] = f"{opts[name]},{value}" if name == "with" and name in opts else value
        else:
            raise ValueError(f"unknown option --{name}: {_OPTIONS}")
        pos = shell_words.next_word_at(line, pos)
    if "k" in opts:
        try:
            opts["k"] = int(opts["k"])
        except ValueError:
            pass  # check_setting says what a k may be
        opts["k"] = check_setting("k", opts["k"])
    rest = line[pos:]
    if cell is not None and rest.startswith("-"):  # the question is the cell: a dash here starts an option
        raise ValueError(f"unknown option {rest.split()[0]}: {_OPTIONS}")
    if cell is not None and rest.strip():
        raise ValueError(f"%%ask takes the question from the cell; unexpected text after the options: {rest.strip()!r}")
    question = cell if cell is not None else rest
    return opts, question.strip()


def _next(words: Iterator[tuple[str, int]], missing: str = "") -> tuple[str, int]:
    try:
        return next(words)
    except StopIteration:
        raise ValueError(missing) from None
    except ValueError as exc:  # an unclosed quote
        raise ValueError(f"could not parse the options: {exc}") from None

"""Identifiers named in a question (``--port``, ``SECRET_KEY``, ``all.equal``, ``row_number()``,
``CommandCollection``, ``\\usepackage``, ``/etc/apt/sources.list``, ``full-upgrade``) and whether a
text holds one verbatim.

A keyword index splits them into common words (``--port`` is "port", ``all.equal`` is "all" and
"equal"); a chunk that holds the identifier as written is the one that documents it.
"""

from __future__ import annotations

import re

# Each alternative is one shape of identifier; prose words match none of them.
_IDENTIFIER = re.compile(
    r"""
    (?<![\w\\-])--?[A-Za-z][\w-]*                     # a command-line option: -f, --port, --foo-bar
    | \\[A-Za-z@]+                                    # a TeX command: \usepackage
    | (?<![\w/])(?:/[\w.-]+){2,}/?                    # a path: /etc/apt/sources.list
    | \b\w+(?:(?:\.|::)\w+)+(?:\(\))?                 # a dotted name: all.equal, click.progressbar, a::b
    | \b\w*_\w*[A-Za-z0-9]\w*(?:\(\))?                # a name with an underscore: SECRET_KEY, glp_simplex
    | \b\w+\(\)                                       # a call: row_number()
    | \b[a-z]+[A-Z]\w*                                # camelCase
    | \b[A-Z][a-z0-9]+[A-Z]\w*                        # CamelCase: UsageError, IntRange
    | \b[a-z][a-z0-9]+(?:-[a-z0-9]+)+\b               # a hyphenated command or option value: full-upgrade
    """,
    re.VERBOSE,
)


def identifiers(question: str) -> list[str]:
    """The identifiers of ``question``, in order, each once (a trailing sentence "." is not part of one)."""
    found: dict[str, None] = {}
    for match in _IDENTIFIER.finditer(question):
        name = match.group(0).rstrip(".")
        if len(re.sub(r"\W", "", name)) >= 3:  # "-f" and "e.g." are too short to be one
            found.setdefault(name, None)
    return list(found)


def words_of(identifier: str) -> list[str]:
    """The words a keyword index keeps of ``identifier`` (what an FTS phrase query of it looks for)."""
    return re.findall(r"[^\W_]+", identifier)


def holds(text: str, identifier: str) -> bool:
    """Whether ``text`` holds ``identifier`` as written (any case), not as part of a longer name."""
    pattern = re.escape(identifier)
    return re.search(rf"(?<![\w-]){pattern}(?![\w-])" if identifier[-1:].isalnum() or identifier[-1:] == "_"
                     else rf"(?<![\w-]){pattern}", text, re.IGNORECASE) is not None

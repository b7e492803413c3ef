"""A command or identifier that is the question's own word run together with another: ``lvcreate`` for "create a logical
volume", ``squashmigrations`` for "squash migrations", ``skipif`` for "skip a test", ``worktree`` for "working directory",
``\\generate`` for "generate". A "how do I" question names what to do in words; the thing that does it is often named
by the same word, run into a name. Neither the word match (the name is one token) nor the meaning (a name means little
to the embedding) sees it (``AnswerLevers.how_compound``)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import AbstractSet as Set, Callable, Iterable

from jupyter_docchat.store.token_counts import vocabulary

# A name's runs of letters (and digits): "lv_backups" is "lv", "backups"; "\generate" is "generate". Only a run in lower
# case: "ExceptionInfo" and "\PrintChanges" mark their words with capitals and are read as words elsewhere (a camelCase
# name holding its words was measured and dropped, answers6).
_CASED_RUN = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_TOKEN = re.compile(r"[\\\w][\w.\\/-]*")
# What English adds to a word: "creation", "creates", "skipping" and "recreate" are the word, not a name built on it.
_SUFFIXES = frozenset(
    "s es ed d ing er ers or ors ion ions ation ations ly ment ments able ably ible ness ive ives ity ities al als ally ure "
    "ures ist ists ism isms ic ical y ies ied age ages ance ances ence ences ant ants ent ents ful less ward wards ize izes "
    "ized izing ise ises ised ising ization isation en ened ening ship th ary ery ory ee ees ish".split())
_PREFIXES = frozenset(
    "re un in im il ir dis mis non pre de co sub super over under out up inter counter anti auto semi multi self".split())
MIN_WORD = 4  # "add", "use", "run" run into too many names


def question_words(words: Iterable[str]) -> set[str]:
    """The question's words long enough to be found inside a name (each in the forms given: as written and stemmed)."""
    return {w for w in words if w.isalpha() and len(w) >= MIN_WORD}


@lru_cache(maxsize=1)
def _english() -> frozenset[str]:
    """The words the embedding model's vocabulary holds whole ("another", "database", "handling", "warnings"): English,
    not a name made by running words together ("lvcreate", "squashmigrations", "worktree")."""
    return frozenset(w for w in vocabulary() if w.isalpha() and w.islower())


def _compounds(run: str, word: str) -> bool:
    """Whether ``run`` is ``word`` run together with another word: "lvcreate" of "create"; not "creation" nor "recreate",
    nor an English word that starts or ends with it ("another" of "other", "format" of "form")."""
    if len(run) < len(word) + 2 or run in _english():
        return False
    if run.startswith(word):
        return run[len(word):] not in _SUFFIXES
    if run.endswith(word):
        return run[:-len(word)] not in _PREFIXES
    return False


def compound_names(text: str, words: Set[str]) -> set[str]:
    """The commands and identifiers of ``text`` one of whose runs is a word of ``words`` run together with another
    ("lvcreate", "squashmigrations"; "\\generate" is the word alone after its backslash: a TeX command), lower-cased."""
    if not words:
        return set()
    found = set()
    for token in _TOKEN.findall(text):
        runs = [run for run in _CASED_RUN.findall(token) if run.islower()]
        if (token.startswith("\\") and len(runs) == 1 and runs[0] in words) \
                or any(_compounds(run, word) for run in runs for word in words):
            found.add(token.lower())
    return found


def names_compound(text: str, words: Set[str], common: Callable[[str], bool] = lambda name: False) -> bool:
    """Whether ``text`` names such a command or identifier that is not ``common`` (the topic's own name: "pytest" runs
    "test" together on every page of pytest's manual)."""
    return any(not common(name) for name in compound_names(text, words))

"""The words of a query that the keyword index should look for (shared by the FTS5 search and the
extractive answer, so both read a question the same way)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The words a query or question names nothing by: shared by the keyword index and the offline answer.
STOPWORDS = frozenset(
    "a an and are as at be but by can did do does for from had has have how i if in into is it its of on or "
    "s so such t than that the their then there these they this to was were what when where which while who "
    "whom why will with would you your me my we our us not no".split()
)
_WORD = re.compile(r"\w+", re.UNICODE)
_PART = re.compile(r"[^\W_]+", re.UNICODE)  # a word as the keyword index splits it (``store_true`` is two)
# A join is tried of this many words in a row at most, and kept only when it is this long.
_MOST_JOINED = 3
_SHORTEST_JOIN = 5
# Words of the question itself, never of a name it asks for ("how do I", "the", "which"): a run holding one is
# not joined. Other stop words may be ("is empty": ``isEmpty``, "to string": ``toString``).
_NEVER_JOINED = frozenset("a an the i me my we our us you your how what which who whom why when where do does did "
                          "should could would can".split())


def query_terms(text: str) -> list[str]:
    """Content words of a query, for FTS5 (quoted, so no FTS syntax leaks through)."""
    words = [w.lower() for w in _WORD.findall(text)]
    seen: dict[str, None] = {}
    for word in words:
        if word not in STOPWORDS and (len(word) > 1 or word.isdigit()):
            seen.setdefault(word, None)
    return list(seen)


def fts_match(query: str) -> str:
    """An FTS5 MATCH expression OR-ing the query's content words ("" when it has none)."""
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in query_terms(query))


@dataclass(frozen=True)
class Join:
    """Words of a question in a row written as one (``storetrue``), and where each word after the first begins in it."""

    term: str
    cuts: tuple[int, ...]


def joined_terms(text: str) -> list[Join]:
    """Words of ``text`` in a row written as one, the way an API names them (``store true``: ``storetrue``;
    ``add subparsers``: ``addsubparsers``; ``to string``: ``tostring``): the keyword index holds ``storeTrue``
    as one token, so a question in words never matches it. Pairs and triples, each also with a plural ``s``
    dropped from its first words (``stores true``: ``storetrue``). Only candidates: which of them the
    index holds, written as a name, is the store's to say."""
    words = [w.lower() for w in _PART.findall(text)]
    found: dict[str, Join] = {}
    for start in range(len(words)):
        for size in range(2, _MOST_JOINED + 1):
            run = words[start:start + size]
            # A one-letter part is a possessive's or a contraction's ("argument's" is not ``arguments``).
            if len(run) < size or all(w in STOPWORDS for w in run) or any(w in _NEVER_JOINED or len(w) < 2 for w in run):
                continue
            heads: list[tuple[str, tuple[int, ...]]] = [("", ())]
            for word in run[:-1]:
                forms = [word, word[:-1]] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else [word]
                heads = [(head + form, cuts + (len(head + form),)) for head, cuts in heads for form in forms]
            for head, cuts in heads:
                joined = head + run[-1]
                if len(joined) >= _SHORTEST_JOIN:
                    found.setdefault(joined, Join(joined, cuts))
    return list(found.values())


def written_as_name(text: str, join: Join) -> bool:
    """Whether ``text`` writes ``join`` as a name whose words show where they begin (``storeTrue``, ``StoreTrue``),
    not as a word of its own: the index holds "backup", "login" and "partialindex" (a page's address) too, and
    a question saying "back up" or "partial index" means the words, which the index already matches."""
    stem = join.term[:join.cuts[-1] + 1]  # up to the last word's first letter: a plural or a suffix may follow
    return any(token.lower().startswith(stem) and any(token[cut].isupper() for cut in join.cuts)
               for token in _PART.findall(text))

"""The words of a query that the keyword index should look for (shared by the FTS5 search and the
extractive answer, so both read a question the same way)."""

from __future__ import annotations

import re

# The words a query or question names nothing by: shared by the keyword index and the offline answer.
STOPWORDS = frozenset(
    "a an and are as at be but by can did do does for from had has have how i if in into is it its of on or "
    "s so such t than that the their then there these they this to was were what when where which while who "
    "whom why will with would you your me my we our us not no".split()
)
_WORD = re.compile(r"\w+", re.UNICODE)



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

"""Probe 12: properties of hybrid search's near-repeat removal (search._without_repeats) over rankings and texts
nobody wrote down: nothing found is lost or shown twice, and a repeat never stands above the passage it repeats
while another passage waits below."""

from __future__ import annotations

from fixed_rankings import IDS, RANKINGS, FixedRankings
from hypothesis import given, settings, strategies as st

from jupyter_docchat.retrieval.fusion import SHIPPED
from jupyter_docchat.retrieval.search import _SMALLEST_PASSAGE, _plain_words, hybrid_search

# A few texts, some the same but for white space, some most of another's wording, some nothing alike.
TEXTS = ["the walrus ferry leaves the harbour at noon every day",
         "the  walrus ferry leaves\nthe harbour at noon every day",
         "the walrus ferry leaves the harbour at noon every day, weather permitting",
         "volcanic soil on the northern slope grows coffee",
         "", "a", "tea and biscuits"]


@settings(max_examples=300, deadline=None)
@given(dense=RANKINGS, lexical=RANKINGS, texts=st.dictionaries(IDS, st.sampled_from(TEXTS)),
       files=st.dictionaries(IDS, st.sampled_from(["a.md", "b.md", "c.md"])), k=st.integers(1, 12))
def test_repeats_are_moved_never_lost_or_doubled(dense, lexical, texts, files, k) -> None:
    store = FixedRankings(dense, lexical, file_of=lambda i: files.get(i, i), text_of=lambda i: texts.get(i, i))
    hits = hybrid_search(store, [("walrus ferry", 1.0)], k=k, fusion=SHIPPED)
    ids = [h.id for h in hits]
    found = {i for i, _ in dense} | {i for i, _ in lexical}
    assert len(ids) == len(set(ids)) == min(k, len(found))
    # the repeats come last: after a passage whose text (white space aside) an earlier one shows, every passage
    # repeats an earlier one, word for word or by most of its word triples
    words = [texts.get(i, i).split() for i in ids]
    # as the search compares passages since probe 13: in plain words ("day," is "day"), a near repeat counted against
    # the smaller of the two when that one is a passage (probe 14: the model here still split at white space, and
    # drawn afresh (HYPOTHESIS_PROFILE=explore) it found "every day, weather permitting" no repeat of "every day")
    plain = [_plain_words(texts.get(i, i)) if SHIPPED.near_smaller else w for i, w in zip(ids, words)]
    triples = [set(zip(w, w[1:], w[2:])) for w in plain]

    def measure(n: int, m: int) -> int:
        smaller = SHIPPED.near_smaller and _SMALLEST_PASSAGE <= len(triples[m]) < len(triples[n])
        return len(triples[m]) if smaller else len(triples[n])

    def repeats(n: int) -> bool:
        return any(words[n] == words[m] or (triples[n] and len(triples[n] & triples[m]) >= SHIPPED.near_repeat
                                            * measure(n, m)) for m in range(n))

    first = next((n for n in range(len(ids)) if any(words[n] == words[m] for m in range(n))), None)
    if first is not None:
        assert all(repeats(n) for n in range(first, len(ids)))

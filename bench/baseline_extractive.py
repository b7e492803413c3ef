"""The extractive answer as shipped before answer units (sentences of six words or more, scored by
shared words): the baseline bench/answers.py prints beside the current one, from the same run."""

from __future__ import annotations

import math
import re

from jupyter_docchat.store.terms import query_terms
from jupyter_docchat.types import Hit

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(\[])")
_PARAGRAPH = re.compile(r"\n\s*\n")
_STEM = re.compile(r"(ing|ed|es|s|ly)$")

HOW_TO_CONFIGURE = "set OPENAI_API_KEY, point %config DocChat.base_url at an OpenAI-compatible server, or use --model local."


def _stem(word: str) -> str:
    return _STEM.sub("", word) if len(word) > 4 else word


def sentences(text: str) -> list[str]:
    """Whole sentences of at least six words; heading lines and fragments are dropped."""
    out = []
    paragraphs: list[str] = []
    for paragraph in _PARAGRAPH.split(text):
        if paragraphs and paragraphs[-1].rstrip().endswith(":"):
            paragraphs[-1] += "\n" + paragraph  # "The main causes were:" belongs to the list after it
        else:
            paragraphs.append(paragraph)
    for paragraph in paragraphs:
        lines = [line.strip() for line in paragraph.strip().splitlines()]
        while lines and len(lines[0]) < 80 and not lines[0].endswith((".", "!", "?", ":", ";", ",")):
            lines.pop(0)  # a heading or title line
        for part in _SENTENCE.split(" ".join(lines)):
            part = " ".join(part.split())
            if len(part.split()) >= 6 and len(part) <= 600:
                out.append(part)
    return out


def extract(question: str, hits: list[Hit], max_sentences: int = 3, context: str = "") -> list[tuple[str, int]]:
    """(sentence, source number) pairs, best first, at most two per source.

    ``context`` (a rewritten follow-up) adds its words at half weight, so the
    words of the question actually asked lead.
    """
    primary = {_stem(t) for t in query_terms(question)}
    weight = {t: 0.5 for t in {_stem(t) for t in query_terms(context)}}
    weight.update({t: 1.0 for t in primary})
    terms = set(weight)
    candidates = [(s, n) for n, hit in enumerate(hits, 1) for s in sentences(hit.text)]
    if not candidates:
        return []
    bags = [{_stem(w) for w in query_terms(s)} for s, _ in candidates]
    df = {t: sum(t in bag for bag in bags) for t in terms}
    total = len(candidates)

    def score(i: int) -> float:
        matched = terms & bags[i]
        idf = sum(weight[t] * math.log(1 + total / (1 + df[t])) for t in matched)
        return idf + 0.3 / candidates[i][1]

    ranked = sorted(range(total), key=lambda i: -score(i))
    best = score(ranked[0])
    picked: list[tuple[str, int]] = []
    per_source: dict[int, int] = {}
    for i in ranked:
        sentence, n = candidates[i]
        if picked and score(i) < 0.5 * best:
            break
        if per_source.get(n, 0) >= 2 or (terms and not terms & bags[i] and picked):
            continue
        picked.append((sentence, n))
        per_source[n] = per_source.get(n, 0) + 1
        if len(picked) == max_sentences:
            break
    return picked


def extractive_answer(question: str, hits: list[Hit], why: str = "", context: str = "") -> str:
    picked = extract(question, hits, context=context)
    if not picked:
        return "The indexed documents contain nothing that matches this question."
    lines = [f"- {sentence} [{n}]" for sentence, n in picked]
    reason = f" ({why})" if why else ""
    return (
        f"**Extractive answer**: the most relevant sentences from your documents, quoted as-is, "
        f"no language model{reason}.\n\n" + "\n".join(lines) + f"\n\n*For written answers, {HOW_TO_CONFIGURE}*"
    )

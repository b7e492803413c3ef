"""What a small local model's answer must pass before it is shown.

Measured on manuals outside the project (shared/notes/local-models.md): SmolLM2-135M finds the fact
now and then, then repeats it until the token cap, and never cites; a base model loops on chat
template tokens. So its answer loses repeated sentences and template tokens, and is set aside (the
extractive answer is shown instead, saying so) when it loops or cites none of its sources.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Chat-template tokens a small model writes as text when it loses track of the turn (ChatML, Gemma, Llama 3).
TEMPLATE_TOKENS = re.compile(r"<\|[a-z_]+\|>|<(?:start|end)_of_turn>", re.I)
# Where a small model's answer should end: a template token, or a new turn it starts writing itself.
STOP_STRINGS = ["<|im_start|>", "<|im_end|>", "<end_of_turn>", "<start_of_turn>", "<|eot_id|>", "\nQuestion:",
                "\nUser:"]
# A sentence or line ends here; the separator stays with the piece before it.
_PIECES = re.compile(r"[^\n]*?(?:[.!?](?=\s)|\n|$)\s*")
_CITATION = re.compile(r"\[(\d+)(?:\s*,\s*\d+)*\]|\bsources?\s+(\d+)", re.I)
_WORD = re.compile(r"\w+")
LOOP_NGRAM = 5  # words: a phrase this long said LOOP_TIMES times in one short answer is a loop, not style
LOOP_TIMES = 3


def repeat_key(piece: str) -> str:
    """A sentence as compared for repeats: its words, lower case (citations and punctuation aside)."""
    return " ".join(_WORD.findall(_CITATION.sub(" ", piece).lower()))


def pieces(text: str) -> list[str]:
    """``text`` cut after each sentence end and line break; joined again they give ``text``."""
    found = [m.group(0) for m in _PIECES.finditer(text) if m.group(0)]
    return found


def without_repeats(text: str) -> tuple[str, int]:
    """``text`` with each sentence or line that repeats an earlier one removed, and how many were."""
    seen: set[str] = set()
    kept: list[str] = []
    dropped = 0
    for piece in pieces(text):
        key = repeat_key(piece)
        if key and key in seen:
            dropped += 1
            continue
        seen.add(key)
        kept.append(piece)
    return "".join(kept), dropped


def loops(text: str) -> bool:
    """Whether one phrase of LOOP_NGRAM words comes back LOOP_TIMES times (a loop inside a sentence)."""
    words = _WORD.findall(text.lower())
    counts: dict[tuple[str, ...], int] = {}
    for i in range(len(words) - LOOP_NGRAM + 1):
        gram = tuple(words[i:i + LOOP_NGRAM])
        counts[gram] = counts.get(gram, 0) + 1
        if counts[gram] >= LOOP_TIMES:
            return True
    return False


def cites(text: str, sources: int) -> bool:
    """Whether ``text`` cites one of sources 1..``sources`` ("[2]", "[1, 3]" or "source 2")."""
    for match in _CITATION.finditer(text):
        numbers = [int(n) for n in re.findall(r"\d+", match.group(0))]
        if any(1 <= n <= sources for n in numbers):
            return True
    return False


@dataclass(frozen=True)
class Checked:
    """A small model's answer after the checks: ``text`` to show, or ``problem`` saying why it is set aside."""

    text: str
    problem: str = ""


def check_answer(text: str, sources: int, capped: bool) -> Checked:
    """``capped``: the model ran to its token cap (or was stopped for looping) instead of ending."""
    cleaned, dropped = without_repeats(TEMPLATE_TOKENS.sub("", text))
    cleaned = cleaned.strip()
    if loops(cleaned) or (dropped and capped):
        return Checked(cleaned, "repeated itself")
    if not cleaned:
        return Checked(cleaned, "was empty")
    if not cites(cleaned, sources):
        return Checked(cleaned, "cited none of its sources")
    return Checked(cleaned)


def looping_now(text: str) -> bool:
    """While streaming: the text has repeated a whole sentence or line, or a phrase, already."""
    return without_repeats(TEMPLATE_TOKENS.sub("", text))[1] > 0 or loops(text)

"""A question that names a short section is answered from the whole section, with an overview of it.

"And how did the regulators respond?" over a page titled "How regulators responded" asks for the whole
page: the depositors protected, the lending facility, the sale. Retrieval shows at most two chunks of a
file, and no single sentence answers it. When a source's section title and the question have the same
words (but for the topic's), and that section is short enough to sum up in one answer, its chunks
become one source and the offline answer quotes the section's lead and the first sentence of each part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Callable

from jupyter_docchat.qa.answer_levers import SHIPPED, AnswerLevers
from jupyter_docchat.qa.answer_units import Unit, split_units
from jupyter_docchat.qa.extractive import ANSWER_CHARS, terms, topic_words
from jupyter_docchat.safe_text import quoted_text
from jupyter_docchat.types import HeadingTrail, Hit

# Words that ask for an overview rather than name what it is of ("tell me about", "summarise").
_ASKING = frozenset(terms("tell explain describe summary summarize summarise overview outline about"))
# "What is a partial index?", "What does VACUUM do?" ask for a definition, which the scored answer finds in
# the section's first lines; an overview puts its parts' first lines beside it (measured on sqlite's VACUUM
# and amalgamation pages with sections up to 6,000 characters: a syntax line and the later parts, not the definition).
_DEFINITION = re.compile(r"^\s*(and\s+)?what\s+(is|are|does|do)\b", re.I)
_NUMBERING = re.compile(r"[\d.]+")
_PILCROW = re.compile(r"\s*¶\s*$")


@dataclass
class AskedSection:
    """The section a question names: its chunks in the file's order, the units before its first part,
    and each part's title and units."""

    heading: str  # its heading trail, as the chunks' headings start
    chunks: list[Hit]
    lead: list[Unit] = field(default_factory=list)
    parts: list[tuple[str, list[Unit]]] = field(default_factory=list)

    def merged(self, like: Hit) -> Hit:
        """The section as one source, ranked and explained as ``like``, the best of its retrieved chunks."""
        first, pages = self.chunks[0], {c.page for c in self.chunks}
        explain = dict(like.explain, levers=[*like.explain.get("levers", []), "the whole section: the question names it"]) \
            if like.explain else None
        # A notebook's section is cited by all its cells: ``like``'s own last cell (kept by replace) named only its part.
        last_cell = max((c.last_cell or c.cell for c in self.chunks if c.cell is not None), default=None)
        return replace(like, id=first.id, text="\n\n".join(c.text for c in self.chunks), heading=self.heading,
                       page=first.page if len(pages) == 1 else None, cell=first.cell, start_line=first.start_line,
                       end_line=max(c.end_line for c in self.chunks), explain=explain, last_cell=last_cell)


def title_of(heading: str) -> str:
    """The last title of a heading trail, without Sphinx's pilcrow."""
    return _PILCROW.sub("", HeadingTrail.of(heading).title).strip()


def asked_section(question: str, hits: list[Hit], file_chunks: Callable[[str], list[Hit]],
                  levers: AnswerLevers = SHIPPED) -> AskedSection | None:
    """The short section of a source whose title is what the question asks about, if there is one (the
    most specific such title of the best-ranked source that has one): the title and the question have
    the same words, but for words of the topic, which nearly every source holds, and numbers.

    A title that only contains the question's words names something narrower ("What is the amalgamation?"
    is not asked about "Building the amalgamation from canonical source code").
    """
    own = set(terms(question)) - _ASKING
    if not own or _DEFINITION.match(question):
        return None
    topic = topic_words(hits, share=levers.topic_share)

    def names(title: str) -> bool:
        words = {t for t in terms(title) if not _NUMBERING.fullmatch(t)}  # "2.1. Software Life Cycle"
        return bool(words & own) and not (words - own - topic) and not (own - words - topic)

    chunks_of: dict[str, list[Hit]] = {}
    tried: set[tuple[str, str]] = set()
    for hit in hits:
        if hit.origin != "document" or not hit.heading:
            continue
        trail = HeadingTrail.of(hit.heading)
        for depth in range(len(trail.parts), 0, -1):
            heading = str(trail.upto(depth))
            if (hit.source, heading) in tried or not names(title_of(heading)):
                continue
            tried.add((hit.source, heading))
            if hit.source not in chunks_of:
                chunks_of[hit.source] = file_chunks(hit.source)
            section = _section(chunks_of[hit.source], hit.id, heading, levers)
            if section is not None:
                return section
    return None


def _section(chunks: list[Hit], hit_id: str, heading: str, levers: AnswerLevers) -> AskedSection | None:
    """The run of chunks under ``heading`` around chunk ``hit_id``, if it is short and has parts."""
    where = next((n for n, c in enumerate(chunks) if c.id == hit_id), None)
    if where is None:
        return None  # replaced since it was retrieved

    section_trail = HeadingTrail.of(heading)

    def inside(c: Hit) -> bool:
        return section_trail.holds(HeadingTrail.of(c.heading))

    start = end = where
    while start > 0 and inside(chunks[start - 1]):
        start -= 1
    while end + 1 < len(chunks) and inside(chunks[end + 1]):
        end += 1
    run = chunks[start:end + 1]
    if sum(len(c.text) for c in run) > levers.section_chars:
        return None
    section = AskedSection(heading, run)
    depth = len(section_trail.parts)
    for c in run:
        trail = HeadingTrail.of(c.heading).parts
        for unit in split_units(c.text, c.heading):
            # A part is a chunk's heading below the section's, or a title in the text (one chunk can hold them all).
            title = trail[depth] if len(trail) > depth else unit.section
            if not title:
                section.lead.append(unit)
            elif section.parts and section.parts[-1][0] == title:
                section.parts[-1][1].append(unit)
            else:
                section.parts.append((title, [unit]))
    return section if len(section.parts) >= levers.min_parts else None


def with_section(hits: list[Hit], section: AskedSection) -> tuple[list[Hit], int]:
    """The sources with the section's retrieved chunks replaced by the whole section, where the first
    was; and the section's 1-based number among them."""
    ids = {c.id for c in section.chunks}
    inside = [h for h in hits if h.id in ids]
    best = max(inside, key=lambda h: h.score) if inside else section.chunks[0]
    at = next((n for n, h in enumerate(hits) if h.id in ids), len(hits))
    out = [h for h in hits[:at] if h.id not in ids] + [section.merged(best)] + [h for h in hits[at:] if h.id not in ids]
    return out, at + 1


def overview(section: AskedSection, n: int, levers: AnswerLevers = SHIPPED) -> str:
    """The section's lead sentence, then each part's title and first sentence, cited as source ``n``;
    parts beyond the answer's length are named as left out."""
    cite = f"[{n}]"
    lead = _first_unit(section.lead, levers.summary_words)
    lines = [f"{quoted_text(lead.quoted)} {cite}"] if lead else [f"**{_bold_safe(title_of(section.heading))}** {cite}"]
    used = len(lines[0])
    left = 0
    for n_part, (title, units) in enumerate(section.parts, 1):
        unit = _first_unit(units, levers.summary_words)
        line = f"- **{_bold_safe(title_of(title))}**" + (f": {quoted_text(unit.quoted)}" if unit else "") + f" {cite}"
        room = ANSWER_CHARS - (len(_more(99, cite)) + 1 if n_part < len(section.parts) else 0)
        if left or used + len(line) + 2 > room:
            left += 1
            continue
        lines.append(("\n" if len(lines) == 1 else "") + line)
        used += len(line) + 2
    if left:
        lines.append(_more(left, cite))
    return "\n".join(lines)


def _more(left: int, cite: str) -> str:
    return f"- ... and {left} more part{'s' if left > 1 else ''} in {cite}"


def _first_unit(units: list[Unit], words: int) -> Unit | None:
    """The first sentence, item or definition that says something: a code block, a label ("NAME",
    "get_merge_tool", a date) or a list's introduction alone is no summary (its first item is)."""
    return next((u for u in units if u.kind != "code" and len(u.quoted.split()) >= words
                 and not (u.kind == "sentence" and u.text.rstrip().endswith(":"))), None)


def _bold_safe(title: str) -> str:
    return title.replace("*", "").strip() or "(untitled)"

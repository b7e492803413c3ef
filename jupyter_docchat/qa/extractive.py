"""The offline answer: the unit of the sources that answers the question, quoted and cited.

No language model is needed. Each source is split into answer units (sentences, list items with
their introduction, definitions, table rows, code blocks: ``answer_units``). Units are scored by
meaning (the offline embedding model, on the question's own session, a few dozen short texts), by
the question's words (identifiers such as ``max_wal_senders`` or ``--depth`` as whole tokens), by
the rank of their source, and by cues from the question's form: a "why" wants a cause, a "how do I"
wants steps or a command, a "what is the default" wants a value. The best unit comes first with the
units that continue it, then at most two that support it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Iterable

from jupyter_docchat.qa.answer_units import Unit, split_units
from jupyter_docchat.qa.vector_cache import Embed, cosine, vectors
from jupyter_docchat.safe_text import cut, quoted_text
from jupyter_docchat.table_text import table_lines
from jupyter_docchat.types import HeadingTrail, Hit

# Said by the CLI and the notebook alike: environment variables and --model are what both take.
HOW_TO_CONFIGURE = "set OPENAI_API_KEY (and OPENAI_BASE_URL for another OpenAI-compatible server), or use --model local."
NOTHING = "The indexed documents contain nothing that matches this question."
ANSWER_CHARS = 1200  # the whole quoted answer
ALSO = "\n\nAlso:\n"  # between the best unit and the supporting ones
BEST_CHARS = 800  # the best unit and the units that continue it
# The start of a unit that is embedded (None: all of it, up to the model's window). 160 cut latex's p50 from
# 228 to 137 ms but lost a question on handbook and on latex, as did 300: not kept.
EMBED_CHARS: int | None = None
EMBEDDED_UNITS = 20  # units scored by meaning per question (16 and 24 answer the same, no faster; 10 lost on two corpora)

# Identifiers stay whole: max_wal_senders, --include-untracked, \timing, git-daemon, 9418, 3.11.
_TOKEN = re.compile(r"--?[\w][\w-]*|\\[a-z]+|[\w][\w.-]*[\w]|[\w]")
_STOP = frozenset(
    "a an and are as at be but by can did do does for from had has have how i if in into is it its of on or s so "
    "such t than that the their then there these they this to was were what when where which while who whom why "
    "will with would you your me my we our us not no should could get use using".split())
_STEM = re.compile(r"(ing|ed|es|s|ly)$")
_WHY = re.compile(r"\b(why|caus\w*|reasons?)\b", re.I)
_CAUSE = re.compile(r"\b(because|due to|caus\w*|reasons?|led to|lead to|result(ed|s)? (in|from)|as a result|so that)\b", re.I)
# "How does X decide ..." asks how something works, not for steps (measured: sqlite and handbook +1 each).
_HOW = re.compile(r"^\s*(how\s+(do|can|should|would|to)|how to|what command|which command)\b", re.I)
_VALUE = re.compile(r"\b(defaults?|how (many|much|long|big|large|often)|(what|which)( \w+)? (port|version|value|number|code|"
                    r"size|limit|maximum|minimum|status|year|date|percent\w*|amount))\b", re.I)
# A command, option, setting or identifier in running text: what a "how do I" answer names.
_ACTIONABLE = re.compile(r"`[^`]+`|\b[a-z]+_[a-z_]+\b|(?:^|\s)--?[a-z][\w-]+|\\[a-zA-Z]+|\b[A-Z]{3,}\b(?:\s+[A-Z]{2,}\b)+|\w+\s*=\s*\w|\b\w+\(\)"
                         r"|(?:^|\s)/(?:[\w.-]+/)+[\w.-]+"  # ... a file path (/etc/dhcp/dhcpd.conf)
                         r"|(?:^|\s)-[a-zA-Z](?=\s|$)")  # ... a one-letter option (crontab -e)
_WHO = re.compile(r"^\s*(and\s+)?(who|whom|whose|which (company|bank|firm|person|organi[sz]ation))\b", re.I)
_NAME = re.compile(r"(?<=[a-z,;] )[A-Z][\w&.'-]+(?: [A-Z][\w&.'-]+)+")  # a name of two words or more, mid-sentence
_NUMBER = re.compile(r"\d")
_NAMED_VALUE = re.compile(r"\b(none|true|false|on|off|empty|unlimited|disabled|enabled)\b", re.I)
_IDENTIFIER = re.compile(r"[_\\]|^-|\d")


def terms(text: str) -> list[str]:
    """Content tokens of a text, lower-cased and lightly stemmed; identifiers kept whole."""
    out = []
    for token in _TOKEN.findall(text.lower()):
        if token in _STOP or (len(token) == 1 and not token.isdigit()):
            continue
        out.append(_STEM.sub("", token) if len(token) > 4 and token.isalpha() else token)
    return out


# A unit's "update-grub" or "max_wal_senders" also holds "grub" and "senders" for a question's plain words
# (dotted names and TeX commands stay whole: "latex.ltx" holding "latex" lost on latex).
PARTS = True
_PART = re.compile(r"[a-z]{3,}")


def _with_parts(tokens: list[str]) -> set[str]:
    words = set(tokens)
    if PARTS:
        for token in tokens:
            if ("-" in token or "_" in token) and "." not in token and "\\" not in token:
                words.update(_STEM.sub("", w) if len(w) > 4 else w for w in _PART.findall(token) if w not in _STOP)
    return words


# A unit is embedded under the title it stands below in the text ("SESSION_COOKIE_AGE" over "Default: 1209600"),
# as a chunk is under its heading trail. Off: the unit alone.
EMBED_SECTION = True


def _in_context(c: "Candidate") -> str:
    return f"{c.unit.section}\n{c.unit.quoted}" if EMBED_SECTION and c.unit.section else c.unit.quoted


def _embedded(text: str) -> str:
    """What of a unit is embedded: its start, cut at a word (a long unit pads its whole batch)."""
    return text if EMBED_CHARS is None else cut(text, EMBED_CHARS, at_word=True, mark="")


@dataclass
class Candidate:
    unit: Unit
    source: int  # 1-based source number
    position: int  # order within its source
    words: set[str]
    lexical: float = 0.0
    meaning: float = 0.0
    bonus: float = 0.0  # the source's rank and the question's form
    score: float = 0.0


CONTEXT_WEIGHT = 0.5  # a word of the turn a follow-up continues counts this much against the question's own (0.25, 0.1: the same)
SOURCE_RANK = 0.05  # a unit of the first source gets this much, of the nth this over n (0.15 lost on two corpora)
TOPIC_WEIGHT = 0.5  # a question word nearly all sources share names the topic, not what is asked about (0.3 lost one on django; 0.7 and 1.0 lost on the quickstart and latex)
TOPIC_SHARE = 0.75
HEADING_WEIGHT = 0.5  # a word of the section a unit stands in counts for it, at this weight
# ... and an identifier in it in full: under a heading SESSION_COOKIE_AGE, "Default: 1209600" is about it.
HEADING_IDENTIFIER_WEIGHT = 1.0
COLON_CONTINUES = True  # a best unit ending in ':' is quoted with the block, list or sentence it introduces
HOW_CODE, HOW_ACTIONABLE = 0.20, 0.12  # a "how do I" question's bonus for a code block, for a named command
HOW_DEFINITION = True  # ... and a definition entry whose term is a command or option counts as code
MEANING_WEIGHT = 0.5  # of a shortlisted unit's score, the rest its words (0.4 and 0.6 each lost on handbook and django)
CONTINUE_SHARE = 0.6  # the next unit of the best one's paragraph is quoted with it when it scores this share of it (0.4 the same; 0.0 lost two on latex)
SUPPORT_SHARE = 0.5  # a supporting unit scores at least this share of the best (0.75 lost 2 on handbook; 0.65 and 0.55 lost one on sqlite, 0.45 the same as 0.5)


# A question that asks for several things ("What converter types can I use?", "Which options does it take?",
# "What are the ...?") whose best unit is a table row is answered with the table: its header and rows, up
# to the answer's length. Off: the row alone, as any unit.
TABLE_FOR_SEVERAL = True
_AUXILIARY = r"(?:are|can|could|do|does|did|should|will|would|must|may|might|is|was|were|has|have)"
_SEVERAL = re.compile(
    rf"^\s*(?:(?:what|which)\s+(?:are|were)\b|(?:list|name)\s|(?:what|which)\s+(?:kinds?|types?|sorts?)\s+of\b"
    # "what converter types can", "which options does": a plural noun (not an identifier such as pack-refs), then a verb
    rf"|(?:what|which)\s+(?:(?!{_AUXILIARY}\b)[a-z-]+\s+){{0,2}}[a-z]*[^\Wsu\d_]s\s+(?:{_AUXILIARY}|exist)\b)", re.I)


def asks_several(question: str) -> bool:
    return bool(_SEVERAL.search(question))


DEFAULT_CUE = 0.1  # "what is the default ...": a unit that states a default ("Default: 300", "defaults to 10") (0.2 the same)
_ASKS_DEFAULT = re.compile(r"\bdefaults?\b|\bby default\b", re.I)
_STATES_DEFAULT = re.compile(r"^default\s*:|\bdefaults? (is|to|value is)\b|\bby default\b", re.I)


def _heading_weight(term: str) -> float:
    return HEADING_IDENTIFIER_WEIGHT if _IDENTIFIER.search(term) else HEADING_WEIGHT


def _how_bonus(unit: Unit) -> float:
    """What a unit offers a "how do I" question: a block or an entry to copy, a named command, a step."""
    if unit.kind == "code" or (HOW_DEFINITION and unit.kind == "definition"
                               and _ACTIONABLE.search(unit.text.split(":", 1)[0])):
        return HOW_CODE
    if _ACTIONABLE.search(unit.quoted):
        return HOW_ACTIONABLE
    return 0.05 if unit.kind == "item" else 0.0


def _form_bonus(question: str, unit: Unit, heading: str = "") -> float:
    text = unit.quoted
    bonus = 0.0
    if _WHY.search(question) and (_CAUSE.search(text) or (HeadingTrail.of(heading).nested and _WHY.search(HeadingTrail.of(heading).title))):
        bonus += 0.12
    if _HOW.search(question):
        # Measured by bench/answers.py: 0.12 / 0.08 let a definition of the topic ("cron is the daemon ...")
        # outrank the command that does it; 0.20 / 0.12 with paths and one-letter options lost nowhere and
        # gained on handbook and latex; 0.28 / 0.16 lost on django.
        bonus += _how_bonus(unit)
    if _WHO.search(question) and _NAME.search(text):
        bonus += 0.1
    if _VALUE.search(question):
        bonus += 0.12 if _NUMBER.search(text) else 0.05 if _NAMED_VALUE.search(text) else 0.0
        if DEFAULT_CUE and _ASKS_DEFAULT.search(question) and _STATES_DEFAULT.search(unit.text):
            bonus += DEFAULT_CUE
    return bonus


def topic_words(hits: list[Hit], words: Iterable[str] | None = None) -> set[str]:
    """Which of ``words`` (of every term, without them) nearly every source holds: they name the topic,
    not what is asked about it. With one source, none."""
    in_hits = [set(terms(f"{hit.heading} {hit.text}")) for hit in hits]
    if len(in_hits) < 2:
        return set()
    return {t for t in (set().union(*in_hits) if words is None else words)
            if sum(t in held for held in in_hits) >= TOPIC_SHARE * len(in_hits)}


def rank_units(question: str, hits: list[Hit], context: str = "", embed: Embed | None = None) -> list[Candidate]:
    """Every unit of the sources, best first."""
    weight = {t: CONTEXT_WEIGHT for t in terms(context)}
    weight.update({t: 1.0 for t in terms(question)})
    topic = topic_words(hits, weight)
    for t in weight:  # "What caused the collapse of SVB?" over SVB's documents is about "caused"
        if _IDENTIFIER.search(t):
            continue  # an identifier asked about (SESSION_COOKIE_AGE, --depth) is the point, however common
        if t in topic:
            weight[t] *= TOPIC_WEIGHT
    headings = {n: hit.heading for n, hit in enumerate(hits, 1)}
    # The section a unit stands in (below the page title, which names the topic, not the part).
    section = {n: set(terms(HeadingTrail.of(hit.heading).title)) if HeadingTrail.of(hit.heading).nested else set()
               for n, hit in enumerate(hits, 1)}
    candidates = [Candidate(u, n, p, _with_parts(terms(u.quoted)))
                  for n, hit in enumerate(hits, 1) for p, u in enumerate(split_units(_unit_source(hit), hit.heading))]
    if not candidates:
        return []
    total = len(candidates)
    idf = {t: math.log(1 + total / (1 + sum(t in c.words for c in candidates))) for t in weight}
    norm = sum(weight[t] * idf[t] for t in weight) or 1.0
    titled: dict[str, set[str]] = {}
    for c in candidates:
        where = titled.setdefault(c.unit.section, set(terms(c.unit.section))) if c.unit.section else section[c.source]
        c.lexical = sum(weight[t] * idf[t] * (1.0 if t in c.words else _heading_weight(t) if t in where else 0.0)
                        for t in weight) / norm
        c.bonus = SOURCE_RANK / c.source + _form_bonus(question, c.unit, headings[c.source])
        c.score = c.lexical + c.bonus
    if embed is not None:
        shortlist = sorted(candidates, key=lambda c: -c.score)[:EMBEDDED_UNITS]
        # The question rides in the units' batches: one run of the session fewer.
        asked, *embedded = vectors([question] + [_embedded(_in_context(c)) for c in shortlist], embed)
        for c, vector in zip(shortlist, embedded):
            c.meaning = max(0.0, cosine(asked, vector))
            c.score = MEANING_WEIGHT * c.meaning + (1 - MEANING_WEIGHT) * c.lexical + c.bonus
        for c in candidates:
            if c not in shortlist:
                c.score = (1 - MEANING_WEIGHT) * c.lexical + SOURCE_RANK / c.source  # not scored by meaning: below the shortlist
    return sorted(candidates, key=lambda c: -c.score)


LEAD_TAKEN = True  # the second sentence of a paragraph comes with its first, which names the subject (handbook, git +1)
ANAPHOR_TAKES_PREVIOUS = True  # a best sentence opening with "It", "This", "They"... comes with the one before
SUPPORT_CONTINUES = 1  # up to this many sentences after a supporting one continue it, as the best one's do (sqlite, handbook, git +1)
ANAPHOR_SUPPORT = True  # ... and so does a supporting one (handbook +1: "This is an outstanding tool..." names Samba)
_ANAPHOR = re.compile(r"^(it|this|these|that|those|they|its|their|such|here|then|also|however|otherwise)\b", re.I)


def _continuation(best: Candidate, ranked: list[Candidate], question: str = "") -> list[Candidate]:
    """The best unit and the units right after it in its block that continue it, within BEST_CHARS;
    a list is quoted from its first item, and a table whole (up to ANSWER_CHARS) when the question asks
    for several things."""
    block = sorted((c for c in ranked if c.source == best.source and c.unit.block == best.unit.block),
                   key=lambda c: c.position)
    if TABLE_FOR_SEVERAL and best.unit.kind == "row" and best.unit.cells and asks_several(question):
        return _table_of(best, block, [])
    if best.unit.kind == "item":
        items = [c for c in block if c.unit.kind == "item" and c.unit.intro == best.unit.intro]
        if sum(len(c.unit.text) for c in items) <= BEST_CHARS:
            best = items[0]
    before = _sentence_before(best, block)
    if before is not None and len(before.unit.text) + len(best.unit.text) <= BEST_CHARS:
        if ANAPHOR_TAKES_PREVIOUS and _ANAPHOR.match(best.unit.text):
            best = before  # "It ..." is quoted with the sentence that says what "it" is
        elif LEAD_TAKEN and not _ANAPHOR.match(best.unit.text) and before is block[0]:
            best = before  # the second sentence of a paragraph comes with the first, which names its subject
    same_block = [c for c in block if c.position > best.position]
    taken, used = [best], len(best.unit.quoted)
    for c in same_block:
        if c.position != taken[-1].position + 1:
            break
        if best.unit.kind == "row" and best.unit.cells:
            break  # a table's next row is another thing, not more of this one
        continues = c.unit.kind == best.unit.kind == "item" or c.score >= CONTINUE_SHARE * best.score
        size = len(c.unit.text)
        if not continues or used + size > BEST_CHARS:
            break
        taken.append(c)
        used += size
    if COLON_CONTINUES and taken[-1].unit.text.rstrip().endswith(":"):
        # "... as follows:" promises what comes next, whatever its block: the command, list or table it introduces.
        following = [c for c in ranked if c.source == best.source and c.position == taken[-1].position + 1]
        if following and following[0].unit.kind == "row" and following[0].unit.cells:
            rows = sorted((c for c in ranked if c.source == best.source and c.unit.block == following[0].unit.block),
                          key=lambda c: c.position)
            return _table_of(following[0], rows, taken)
        if following and used + len(following[0].unit.text) <= ANSWER_CHARS:
            taken.append(following[0])
    return taken


def _table_of(row: Candidate, rows: list[Candidate], before: list[Candidate]) -> list[Candidate]:
    """``before`` and the rows of ``row``'s table in order, from its first as far as ANSWER_CHARS allows
    (from ``row`` itself when it would not be among them)."""
    start = 0
    while True:
        taken = list(before)
        for c in rows[start:]:
            if taken and len(_quote(taken + [c])) > ANSWER_CHARS:
                break
            taken.append(c)
        if row in taken or start == rows.index(row):
            return taken
        start = rows.index(row)


def extract(question: str, hits: list[Hit], context: str = "", embed: Embed | None = None) -> list[list[Candidate]]:
    """Groups of units to quote, best first: the best unit with its continuation, then supporting units."""
    ranked = rank_units(question, hits, context, embed)
    # The best unit that answers anything: a code block's bonus can lift one that shares nothing with the question.
    best = next((c for c in ranked if _matches(c, embed is not None)), None)
    if best is None:
        return []
    groups = [_continuation(best, ranked, question)]
    used = len(_quote(groups[0]))  # as rendered: the whole answer, markup and citations too, within ANSWER_CHARS
    taken = {(c.source, c.position) for c in groups[0]}
    said = {_said(c.unit.text) for c in groups[0]}  # the same sentence in two sources is quoted once
    for c in ranked:
        if len(groups) == 3 or c.score < SUPPORT_SHARE * best.score:
            break
        if (c.source, c.position) in taken or _said(c.unit.text) in said or not _matches(c, embed is not None):
            continue
        said.add(_said(c.unit.text))
        group = _with_antecedent(c, ranked, taken) if ANAPHOR_SUPPORT else [c]
        if SUPPORT_CONTINUES:
            group += _sentences_after(c, ranked, taken)
        group = [u for u in group if u is c or _said(u.unit.text) not in said]  # nor what another source said
        size = len(_supporting(group)) + len(ALSO if len(groups) == 1 else "\n")
        if used + size > ANSWER_CHARS:
            continue
        groups.append(group)
        taken.update((u.source, u.position) for u in group)
        said.update(_said(u.unit.text) for u in group)
        used += size
    return groups


def _sentences_after(c: Candidate, ranked: list[Candidate], taken: set[tuple[int, int]]) -> list[Candidate]:
    """The sentences right after a supporting sentence in its block that continue it (as the best unit's do)."""
    if c.unit.kind != "sentence":
        return []
    by_place = {(u.source, u.position): u for u in ranked}
    out: list[Candidate] = []
    last = c
    while len(out) < SUPPORT_CONTINUES:
        nxt = by_place.get((c.source, last.position + 1))
        if (nxt is None or nxt.unit.kind != "sentence" or nxt.unit.block != c.unit.block
                or (nxt.source, nxt.position) in taken or nxt.score < CONTINUE_SHARE * c.score):
            break
        out.append(nxt)
        last = nxt
    return out


def _with_antecedent(c: Candidate, ranked: list[Candidate], taken: set[tuple[int, int]]) -> list[Candidate]:
    """A sentence opening with "This", "It"... and the sentence before it in its block, which says what that is."""
    if not _ANAPHOR.match(c.unit.text):
        return [c]
    before = _sentence_before(c, ranked)
    return [before, c] if before is not None and (before.source, before.position) not in taken else [c]


def _sentence_before(c: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """The sentence right before sentence ``c`` in its block, if there is one among ``candidates``."""
    if c.unit.kind != "sentence":
        return None
    return next((b for b in candidates if b.source == c.source and b.position == c.position - 1
                 and b.unit.kind == "sentence" and b.unit.block == c.unit.block), None)


def _said(text: str) -> str:
    return " ".join(_TOKEN.findall(text.lower()))


def _matches(c: Candidate, by_meaning: bool) -> bool:
    """Whether a unit answers anything at all: it shares a word with the question, or means much the same."""
    return c.lexical > 0 or (by_meaning and c.meaning >= 0.45)


_MARKDOWN_ITEM = re.compile(r"^(?:[-*+]|\d{1,9}[.)])\s")  # an item that keeps its own marker ("1.", "-")


def _fenced(code: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}\n{code}\n{fence}"


def _quote(group: list[Candidate]) -> str:
    """A group in its source's order: sentences run on, items are bullets, code is fenced; a unit's
    introduction is shown once, before the first unit (later ones follow the unit that introduced them)."""
    cite = f"[{group[0].source}]"
    parts: list[str] = []  # each a paragraph
    for n, c in enumerate(group):
        unit, previous = c.unit, group[n - 1].unit if n else None
        same_run = previous is not None and previous.kind == unit.kind and previous.block == unit.block
        # A document's own "[1]" is escaped (but in a fenced block, where nothing is linked)
        text, intro = unit.text if unit.kind == "code" else quoted_text(unit.text), quoted_text(unit.intro)
        if n == 0 and intro and unit.kind in ("code", "item"):
            parts.append(intro)
        if unit.kind == "code":
            parts.append(_fenced(text))
        elif unit.kind == "item":
            line = text if _MARKDOWN_ITEM.match(text) else f"- {text}"
            parts[-1:] = [f"{parts[-1]}\n{line}"] if same_run else parts[-1:] + [line]
        elif unit.kind == "row" and unit.cells:
            if same_run:
                continue  # quoted with the first row of its run
            run = [c.unit for c in group[n:]]
            run = run[:next((k for k, u in enumerate(run) if u.kind != "row" or u.block != unit.block), len(run))]
            shown = any(u.kind != "row" and u.text == unit.intro for u in (c.unit for c in group[:n]))
            parts.extend(_table_quote(run, unit.intro if n == 0 and not shown else ""))
        elif unit.kind == "row":
            parts.append(f"{intro}: {text}" if intro and n == 0 else text)
        else:
            parts[-1:] = [f"{parts[-1]} {text}"] if same_run else parts[-1:] + [text]
    # A citation after a table stands below it: on its last row it would be read as one more cell.
    last = "\n" if group[-1].unit.kind == "code" else "\n\n" if parts[-1].rsplit("\n", 1)[-1].startswith("|") else " "
    return "\n\n".join(parts) + f"{last}{cite}"


def _table_quote(rows: list[Unit], intro: str) -> list[str]:
    """Paragraphs quoting table rows: one row as it reads alone ("header: value; ..."); several as a
    table with its header (a list of rows when the table has none), saying how many rows are left out."""
    parts = [quoted_text(intro)] if intro and (len(rows) > 1 or not rows[0].header) else []
    if len(rows) == 1:
        return parts + [quoted_text(rows[0].text)]
    if rows[0].header:
        parts.append(quoted_text("\n".join(table_lines(rows[0].header, [u.cells for u in rows]))))
    else:
        parts.append("\n".join(f"- {quoted_text(u.text)}" for u in rows))
    left = rows[0].table_rows - len(rows)
    if left > 0:
        parts[-1] += f"\n\n({left} more row{'s' if left > 1 else ''})" if rows[0].header else f"\n- … ({left} more)"
    return parts


def _supporting(group: list[Candidate]) -> str:
    """A supporting unit on one bullet (a code block keeps its fence)."""
    c = group[0]
    if c.unit.kind == "code":
        return _quote(group)
    return f"- {' '.join(quoted_text(u.unit.quoted) for u in group)} [{c.source}]"


def extractive_answer(question: str, hits: list[Hit], why: str = "", context: str = "",
                      embed: Embed | None = None) -> str:
    groups = extract(question, hits, context, embed)
    if not groups:
        return NOTHING
    body = _quote(groups[0])
    if len(groups) > 1:
        body += ALSO + "\n".join(_supporting(g) for g in groups[1:])
    return with_notice(body, why)


def with_notice(body: str, why: str = "") -> str:
    """A quoted answer and the one line saying it is quoted, why, and how to get written answers."""
    reason = f": {why}" if why else ""
    return f"{body}\n\n*Extractive answer, quoted from your documents (no language model{reason}). For written answers, {HOW_TO_CONFIGURE}*"


def _unit_source(hit: Hit) -> str:
    """The text to split into units: a code cell or a variable's description is quoted whole, verbatim
    (as a code block), never broken into sentences; documents and Markdown cells are split as written."""
    if hit.origin == "variable" or (hit.origin == "cell" and not hit.heading.startswith("markdown")):
        return f"```\n{hit.text}\n```"
    return hit.text

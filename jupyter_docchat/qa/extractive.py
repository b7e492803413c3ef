"""The offline answer: the unit of the sources that answers the question, quoted and cited.

No language model is needed. Each source is split into answer units (sentences, list items with
their introduction, definitions, table rows, code blocks: ``answer_units``). Units are scored by
meaning (the offline embedding model, on the question's own session, a few dozen short texts), by
the question's words (identifiers such as ``max_wal_senders`` or ``--depth`` as whole tokens), by
the rank of their source, and by cues from the question's form: a "why" wants a cause, a "how do I"
wants steps or a command, a "what is the default" wants a value. The best unit comes first with the
units that continue it, then at most two (``AnswerLevers.support_units``) that support it.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import AbstractSet as Set, Iterable

from jupyter_docchat.indexing.readers import CODE_EXTS, HTML_EXTS, format_suffix, read_as
from jupyter_docchat.qa.answer_levers import SHIPPED, AnswerLevers
from jupyter_docchat.retrieval.release_notes import asks_about_changes, is_release_notes
from jupyter_docchat.qa.answer_units import Unit, is_caption, split_units
from jupyter_docchat.qa.compound_names import names_compound, question_words
from jupyter_docchat.qa.vector_cache import Embed, cosine, vectors
from jupyter_docchat.safe_text import fenced, quoted_text, searchable
from jupyter_docchat.store.terms import STOPWORDS
from jupyter_docchat.table_text import table_lines
from jupyter_docchat.types import OUTPUT_LABEL, HeadingTrail, Hit

# Said by the CLI and the notebook alike: environment variables and --model are what both take.
HOW_TO_CONFIGURE = "set OPENAI_API_KEY (and OPENAI_BASE_URL for another OpenAI-compatible server), or use --model local."
NOTHING = "The indexed documents contain nothing that matches this question."
CLOSEST_CELL = "No sentence of the sources matches this question; the cell of this notebook that matches it best:"
# The whole quoted answer: bench/answers.py counts an answer of at most 1,200 characters, about what a
# cell shows without scrolling.
ANSWER_CHARS = 1200
LIST_CHARS = 400  # a supporting list item brings its list when the list is this short (AnswerLevers.loose_lists)
ALSO = "\n\nAlso:\n"  # between the best unit and the supporting ones
BEST_CHARS = 800  # the best unit and the units that continue it: two thirds of the answer, the rest supports it
# A unit is embedded whole, up to the model's window: its first 160 characters cut latex's p50 from 228 to
# 137 ms but lost a question on handbook and on latex, as did 300.

# Identifiers stay whole: max_wal_senders, --include-untracked, \timing, git-daemon, 9418, 3.11.
_TOKEN = re.compile(r"--?[\w][\w-]*|\\[a-z]+|[\w][\w.-]*[\w]|[\w]")
# The keyword index's stopwords, and the verbs of asking: "How should I use X to get Y" names X and Y; a
# sentence's "use" or "get" says nothing about what it answers.
_ANSWER_STOPWORDS = STOPWORDS | frozenset("should could get use using".split())
_STEM = re.compile(r"(ing|ed|es|s|ly)$")
_WHY = re.compile(r"\b(why|caus\w*|reasons?)\b", re.I)
_CAUSE = re.compile(r"\b(because|due to|caus\w*|reasons?|led to|lead to|result(ed|s)? (in|from)|as a result|so that)\b", re.I)
# "How does X decide ..." asks how something works, not for steps (measured: sqlite and handbook +1 each).
_HOW = re.compile(r"^\s*(how\s+(do|can|should|would|to)|how to|what command|which command)\b", re.I)
# ... anywhere in the question: "My tool prints pages of text; how can the user scroll through it?", "what should I set".
_ASKS_HOW = re.compile(r"\bhow\s+(do|can|could|should|would|to)\b|\bwhat\s+(command|option|setting|flag)\b"
                       r"|\bwhat\s+(should|must|do|can)\s+(i|we|you)\s+(set|do|run|use|type|call|add|change|pass)\b", re.I)
_VALUE = re.compile(r"\b(defaults?|how (many|much|long|big|large|often)|(what|which)( \w+)? (port|version|value|number|code|"
                    r"size|limit|maximum|minimum|status|year|date|percent\w*|amount))\b", re.I)
# A command, option, setting or identifier in running text: what a "how do I" answer names.
_ACTIONABLE = re.compile(r"`[^`]+`|\b[a-z]+_[a-z_]+\b|(?:^|\s)--?[a-z][\w-]+|\\[a-zA-Z]+|\b[A-Z]{3,}\b(?:\s+[A-Z]{2,}\b)+|\w+\s*=\s*\w|\b\w+\(\)"
                         r"|(?:^|\s)/(?:[\w.-]+/)+[\w.-]+"  # ... a file path (/etc/dhcp/dhcpd.conf)
                         r"|(?:^|\s)-[a-zA-Z](?=\s|$)")  # ... a one-letter option (crontab -e)
# An error message or traceback quoted in the text is the problem, not what solves it.
_SYMPTOM = re.compile(r"Traceback \(most recent call last\)|^\s*(\w+\.)*\w*(Error|Exception|Warning)\b\s*:|^\s*(error|fatal|E):\s"
                      r"|\b(if|when) you (see|get|encounter)\b[^.]*\b(error|message|exception|warning)", re.I | re.M)
_WHO = re.compile(r"^\s*(and\s+)?(who|whom|whose|which (company|bank|firm|person|organi[sz]ation))\b", re.I)
_NAME = re.compile(r"(?<=[a-z,;] )[A-Z][\w&.'-]+(?: [A-Z][\w&.'-]+)+")  # a name of two words or more, mid-sentence
_NUMBER = re.compile(r"\d")
_NAMED_VALUE = re.compile(r"\b(none|true|false|on|off|empty|unlimited|disabled|enabled)\b", re.I)
_IDENTIFIER = re.compile(r"[_\\]|^-|\d")
_CROSS_REFERENCE = re.compile(
    r"^\W*(see|refer to|consult|read)\b|^\W*for (more|further|additional|details|information|an? (overview|explanation|"
    r"description|discussion))\b.*\bsee\b|\b(is|are) (described|discussed|explained|covered|documented) (in|at|under|below)\b", re.I)
# A section number, or a caption's label and number, then a few words with no end of a sentence in or after them.
# The number's parts are told apart by their dots alone: "(\d+\.?)*" could split a run of digits anywhere, and a
# sentence opening with pi's digits ("3.14159265358979323846 is ...") took twice as long per digit (minutes).
_NUMBERED_TITLE = re.compile(r"^\s*((Example|Figure|Table|Listing|Chapter|Section|Part|Appendix)\s+)?"
                             r"(\d+|[A-Z])\.(?:\d+\.)*\d*\s+(?!.*[.!?;]\s)\S.{0,79}(?<![.!?:;,])$")
# A line of a table of contents: a title, then dot leaders to its page number ("4.7 Check statement . . . . 39"):
# spaced dots (a PDF's leaders, whose number may stand in the next unit), or a run of dots ending in a number.
# "Checking dependencies...... done" and "tests/x.py ........ [100%]" are no such line (probe 23). Matched from a
# run's first dot only: from each of its dots, a line of 8,000 dots took 3.4 s (probe 23).
_LEADERS = re.compile(r"(?<!\.)(?<!\.\s)(?:\.\s){5,}\.|(?<!\.)\.{6,}\s*\d{1,5}\s*$")
_WHAT_IS = re.compile(r"^\s*(and\s+)?what(\s+exactly)?\s+(is|are|does|do)\b(?!\s+(the\s+)?(default|difference|purpose|point))", re.I)
_DEFINES = re.compile(r"^(?P<subject>[^.;:]{1,80}?)\s+(is|are|refers? to|means|stands for|denotes)\s+(a|an|the|one|used|called|any)\b",
                      re.I)
# A negation as questions and documents write it (a "no" alone is too often "no longer", "No." or a count).
_NEGATION = re.compile(r"\b(not|never|cannot|without|neither|nor)\b|n't\b", re.I)  # n't: can't, don't, won't ...
_WHERE = re.compile(r"^\s*(and\s+)?(where|in which (file|directory|folder|place))\b", re.I)
_PLACE = re.compile(r"(?:^|[\s`(\"'])(?:~?/[\w.-]+(?:/[\w.*-]+)*|[A-Z]:\\\S+)|https?://\S+|\b[\w.-]+\.(conf|cfg|ini|ya?ml|toml|json|rc)\b")


def terms(text: str) -> list[str]:
    """Content tokens of a text, lower-cased and lightly stemmed; identifiers kept whole."""
    out = []
    for token in _TOKEN.findall(text.lower()):
        if token in _ANSWER_STOPWORDS or (len(token) == 1 and not token.isdigit()):
            continue
        out.append(_STEM.sub("", token) if len(token) > 4 and token.isalpha() else token)
    return out


# A unit's "update-grub" or "max_wal_senders" also holds "grub" and "senders" for a question's plain words
# (dotted names and TeX commands stay whole: "latex.ltx" holding "latex" lost on latex).
_PART = re.compile(r"[a-z]{3,}")


def _with_parts(tokens: list[str]) -> set[str]:
    words = set(tokens)
    for token in tokens:
        if ("-" in token or "_" in token) and "." not in token and "\\" not in token:
            words.update(_STEM.sub("", w) if len(w) > 4 else w for w in _PART.findall(token) if w not in _ANSWER_STOPWORDS)
    return words


def _in_context(c: "Candidate") -> str:
    """A unit as embedded: under the title it stands below in the text ("SESSION_COOKIE_AGE" over
    "Default: 1209600"), as a chunk is under its heading trail."""
    return f"{c.unit.section}\n{c.unit.quoted}" if c.unit.section else c.unit.quoted


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


# A question that asks for several things ("What converter types can I use?", "Which options does it take?",
# "What are the ...?") whose best unit is a table row is answered with the table: its header and rows, up
# to the answer's length.
_AUXILIARY = r"(?:are|can|could|do|does|did|should|will|would|must|may|might|is|was|were|has|have)"
_SEVERAL = re.compile(
    rf"^\s*(?:(?:what|which)\s+(?:are|were)\b|(?:list|name)\s|(?:what|which)\s+(?:kinds?|types?|sorts?)\s+of\b"
    # "what converter types can", "which options does": a plural noun (not an identifier such as pack-refs), then a verb
    rf"|(?:what|which)\s+(?:(?!{_AUXILIARY}\b)[a-z-]+\s+){{0,2}}[a-z]*[^\Wsu\d_]s\s+(?:{_AUXILIARY}|exist)\b)", re.I)


def asks_several(question: str) -> bool:
    return bool(_SEVERAL.search(question))


# A question that compares the rows of a table ("Which compressor decompresses fastest?") is answered only by
# reading them all: when its best unit is a row, the table is quoted as for several things. Superlatives of
# adjectives only: "maximum", "minimum" and "most" name one row as often ("the maximum number of consumers").
_COMPARES = re.compile(
    r"\b(?:best|worst|(?:fast|slow|quick|larg|small|bigg|high|low|long|short|new|old|lat|earli|cheap|strong|weak)est)\b",
    re.I)


def compares_rows(question: str) -> bool:
    return bool(_COMPARES.search(question))


_TABLE = re.compile(r"\btables?\b", re.I)  # "according to its availability table"


def asks_table(question: str) -> bool:
    """Whether a whole table may answer: the question asks for several things, compares rows or names a table."""
    return asks_several(question) or compares_rows(question) or bool(_TABLE.search(question))


_ASKS_DEFAULT = re.compile(r"\bdefaults?\b|\bby default\b", re.I)
_STATES_DEFAULT = re.compile(r"^default\s*:|\bdefaults? (is|to|value is)\b|\bby default\b", re.I)


def _cell_name(cell: str) -> str:
    """A row's first cell as a name: "`--port`", "**pytest-xdist**" read "--port", "pytest-xdist"."""
    return cell.strip().strip("`*").strip().lower()


def _heading_weight(term: str, levers: AnswerLevers) -> float:
    return levers.heading_identifier_weight if _IDENTIFIER.search(term) else levers.heading_weight


def _how_bonus(unit: Unit, levers: AnswerLevers) -> float:
    """What a unit offers a "how do I" question: a block or an entry to copy, a named command, a step
    (not an error message: the problem, not the fix)."""
    if levers.symptom_not_fix and _SYMPTOM.search(unit.quoted):
        return 0.0
    if unit.kind == "code" or (unit.kind == "definition" and _ACTIONABLE.search(unit.text.split(":", 1)[0])):
        return levers.how_code
    if _ACTIONABLE.search(unit.quoted):
        return levers.how_actionable
    return levers.how_item if unit.kind == "item" else 0.0


def _form_bonus(question: str, unit: Unit, levers: AnswerLevers, heading: str = "", asked: Set[str] = frozenset(),
                cut_off: bool = False) -> float:
    """``cut_off``: a code block that nothing introduces, cut from the text saying what it does (no "how" bonus)."""
    text = unit.quoted
    bonus = 0.0
    if levers.cross_reference and _CROSS_REFERENCE.search(unit.text):
        bonus -= levers.cross_reference
    if levers.title_alone and unit.kind in ("sentence", "item") and _NUMBERED_TITLE.match(unit.text) \
            and not (unit.kind == "item" and _ASKS_HOW.search(question)):  # "1. Open the file" is a step of how
        bonus -= levers.title_alone
    if levers.contents_line and unit.kind != "code" and _LEADERS.search(unit.text):
        bonus -= levers.contents_line
    if levers.what_definition and _WHAT_IS.search(question) and _defines(unit, asked, levers.definition_forms):
        bonus += levers.what_definition
    if levers.where_place and _WHERE.search(question) and _PLACE.search(text):
        bonus += levers.where_place
    if levers.negation and _NEGATION.search(question) and _NEGATION.search(unit.text):
        bonus += levers.negation
    if _WHY.search(question) and (_CAUSE.search(text) or (HeadingTrail.of(heading).nested and _WHY.search(HeadingTrail.of(heading).title))):
        bonus += levers.why_cause
    if (_ASKS_HOW if levers.how_anywhere else _HOW).search(question) and not cut_off:
        bonus += _how_bonus(unit, levers)
    if _WHO.search(question) and _NAME.search(text):
        bonus += levers.who_name
    if _VALUE.search(question):
        bonus += levers.value_number if _NUMBER.search(text) else levers.value_named if _NAMED_VALUE.search(text) else 0.0
        if _ASKS_DEFAULT.search(question) and _STATES_DEFAULT.search(unit.text):
            bonus += levers.default_cue
    return bonus


# An acronym the question names (three to six capitals, "PONI", "WAL"), and a question asking what one is or stands for.
_ACRONYM = re.compile(r"(?<![\w-])[A-Z]{3,6}(?![\w-])")
_ASKS_EXPANSION = re.compile(r"\bstands? for\b|\bshort for\b|\bacronym\b|\babbreviat\w*|\bmean(s|ing)?\b", re.I)
_WORD = re.compile(r"[A-Za-z][\w']*")


def asked_acronyms(question: str) -> set[str]:
    """The acronyms of a question asking what they are, stand for or mean: {"PONI"} of "What does PONI stand for?"."""
    if not (_WHAT_IS.search(question) or _ASKS_EXPANSION.search(question)):
        return set()
    return set(_ACRONYM.findall(question))


def spells_out(text: str, acronym: str) -> bool:
    """Whether ``text`` writes ``acronym`` out: as many words in a row as it has letters, their initials spelling it
    ("Point Of Normal Incidence" for PONI, "write-ahead log" for WAL), not the acronym itself."""
    words = [w for part in _WORD.findall(text) for w in part.split("-") if w]
    n, letters = len(acronym), acronym.lower()
    return any("".join(w[0] for w in words[k:k + n]).lower() == letters and not all(w.isupper() for w in words[k:k + n])
               for k in range(len(words) - n + 1))


def _marks_blocks(source: str) -> bool:
    """Whether a document's text marks its code blocks and the lines introducing them: not a PDF (its code is guessed
    from the shape of lines) nor a program's source (all of it code)."""
    ext = format_suffix(read_as(PurePosixPath(source)))  # a gzipped page as the page
    return ext != ".pdf" and ext not in CODE_EXTS


# A term of up to four words and what it is, a colon or a dash apart, the description opening as a sentence does: a
# manual page's NAME ("git-fsck - Verifies the connectivity and validity ..."), a glossary's "Formset: A layer of ...".
# Not "FTS5 functions - fts5.html#..." nor "Exit code 4: pytest command line usage error".
_TERM_DEFINED = re.compile(r"^(?P<subject>[^\s:.;,]+(?:\s+[^\s:.;,]+){0,3})\s*(?::|\s[-–—])\s+(?:[A-Z]|(?:an?|the)\s)")


def _defines(unit: Unit, asked: Set[str], forms: bool = False) -> bool:
    """Whether a unit defines something the question names: "A virtual package is a ...", or a definition entry.
    ``forms`` (AnswerLevers.definition_forms) adds a term and what it is, a colon or a dash apart, its hyphenated name
    holding its words: a manual page's NAME ("git-fsck - Verifies ..." defines what "git fsck" names), a glossary's
    "Formset: A layer of ...". It only adds: what the rule without it takes for a definition stays one."""
    if unit.kind == "definition" and set(terms(unit.text.split(":", 1)[0])) & asked:
        return True
    match = _DEFINES.match(unit.text) if unit.kind in ("sentence", "item") else None
    if match and set(terms(match["subject"])) & asked:
        return True
    named = _TERM_DEFINED.match(unit.text) if forms and unit.kind in ("sentence", "item", "definition") else None
    return bool(named and _with_parts(terms(named["subject"])) & asked)


# A word of a title written as a name, not as a title's word: a path, or a dotted, hyphenated or snake_case name
# ("pytest.skip", "git-worktree(1)", "/etc/shadow"); or, in a title whose other words are capitalized, a word in lower
# case ("Local Diagnosis: netstat", "Monitoring Logs with logcheck"), or a title of one such word ("squashmigrations").
_MARKED_NAME = re.compile(r"^(?:/[\w./-]+|[A-Za-z][\w]*[._/-][\w./-]*\w)$")
_PLAIN_NAME = re.compile(r"^[a-z][a-z0-9]{2,}$")


def title_names(title: str) -> set[str]:
    """What a section's title names as a thing: "netstat" of "10.9.1. Local Diagnosis: netstat"."""
    words = [re.sub(r"\(\d\)?$", "", w.strip(":,;()\"'“”")) for w in title.split()]
    alone = len(words) == 1  # "squashmigrations"; not "page 11", a PDF page's
    words = [w for w in words if w and not w[0].isdigit() and w.lower() not in _ANSWER_STOPWORDS]
    plain = [n for n, w in enumerate(words) if n and _PLAIN_NAME.match(w)]
    # one word in lower case among capitalized ones stands out as a name; several are a title in sentence case
    stands_out = len(plain) == 1 and any(w[:1].isupper() for w in words[1:])
    return {w.lower() for n, w in enumerate(words)
            if _MARKED_NAME.match(w) or (_PLAIN_NAME.match(w) and (alone or (n in plain and stands_out)))}


def _section_subjects(heading: str) -> set[str]:
    """What a source's section title and its page's title name as things (``title_names``)."""
    trail = HeadingTrail.of(heading)
    return title_names(trail.title) | title_names(trail.parts[0] if heading else "")


def _names(text: str, name: str) -> bool:
    """Whether ``text`` (lower case) names ``name`` as a whole word ("netstat", not "netstats" nor "xnetstat")."""
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) is not None


def topic_words(hits: list[Hit], words: Iterable[str] | None = None, share: float = SHIPPED.topic_share) -> set[str]:
    """Which of ``words`` (of every term, without them) nearly every source holds: they name the topic,
    not what is asked about it. With one source, none."""
    in_hits = [set(terms(f"{hit.heading} {hit.text}")) for hit in hits]
    if len(in_hits) < 2:
        return set()
    return {t for t in (set().union(*in_hits) if words is None else words)
            if sum(t in held for held in in_hits) >= share * len(in_hits)}


def rank_units(question: str, hits: list[Hit], context: str = "", embed: Embed | None = None,
               levers: AnswerLevers = SHIPPED) -> list[Candidate]:
    """Every unit of the sources, best first."""
    question, context = searchable(question), searchable(context)  # "ｄｅｐｏｓｉｔ" is the documents' "deposit"
    weight = {t: levers.context_weight for t in terms(context)}
    weight.update({t: 1.0 for t in terms(question)})
    topic = topic_words(hits, weight, levers.topic_share)
    for t in weight:  # "What caused the collapse of SVB?" over SVB's documents is about "caused"
        if _IDENTIFIER.search(t):
            continue  # an identifier asked about (SESSION_COOKIE_AGE, --depth) is the point, however common
        if t in topic:
            weight[t] *= levers.topic_weight
    headings = {n: hit.heading for n, hit in enumerate(hits, 1)}
    asked = set(terms(question))
    named = {t for t in _TOKEN.findall(question.lower()) if t not in _ANSWER_STOPWORDS}
    wants_table = bool(levers.several_table) and asks_table(question)
    # The section a unit stands in (below the page title, which names the topic, not the part).
    section = {n: set(terms(HeadingTrail.of(hit.heading).title)) if HeadingTrail.of(hit.heading).nested else set()
               for n, hit in enumerate(hits, 1)}
    candidates = [Candidate(u, n, p, _with_parts(terms(u.quoted)))
                  for n, hit in enumerate(hits, 1)
                  for p, u in enumerate(units_of(hit, levers.caption_tables, levers.code_majority, levers.entry_terms,
                                                  levers.caption_intro, levers.field_pairs, levers.loose_lists,
                                                  levers.member_names, levers.typeset_dashes))]
    if not candidates:
        return []
    total = len(candidates)
    last = {c.source: c.position for c in candidates}  # in order: each source's last unit
    # A document's file name only: a variable's source is its name ("news"), a cell's its label.
    release = {n for n, hit in enumerate(hits, 1) if hit.origin == "document" and is_release_notes(hit.source)} \
        if levers.release_notes and not asks_about_changes(question) else set()
    idf = {t: math.log(1 + total / (1 + sum(t in c.words for c in candidates))) for t in weight}
    norm = sum(weight[t] * idf[t] for t in weight) or 1.0
    titled: dict[str, set[str]] = {}
    # Where a code block first in its source with no introduction was cut from what says what it does (unintroduced_code),
    # or one nothing introduces shares (almost) no word with the question (untold_words).
    marked = {n for n, hit in enumerate(hits, 1) if hit.origin == "document" and _marks_blocks(hit.source)} \
        if levers.unintroduced_code else set()
    expand = asked_acronyms(question) if levers.acronym_expansion else set()
    # "How do I create a logical volume?": the command run together from its word ("lvcreate") is what does it.
    inside = question_words(set(asked) | set(re.findall(r"[a-z]+", question.lower())) - _ANSWER_STOPWORDS) \
        if levers.how_compound and (_ASKS_HOW if levers.how_anywhere else _HOW).search(question) else set()
    texts = [hit.text.lower() for hit in hits]

    @lru_cache(maxsize=None)
    def common(name: str) -> bool:
        """A name nearly every source holds is the topic's ("pytest" in pytest's manual), not what does it."""
        return len(texts) > 1 and sum(name in t for t in texts) >= levers.topic_share * len(texts)
    subjects = {n: _section_subjects(hit.heading) - asked - named if levers.title_subject else set()
                for n, hit in enumerate(hits, 1)}
    for c in candidates:
        where = titled.setdefault(c.unit.section, set(terms(c.unit.section))) if c.unit.section else section[c.source]
        # An option's description is about the option its entry names, as "--soft" is an identifier: "cutoff-pick" in
        # the question is "–cutoff-pick CUTOFF_PICK", the entry over "SNR threshold for ...", not a title's word.
        option = where if levers.typeset_dashes and c.unit.entry.startswith(_DASHES) else set()
        c.lexical = sum(weight[t] * idf[t] * (1.0 if t in c.words else levers.heading_identifier_weight if t in option
                                              else _heading_weight(t, levers) if t in where else 0.0)
                        for t in weight) / norm
        cut_off = c.source in marked and c.unit.kind == "code" and not c.unit.intro \
            and (c.position == 0 or c.lexical < levers.untold_words)
        c.bonus = levers.source_rank / c.source + _form_bonus(question, c.unit, levers, headings[c.source], asked, cut_off)
        if inside and names_compound(c.unit.quoted, inside, common):
            c.bonus += levers.how_compound
        if expand and any(spells_out(c.unit.quoted, a) for a in expand):
            c.bonus += levers.acronym_expansion
        if wants_table and (c.unit.kind == "row" or (c.unit.kind == "code" and is_caption(c.unit.intro))):
            c.bonus += levers.several_table
        if levers.row_named and c.unit.kind == "row" and c.unit.cells and _cell_name(c.unit.cells[0]) in named:
            c.bonus += levers.row_named
        if levers.dangling_intro and c.position == last[c.source] and c.unit.text.rstrip().endswith(":"):
            c.bonus -= levers.dangling_intro
        if c.source in release:
            c.bonus -= levers.release_notes
        if subjects[c.source] and any(_names(c.unit.quoted.lower(), t) for t in subjects[c.source]):
            c.bonus += levers.title_subject
        c.score = c.lexical + c.bonus
    if embed is not None:
        shortlist = sorted(candidates, key=lambda c: -c.score)[:levers.embedded_units]
        # The question rides in the units' batches: one run of the session fewer.
        question_vector, *embedded = vectors([question] + [_in_context(c) for c in shortlist], embed)
        share = levers.meaning_weight
        for c, vector in zip(shortlist, embedded):
            c.meaning = max(0.0, cosine(question_vector, vector))
            c.score = share * c.meaning + (1 - share) * c.lexical + c.bonus
        for c in candidates:
            if c not in shortlist:
                c.score = (1 - share) * c.lexical + levers.source_rank / c.source  # not scored by meaning: below the shortlist
    return sorted(candidates, key=lambda c: -c.score)


_DASHES = ("-", "\u2013")  # an option's "--", or the en dash a documentation build prints for it
_ANAPHOR = re.compile(r"^(it|this|these|that|those|they|its|their|such|here|then|also|however|otherwise)\b", re.I)


def _continuation(best: Candidate, ranked: list[Candidate], question: str, levers: AnswerLevers,
                  pieces: dict[int, tuple[str, int]] | None = None) -> list[Candidate]:
    """The best unit and the units right after it in its block that continue it, within BEST_CHARS;
    a list is quoted from its first item, and a table whole (up to ANSWER_CHARS) when the question asks
    for several things. A sentence opening with "It", "This"... comes with the one before, which says what
    that is; the second sentence of a paragraph with the first, which names its subject (handbook, git +1);
    a unit ending in ':' with what it introduces, whatever its block. ``pieces``: each source's file and first
    line, so a table cut into several chunks is quoted from all of those retrieved."""
    block = sorted((c for c in ranked if c.source == best.source and c.unit.block == best.unit.block),
                   key=lambda c: c.position)
    if best.unit.kind == "row" and best.unit.cells and (asks_several(question) or compares_rows(question)):
        return _table_of(best, _whole_table(best, block, ranked, pieces or {}), [])
    if best.unit.kind == "item":
        items = [c for c in block if c.unit.kind == "item" and c.unit.intro == best.unit.intro]
        if sum(len(c.unit.text) for c in items) <= BEST_CHARS:
            best = items[0]
    before = _sentence_before(best, block)
    if before is not None and len(before.unit.text) + len(best.unit.text) <= BEST_CHARS:
        if _ANAPHOR.match(best.unit.text) or before is block[0]:
            best = before
    same_block = [c for c in block if c.position > best.position]
    # A comparison's lead runs on through the paragraph that draws it: the side it leaves out comes next.
    share = levers.compare_continue if levers.compare_continue and compared_sides(question) else levers.continue_share
    taken, used = [best], len(best.unit.quoted)
    for c in same_block:
        if c.position != taken[-1].position + 1:
            break
        if best.unit.kind == "row" and best.unit.cells:
            break  # a table's next row is another thing, not more of this one
        continues = c.unit.kind == best.unit.kind == "item" or c.score >= share * best.score
        size = len(c.unit.text)
        if not continues or used + size > BEST_CHARS:
            break
        taken.append(c)
        used += size
    if levers.how_reaches_action and _ASKS_HOW.search(question) and not any(_names_action(c.unit) for c in taken):
        taken, used = _on_to_action(taken, used, ranked, levers.how_reaches_action)
    if taken[-1].unit.text.rstrip().endswith(":"):
        following = [c for c in ranked if c.source == best.source and c.position == taken[-1].position + 1]
        if following and following[0].unit.kind == "row" and following[0].unit.cells:
            rows = sorted((c for c in ranked if c.source == best.source and c.unit.block == following[0].unit.block),
                          key=lambda c: c.position)
            return _table_of(following[0], rows, taken)
        parts = _titled_parts(taken[-1], ranked) if levers.titled_parts and following else []
        if len(parts) >= 2:  # "Three levels ... are available:" over "No splitting", "Bounding box ...": each by its title
            for c in parts:
                if used + len(c.unit.entry) + len(c.unit.text) > BEST_CHARS:
                    break
                taken.append(c)
                used += len(c.unit.entry) + len(c.unit.text)
        elif following and used + len(following[0].unit.text) <= ANSWER_CHARS:
            taken.append(following[0])
            if levers.loose_lists and following[0].unit.kind == "item":  # the list's other items, as far as they fit
                used += len(following[0].unit.text)
                for c in _list_of(following[0], ranked)[1:]:
                    if used + len(c.unit.text) > BEST_CHARS:
                        break
                    taken.append(c)
                    used += len(c.unit.text)
    return _with_output(taken, ranked) if levers.cell_output else taken


def _titled_parts(intro: Candidate, ranked: list[Candidate]) -> list[Candidate]:
    """What an introduction ending in ':' promises when titled parts follow it ("No splitting" over a paragraph, then
    "Bounding box pixel splitting" over another): each part's first unit, named by its title (as an entry's
    description is by its name), up to the first unit under no title or an introduction's own section. None when the
    unit after the introduction stands under the same title as the introduction (no part begins there)."""
    after = sorted((c for c in ranked if c.source == intro.source and c.position > intro.position),
                   key=lambda c: c.position)
    if not after or after[0].position != intro.position + 1 or after[0].unit.section in ("", intro.unit.section):
        return []
    parts: list[Candidate] = []
    seen = {intro.unit.section}
    for c in after:
        if c.unit.section in seen:
            continue
        if not c.unit.section:
            break
        seen.add(c.unit.section)
        named = c.unit if c.unit.entry or c.unit.kind != "sentence" else replace(c.unit, entry=c.unit.section)
        parts.append(replace(c, unit=named))
    return parts


def _with_output(taken: list[Candidate], ranked: list[Candidate]) -> list[Candidate]:
    """A quoted code block with the output block right after it in its source, or a quoted output with the code
    block right before it, while the answer fits ANSWER_CHARS. The label line between them is a unit of its own,
    shown as the output's introduction."""
    by_place = {(c.source, c.position): c for c in ranked}
    first, last = taken[0], taken[-1]
    if last.unit.kind == "code" and not _is_output(last):
        after = by_place.get((last.source, last.position + 2))
        if after is not None and _is_output(after) and len(_quote(taken + [after])) <= ANSWER_CHARS:
            return taken + [after]
    if _is_output(first):
        before = by_place.get((first.source, first.position - 2))
        if before is not None and before.unit.kind == "code" and not _is_output(before) \
                and len(_quote([before] + taken)) <= ANSWER_CHARS:
            return [before] + taken
    return taken


def _is_output(c: Candidate) -> bool:
    return c.unit.kind == "code" and c.unit.intro == OUTPUT_LABEL


def _list_of(item: Candidate, ranked: list[Candidate], whole: bool = False) -> list[Candidate]:
    """The items of ``item``'s list from it on (``whole``: all of them), in order."""
    return sorted((c for c in ranked if c.source == item.source and c.unit.kind == "item" and c.unit.block == item.unit.block
                   and c.unit.intro == item.unit.intro and (whole or c.position >= item.position)),
                  key=lambda c: c.position)


_LINK = re.compile(r"https?://\S+|→\s*\S+")  # a link's target names a page, not a thing to use
# A name written in lower case with hyphens, as packages, commands and keys are ("www-browser", "mail-transport-agent").
_HYPHENATED = re.compile(r"(?<![\w-])[a-z][a-z0-9]*(?:-[a-z0-9]+)+(?![\w-])")


def _names_concrete(unit: Unit) -> bool:
    """Whether a unit shows something to type or use (a code block, a command, an identifier, a hyphenated name), a
    link's target aside."""
    text = _LINK.sub(" ", unit.quoted)
    return unit.kind == "code" or bool(_ACTIONABLE.search(text) or _HYPHENATED.search(text))


def _names_action(unit: Unit) -> bool:
    return unit.kind == "code" or bool(_ACTIONABLE.search(unit.quoted))


def _on_to_action(taken: list[Candidate], used: int, ranked: list[Candidate], most: int) -> tuple[list[Candidate], int]:
    """``taken`` and the units after it in its source, under the same title, up to the first that names a
    command, option or code (none if no such unit comes within ``most`` units and BEST_CHARS)."""
    first = taken[0]
    after = sorted((c for c in ranked if c.source == first.source and c.position > taken[-1].position
                    and c.unit.section == first.unit.section), key=lambda c: c.position)
    more: list[Candidate] = []
    for c in after[:most]:
        if c.position != (more or taken)[-1].position + 1 or c.unit.kind == "row":
            break
        more.append(c)
        used += len(c.unit.quoted)
        if used > BEST_CHARS:
            break
        if _names_action(c.unit):
            return taken + more, used
    return taken, used - sum(len(c.unit.quoted) for c in more)


def _whole_table(best: Candidate, block: list[Candidate], ranked: list[Candidate],
                 pieces: dict[int, tuple[str, int]]) -> list[Candidate]:
    """The rows of ``best``'s table: its block's, and those of the other retrieved chunks of the same file
    under the same header (a table longer than a chunk, or than the model's window, is cut at its rows,
    each piece under its header: indexing/table_chunks.py), in the file's order."""
    rows = [c for c in block if c.unit.kind == "row" and c.unit.cells]
    file = pieces.get(best.source, ("", 0))[0]
    if not best.unit.header or not file:
        return rows
    rows += [c for c in ranked if c.source != best.source and pieces.get(c.source, ("", 0))[0] == file
             and c.unit.kind == "row" and c.unit.header == best.unit.header]
    seen: set[tuple[str, ...]] = set()  # a row two overlapping pieces both hold is quoted once
    whole = []
    for c in sorted(rows, key=lambda c: (pieces[c.source][1], c.source, c.position)):
        if c.unit.cells not in seen or c.source == best.source:
            seen.add(c.unit.cells)
            whole.append(c)
    return whole


def _same_table(a: Candidate, b: Candidate) -> bool:
    """Two rows of one table: one block of a source, or pieces of a table under the same header."""
    if not (a.unit.kind == b.unit.kind == "row" and a.unit.cells and b.unit.cells):
        return False
    return a.unit.block == b.unit.block if a.source == b.source else bool(a.unit.header) and a.unit.header == b.unit.header


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


# "the difference between A and B", "A differ(s) from B", "A versus B", "A compared to B": the two sides compared.
_COMPARED = re.compile(r"\bdifferen(?:ce|t)s? between (?P<a>.+?) and (?P<b>.+?)\s*[?.]*$"
                       r"|^\s*(?:how|in what way)\s+(?:does|do|is|are)\s+(?P<c>.+?)\s+differ(?:ent)?\s+from\s+(?P<d>.+?)\s*[?.]*$"
                       r"|^\s*(?:what\s+is\s+)?(?P<e>.+?)\s+(?:vs\.?|versus|compared (?:to|with))\s+(?P<f>.+?)\s*[?.]*$", re.I)


def compared_sides(question: str) -> list[set[str]]:
    """What each side of a comparison names that the other does not: "git reset --soft" and "git reset --mixed" are
    {"--soft"} and {"--mixed"}; no sides for a question comparing nothing."""
    match = _COMPARED.search(question)
    if not match:
        return []
    a, b = (set(terms(side)) for side in match.groups() if side is not None)
    return [a - b, b - a] if a - b and b - a else []


def _side_named(c: Candidate, side: set[str]) -> bool:
    """Whether a unit names a side of a comparison: in its text, its entry's name or its title."""
    return bool(side & (c.words | _with_parts(terms(f"{c.unit.entry} {c.unit.section}"))))


def extract(question: str, hits: list[Hit], context: str = "", embed: Embed | None = None,
            levers: AnswerLevers = SHIPPED) -> list[list[Candidate]]:
    """Groups of units to quote, best first: the best unit with its continuation, then supporting units,
    each with the sentence before it when it opens with "This", "It"... (handbook +1: "This is an outstanding
    tool..." names Samba) and the sentences after it that continue it."""
    ranked = rank_units(question, hits, context, embed, levers)
    by_meaning = levers.min_meaning if embed is not None else None
    # The best unit that answers anything: a code block's bonus can lift one that shares nothing with the question.
    best = next((c for c in ranked if _matches(c, by_meaning)), None)
    if best is None:
        return []
    pieces = {n: (hit.source, hit.start_line) for n, hit in enumerate(hits, 1)}
    groups = [_continuation(best, ranked, question, levers, pieces)]
    used = len(_quote(groups[0]))  # as rendered: the whole answer, markup and citations too, within ANSWER_CHARS
    taken = {(c.source, c.position) for c in groups[0]}
    # The same sentence in two sources is quoted once, and an introduction quoted over its block is not repeated.
    said = {_said(text) for c in groups[0] for text in (c.unit.text, c.unit.intro) if text}
    # One part of a variable's description: the one that answers, not all of it.
    described = {c.source for c in groups[0] if hits[c.source - 1].origin == "variable"}
    supporting = ranked
    if levers.what_example and _WHAT_IS.search(question):
        # (the threshold below stays on the unit's own score)
        asked = set(terms(question))
        supporting = sorted(ranked, key=lambda c: -(c.score + (levers.what_example if _names_concrete(c.unit)
                                                             or _defines(c.unit, asked, levers.definition_forms) else 0.0)))
    if levers.compare_sides:
        missing = [side for side in compared_sides(question) if not any(_side_named(c, side) for c in groups[0])]
        first = [next((c for c in ranked if c.score >= levers.support_share * best.score and _matches(c, by_meaning)
                       and (c.source, c.position) not in taken and _side_named(c, side)), None) for side in missing]
        ahead = [c for c in first if c is not None]
        supporting = ahead + [c for c in supporting if c not in ahead]
    for c in supporting:
        if len(groups) > levers.support_units:
            break
        if c.score < levers.support_share * best.score:
            continue  # (not a break: a compared side's unit, or a "what is" example, may stand ahead of its rank)
        if (c.source, c.position) in taken or _said(c.unit.text) in said or not _matches(c, by_meaning) \
                or c.source in described:
            continue
        if levers.support_shares_word and not c.lexical:
            continue  # found by its meaning alone: an "Also:" line whose words and section name nothing asked
        if hits[c.source - 1].origin == "variable":
            described.add(c.source)
        said.add(_said(c.unit.text))
        group = _with_antecedent(c, ranked, taken) + _sentences_after(c, ranked, taken, levers)
        if levers.loose_lists:
            group = _with_list(c, ranked, taken) or group
        if levers.cell_output:
            group = [u for u in _with_output(group, ranked) if u is c or (u.source, u.position) not in taken]
        group = [u for u in group if u is c or _said(u.unit.text) not in said]  # nor what another source said
        size = len(_supporting(group)) + len(ALSO if len(groups) == 1 else "\n")
        if used + size > ANSWER_CHARS:
            continue
        groups.append(group)
        taken.update((u.source, u.position) for u in group)
        said.update(_said(u.unit.text) for u in group)
        used += size
    return groups


def _with_list(c: Candidate, ranked: list[Candidate], taken: set[tuple[int, int]]) -> list[Candidate]:
    """A supporting introduction with the items of its list, or a supporting item with its list's (of a few hundred
    characters at most): the introduction alone promised what it did not quote, an item alone was one of several."""
    if c.unit.kind == "sentence" and c.unit.text.rstrip().endswith(":"):
        following = next((u for u in ranked if u.source == c.source and u.position == c.position + 1), None)
        if following is not None and following.unit.kind == "item" and following.unit.intro == c.unit.text:
            items = [u for u in _list_of(following, ranked) if (u.source, u.position) not in taken]
            return [c, *items] if items else []
    if c.unit.kind == "item" and c.unit.intro:
        items = [u for u in _list_of(c, ranked, whole=True) if (u.source, u.position) not in taken]
        if len(items) > 1 and sum(len(u.unit.text) for u in items) <= LIST_CHARS:
            return items
    return []


def _sentences_after(c: Candidate, ranked: list[Candidate], taken: set[tuple[int, int]],
                     levers: AnswerLevers) -> list[Candidate]:
    """The sentences right after a supporting sentence in its block that continue it (as the best unit's do)."""
    if c.unit.kind != "sentence":
        return []
    by_place = {(u.source, u.position): u for u in ranked}
    out: list[Candidate] = []
    last = c
    while len(out) < levers.support_continues:
        nxt = by_place.get((c.source, last.position + 1))
        if (nxt is None or nxt.unit.kind != "sentence" or nxt.unit.block != c.unit.block
                or (nxt.source, nxt.position) in taken or nxt.score < levers.continue_share * c.score):
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


def _matches(c: Candidate, min_meaning: float | None) -> bool:
    """Whether a unit answers anything at all: it shares a word with the question, or (scored by meaning)
    means much the same."""
    return c.lexical > 0 or (min_meaning is not None and c.meaning >= min_meaning)


_MARKDOWN_ITEM = re.compile(r"^(?:[-*+]|\d{1,9}[.)])\s")  # an item that keeps its own marker ("1.", "-")


def _quote(group: list[Candidate]) -> str:
    """A group in its source's order: sentences run on, items are bullets, code is fenced; a unit's
    introduction is shown once, before the first unit (later ones follow the unit that introduced them)."""
    cite = "".join(f"[{n}]" for n in sorted({c.source for c in group}))  # a table's pieces: each source
    parts: list[str] = []  # each a paragraph
    for n, c in enumerate(group):
        unit, previous = c.unit, group[n - 1].unit if n else None
        same_run = previous is not None and previous.kind == unit.kind and previous.block == unit.block
        # A document's own "[1]" is escaped (but in a fenced block, where nothing is linked)
        text, intro = unit.text if unit.kind == "code" else quoted_text(unit.text), quoted_text(unit.intro)
        if unit.kind == "sentence" and (previous is None or previous.entry != unit.entry):
            text = _named(unit, text)
        if intro and ((n == 0 and unit.kind in ("code", "item")) or (unit.kind == "code" and intro == OUTPUT_LABEL)):
            parts.append(intro)
        if unit.kind == "code":
            parts.append(fenced(text))
        elif unit.kind == "item":
            line = text if _MARKDOWN_ITEM.match(text) else f"- {text}"
            parts[-1:] = [f"{parts[-1]}\n{line}"] if same_run else parts[-1:] + [line]
        elif unit.kind == "row" and unit.cells:
            if n and _same_table(group[n - 1], c):
                continue  # quoted with the first row of its run
            run = group[n:]
            run = run[:next((k for k, r in enumerate(run) if not _same_table(c, r)), len(run))]
            shown = any(u.kind != "row" and u.text == unit.intro for u in (c.unit for c in group[:n]))
            # the rows of the table in the sources quoted: each source's piece counts its own
            rows = sum({r.source: r.unit.table_rows for r in run}.values())
            parts.extend(_table_quote([r.unit for r in run], unit.intro if n == 0 and not shown else "", rows))
        elif unit.kind == "row":
            parts.append(f"{intro}: {text}" if intro and n == 0 else text)
        else:
            parts[-1:] = [f"{parts[-1]} {text}"] if same_run else parts[-1:] + [text]
    # A citation after a table stands below it: on its last row it would be read as one more cell.
    last = "\n" if group[-1].unit.kind == "code" else "\n\n" if parts[-1].rsplit("\n", 1)[-1].startswith("|") else " "
    return "\n\n".join(parts) + f"{last}{cite}"


def _table_quote(rows: list[Unit], intro: str, table_rows: int = 0) -> list[str]:
    """Paragraphs quoting table rows: one row as it reads alone ("header: value; ..."); several as a
    table with its header (a list of rows when the table has none), saying how many rows are left out."""
    parts = [quoted_text(intro)] if intro and (len(rows) > 1 or not rows[0].header) else []
    if len(rows) == 1:
        return parts + [quoted_text(rows[0].text)]
    if rows[0].header:
        parts.append(quoted_text("\n".join(table_lines(rows[0].header, [u.cells for u in rows]))))
    else:
        parts.append("\n".join(f"- {quoted_text(u.text)}" for u in rows))
    left = (table_rows or rows[0].table_rows) - len(rows)
    if left > 0:
        parts[-1] += f"\n\n({left} more row{'s' if left > 1 else ''})" if rows[0].header else f"\n- … ({left} more)"
    return parts


def _supporting(group: list[Candidate]) -> str:
    """A supporting unit on one bullet (a code block keeps its fence)."""
    c = group[0]
    if c.unit.kind == "code":
        return _quote(group)
    if len(group) > 1 and all(u.unit.kind == "item" and u.unit.intro == c.unit.intro for u in group):
        return f"- {quoted_text(c.unit.intro)} {' '.join(quoted_text(u.unit.text) for u in group)} [{c.source}]"  # one list
    # an introduction's items after it read without it again
    return f"- {' '.join(quoted_text(u.unit.text if u.unit.kind == 'item' and u.unit.intro == c.unit.text else _alone(u.unit)) for u in group)} [{c.source}]"


def _alone(unit: Unit) -> str:
    """A unit as a supporting line quotes it: a table row with a header reads alone ("Ferry: otter; Pier: south"),
    as the answer's first row does; its introduction, the short paragraph above the table, was written over every
    row quoted ("The walrus ferry leaves at noon from the north pier. Ferry: otter; ...": probe 12). A list item
    without its bullet: the line is a bullet of "Also:" already, and "- - The ferry ..." drew an empty bullet over
    a list of one."""
    if unit.kind == "row" and unit.header:
        return unit.text
    if unit.kind == "item":
        return replace(unit, text=_BULLET.sub("", unit.text)).quoted
    return _named(unit, unit.quoted)


def _named(unit: Unit, text: str) -> str:
    """A reference entry's description led by the name it describes ("HttpResponseGone: Acts just like
    HttpResponse but uses a 410 status code."): the siblings of a list read alike, and said nothing of whose
    status code they gave."""
    if not unit.entry or _says(unit.text, unit.entry):
        return text
    # Its backticks escaped: one left open ("split(sep='`')") made a code span of the text after it, and the
    # document's own "[1]" in code there a link to source 1 (probe 23). Its backslashes too: in
    # "quote(ch='\`')" the escape written before the backtick was itself escaped, and the code span opened again (probe 24).
    return f"{quoted_text(unit.entry.replace(chr(92), chr(92) * 2).replace('`', chr(92) + '`'))}: {text}"


def _says(text: str, name: str) -> bool:
    """Whether ``text`` says ``name`` as a word of its own: "Retains only the elements ..." does not say "retain",
    and its answer did not name the method it describes (probe 38)."""
    return re.search(rf"(?<![\w$]){re.escape(name)}(?![\w$])", text, re.IGNORECASE) is not None


_BULLET = re.compile(r"^[-*+]\s+")  # a numbered item keeps its number: it says which step


def extractive_answer(question: str, hits: list[Hit], why: str = "", context: str = "",
                      embed: Embed | None = None, levers: AnswerLevers = SHIPPED) -> str:
    groups = extract(question, hits, context, embed, levers)
    if not groups:
        return _closest_cell(hits, why)
    body = _quote(groups[0])
    if len(groups) > 1:
        body += ALSO + _also_lines([_supporting(g) for g in groups[1:]])
    return with_notice(body, why)


def _also_lines(lines: list[str]) -> str:
    """The supporting lines under "Also:", a quoted block (a code block and the line introducing it) a paragraph
    apart: on the line under a bullet it was read as more of that bullet, and under "Also:" as more of "Also:" (walk
    27: "- MSTL uses STL ... [3]" then "Supposing we have a time series ...:" and its block)."""
    out = ""
    for n, line in enumerate(lines):
        bullet = line.startswith("- ")
        if n == 0:
            out += "" if bullet else "\n"  # ALSO ends its line already
        else:
            out += "\n" if bullet and lines[n - 1].startswith("- ") else "\n\n"
        out += line
    return out


def _closest_cell(hits: list[Hit], why: str) -> str:
    """A question asked with --notebook that no unit matches: the cell the search ranked first, quoted and
    cited (the search found it by meaning, which a cell of code and a question in words rarely share)."""
    n = next((n for n, hit in enumerate(hits, 1) if hit.origin == "cell"), None)
    units = units_of(hits[n - 1]) if n is not None else []
    if n is None or not units:
        return NOTHING
    return with_notice(f"{CLOSEST_CELL}\n\n{_quote([Candidate(units[0], n, 0, set())])}", why)


_NOTICE = "\n\n*Extractive answer, quoted from your documents (no language model"


def with_notice(body: str, why: str = "") -> str:
    """A quoted answer and the one line saying it is quoted, why, and how to get written answers."""
    reason = f": {why}" if why else ""
    return f"{body}{_NOTICE}{reason}). For written answers, {HOW_TO_CONFIGURE}*"


def without_notice(answer: str) -> str:
    """An answer's own text, without the line ``with_notice`` adds under a quoted one: its words ("model", "API
    key", "documents", "written", the model's name) are docchat's, not the answer's."""
    at = answer.rfind(_NOTICE)
    return answer[:at] if at >= 0 and answer.endswith(f"{HOW_TO_CONFIGURE}*") else answer


def _html_page(hit: Hit) -> bool:
    """Whether a document source is an HTML page (its text the HTML reader's, which writes no fence)."""
    return hit.origin == "document" and format_suffix(read_as(PurePosixPath(hit.source))) in HTML_EXTS


def _unit_source(hit: Hit) -> str:
    """The text to split into units: a code cell is quoted whole, verbatim (as a code block), never broken
    into sentences; documents and Markdown cells are split as written."""
    if hit.origin == "cell" and not hit.heading.startswith("markdown"):
        # fenced past any backtick run of the code: a docstring's own ``` closed a plain fence, and the code below it
        # was split into sentences and quoted as prose (probe 28)
        return fenced(hit.text)
    return hit.text


def _description_parts(text: str) -> list[list[str]]:
    """A variable's description cut before each unindented line ending in ':' (variables.describe's parts)."""
    parts: list[list[str]] = [[]]
    for line in text.splitlines():
        if parts[-1] and line.rstrip().endswith(":") and not line[:1].isspace():
            parts.append([])
        parts[-1].append(line)
    return [part for part in parts if part]


def units_of(hit: Hit, captions: bool = False, code_majority: bool = False, entry_terms: bool = False,
             caption_intro: bool = False, field_pairs: bool = False, loose_lists: bool = False,
             member_names: bool = False, typeset_dashes: bool = False) -> list[Unit]:
    """A source's answer units. A variable's description is cut into its parts ("columns (dtype, nulls):",
    "first rows:", "numeric summary:"), each a code block under the line introducing it, so that an answer
    quotes the part that answers, not all of it."""
    if hit.origin != "variable":
        return split_units(_unit_source(hit), hit.heading, captions, code_majority, entry_terms, caption_intro,
                           field_pairs, loose_lists, markdown=not _html_page(hit), member_names=member_names,
                           typeset_dashes=typeset_dashes)
    units = []
    for block, lines in enumerate(_description_parts(hit.text)):
        intro = lines[0].strip() if len(lines) > 1 and lines[0].rstrip().endswith(":") else ""
        units.append(Unit("\n".join(lines[1:] if intro else lines).strip("\n"), "code", block, intro))
    return units

"""Split a source's text into units that can answer a question on their own.

A unit is a sentence (of any length), a list item with the line that introduces the list, a
definition entry (a term line and the paragraph describing it), a table row with its header, or a
whole code or configuration block kept verbatim. Units keep their order, so an answer can take the
units that continue the best one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jupyter_docchat.safe_text import Fences, cut, fence_closes
from jupyter_docchat.table_text import is_table_line, parse_table, row_text
from jupyter_docchat.types import HeadingTrail

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(\[`])")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•+]|\d{1,3}[.)]|[a-z][.)])\s+\S")
_FENCE = re.compile(r"^\s*(```|~~~)")
_TABLE_ROW = re.compile(r"\t|\s\|\s|^\|")
_CODE_START = re.compile(r"^\s*(\$ |# |>>> |sudo |[a-z][\w.-]*\s+-{1,2}\w|[\w.-]+\s*=\s*\S|[{}\[\]<]|#!)")
_SYMBOLS = re.compile(r"[=;{}()\[\]<>$/\\|_:*#@%&]")
# The longest unit: the answer's best part (extractive.BEST_CHARS), so that one unit can always be quoted.
MAX_UNIT = 800
_CONFIG_MARK = re.compile(r"[=;{}()\[\]<>$/\\|_:*#@%&\d\"']")
# A pipe table (tables of HTML and Markdown, readers version 3) gives a unit a row, reading "header: value;
# header: value", introduced by the line before the table that ends in ":" or, failing that, by the short
# paragraph before it ("The converters are listed below.", a caption): of at most a caption's length, two
# lines of text, so that a whole paragraph of prose is not repeated over every row.
TABLE_INTRO_CHARS = 200
# Shapes of a line, not levers (no bench figure chose them; tests/test_extractive.py and test_tables.py hold
# them): code has more than one symbol in twelve characters and at most a dozen words; a term on a line of
# its own (an option, a parameter) is at most 40 characters and five words; a hard-wrapped line is longer
# than 40 characters; a sentence has more than four words.
CODE_SYMBOL_SHARE, CODE_WORDS = 0.08, 12
TERM_CHARS, TERM_WORDS = 40, 5
WRAPPED_CHARS = 40
SENTENCE_WORDS = 4


@dataclass
class Unit:
    text: str  # what is quoted (a code block verbatim, other kinds on one line)
    kind: str  # sentence | item | definition | row | code
    block: int  # units of one paragraph, list, table or code block share a block number
    intro: str = ""  # the line introducing a list, a block or a table
    section: str = ""  # the title line in the text that the unit stands under ("" before the first)
    header: tuple[str, ...] = ()  # a pipe table's row: the table's header ((): it has none) ...
    cells: tuple[str, ...] = ()  # ... and the row's cells, as written (text says "header: value")
    table_rows: int = 0  # ... and how many rows its table has in this text
    entry: str = ""  # the name of the reference entry it describes ("HttpResponseGone", "--soft"): its section

    @property
    def quoted(self) -> str:
        return f"{self.intro} {self.text}".strip() if self.intro else self.text


# A comment line of SQL, C or JavaScript, or an SQL statement: code even when it reads like a sentence.
_CODE_LINE = re.compile(r"^\s*(--|//)\s*\S|^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|WITH|PRAGMA)\s+[A-Z*(\w]")


def _looks_like_code(line: str) -> bool:
    stripped = line.strip()
    if _CODE_LINE.match(line):
        return True
    if not stripped or stripped.endswith((".", "?", "!")) and len(stripped.split()) > SENTENCE_WORDS:
        return False
    if line.startswith(("    ", "\t")) or _CODE_START.match(line):
        return True
    return (len(_SYMBOLS.findall(stripped)) / max(len(stripped), 1) > CODE_SYMBOL_SHARE
            and len(stripped.split()) <= CODE_WORDS)


# A table as a PDF page gives it: a caption line ("Table 1: si base units.", "Table 1:" over its title) and then
# its rows as lines of text, the cells a space apart, until prose or a numbered heading resumes. Quoted whole,
# as a block under its caption: a row alone does not say which column holds what.
_CAPTION = re.compile(r"^\s*Table\s+\d+(?:\.\d+)*\s*[:.](?:\s|$)")
_NUMBERED_HEADING = re.compile(r"^\s*\d+(?:\.\d+)+\s+[A-Z]")
CAPTION_ROWS = 2  # fewer lines under a caption before prose: a caption alone (its table elsewhere), left as text
PROSE_WORDS, PROSE_SHARE = 10, 0.8  # a line of ten words or more, four in five of them plain words, is prose


def _caption_row(line: str) -> bool:
    stripped = line.strip()
    if not stripped or _CAPTION.match(stripped) or _NUMBERED_HEADING.match(stripped) or is_table_line(stripped):
        return False
    words = stripped.split()
    plain = sum(w.strip(".,;:()").isalpha() for w in words)
    return not (len(words) >= PROSE_WORDS and plain >= PROSE_SHARE * len(words))


def _caption_lines(lines: list[str], n: int) -> int:
    """How many lines the caption at ``lines[n]`` takes: two for "Table 1:" over its title, else one."""
    return 2 if lines[n].rstrip().endswith(":") and n + 1 < len(lines) and lines[n + 1].strip() else 1


def _rows_end(lines: list[str], start: int) -> int:
    """Where the rows under a caption, from ``lines[start]``, end: at a line that is no row, or at a sentence
    after rows that are none. A short sentence ("These are the derived units.") is shorter than prose, yet it
    starts the paragraph after the table; a table whose rows are sentences from its first stays whole."""
    end, sentences = start, False
    while end < len(lines) and _caption_row(lines[end]):
        if _prose_line(lines[end]) and lines[end].rstrip().endswith("."):
            if end > start and not sentences:
                break
            sentences = True
        end += 1
    return end


def _caption_tables(lines: list[str], markdown: bool = True) -> list[str]:
    """``lines`` with each captioned table of a PDF's text (a caption and its row lines) a paragraph of its own."""
    out: list[str] = []
    fences = Fences(lines=lines, markdown=markdown)
    n = 0
    while n < len(lines):
        line = lines[n]
        if fences.step(line) or fences.inside or not _CAPTION.match(line):
            out.append(line)
            n += 1
            continue
        head = _caption_lines(lines, n)
        end = _rows_end(lines, n + head)
        if end - n - head < CAPTION_ROWS:
            out.append(line)
            n += 1
            continue
        out += ["", *lines[n:end], ""]
        n = end
    return out


def is_caption(intro: str) -> bool:
    """Whether a unit's introduction is a table's caption ("Table 1: si base units.")."""
    return bool(_CAPTION.match(intro))


def caption_table(para: list[str]) -> tuple[str, str] | None:
    """A paragraph that is a captioned table (``_caption_tables``): its caption and its rows, else None."""
    if not _CAPTION.match(para[0]):
        return None
    head = _caption_lines(para, 0)
    rows = para[head:]
    if len(rows) < CAPTION_ROWS or not all(_caption_row(line) for line in rows):
        return None
    return " ".join(line.strip() for line in para[:head]), "\n".join(line.rstrip() for line in rows)


def _paragraphs(lines: list[str], markdown: bool = True) -> list[list[str]]:
    """Runs of lines split at blank lines, fenced code kept whole (blank lines and all)."""
    out: list[list[str]] = []
    current: list[str] = []
    fences = Fences(lines=lines, markdown=markdown)
    for line in lines:
        if fences.step(line):
            if not fences.inside:  # it closed the block
                current.append(line)
                out.append(current)
                current = []
                continue
            if current:
                out.append(current)
            current = [line]
            continue
        fenced = fences.inside
        if not fenced and not line.strip():
            if current:
                out.append(current)
            current = []
            continue
        if not fenced and current and is_table_line(line) != is_table_line(current[-1]):
            out.append(current)  # a pipe table is a paragraph of its own, even with no blank line around it
            current = []
        current.append(line)
    if current:
        out.append(current)
    return out


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+\S")
# A title inside a chunk's text (a subheading, a sidebar's "TIP ..." line) says where, not what: it is no
# answer, but the section of the units below it; so is a Markdown subheading.
# Sphinx and MkDocs end a heading with a permalink mark; merged sections put it right after the text above.
_PERMALINK = re.compile(r"^\s*\S.{0,118}¶\s*$")



def _title_line(para: list[str]) -> bool:
    """A paragraph of one short line with no sentence punctuation ("Maximum length of a string or BLOB");
    "Default: 300" and "Apples are red." are not titles."""
    if len(para) != 1:
        return False
    if _PERMALINK.search(para[0]):
        return True
    line = para[0].strip()
    words = line.split()
    return (2 <= len(words) <= CODE_WORDS and (line[:1].isupper() or line[:1].isdigit()) and not _looks_like_code(line)
            and not any(mark in line for mark in ".!?:;,=`")
            and not (_LIST_ITEM.match(line) and not line[:1].isdigit()))


# A reStructuredText section title's underline (or overline): one punctuation mark repeated, as Markdown's setext "---".
# Not "`", which opens a fenced block; "~" as long as the title over it (safe_text.Fences reads it so).
_ADORNMENT = re.compile(r"""^\s*([=\-:'"^_*+#<>.~])\1{2,}\s*$""")


def _underlined_title(para: list[str]) -> str:
    """The title of a paragraph that is a reStructuredText (or setext) section title: a line over an underline,
    perhaps under an overline; "" for any other. Read as prose, "The tmp_path fixture --------------------" was
    quoted in answers as a unit of its own."""
    lines = para[1:] if len(para) == 3 and _ADORNMENT.match(para[0]) else para
    if len(lines) != 2 or not _ADORNMENT.match(lines[1]):
        return ""
    title = lines[0].strip()
    # As reStructuredText wants it, the underline is as long as the title at least: "x = 1" over "---" in code is no title.
    if not any(ch.isalnum() for ch in title) or _ADORNMENT.match(title) or len(lines[1].strip()) < len(title) \
            or _looks_like_code(title) or lines[0].startswith(("    ", "\t")):
        return ""
    return title


# A term an API reference or a manual page describes in the paragraphs below it, on a line of its own: a
# signature ("class HttpResponsePermanentRedirect", "Task.retry(args=None, exc=None)", "tmp_path"), named by
# something that reads as an identifier, or an option ("--soft", "-u, --include-untracked").
_SIGNATURE = re.compile(
    r"^(?:(?P<kind>class|def|async def|exception|function|method|classmethod|staticmethod|attribute|property|data|"
    r"struct|enum|macro|type|var|const)\s+)?(?P<name>[A-Za-z_$][\w$]*(?:(?:\.|::|->)[A-Za-z_$~][\w$]*)*)"
    r"\s*(?P<args>\(.*\))?\s*(?P<rest>(?:->|:|=)\s*\S.*)?$")
_OPTION_TERM = re.compile(r"^(?P<name>--?[A-Za-z0-9?][\w.-]*(?:[ =]?<?[\w.|-]*>?)?(?:,\s*--?[A-Za-z0-9][\w.-]*(?:[ =]?<?[\w.|-]*>?)?)*)$")
# ... as a documentation build typesets it: Sphinx's smart quotes print "--distance" as "–distance" (an en dash) in a
# program's option list ("-l DISTANCE, –distance DISTANCE"), which read as no term, so its description stood alone.
_TYPESET_OPTION_TERM = re.compile(r"^(?P<name>(?:--?|\u2013)[A-Za-z0-9?][\w.-]*(?:[ =]?<?[\w.|-]*>?)?"
                                  r"(?:,\s*(?:--?|\u2013)[A-Za-z0-9][\w.-]*(?:[ =]?<?[\w.|-]*>?)?)*)$")
ENTRY_TERM_CHARS = 160
ENTRY_NAMES = 4  # at most this many term lines in a row name one entry ("-u", "--include-untracked")
_FIELD_LINE = re.compile(r"^[A-Z][\w ]{0,30}:\s+\S")  # an entry's field: "Default: 300", "Type: int"
_NAME_SHAPE = re.compile(r"[_.$]|::|->|[a-z][A-Z]|^[A-Z][A-Z0-9_]+$")


def entry_term(line: str, typeset_dashes: bool = False) -> str:
    """An entry's term line as it names the entry ("class HttpResponsePermanentRedirect", "Task.retry(args=None)",
    "-u, --include-untracked"), or "" for a line that is no such term ("Default: 300", "Installation", a sentence).
    With ``typeset_dashes``, an option written with an en dash for its "--" ("–cutoff-pick CUTOFF_PICK") is one too."""
    stripped = line.strip()
    if not stripped or len(stripped) > ENTRY_TERM_CHARS or _LIST_ITEM.match(line) or line.startswith(("    ", "\t")):
        return ""
    if (_TYPESET_OPTION_TERM if typeset_dashes else _OPTION_TERM).match(stripped):
        return stripped
    signature = _SIGNATURE.match(stripped)
    if signature is None:
        return ""
    said = (signature["rest"] or "").removeprefix(":").strip()
    if said != (signature["rest"] or "").strip() and len(said.split()) >= 4 and said.endswith((".", "!", "?")):
        return ""  # "config.yaml: the settings live in this file." says what it is; its words are the answer (probe 23)
    # "Default: 300" and "Installation" are a value and a title; "tmp_path", "class Client" and "connect(url)" names.
    # A name holds a letter or a digit: a separator line of a text file ("________") named the paragraph below (probe 24).
    identifier = (len(signature["name"]) > 2 and bool(_NAME_SHAPE.search(signature["name"]))
                  and any(ch.isalnum() for ch in signature["name"]))
    if identifier or signature["kind"] or (signature["args"] is not None and signature["rest"] is None):
        return stripped
    return ""


def _entry_terms(paras: list[list[str]], typeset_dashes: bool = False) -> dict[int, str]:
    """Which one-line paragraphs are an entry's term lines, and the names they give: a run of them ("-u",
    "--include-untracked") followed by a paragraph of prose, which describes what they name."""
    terms: dict[int, str] = {}
    run: list[tuple[int, str]] = []  # the term lines in a row so far, and their names
    for n, para in enumerate(paras):
        name = entry_term(para[0], typeset_dashes) if len(para) == 1 else ""
        if name:
            run.append((n, name))
            continue
        # The description's first line may be a short sentence wrapped ("Force decompression." over "bzip2, bunzip2
        # and ..."): its paragraph is read as one line (walk 25: "-d --decompress" was no entry, and the entry above
        # it named its description).
        # A manual page's option list writes its descriptions in lower case too ("fix the rot2 parameter").
        lower = typeset_dashes and bool(run) and run[-1][1].startswith(("-", "\u2013")) and _prose_line(para[0][:1].upper() + para[0][1:])
        if run and (lower or _prose_line(para[0]) or _prose_line(_one_line(" ".join(para))[:200])
                    or _FIELD_LINE.match(para[0])):
            # The lines nearest the description, each name once: a run of fifty options over one sentence led its answer
            # with 1,388 characters of names, and "class Foo" twice read "class Foo, class Foo" (probe 23). The lines
            # before them stay units of their own.
            named = run[-ENTRY_NAMES:]
            joined = ", ".join(dict.fromkeys(term for _, term in named))
            for i, _ in named:
                terms[i] = joined
        run = []
    return terms


# A field list as a documentation build renders it ("Exit code 5:" over "No tests were collected", "Returns:" over
# what is returned): a label of a few words ending in ':' alone in its paragraph, its value the paragraph below.
FIELD_LABEL_WORDS = 6
FIELD_VALUE_CHARS = 300


def _field_label(para: list[str]) -> bool:
    stripped = para[0].strip() if len(para) == 1 else ""
    return (stripped.endswith(":") and 0 < len(stripped.split()) <= FIELD_LABEL_WORDS and len(stripped) <= 60
            and not _LIST_ITEM.match(stripped) and not _FENCE.match(stripped) and not _SENTENCE_END.search(stripped))


def _field_value(para: list[str], titles: frozenset[str] | set[str] = frozenset()) -> bool:
    """Whether a paragraph may be a field's value: short prose, not a block, a table, a list (whose items the label
    introduces: "Parameters:" over "1. the zebra count" read "Parameters: 1. the zebra count 2. ...") nor a Markdown
    heading (``titles``: "Type:" over "# Heading" read "Type: Heading")."""
    text = " ".join(line.strip() for line in para)
    return (not _field_label(para) and len(text) <= FIELD_VALUE_CHARS and not _FENCE.match(para[0])
            and not _LIST_ITEM.match(para[0]) and not (len(para) == 1 and para[0] in titles)
            and not any(line.startswith(("    ", "\t")) or is_table_line(line) for line in para))


def _field_pairs(paras: list[list[str]], titles: frozenset[str] | set[str] = frozenset()) -> dict[int, str]:
    """The fields of a field list, by the paragraph of their label: "Exit code 5: No tests were collected". Two
    pairs in a row or more make a list; a lone "Example:" over its value is an introduction, left to the caller.
    The value's paragraph is listed too, as "" (it is read with its label)."""
    pairs = [n for n in range(len(paras) - 1) if _field_label(paras[n]) and _field_value(paras[n + 1], titles)]
    listed = set(pairs)
    fields: dict[int, str] = {}
    for n in pairs:
        if n - 2 in listed or n + 2 in listed:
            fields[n] = _one_line(f"{paras[n][0].strip()} {' '.join(paras[n + 1])}")
            fields[n + 1] = ""
    return fields


# An example's or a listing's caption on a line of its own ("Example 6.5. Non-interactive upgrade script"), as
# DocBook and Sphinx print one over the block it names.
_BLOCK_CAPTION = re.compile(r"^\s*(Example|Listing|Code|Figure|Program)\s+\d+(?:[.-]\d+)*[.:]?\s+\S.{0,150}$")


def split_units(text: str, heading: str = "", captions: bool = False, code_majority: bool = False,
                entry_terms: bool = False, caption_intro: bool = False, field_pairs: bool = False,
                loose_lists: bool = False, markdown: bool = True, member_names: bool = False,
                typeset_dashes: bool = False) -> list[Unit]:
    """The answer units of one source's text, in order; heading lines (Markdown's, or the chunk's
    own ``heading`` repeated as its first line) say where, not what, and are left out. With ``captions``,
    a table under a caption line, as a PDF's text gives it, is one block under its caption. With ``code_majority``,
    a paragraph at least half of whose lines are code, the others a few words, is one code block (_mostly_code)
    (a decorator line "@pytest.mark.parametrize(" over its indented arguments; "export NAME=value" over a command).
    With ``entry_terms``, an entry's term line ("class HttpResponsePermanentRedirect", "--soft") is the section of
    the paragraphs describing it, not a unit of its own: a reference's entries are about their names, where the
    chunk's heading ("HttpResponse subclasses") is about all of them. With ``caption_intro``, an example's caption
    line ("Example 6.5. Non-interactive upgrade script") introduces the block below it. With ``field_pairs``, a field
    list's label paragraph and its value ("Exit code 5:" over "No tests were collected") are one sentence. With
    ``loose_lists``, one-line paragraphs a blank line apart under a paragraph ending in ':' ("f - failed", "E - error")
    are the items of its list (_loose_items). Without ``markdown`` (a text whose reader writes no fence: an HTML page's),
    no line opens a fenced block: a page's <pre> showing a fence's first line ("```") quoted every sentence below it as
    code (probe 29)."""
    units: list[Unit] = []
    intro = ""  # a line ending in ':' introduces what follows (a list, a block, a table)
    own = {part.strip().lower() for part in HeadingTrail.of(heading).parts if part.strip()}
    lines = []
    marked: set[str] = set()  # Markdown headings below the chunk's own: titles whatever their words
    given = text.splitlines()
    fences = Fences(lines=given, markdown=markdown)  # inside a fenced block a "# comment" is code, not a heading
    for line in given:
        if fences.step(line) or fences.inside:
            lines.append(line)
            continue
        # An HTML page's text holds no Markdown: its "# => verify succeeds" inside a <pre> is a comment of the code,
        # which read as a title was cut from its block and headed the next one (walk 36's YARD examples). One that opens
        # a block ("# content of test_x.py") still names it, as before.
        if _MD_HEADING.match(line) and (markdown or not lines or not lines[-1].strip()):
            title = line.strip().lstrip("#").strip()
            if _FENCE.match(title):  # "# ```": as a title line it opened a block, quoting the headings after it as code
                continue
            if title.lower() not in own:
                marked.add(title)
                lines += ["", title, ""]
            continue
        if line.strip().lower() in own:
            continue
        if _PERMALINK.match(line):
            lines += ["", line, ""]  # a paragraph of its own: a title
        else:
            lines.append(line)
    if captions:
        lines = _caption_tables(lines, markdown)
    section, entry = "", ""
    previous = ""  # the paragraph before, when short: what a table after it holds
    titles: list[Unit] = []
    paras = _paragraphs(lines, markdown)
    terms = _entry_terms(paras, typeset_dashes) if entry_terms else {}
    fields = _field_pairs(paras, marked) if field_pairs else {}
    loose = _loose_items(paras) if loose_lists else {}
    # Members' headings inside the chunk (a page's short members joined in one chunk): the name's line, then its signature
    members = {n: name for n, para in enumerate(paras[:-1]) if len(para) == 1
               for name in [member_name(para[0], paras[n + 1][:MEMBER_LINES])] if name} if member_names else {}
    for block, para in enumerate(paras):
        first = para[0]
        if block in members and block not in terms:  # an entry's term line names it already, arguments and all
            section, entry, intro, previous = _one_line(first.strip()), members[block], "", ""
            titles.append(Unit(section, "sentence", block))
            continue
        if block in loose:  # an item of a list whose bullets the page's markup kept: not a title, not a block's line
            first_block, its_intro = loose[block]
            units.append(Unit(_cut(_one_line(first)), "item", first_block, its_intro, section=section, entry=entry))
            previous = ""
            continue
        if block in terms:
            if block - 1 not in terms:  # the first of a run ("-u" over "--include-untracked") names them all
                section, entry, intro, previous = terms[block], terms[block], "", ""
                titles.append(Unit(section, "sentence", block))
            continue
        # Another entry's name, its description unread, or a rule ("________", as a text file draws one; probe 24)
        # ends the entry above it.
        if entry and len(para) == 1 and (entry_term(first, typeset_dashes) or _ADORNMENT.match(first)):
            section, entry = "", ""
        if block in fields:
            if fields[block]:  # the label's paragraph; its value's, "", is read with it
                units.append(Unit(_cut(fields[block]), "sentence", block, section=section, entry=entry))
            intro, previous = "", ""
            continue
        # A PDF page glues a title to the paragraph under it: "Deposit insurance in the United States" over
        # "The Federal Deposit Insurance Corporation ...". A short line, then a sentence starting.
        glued = (len(para) >= 2 and _title_line(para[:1]) and para[1][:1].isupper()
                 and len(first.strip()) < 0.6 * len(para[1].strip()))
        underlined = _underlined_title(para)
        if underlined:
            first = underlined
        signature = block - 1 in members and block - 1 not in terms  # a unit of its member's, not a title over it
        # An option's description under its term line is no title for lacking a full stop ("SNR threshold for considering
        # a pixel high", as a man page's option list writes it): _entry_terms read it as the entry's description.
        signature = signature or (typeset_dashes and block - 1 in terms)
        if not signature and (glued or underlined or _title_line(para) or (len(para) == 1 and para[0] in marked)):
            section, entry, intro, previous = _one_line(first.strip().rstrip("¶ ")), "", "", ""
            titles.append(Unit(section, "sentence", block))
            if not glued:
                continue
            para, first = para[1:], para[1]
        start = len(units)
        before, previous = previous, ""
        # Code paragraphs in a row, a blank line apart, are one code unit (django lost one without it; git +2).
        # A pipe table is rows, never more of the code above it (README link references read as code).
        # A fenced block ends at its closing fence: "Result:" under one was quoted as the block's last line (probe 25).
        if units and units[-1].kind == "code" and units[-1].block == block - 1 and not _FENCE.match(paras[block - 1][0]) \
                and not _FENCE.match(first) and not all(is_table_line(line) for line in para) \
                and all(_looks_like_code(line) or line.startswith(("    ", "\t")) for line in para) \
                and len(units[-1].text) + len("\n".join(para)) + 2 <= MAX_UNIT:
            # A blank line inside a block (between two functions, before "return") does not end it.
            units[-1].text = f"{units[-1].text}\n\n" + "\n".join(line.rstrip() for line in para).strip("\n")
            units[-1].block = block
            continue
        captioned = caption_table(para) if captions else None
        if captioned is not None:
            units.append(Unit(_cut_code(captioned[1]), "code", block, captioned[0]))
            intro = ""
        elif _FENCE.match(first):
            # its own fences only: a line of the code that starts "```" is code; a page's <pre> showing fences (no
            # Markdown: no fence of its own) is quoted with them
            closed = len(para) > 1 and fence_closes(para[0], para[-1])
            body = "\n".join(para if not markdown else para[1:-1] if closed else para[1:]).strip("\n")
            if body.strip():
                units.append(Unit(_cut_code(body), "code", block, intro))
            intro = ""
        elif all(is_table_line(line) for line in para):
            units.extend(_table_rows(para, block, intro or before))
            intro = ""
        else:
            last = para[-1].strip()
            # A lone introduction is a unit too (only as the intro of what follows: django -1).
            units.extend(_split_paragraph(para, block, intro, code_majority))
            intro = _introduction(para) if last.endswith(":") else ""
            if caption_intro and len(para) == 1 and _BLOCK_CAPTION.match(first):
                intro = _one_line(first)  # the caption introduces the block below it, as a line ending in ':' does
            if all(u.kind == "sentence" for u in units[start:]) and len(" ".join(para)) <= TABLE_INTRO_CHARS:
                previous = _one_line(" ".join(para))
        for unit in units[start:]:
            unit.section, unit.entry = section, entry
    member = member_name(heading, given) if member_names else ""
    for unit in units if member else []:
        unit.entry = unit.entry or member
    return units or titles  # a note of one unpunctuated line ("Meeting moved to Tuesday") is its own answer


# A name alone, or with its arguments and what it returns (YARD's "#returns(value) ⇒ Expectation"): not prose.
_MEMBER_TITLE = re.compile(r"^[#.]?(?P<name>[A-Za-z_$][\w$]*(?:(?:\.|::|#)[A-Za-z_$][\w$]*)*)(?:\s*\(.*\))?"
                           r"(?:\s*(?:⇒|->|→|:)\s*.*)?$")
MEMBER_LINES = 6  # the signature stands right under the member's heading


def member_name(heading: str, lines: list[str]) -> str:
    """The name of the member a reference section describes: its heading's title is a name ("addParser", YARD's
    "#returns(value) ⇒ Expectation") and one of its first lines calls it ("public Subparser addParser(String command)").
    "" for any other section ("Installation" over "pip install(...)" is no member: its title is not called)."""
    title = HeadingTrail.of(heading).title if heading else ""
    match = _MEMBER_TITLE.match(title.strip())
    if match is None:
        return ""
    name = match["name"]
    # Called, not referred to as a man page is ("git-pull(1)", "pull(1)": git's pages); a generic one with its type
    # parameters between its name and "(" (rustdoc's "pub fn retain<F>(&mut self, f: F)", C#'s, TypeScript's: the
    # description was quoted without its name; probe 38)
    call = re.compile(rf"(?<![\w$/-]){re.escape(name.rsplit('.', 1)[-1].rsplit('#', 1)[-1].rsplit('::', 1)[-1])}"
                      r"\s*(?:<[^()<>\n]*(?:<[^()<>\n]*>[^()<>\n]*)*>\s*)?\((?!\d[a-z]*\))")
    first = [line for line in lines if line.strip() and line.strip() != title.strip()][:MEMBER_LINES]
    return name if any(call.search(line) for line in first) else ""


def _loose_item(para: list[str]) -> bool:
    """A paragraph that can be an item of a list written without bullets: one line of a dozen words or fewer, ending no
    sentence or introduction, no code, fence or table line."""
    line = para[0].strip()
    return (len(para) == 1 and 0 < len(line.split()) <= CODE_WORDS and not line.endswith((".", "?", "!", ":"))
            and not _FENCE.match(line) and not is_table_line(line) and not line.startswith(("    ", "\t"))
            and not _looks_like_code(para[0]))


def _loose_items(paras: list[list[str]]) -> dict[int, tuple[int, str]]:
    """Two or more one-line paragraphs a blank line apart under a paragraph ending in ':': the items of the list it
    introduces, whose bullets the page's markup kept ("Here is the full list ...:" over "f - failed", "E - error", the
    capitalized ones read as titles; "The following ... do not work:" over "Parametrization;"). Each item's paragraph:
    the first item's (the list's block) and the introduction."""
    out: dict[int, tuple[int, str]] = {}
    for n, para in enumerate(paras):
        if not para[-1].rstrip().endswith(":") or _FENCE.match(para[0]):
            continue
        run = []
        for m in range(n + 1, len(paras)):
            if not _loose_item(paras[m]):
                break
            run.append(m)
        if len(run) >= 2:
            intro = _introduction(para)
            for m in run:
                out[m] = (run[0], intro)
    return out


def _table_rows(para: list[str], block: int, intro: str) -> list[Unit]:
    """A pipe table's rows, each reading "header: value; header: value" (jupyter_docchat.table_text)."""
    table = parse_table(para)
    rows = [cells for cells in table.rows if any(cells)]
    return [Unit(_cut(row_text(table.header, cells)), "row", block, intro, header=table.header, cells=cells,
                 table_rows=len(rows)) for cells in rows]


def _introduction(para: list[str]) -> str:
    """The sentence that ends a paragraph with ':' (not just its last line, which a hard wrap may cut)."""
    sentence = _SENTENCE_END.split(_one_line(" ".join(_unwrap([line.rstrip() for line in para]))))[-1]
    return sentence if len(sentence) <= TABLE_INTRO_CHARS else ""


def _split_paragraph(para: list[str], block: int, intro: str, code_majority: bool = False) -> list[Unit]:
    """A paragraph's units: the rows of a plain-text table, one code block, or its sentences, list items,
    definition entries and code lines in order."""
    lines = [line.rstrip() for line in para]
    if len(lines) >= 2 and sum(bool(_TABLE_ROW.search(line)) for line in lines) >= 2:
        return _plain_table_rows(lines, block)
    if all(_looks_like_code(line) for line in lines) and (len(lines) >= 2 or intro) and not _is_list(lines) \
            or _config_block(lines, intro) or (code_majority and _mostly_code(lines)):
        return [Unit(_cut_code("\n".join(lines).strip("\n")), "code", block, intro)]
    reader = _MixedParagraph(block, intro)
    lines = _unwrap(lines)
    for n, line in enumerate(lines):
        reader.read(line, lines[n + 1] if n + 1 < len(lines) else None)
    return reader.finish()


def _mostly_code(lines: list[str]) -> bool:
    """Two lines or more, at least half of them code and none ending in '.', the others a few words (no wrapped
    prose) ending no sentence, and no list item: a code block one of whose lines the line test misses
    ("@pytest.mark.parametrize(", "export DEBIAN_FRONTEND=noninteractive")."""
    if len(lines) < 2 or _is_list(lines):
        return False
    code = [_looks_like_code(line) for line in lines]
    return 2 * sum(code) >= len(lines) and all(
        not line.strip().endswith(".") if is_code
        else len(line.split()) <= SENTENCE_WORDS and not line.strip().endswith((".", "?", "!", ":"))
        for line, is_code in zip(lines, code))


def _plain_table_rows(lines: list[str], block: int) -> list[Unit]:
    """Rows of a table written with tabs or " | " (no pipe-table markup), each introduced by the header line."""
    header = " | ".join(c.strip() for c in re.split(r"\t|\|", lines[0]) if c.strip())
    units = []
    for line in lines[1:]:
        cells = [c.strip() for c in re.split(r"\t|\|", line) if c.strip()]
        if cells and not set("".join(cells)) <= set("-:| "):
            units.append(Unit(" | ".join(cells), "row", block, header))
    return units


class _MixedParagraph:
    """Reads a paragraph's lines one by one into sentences, list items (with the line introducing the
    list), definition entries (a term line and its description) and code lines, in order."""

    def __init__(self, block: int, intro: str) -> None:
        self.block, self.list_intro = block, intro
        self.units: list[Unit] = []
        self.prose: list[str] = []
        self.item: list[str] = []
        self.code: list[str] = []
        self.definition: list[str] = []

    def read(self, line: str, following: str | None) -> None:
        if self.definition and not _term_line(line) and not _LIST_ITEM.match(line) and not _looks_like_code(line):
            self.definition.append(line.strip())  # the description of the term
            return
        self.flush_definition()
        if _term_line(line) and following is not None and _prose_line(following):
            self.flush_item()
            self.flush_code()
            self.flush_prose()
            self.definition.append(line.strip())
        elif _LIST_ITEM.match(line):
            self.flush_code()
            if not self.item and self.prose:
                # The prose just before a list introduces it when it ends with ':' (or is its only line).
                self.list_intro = _one_line(self.prose[-1]) if self.prose[-1].rstrip().endswith(":") else self.list_intro
                self.flush_prose()
            self.flush_item()
            self.item.append(line.strip())
        elif self.item and line.startswith((" ", "\t")) and not _looks_like_code(line):
            self.item.append(line.strip())  # a wrapped item
        elif _looks_like_code(line) and (self.code or (following is not None and _looks_like_code(following))
                                         or self._introduced()):
            self.flush_item()
            if self._introduced():
                self.list_intro = _one_line(self.prose[-1])
            self.code.append(line)
        else:
            self.flush_item()
            self.flush_code()
            self.prose.append(line.strip())

    def _introduced(self) -> bool:
        return bool(self.prose) and self.prose[-1].rstrip().endswith(":")

    def finish(self) -> list[Unit]:
        self.flush_definition()
        self.flush_item()
        self.flush_code()
        self.flush_prose()
        return self.units

    def flush_prose(self) -> None:
        if self.prose:
            self.units.extend(_sentences(_lines_joined(self.prose), self.block))
            self.prose.clear()

    def flush_item(self) -> None:
        if self.item:
            self.units.append(Unit(_one_line(_lines_joined(self.item)), "item", self.block, self.list_intro))
            self.item.clear()

    def flush_code(self) -> None:
        if self.code:
            self.units.append(Unit(_cut_code("\n".join(self.code)), "code", self.block, self.list_intro if not self.prose else ""))
            self.code.clear()

    def flush_definition(self) -> None:
        if self.definition:
            term, body = self.definition[0], _one_line(_lines_joined(self.definition[1:]))
            # A manual page's NAME ends its term with a dash ("git-fsck -" over "Verifies the connectivity ..."):
            # "git-fsck -: Verifies" was quoted.
            joint = " " if term.endswith((" -", " –", " —")) else ": "
            self.units.append(Unit(_cut(f"{term}{joint}{body}" if body else term), "definition", self.block))
            self.definition.clear()


# A line that starts with punctuation ending a clause: an HTML page's source breaks the line after an inline element
# ("<code>ider</code>\n. The real size"), and the text read from it goes on there.
_CONTINUES = re.compile(r"^[,.;:!?)\]](?:\s|$)")


def _lines_joined(lines: list[str]) -> str:
    """Lines of one paragraph as one text, a space between them but before the punctuation a line starts with: "by
    ider . The real size" was quoted where the page reads "by ider. The real size" (walk 24). Not after a line of code,
    nor in a run of lines starting with ';': an INI file's comments ("; This directive sets ..." under "[PHP]") were
    quoted "[PHP]; This directive sets ... run.; Set it to zero" (probe 26). (A run of ", the height" lines is gtk-doc's
    list of parameters, one a line: joined.)"""
    out = ""
    for n, line in enumerate(lines):
        comments = line.startswith(";") and (lines[n - 1].startswith(";") or lines[n + 1:n + 2] != [] and
                                             lines[n + 1].startswith(";"))
        continues = bool(out) and bool(_CONTINUES.match(line)) and not comments and not _looks_like_code(lines[n - 1])
        out += ("" if not out or continues else " ") + line
    return out


def _term_line(line: str) -> bool:
    """A term on a line of its own (a parameter, option or command), to be described by the lines below;
    short, so that a line of hard-wrapped prose is not taken for one."""
    stripped = line.strip()
    return (0 < len(stripped) <= TERM_CHARS and len(stripped.split()) <= TERM_WORDS and not _LIST_ITEM.match(line)
            and not stripped.endswith((".", "!", "?", ":", ",", ";")))


def _unwrap(lines: list[str]) -> list[str]:
    """Hard-wrapped prose (PDF text, plain text) as whole lines: a line that does not end a sentence
    continues on the next when that one starts in lower case; "com-" + "mand" is "command"."""
    out: list[str] = []
    for line in lines:
        previous = out[-1] if out else ""
        if (previous and len(previous) > WRAPPED_CHARS and not previous.rstrip().endswith((".", "!", "?", ":", ";"))
                and line.strip()[:1].islower() and not _LIST_ITEM.match(line) and not _looks_like_code(previous)):
            if previous.endswith("-") and previous[-2:-1].isalpha():
                out[-1] = previous[:-1] + line.strip()
            else:
                out[-1] = previous.rstrip() + " " + line.strip()
        else:
            out.append(line)
    return out


def _is_list(lines: list[str]) -> bool:
    return any(_LIST_ITEM.match(line) for line in lines)


def _cut_code(code: str) -> str:
    """A long code block: its first lines, up to MAX_UNIT characters, then a line saying more follows."""
    if len(code) <= MAX_UNIT:
        return code
    kept: list[str] = []
    used = 0
    for line in code.splitlines():
        if used + len(line) > MAX_UNIT and kept:
            break
        kept.append(line)
        used += len(line) + 1
    return "\n".join(kept) + "\n…"


def _prose_line(line: str) -> bool:
    stripped = line.strip()
    return len(stripped.split()) >= SENTENCE_WORDS and stripped[:1].isupper() and not _looks_like_code(line)


def _config_block(lines: list[str], intro: str) -> bool:
    """Lines after an introduction ("Configure it like this:") with no sentence in them: configuration."""
    if not intro or not lines or _is_list(lines):
        return False
    marked = sum(bool(_CONFIG_MARK.search(line.strip())) for line in lines)
    if _BLOCK_CAPTION.match(intro) and not intro.endswith(":") and 2 * marked < len(lines):
        # A caption says what the block below it is, not that the lines below it are one: the short lines of prose
        # under "Figure 4. Memory use by release" were quoted as a code block (probe 24).
        return False
    if all(line.strip().endswith((";", ",")) and not _CONFIG_MARK.search(line.strip()[:-1])
                                 for line in lines):
        return False  # "rotating the logs;": an enumeration whose bullets the page's markup kept, not a setting
    return all(not line.strip().endswith((".", "?", "!")) and len(line.split()) <= 8 for line in lines)


def _sentences(text: str, block: int) -> list[Unit]:
    text = _one_line(text)
    return [Unit(_cut(s), "sentence", block) for s in _SENTENCE_END.split(text) if s.strip()]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _cut(text: str) -> str:
    return cut(text, MAX_UNIT, at_word=True)

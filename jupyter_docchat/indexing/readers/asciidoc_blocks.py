"""What each line of an AsciiDoc page shows, block by block, and where its titles are (readers/asciidoc.py).

Titles ("== Install", a Markdown-style "## Install", an underlined "Install" over "-------") are written "## Install";
listing, literal, source and passthrough blocks are fenced as code, a literal (indented) paragraph too; example,
sidebar, quote and open blocks are prose; admonitions read "Warning: ..."; block titles (".Title") are a line; lists
and definitions a line an item; an include names its file (indexed on its own); attribute entries, comments,
conditionals' lines and block attribute lines show nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jupyter_docchat.indexing.readers.asciidoc_inline import alt_of, attribute_values, shown
from jupyter_docchat.indexing.readers.asciidoc_tables import TableAttributes, table_attributes, table_shown
from jupyter_docchat.indexing.readers.base import clean_heading


@dataclass(frozen=True)
class Heading:
    line: int  # index of the title's first line
    level: int  # 1 for the page's "= Title", 2 for "==", ...
    title: str


@dataclass
class ShownPage:
    lines: list[list[str]]  # what each file line shows: none, one, or a few (a fence or a table's rule added)
    heads: list[Heading]


ADMONITIONS = {"NOTE": "Note", "TIP": "Tip", "IMPORTANT": "Important", "WARNING": "Warning", "CAUTION": "Caution"}

_ATTRIBUTE_ENTRY = re.compile(r"^:(!?)([A-Za-z0-9_][A-Za-z0-9_-]*)(!?):(?:[ \t]+(.*))?$")
_CONDITIONAL = re.compile(r"^(ifdef|ifndef|ifeval|endif)::([^\[\s]*)\[(.*)\]\s*$")
_INCLUDE = re.compile(r"^include::([^\[\s][^\[]*)\[.*\]\s*$")
_BLOCK_MACRO = re.compile(r"^(image|video|audio|toc)::([^\[\s]*)\[(.*)\]\s*$")
_BLOCK_ATTRIBUTES = re.compile(r"^\[(\S[^\]]*|)\]\s*$")
_BLOCK_ANCHOR = re.compile(r"^\[\[[^\[\]]*\]\]\s*$")
_BLOCK_TITLE = re.compile(r"^\.(?=[^\s.])(.+)$")
_TITLE = re.compile(r"^(={1,6}|#{1,6})[ \t]+(\S.*)$")  # its text without a closing "==": _title_text
_UNDERLINE = re.compile(r"^([=\-~^+])\1+\s*$")
_UNDERLINE_LEVELS = {"=": 1, "-": 2, "~": 3, "^": 4, "+": 5}
_DELIMITER = re.compile(r"^(-{4,}|\.{4,}|={4,}|\*{4,}|_{4,}|\+{4,}|/{4,}|--|[|,:!]={3,}|```.*)\s*$")
_LIST_ITEM = re.compile(r"^[ \t]*(\*{1,5}|-|\.{1,5}|\d{1,9}\.|[a-zA-Z]\.|[ivxIVX]+\))[ \t]+(\S.*)$")
_DEFINITION = re.compile(r"^[ \t]*(\S.*?)(:{2,4}|;;)(?:[ \t]+(.*))?$")
_ADMONITION = re.compile(r"^(NOTE|TIP|IMPORTANT|WARNING|CAUTION):[ \t]+(.*)$")
_CALLOUT_ITEM = re.compile(r"^<(\d+|\.)>[ \t]+(.*)$")
_CALLOUT = re.compile(r"\d+|\.|!--\d+--")  # what a callout mark holds between "<" and ">"
_BREAKS = {"'''", "---", "***", "<<<", "- - -", "* * *", "+"}

# Delimiters of blocks shown as written; "====", "****", "____" and "--" (example, sidebar, quote, open) hold prose.
_CODE_BLOCKS = {"-": "listing", ".": "literal", "+": "pass"}


@dataclass
class _Pending:
    """What a block attribute line said of the block under it."""

    style: str = ""  # "source", "NOTE", "quote", "discrete", "verse"...
    language: str = ""
    attribution: str = ""
    table: TableAttributes = field(default_factory=TableAttributes)


@dataclass
class _Open:
    """A prose block opened and not yet closed (example, sidebar, quote, open block), by its delimiter."""

    delimiter: str
    line: int
    label: str  # an admonition's, put before the first line of prose in it
    attribution: str


def shown_page(lines: list[str]) -> ShownPage:
    reader = _Reader(lines)
    reader.read()
    return ShownPage(reader.out, reader.heads)


class _Reader:
    def __init__(self, lines: list[str]) -> None:
        self.lines = [line.rstrip() for line in lines]
        self.out: list[list[str]] = [[] for _ in lines]
        self.heads: list[Heading] = []
        self.attributes: dict[str, str] = {}
        self.pending = _Pending()
        self.open: list[_Open] = []
        self.label = ""  # an admonition's label waiting for its paragraph's first line
        self.in_paragraph = False
        self.in_header = False  # right under the page's "= Title", before a blank line
        self.counters: dict[int, int] = {}
        self.titles = reference_titles(self.lines)

    def _shown(self, text: str) -> str:
        return shown(text, self.attributes, self.titles)

    def read(self) -> None:
        number = 0
        while number < len(self.lines):
            number = self._line(number)

    def _line(self, number: int) -> int:
        """Reads the block or line at ``number``; the index of the next line to read."""
        line = self.lines[number]
        if not line.strip():
            self.out[number] = [""]
            self.in_paragraph = self.in_header = False
            return number + 1
        if _DELIMITER.match(line):
            self.in_paragraph = False
            return self._delimited(number, line)
        if line.startswith("//"):
            self.out[number] = [""]  # a comment (a "////" block is a delimiter)
            return number + 1
        if self.in_header and _ATTRIBUTE_ENTRY.match(line):  # the page's header: its author line, then its entries
            return self._entry(number, line) or number + 1
        if line.startswith(("ifdef::", "ifndef::", "ifeval::", "endif::", "include::")):
            # the preprocessor's lines, read before any block: within a paragraph or a header too
            after = self._conditional(number, line) or self._macro(number, line)
            if after is not None:
                return after
        if self.in_paragraph:
            if line == "+":  # a list item's continuation: a block attached to it follows
                self.out[number] = [""]
                self.in_paragraph = False
                return number + 1
            if not (self._in_list() and (_LIST_ITEM.match(line) or _CALLOUT_ITEM.match(line)
                                          or _DEFINITION.match(line))):
                return self._prose(number, line)
        for read in (self._entry, self._conditional, self._macro, self._block_attributes, self._title):
            after = read(number, line)
            if after is not None:
                return after
        if number + 1 < len(self.lines) and self._underlined(number, line):
            return number + 2
        return self._block_start(number, line)

    # Lines that show nothing or one thing

    def _entry(self, number: int, line: str) -> int | None:
        found = _ATTRIBUTE_ENTRY.match(line)
        if not found:
            return None
        name = found[2].lower()
        value = found[4] or ""
        last = number
        while value.endswith(" \\") and last + 1 < len(self.lines):  # a value going on over the next line
            last += 1
            value = value[:-2] + " " + self.lines[last].strip()
        if found[1] or found[3]:
            self.attributes.pop(name, None)
        else:
            self.attributes[name] = attribute_values(value.strip(), self.attributes)
        for n in range(number, last + 1):
            self.out[n] = [""]
        return last + 1

    def _conditional(self, number: int, line: str) -> int | None:
        found = _CONDITIONAL.match(line)
        if not found:
            return None
        # The content is kept, whatever the condition: the reader does not know the build's attributes, and a page's
        # text for one edition is the user's text too. A one-line "ifdef::x[text]" shows its text, or sets the
        # attribute it holds ("ifndef::env-github[:icons: font]").
        content = found[3] if found[1] in ("ifdef", "ifndef") else ""
        entry = _ATTRIBUTE_ENTRY.match(content)
        if entry:
            self._entry(number, content)
        self.out[number] = [self._shown(content)] if content and not entry else [""]
        return number + 1

    def _macro(self, number: int, line: str) -> int | None:
        found = _INCLUDE.match(line)
        if found:
            self.out[number] = [f"Included: {attribute_values(found[1].strip(), self.attributes)}"]
            self.pending = _Pending()
            return number + 1
        found = _BLOCK_MACRO.match(line)
        if not found:
            return None
        kind, target, text = found[1], found[2], found[3]
        if kind == "toc":
            self.out[number] = [""]
        elif kind in ("video", "audio"):  # a player on the page: named, as an include is
            self.out[number] = [f"{kind.title()}: {attribute_values(target, self.attributes)}"]
        else:
            alt = text.split(",")[0].strip().strip('"') if text and "=" not in text.split(",")[0] else ""
            named = re.search(r'alt\s*=\s*"?([^",\]]*)', text)
            alt = alt or (named[1].strip() if named else "")
            self.out[number] = [self._shown(alt) or alt_of(attribute_values(target, self.attributes))]
        self.pending = _Pending()
        return number + 1

    def _block_attributes(self, number: int, line: str) -> int | None:
        if _BLOCK_ANCHOR.match(line):  # "[[install]]", "[[idname,reference text]]": an id, shown as nothing
            self.out[number] = [""]
            return number + 1
        found = _BLOCK_ATTRIBUTES.match(line)
        if not found or line.startswith("[["):  # "[[[bib]]] Author, Title": a bibliography entry, prose
            return None
        text = found[1]
        positional = [part.strip() for part in _split_attributes(text)]
        first = positional[0] if positional else ""
        style = re.split(r"[#.%]", first, maxsplit=1)[0]
        if style in ADMONITIONS or style in ("source", "listing", "literal", "quote", "verse", "discrete", "float",
                                             "abstract", "pass", "stem", "latexmath", "asciimath", "comment") \
                or (first == "" and len(positional) > 1):
            # "[,python]" over a listing gives its language, "[,Author,Title]" over a quote block its attribution
            language = positional[1] if len(positional) > 1 and "=" not in positional[1] else ""
            attribution = ", ".join(p.strip('"') for p in positional[1:3] if p and "=" not in p) \
                if style in ("quote", "verse", "") else ""
            self.pending = _Pending(style, language, attribution, self.pending.table)
        if "cols" in text or "header" in text:
            self.pending = _Pending(self.pending.style, self.pending.language, self.pending.attribution,
                                    table_attributes(text))
        self.out[number] = [""]
        return number + 1

    def _title(self, number: int, line: str) -> int | None:
        found = _TITLE.match(line)
        if not found:
            found_title = _BLOCK_TITLE.match(line)
            if found_title and not line.startswith(".."):
                self.out[number] = [self._shown(found_title[1])]  # kept as a line, as the page shows it
                return number + 1
            return None
        self._heading(number, len(found[1]), _title_text(found[1], found[2]))
        return number + 1

    def _underlined(self, number: int, line: str) -> bool:
        """A title underlined (AsciiDoc's older form, which Asciidoctor reads: git's manuals), "NAME" over "----"."""
        under = self.lines[number + 1]
        found = _UNDERLINE.match(under)
        if not found or len(under) < 2 or abs(len(line) - len(under)) > 1 or not re.search(r"\w", line) \
                or line[0] in " \t.[<*-|/:" or _LIST_ITEM.match(line) or _DEFINITION.match(line):
            return False
        self._heading(number, _UNDERLINE_LEVELS[found[1]], line)
        self.out[number + 1] = [""]
        return True

    def _heading(self, number: int, level: int, title: str) -> None:
        text = self._shown(title).strip()
        if self.pending.style in ("discrete", "float") or self.open:  # a heading that starts no section
            self.out[number] = [text]
        else:
            self.in_header = level == 1 and not self.heads
            self.heads.append(Heading(number, level, clean_heading(text)))
            self.out[number] = [f"{'#' * level} {text}"]
        self.pending = _Pending()
        self.counters.clear()

    # Blocks

    def _delimited(self, number: int, line: str) -> int:
        mark = line.strip()
        if self.open and self.open[-1].delimiter == mark:  # the prose block open innermost ends
            block = self.open.pop()
            self.out[number] = [f"— {block.attribution}"] if block.attribution else [""]
            if block.label and self.label == block.label:  # no paragraph took it (a list, a listing): its own line
                self.out[block.line] = [f"{block.label}:"]
                self.label = ""
            return number + 1
        pending, self.pending = self.pending, _Pending()
        if mark[1:4] == "===" and mark[0] in "|,:!":
            return self._table(number, mark, pending)
        if mark[0] == "/" or pending.style == "comment":
            return self._verbatim(number, mark, None)
        if mark.startswith("```"):
            return self._verbatim(number, "```", mark)
        code = _CODE_BLOCKS.get(mark[0]) if mark != "--" else None
        if pending.style in ("quote", "verse", "abstract") or pending.style in ADMONITIONS:
            code = None  # "[verse]" over "....", "[NOTE]" over "--": prose
        elif pending.style in ("source", "listing", "literal", "pass"):
            code = pending.style  # "[source]" over an open block "--": code
        if code:
            return self._verbatim(number, mark, f"```{pending.language}")
        label = ADMONITIONS.get(pending.style, "")
        quote = pending.style in ("quote", "verse") or (mark[0] == "_" and not pending.style)
        attribution = pending.attribution if quote else ""
        self.open.append(_Open(mark, number, label, attribution))
        self.out[number] = [""]
        self.label = label
        return number + 1

    def _verbatim(self, number: int, closer: str, fence: str | None) -> int:
        """A block shown as written (fenced as code) up to ``closer``, or a comment block (``fence`` None) shown as
        nothing. One left open runs to the page's end, as in Asciidoctor."""
        self.out[number] = [fence] if fence is not None else [""]
        end = number + 1
        while end < len(self.lines) and self.lines[end].strip() != closer:
            self.out[end] = [self._code_line(self.lines[end])] if fence is not None else [""]
            end += 1
        if end < len(self.lines):
            self.out[end] = ["```"] if fence is not None else [""]
        elif fence is not None and end > number + 1:
            self.out[end - 1].append("```")
        return end + 1

    def _code_line(self, line: str) -> str:
        """A line of a listing as shown: without its callout marks; an include or a conditional in it is a
        preprocessor's line (Asciidoctor reads them in any block), the include naming its file."""
        if line.startswith(("include::", "ifdef::", "ifndef::", "ifeval::", "endif::")):
            found = _INCLUDE.match(line)
            return f"Included: {attribute_values(found[1].strip(), self.attributes)}" if found else ""
        return _without_callouts(line)

    def _table(self, number: int, mark: str, pending: _Pending) -> int:
        end = number + 1
        while end < len(self.lines) and self.lines[end].strip() != mark:
            end += 1
        body = self.lines[number + 1:end]
        self.out[number] = [""]
        for offset, shown_lines in enumerate(table_shown(body, mark[0], pending.table, self.attributes)):
            self.out[number + 1 + offset] = shown_lines
        if end < len(self.lines):
            self.out[end] = [""]
        return end + 1

    def _block_start(self, number: int, line: str) -> int:
        """A line that starts a paragraph, a list item or a definition."""
        pending, self.pending = self.pending, _Pending()
        if pending.style in ("source", "listing", "literal", "pass") or line[0] in " \t" and not self._in_list():
            return self._code_paragraph(number, pending.language if pending.style == "source" else "")
        if line == "+" or line.strip() in _BREAKS:
            self.out[number] = [""]
            return number + 1
        found = _CALLOUT_ITEM.match(line)
        if found:
            self.out[number] = [f"({found[1]}) {self._shown(found[2])}"]
            self.counters.setdefault(0, 0)  # a list: the next callout's line is an item, not this one's text
            self.in_paragraph = True
            return number + 1
        found = _LIST_ITEM.match(line)
        if found:
            self.out[number] = [self._item(found[1], found[2])]
            self.in_paragraph = True  # its text may go on over the next lines
            return number + 1
        found = _DEFINITION.match(line)
        if found and not found[1].endswith(":") and "://" not in found[1]:
            depth = len(found[2]) - 2
            term = self._shown(found[1].strip())
            text = f"{term}: {self._shown(found[3])}" if found[3] else f"{term}:"
            self.out[number] = ["  " * depth + text]
            self.counters.setdefault(0, 0)
            self.in_paragraph = True
            return number + 1
        label = ADMONITIONS.get(pending.style, "")
        found = _ADMONITION.match(line)
        if found:
            label, line = ADMONITIONS[found[1]], found[2]
        if label:
            self.label = label
        self.counters.clear()
        return self._prose(number, line)

    def _in_list(self) -> bool:
        """Whether a list is being read: an indented line under an item is the item's text going on."""
        return bool(self.counters)

    def _item(self, marker: str, text: str) -> str:
        if marker[0] in "*-":
            depth = len(marker) if marker[0] == "*" else 1
            self.counters = {d: n for d, n in self.counters.items() if d < depth}
            self.counters.setdefault(depth, 0)
            return "  " * (depth - 1) + f"- {self._shown(text)}"
        depth = len(marker) if marker[0] == "." else 1
        self.counters = {d: n for d, n in self.counters.items() if d <= depth}
        self.counters[depth] = self.counters.get(depth, 0) + 1
        shown_marker = f"{self.counters[depth]}." if marker[0] == "." else marker
        return "  " * (depth - 1) + f"{shown_marker} {self._shown(text)}"

    def _prose(self, number: int, line: str) -> int:
        text = self._shown(line.strip() if not self.in_paragraph else line)
        if self.label:
            text, self.label = f"{self.label}: {text}", ""
        self.out[number] = [text]
        self.in_paragraph = True
        return number + 1

    def _code_paragraph(self, number: int, language: str) -> int:
        """A literal paragraph (its first line indented) or one styled "[source]": code up to the next blank line."""
        end = number
        while end < len(self.lines) and self.lines[end].strip():
            self.out[end] = [self.lines[end]]
            end += 1
        self.out[number] = [f"```{language}", self.lines[number]]
        self.out[end - 1] = self.out[end - 1] + ["```"]
        return end


def _title_text(marker: str, text: str) -> str:
    """A title's text without the closing marks a symmetric title ends with ("== Install ==")."""
    text = text.rstrip()
    if text.endswith(marker) and text[:-len(marker)].endswith((" ", "\t")):
        return text[:-len(marker)].rstrip()
    return text


def _without_callouts(line: str) -> str:
    """A listing's line without the callout marks at its end ("x = 1  # <1>", "<!--2-->"), and the comment sign
    before them; a line that ends in no mark as written. Read back from the end, mark by mark, each character once
    (one pattern of the marks and the spaces around them tried each of a long run of spaces again)."""
    end = len(line.rstrip())
    kept = end
    while end and line[end - 1] == ">":
        opening = line.rfind("<", 0, end)
        if opening < 0 or not _CALLOUT.fullmatch(line, opening + 1, end - 1):
            break
        end = _space_before(line, opening)
        for sign in ("//", "#", "--", ";;"):
            if line.startswith(sign, end - len(sign)) and end >= len(sign):
                end = _space_before(line, end - len(sign))
                break
        kept = end
    return line if kept == len(line.rstrip()) else line[:kept]


def _space_before(line: str, end: int) -> int:
    """``end`` moved back over the spaces and tabs before it."""
    while end and line[end - 1] in " \t":
        end -= 1
    return end


_ID = re.compile(r"^\[\[([^\[\],\s]+)(?:,[^\]]*)?\]\]\s*$|^\[[^\]]*?#([\w:.-]+)[^\]]*\]\s*$")


def reference_titles(lines: list[str]) -> dict[str, str]:
    """The titles a reference without text shows ("<<install>>"): a section's, by its written id ("[[install]]",
    "[#install]" above it) or the ids Asciidoctor gives it ("_install_widget", "install-widget"), and a block's by the
    id beside its title (".Checklist syntax" over "[#ex-syntax]")."""
    titles: dict[str, str] = {}
    for number, line in enumerate(lines):
        found = _TITLE.match(line)
        if found:
            title = _title_text(found[1], found[2])
            words = re.sub(r"\W+", "_", title.lower()).strip("_")
            for auto in (f"_{words}", words, words.replace("_", "-")):
                titles.setdefault(auto, title)
            continue
        found = _ID.match(line)
        if not found:
            continue
        near = [lines[n] for n in (number + 1, number - 1, number + 2) if 0 <= n < len(lines)]
        title = next((_title_text(m[1], m[2]) if m.re is _TITLE else m[1] for text in near
                      for m in (_TITLE.match(text), _BLOCK_TITLE.match(text)) if m and not text.startswith("..")), "")
        if title:
            titles[found[1] or found[2]] = title
    return titles


def _split_attributes(text: str) -> list[str]:
    """A block attribute line's items, apart by commas outside quotes."""
    items, current, quote = [], "", ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == ",":
            items.append(current)
            current = ""
            continue
        current += char
    items.append(current)
    return items

"""Emacs Org-mode files (.org: notes, reading notes, lab books, literate code) read as Org shows them: a section per
headline under the trail of headlines above it (the file's #+TITLE heading them), each without its stars, priority,
tags and statistics cookies; drawers (:PROPERTIES:, :LOGBOOK:), settings (#+STARTUP, #+OPTIONS) and comments left out;
a headline's SCHEDULED/DEADLINE dates kept as a line ("Deadline: 2024-05-01"); source and example blocks as fenced
code, #+RESULTS: as the code's "Output:", quotes and Org's boxes (#+BEGIN_NOTE) as prose; tables as the Markdown
reader writes them; links as their text and emphasis without its marks.

A line-based reader, as Org's own syntax is: a headline is any line of stars and a space at the margin, in a block or
not (Org ends the block there). orgparse (BSD, kept) splits the outline the same way, but a node's body comes without
its drawers and planning lines and so without its lines' places, and the body's blocks, tables and markup are not
parsed: its one gain, the headline's parts, is a few patterns here. Every line of a section says the file line it
stands for (``Section.line_map``): lines left out leave no gap, lines added (a fence, "Output:") stand at their block's.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_docchat.indexing.readers.base import HeadingStack, decode
from jupyter_docchat.indexing.readers.note_markup import org_block
from jupyter_docchat.table_text import cells_of, table_lines
from jupyter_docchat.types import OUTPUT_LABEL, Section

# No part of a pattern here looks ahead over a run another part may take (a lazy title before trailing spaces): a
# line of a million spaces took minutes so in other readers. Values are stripped after the match instead.
_HEADLINE = re.compile(r"^(?P<stars>\*+)[ \t]+(?P<title>.*)$")
# "#+KEY: value"; "#+BEGIN_SRC python", "#+END_SRC"; a dynamic block's "#+BEGIN: clocktable" and "#+END:".
_KEYWORD = re.compile(r"^[ \t]*#\+(?P<key>[^\s:]+):(?P<value>(?:[ \t].*)?)$")
_BLOCK = re.compile(r"^[ \t]*#\+(?P<edge>begin|end)_(?P<kind>\S+)(?P<args>(?:[ \t].*)?)$", re.IGNORECASE)
_DYNAMIC = re.compile(r"^[ \t]*#\+(?:begin|end):", re.IGNORECASE)
_COMMENT = re.compile(r"^[ \t]*#(?:[ \t]|$)")
_DRAWER = re.compile(r"^[ \t]*:(?P<name>[\w-]+):[ \t]*$")
_FIXED = re.compile(r"^[ \t]*:(?:[ \t]|$)")
_TABLE = re.compile(r"^[ \t]*\|")
_RULE = re.compile(r"^[ \t]*\|[-+|: ]*$")
_PLANNING = re.compile(r"^[ \t]*(?:SCHEDULED|DEADLINE|CLOSED):")
_PLANNED = re.compile(r"(?P<what>SCHEDULED|DEADLINE|CLOSED):[ \t]*[<\[](?P<when>[^>\]\n]*)[>\]]")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ \t]+[^\d\s]+\.?)?(?:[ \t]+(?P<time>\d{1,2}:\d{2}(?:-\d{1,2}:\d{2})?))?")
# A headline's parts Org shows apart from its title: "[#A]", tags ":lab:paper:" at its end, "[2/5]" and "[40%]".
_PRIORITY = re.compile(r"^\[#[A-Za-z0-9]\][ \t]*")
_TAGS = re.compile(r":(?:[\w@#%]+:)+")
_COOKIE = re.compile(r"\[(?:\d*/\d*|\d*%)\]")
_TODO_LINES = re.compile(r"^[ \t]*#\+(?:SEQ_|TYP_)?TODO:(?P<words>.*)$", re.IGNORECASE | re.MULTILINE)
# Shown as lines of their own with their name: what Org's export puts on a page's head besides its title.
_SHOWN_KEYS = {"author": "Author", "date": "Date", "subtitle": "", "caption": ""}
# Blocks whose lines are code, fenced as Markdown writes it; a comment's left out. Any other (QUOTE, VERSE, CENTER,
# NOTE, a special block) is prose, its edges read as note_markup reads Logseq's.
_CODE_BLOCKS = {"src", "example", "export"}

# Links: "[[target][description]]" shows its description, "[[target]]" its target; targets "<<here>>" show nothing,
# radio targets "<<<term>>>" their term.
_LINK = re.compile(r"\[\[(?P<target>(?:[^\[\]\\]|\\.)+)\](?:\[(?P<text>[^\]\n]*(?:\][^\]\n]+)*)\])?\]")
_PICTURE = re.compile(r"\.(?:png|jpe?g|gif|svg|webp|bmp|tiff?)(?:\?[^\s\]]*)?$", re.IGNORECASE)
_TARGET = re.compile(r"<<<?(?P<text>[^<>\n]+?)>>>?")
# Emphasis as Org reads it: a mark after the line's start, a space or one of -('"{, the text starting and ending with
# no space, the closing mark before the line's end, a space or punctuation. So "a*b*c" (no space before) is a formula
# and "/usr/bin/" (its second "/" before a letter) a path; the text never holds its own mark.
_PRE = r"(?:(?<=^)|(?<=[\s\-('\"{]))"
_POST = r"(?=[\s\-.,;:!?')}\[\"\\]|$)"
_VERBATIM = re.compile(rf"{_PRE}(?:=(?P<code>[^\s=](?:[^=\n]*[^\s=])?)={_POST}"
                       rf"|~(?P<verb>[^\s~](?:[^~\n]*[^\s~])?)~{_POST})")
_EMPHASIS = {mark: re.compile(rf"{_PRE}{re.escape(mark)}(?P<text>[^\s{re.escape(mark)}](?:[^{re.escape(mark)}\n]*"
                              rf"[^\s{re.escape(mark)}])?){re.escape(mark)}{_POST}") for mark in "*/_+"}
_HELD = "\ufdd1"  # a noncharacter: never in a document's text
_HELD_AT = re.compile(f"{_HELD}(\\d+){_HELD}")
_MAY_MARK = re.compile(r"\[\[|<<|[=~*/_+]")


@dataclass
class _Part:
    """A section as it is read: its lines and the file line each stands for."""

    heading: str
    lines: list[str] = field(default_factory=list)
    places: list[int] = field(default_factory=list)

    def add(self, place: int, line: str) -> None:
        self.lines.append(line)
        self.places.append(place)


def read_org(path: Path, data: bytes) -> list[Section]:
    return _Reader(decode(data).splitlines()).read()


class _Reader:
    """One pass over a file's lines, each read by what it is and what it stands in (a block, a drawer, a table)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.todo = _todo_words("\n".join(line for line in lines if "TODO" in line.upper()))
        title = " ".join(found["value"].strip() for line in lines if (found := _KEYWORD.match(line))
                         and found["key"].lower() == "title")
        self.trail = HeadingStack(shown(title))
        # A drawer opens only where its :END: comes before the next headline (Org's rule): ":alias:" in prose opens
        # none.
        self.heads = [n for n, line in enumerate(lines) if _HEADLINE.match(line)] + [len(lines)]
        self.ends = [n for n, line in enumerate(lines) if line.strip().upper() == ":END:"]
        self.parts = [_Part(self.trail.text)]
        self.code = ""  # the closing line of the code block we are in ("#+END_SRC"), "" outside one
        self.comment = False  # in a comment block: left out
        self.drawer = False
        self.fixed = False  # in a run of ": " lines, fenced
        self.table: list[tuple[int, str]] = []
        self.planning_at = -1  # the line right under a headline, where its dates may stand

    @property
    def part(self) -> _Part:
        return self.parts[-1]

    def read(self) -> list[Section]:
        for number, line in enumerate(self.lines):
            self._line(number, line)
        self._close(len(self.lines))
        if self.code:
            self.part.add(len(self.lines), "```")
        return [Section("\n".join(part.lines), part.places[0], part.heading, kind="org", line_map=tuple(part.places))
                for part in self.parts if any(line.strip() for line in part.lines)]

    def _line(self, number: int, line: str) -> None:
        place = number + 1
        if (head := _HEADLINE.match(line)) is not None:
            self._headline(number, head)
        elif self.code:
            self._code(place, line)
        elif self.comment:
            self.comment = not line.strip().upper().startswith("#+END_COMMENT")
        elif self.drawer:
            self.drawer = line.strip().upper() != ":END:"
        elif number == self.planning_at and _PLANNING.match(line):
            dates = "; ".join(f"{found['what'].capitalize()}: {_when(found['when'])}"
                              for found in _PLANNED.finditer(line))
            if dates:
                self.part.add(place, dates)
        elif _FIXED.match(line):
            if self.table:
                self._close(number)
            if not self.fixed:
                self.part.add(place, "```")
                self.fixed = True
            self.part.add(place, line.lstrip()[2:])
        elif _TABLE.match(line):
            if self.fixed:
                self._close(number)
            self.table.append((place, line))
        else:
            self._close(number)
            self._other(number, line)

    def _headline(self, number: int, head: re.Match[str]) -> None:
        self._close(number)
        if self.code:  # Org ends a block left open at the next headline
            self.part.add(number, "```")
        self.code, self.comment, self.drawer = "", False, False
        keyword, text = headline(head["title"].strip(), self.todo)
        self.parts.append(_Part(self.trail.enter(len(head["stars"]), text, cleaned=True)))
        self.part.add(number + 1, f"{keyword} {text}".strip())
        self.planning_at = number + 1

    def _code(self, place: int, line: str) -> None:
        if line.strip().upper().startswith(self.code):
            self.part.add(place, "```")
            self.code = ""
        else:  # Org escapes a line of a block that would read as its markup with a comma: ",* item", ",#+END_SRC"
            self.part.add(place, line[:len(line) - len(line.lstrip())] + line.lstrip()[1:]
                          if line.lstrip().startswith((",*", ",#+")) else line)

    def _other(self, number: int, line: str) -> None:
        """A line outside blocks, drawers, tables and fixed-width runs: a drawer's, a block's edge, a keyword, a
        comment or prose."""
        place = number + 1
        if (found := _DRAWER.match(line)) is not None:
            # a stray ":END:" is none of the text either
            self.drawer = found["name"].upper() != "END" and _ends_before(self.ends, self.heads, number)
            if self.drawer or found["name"].upper() == "END":
                return
        if (block := _BLOCK.match(line)) is not None:
            self._block(place, line, block)
        elif (found := _KEYWORD.match(line)) is not None:
            key = found["key"].lower()
            if key == "results":  # what the code above printed, as the notebook reader labels a cell's output
                self.part.add(place, OUTPUT_LABEL)
            elif key in _SHOWN_KEYS and (value := found["value"].strip()):
                name = _SHOWN_KEYS[key]
                self.part.add(place, f"{name}: {shown(value)}" if name else shown(value))
        elif not _DYNAMIC.match(line) and not _COMMENT.match(line):
            unbroken = line.removesuffix("\\\\").rstrip() if line.endswith("\\\\") else line  # "\\\\" breaks a line
            self.part.add(place, shown(_described(unbroken)))

    def _block(self, place: int, line: str, block: re.Match[str]) -> None:
        kind = block["kind"].lower()
        shown_edge = org_block(line.strip())  # note_markup reads Logseq's Org blocks so: a box's kind is its title
        if block["edge"].lower() == "end":
            if shown_edge and shown_edge != line.strip():
                self.part.add(place, shown_edge)
        elif kind in _CODE_BLOCKS:
            language = block["args"].split()[:1] if kind != "example" else []
            self.part.add(place, "```" + (language[0] if language else ""))
            self.code = f"#+END_{kind.upper()}"
        elif kind == "comment":
            self.comment = True
        elif shown_edge:  # a box titled by its kind, a special block (#+BEGIN_DEFINITION) by its name
            self.part.add(place, shown_edge if shown_edge != line.strip() else kind.capitalize())

    def _close(self, place: int) -> None:
        """Ends a run of fixed-width lines or a table at ``place``, the last line they hold."""
        if self.fixed:
            self.part.add(place, "```")
            self.fixed = False
        if self.table:
            _add_table(self.part, self.table)
            self.table = []


def headline(title: str, todo: frozenset[str]) -> tuple[str, str]:
    """A headline's TODO keyword ("" without one) and its title as Org shows it in an outline: without its priority,
    tags and statistics cookies, its links and emphasis read."""
    keyword = ""
    first, _, rest = title.partition(" ")
    if first in todo:
        keyword, title = first, rest.lstrip()
    title = _PRIORITY.sub("", title)
    if title.startswith("COMMENT ") or title == "COMMENT":
        title = title[len("COMMENT"):].lstrip()
    words = title.split()
    if words and _TAGS.fullmatch(words[-1]):
        words.pop()
    title = " ".join(word for word in (_COOKIE.sub("", word) for word in words) if word)
    return keyword, shown(title)


def _todo_words(text: str) -> frozenset[str]:
    """The TODO keywords a file declares (#+TODO: TODO WAIT(w@/!) | DONE CANCELLED), or Org's default TODO and DONE."""
    words = {"TODO", "DONE"}
    for found in _TODO_LINES.finditer(text):
        words.update(word.split("(")[0] for word in found["words"].split() if word != "|")
    return frozenset(word for word in words if word)


# A list item's bullet (and checkbox): "- ", "+ ", "1. ", "2) ", an indented "* ".
_ITEM = re.compile(r"^[ \t]*(?:[-+]|\d+[.)]|[ \t]\*)[ \t]+(?:\[[ Xx-]\][ \t]+)?")


def _described(line: str) -> str:
    """A description list's item as Org's export shows it, its term over its description: "- C-h m :: Pop to this help"
    reads "- C-h m: Pop to this help" (the "::" was quoted in answers)."""
    item = _ITEM.match(line) if "::" in line else None
    if item is None:
        return line
    rest = line[item.end():]
    term, between, description = rest.partition(" :: ")
    if not between:
        if not rest.rstrip().endswith(" ::"):
            return line
        term, description = rest.rstrip()[:-3], ""
    if not term.strip():
        return line
    return f"{line[:item.end()]}{term.rstrip()}: {description.lstrip()}".rstrip()


def _when(stamp: str) -> str:
    """A timestamp's date and time as a reader says them ("2024-05-01 10:00"): without its weekday and repeater."""
    found = _DATE.search(stamp)
    if found is None:
        return stamp.strip()
    return f"{found[0][:10]} {found['time']}" if found["time"] else found[0][:10]


def _ends_before(ends: list[int], heads: list[int], number: int) -> bool:
    after = bisect_right(ends, number)
    return after < len(ends) and ends[after] < heads[bisect_right(heads, number)]


def _add_table(part: _Part, rows: list[tuple[int, str]]) -> None:
    """An Org table as the Markdown reader writes one ("| a | b |" under its header and "|---|"), a line a row at its
    own line: the rule under the header becomes the header's rule, the other rules (between groups of rows) go."""
    cells = [(place, [shown(cell) for cell in cells_of(_closed(line))])
             for place, line in rows if not _RULE.match(line)]
    if not cells:
        return
    ruled = len(rows) > 1 and _RULE.match(rows[1][1]) is not None and not _RULE.match(rows[0][1])
    if ruled:
        header, body = cells[0], cells[1:]
        written = table_lines(header[1], [row for _, row in body])
        places = [header[0], rows[1][0]] + [place for place, _ in body]
    else:  # a table without a header: each row a row, under empty names
        written = table_lines([], [row for _, row in cells])
        places = [place for place, _ in cells]
    for place, line in zip(places, written):
        part.add(place, line)


def _closed(line: str) -> str:
    line = line.strip()
    return line if line.endswith("|") and len(line) > 1 else line + "|"


def shown(text: str) -> str:
    """A line of Org prose as Org shows it: links as their text, targets and emphasis without their marks, verbatim
    and code ("=x=", "~x~") as written inside (no emphasis read there)."""
    if not _MAY_MARK.search(text):
        return text
    text = _LINK.sub(_link_text, text) if "[[" in text else text
    text = _TARGET.sub(r"\g<text>", text) if "<<" in text else text
    # Verbatim first, its text held aside while emphasis is read around it (a mark stands in: "=/usr/bin/=" is code)
    held: list[str] = []

    def hold(found: re.Match[str]) -> str:
        held.append(found["code"] if found["code"] is not None else found["verb"])
        return f"{_HELD}{len(held) - 1}{_HELD}"

    text = _VERBATIM.sub(hold, text) if ("=" in text or "~" in text) and _HELD not in text else text
    text = _emphasis(text)
    return _HELD_AT.sub(lambda found: held[int(found[1])], text) if held else text


def _emphasis(text: str) -> str:
    for mark, pattern in _EMPHASIS.items():
        if mark in text:
            text = pattern.sub(_ROOT_KEPT if mark == "/" else r"\g<text>", text)
    return text


# "/etc/" reads as italics to Org, yet in notes it is the folder: the top folders of the Filesystem Hierarchy Standard
# (and Nix's and Guix's stores) stay as written.
_ROOT_FOLDERS = frozenset("bin boot dev etc gnu home lib lib64 media mnt nix opt proc root run sbin srv sys tmp usr var"
                          .split())


def _ROOT_KEPT(found: re.Match[str]) -> str:  # noqa: N802 - a replacement, named as the pattern it stands beside
    return found[0] if found["text"] in _ROOT_FOLDERS else found["text"]


def _link_text(found: re.Match[str]) -> str:
    """A link as Org shows it: its description, or its target; a picture (a badge as a link's description, a
    "[[file:demo.gif]]") shows no words."""
    text = found["text"]
    if text:
        return "" if _PICTURE.search(text) and " " not in text.strip() else text
    target = found["target"].replace("\\]", "]").replace("\\[", "[")
    if _PICTURE.search(target):
        return ""
    if target.startswith("file:") or "::" in target:  # "file:notes.org::*Heading" shows "notes.org > Heading"
        target = target.removeprefix("file:")
        name, _, search = target.partition("::")
        return " > ".join(part for part in (name, search.lstrip("*#").strip()) if part)
    return target

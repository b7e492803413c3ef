"""Manual pages (``gzip.1.gz``, ``ssh_config.5``, ``openssl-passwd.1ssl``) read as ``man`` shows them: roff's
requests and macros, man(7)'s and mdoc(7)'s, turned into the text they print, a section (``.SH OPTIONS``) a passage
under "gzip(1) > OPTIONS". An option's tag is a line of its own over its description, as ``man`` sets it. Escapes
print what they show (``\\-\\-keep`` is ``--keep``); what prints nothing is left out: fonts, comments, macro
definitions, the branches of a condition roff does not take for a terminal (``.if t``), index entries. Each line
printed is cited at the source line it came from (the section's ``line_map``).

A file named like a page (a digit suffix) that holds no roff is no page: "unsupported type", as before pages were
read; a page that only points at another (``.so man1/gunzip.1``) is named as such.

No well-kept pure-Python reader of roff exists (``man2text`` runs ``man``, which a Windows or a slim machine lacks),
so this is one, of the requests pages use: groff_man(7), groff_mdoc(7), and the preamble Pod::Man and DocBook write.
"""

from __future__ import annotations

import re
from pathlib import Path

from jupyter_docchat.indexing.readers import mdoc
from jupyter_docchat.indexing.readers.base import HeadingStack, UnreadableFile, decode
from jupyter_docchat.indexing.readers.roff_text import arguments, unescape
from jupyter_docchat.types import Section

LINK_PAGE = "link to another manual page"
# Requests that start a new paragraph where they stand.
_BREAKS = {"PP", "LP", "P", "sp", "HP", "TP", "IP", "YS", "Pp", "Lp", "Sp", "TQ"}
# man(7)'s font macros: their arguments in one font, or alternating two with no space between.
_ONE_FONT, _TWO_FONTS = {"B", "I", "SM", "SB", "CW"}, {"BR", "RB", "BI", "IB", "IR", "RI"}
# Requests that end only at a line "..": macro definitions and ignored blocks (.de Vb, .ig).
_DEFINITIONS = {"de", "de1", "am", "am1", "ig", "dei", "ami"}
_CONDITIONS = {"if", "ie", "while"}
# What a page's own Pod::Man preamble defines and uses for display blocks (Vb/Ve: verbatim).
_NO_FILL, _FILL = {"nf", "EX", "Vb", "Bd-literal", "Bd-unfilled"}, {"fi", "EE", "Ve", "Ed"}
# A list item's mark printed before its text: a bullet, or a number or letter with its point ("1.", "a)", "(iv)").
_BULLET = re.compile(r"^(?:[\u2022\u00b7\u25cb\u25e6\u25aa\u2023\u2013\u2014*o+-]|\(?(?:\d{1,3}|[a-zA-Z]|[ivxIVX]{1,5})[.)])$")
_NAME = re.compile(r"[^\s\\]+")
_COMMENT = re.compile(r'(?<!\\)\\".*$')
_MAX_LINES = 2_000_000  # a page of more lines is no page anyone wrote: it is read as far as that


def read_manpage(path: Path, data: bytes) -> list[Section]:
    lines = decode(data).split("\n")
    kind = _page_kind(lines)
    if kind == "":
        raise UnreadableFile("unsupported type")
    if kind == "link":
        raise UnreadableFile(LINK_PAGE)
    page = _Page(path, mdoc_page=kind == "mdoc")
    for number, line in enumerate(lines[:_MAX_LINES], 1):
        page.line(line.rstrip("\r"), number)
    return page.finish()


_TITLE_MACROS = re.compile(r"^[.'][ \t]*(TH|Dd|Dt|SH|Sh)\b")
_SO = re.compile(r"^[.'][ \t]*so[ \t]+\S")


def _page_kind(lines: list[str]) -> str:
    """"man" or "mdoc" for a page, "link" for one that only sources another, "" for a file that is no roff."""
    content = [line for line in lines[:400] if line.strip() and not re.match(r"^[.'][ \t]*\\[\"#]", line)]
    if content and _SO.match(content[0]) and len(content) <= 3:
        return "link"
    for line in content:
        found = _TITLE_MACROS.match(line)
        if found:
            return "mdoc" if found[1] in ("Dd", "Dt", "Sh") else "man"
    return ""


class _Page:
    """What has been printed so far and the sections cut from it at the page's section headings."""

    def __init__(self, path: Path, mdoc_page: bool) -> None:
        self.name = path.stem  # what a bare mdoc ".Nm" prints, until the page names itself
        self.mdoc = mdoc_page
        self.trail = HeadingStack()
        self.heading = ""
        self.out: list[tuple[str, int]] = []  # (printed line, source line) of the section being read
        self.sections: list[Section] = []
        self.strings: dict[str, str] = {}
        self.fill = True
        self.skip_until = ""  # the line that ends a definition being skipped ("..")
        self.skip_depth = 0  # the braces of a condition not taken, still open
        self.last_if = True  # whether the last ".ie" took its branch (".el" takes the other)
        self.prefix = ""  # a list item's bullet or number, printed before the line after it
        self.heading_next = 0  # a ".SH" without words: the next line is its heading (its level)
        self.extended: list[str] | None = None  # an mdoc ".It ... Xo" head's tokens, until ".Xc"
        self.extended_line = 0
        self.lists: list[str] = []  # the open mdoc lists' types (-tag, -bullet, -enum, -column)
        self.counters: list[int] = []
        self.link: tuple[str, int, int] | None = None  # an ".UR url" open: its line, the printed lines then
        self.join_space = False
        self.tight = False
        self.tag_at: int | None = None  # the printed lines when the last ".HP" or ".TP" came (its tag is next)
        self.join = False  # the last line ended in "\\c": the next printed joins it ("See \\c", ".UR url", "\\&.")

    # -- printing

    def emit(self, text: str, number: int) -> None:
        if self.heading_next:
            self._section(self.heading_next, text, number)
            return
        if self.prefix and text.strip():
            text, self.prefix = f"{self.prefix} {text.lstrip()}", ""
        if self.join and self.out and self.fill:
            self.join = False
            line, at = self.out[-1]
            self.out[-1] = (line + " " * self.join_space + text.strip(), at)
            return
        self.join = False
        self.out.append((text if not self.fill else text.rstrip(), number))

    def paragraph(self, number: int) -> None:
        if self.out and self.out[-1][0].strip():
            self.out.append(("", number))

    def flush(self) -> None:
        while self.out and not self.out[-1][0].strip():
            self.out.pop()
        while self.out and not self.out[0][0].strip():
            self.out.pop(0)
        if self.out:
            text = "\n".join(line for line, _ in self.out)
            line_map = tuple(number for _, number in self.out)
            self.sections.append(Section(text, line_map[0], self.heading, kind="text", line_map=line_map))
        self.out = []

    def _section(self, level: int, title: str, number: int) -> None:
        self.heading_next = 0
        self.flush()
        title = " ".join(title.split())
        self.heading = self.trail.enter(level, title) if title else self.trail.text
        del number

    def finish(self) -> list[Section]:
        self.flush()
        return self.sections

    # -- reading

    def line(self, line: str, number: int) -> None:
        if self.skip_until:  # ".." ends a definition, written ".  ." inside an indented block too
            if line[:1] in (".", "'") and _NAME.match(line[1:].lstrip(" \t") or " ") and \
                    "." + line[1:].strip(" \t").split()[0] == self.skip_until:
                self.skip_until = ""
            return
        if self.skip_depth:
            self.skip_depth += line.count("\\{") - line.count("\\}")
            self.skip_depth = max(self.skip_depth, 0)
            return
        joins = line.endswith("\\c") and not line.endswith("\\\\c")
        if line[:1] in (".", "'"):
            self.request(line[1:].lstrip(" \t"), number)
        elif self.extended is not None:
            self.extended.extend(arguments(line))
        else:
            self.text(line.replace("\\}", ""), number)
        if joins:  # a space before the "\\c" prints ("See \\c": "See https://..."); a request's line has none
            self.join, self.join_space = True, line[:1] not in (".", "'") and line[:-2].endswith((" ", "\t"))

    def text(self, line: str, number: int) -> None:
        if self.fill and not line.strip():
            self.paragraph(number)
            return
        printed = unescape(line, self.strings)
        if printed.strip() or not self.fill:
            self.emit(printed, number)

    def request(self, rest: str, number: int) -> None:
        if rest.startswith(("\\\"", "\\#")) or not rest.strip():
            return  # a comment, or a lone "."
        # The name ends at a space, a tab or an escape (".el\\{\\", "'br\\}"); a comment ends the arguments.
        found = _NAME.match(rest)
        name, tail = (found[0], rest[found.end():]) if found else ("", rest)
        tail = _COMMENT.sub("", tail)
        if not name:
            return
        if name in _DEFINITIONS:
            args = arguments(tail)
            end = args[0] if name == "ig" and args else args[1] if name != "ig" and len(args) > 1 else "."
            self.skip_until = "." + end
            return
        if name in _CONDITIONS or name == "el":
            self.condition(name, tail, number)
            return
        if name == "ds" or name == "ds1":
            key, _, value = tail.lstrip().partition(" ")
            self.strings[key] = value.lstrip()[1:] if value.lstrip().startswith('"') else value.lstrip()
            return
        if self.mdoc:
            self.mdoc_request(name, tail, number)
        else:
            self.man_request(name, tail, number)

    def condition(self, name: str, tail: str, number: int) -> None:
        """``.if COND body``, ``.ie COND body`` / ``.el body``: the body read when roff, setting a page for a
        terminal, takes it (``n`` true, ``t`` false, groff's ``\\n(.g`` true, anything else false)."""
        tail = tail.lstrip()
        if name == "el":
            taken, body = not self.last_if, tail
        else:
            condition, _, body = tail.partition(" ")
            taken = _taken(condition)
            if name == "ie":
                self.last_if = taken
        body = body.lstrip()
        opens = body.startswith("\\{")
        if opens:
            body = body[2:].lstrip()
            if body in ("\\", ""):
                body = ""
        if not taken:
            if opens:
                self.skip_depth = 1 + body.count("\\{") - body.count("\\}")
            return
        if body:
            self.line(body.replace("\\}", "").rstrip("\\"), number)

    # -- man(7)

    def man_request(self, name: str, tail: str, number: int) -> None:
        args = arguments(tail)
        said = [unescape(arg, self.strings) for arg in args]
        if name == "TH":
            if said:
                title = said[0].lower() if said[0].isupper() else said[0]
                self.trail = HeadingStack(f"{title}({said[1]})" if len(said) > 1 and said[1] else title)
                self.heading = self.trail.text
                self.name = title
        elif name in ("SH", "SS"):
            level = 1 if name == "SH" else 2
            if said:
                self._section(level, " ".join(said), number)
            else:
                self.heading_next = level
        elif name == "PD":  # "PD 0": the tags that follow stand with no space between ("-5" over "-6")
            self.tight = said[:1] == ["0"]
        elif name in _BREAKS:
            # help2man's ".HP" tag (Ronn's bulleted ".IP" one) over an ".IP" description: one entry, the tag over its text
            under_tag = name == "IP" and not said and self.tag_at is not None and len(self.out) == self.tag_at + 1
            if not (self.tight and name in ("TP", "IP", "TQ")) and not under_tag:
                self.paragraph(number)
            self.tag_at = len(self.out) if name in ("HP", "TP") or (name == "IP" and said) else None
            if name == "IP" and said:
                self._item_tag(said[0], number)
        elif name in _ONE_FONT:
            if said:
                self.emit(" ".join(said), number)
        elif name in _TWO_FONTS:
            if said:
                self.emit("".join(said), number)
        elif name in _NO_FILL:
            self.fill = False
        elif name in _FILL:
            self.fill = True
        elif name == "UR" or name == "MT":
            self.link = (said[0] if said else "", number, len(self.out))
        elif name == "UE" or name == "ME":
            if self.link is not None:
                url, opened, at = self.link
                if len(self.out) == at and url:
                    self.emit(url + "".join(said), opened)
                elif said and self.out:
                    self.out[-1] = (self.out[-1][0] + "".join(said), self.out[-1][1])
            self.link = None
        elif name == "SY":
            self.paragraph(number)
            if said:
                self.emit(" ".join(said), number)
        elif name == "OP":
            if said:
                self.emit("[" + " ".join(said) + "]", number)
        elif name in ("URL", "MTO"):  # groff's www macros: the address, then the text shown
            if said:
                self.emit(" ".join(said[1:2]) + (f" <{said[0]}>" if len(said) > 1 else said[0]), number)
        elif name == "TS":
            self.fill = False  # tbl's data follows; its format lines are read as lines (rare in pages)

    def _item_tag(self, tag: str, number: int) -> None:
        """An indented paragraph's tag: a bullet or a number before its first line, any other (an option, "-1") a
        line of its own over it, as ``man`` sets a tag that is wider than its indent."""
        if self.prefix:  # a tag over no text of its own (Pod::Man's "-5" over "-6" and their one description)
            self.out.append((self.prefix, number))
            self.prefix = ""
        if _BULLET.match(tag.strip()):
            self.prefix = tag.strip()
        elif tag.strip():
            self.emit(tag, number)

    # -- mdoc(7)

    def mdoc_request(self, name: str, tail: str, number: int) -> None:
        tokens = arguments(tail)
        if self.extended is not None:
            self.extended.extend([name, *tokens])
            if name == "Xc" or (tokens and tokens[-1] == "Xc"):
                self.emit(mdoc.render(self.extended, self.strings, self.name), self.extended_line)
                self.extended = None
            return
        if name == "Dt":
            if tokens:
                title = tokens[0].lower() if tokens[0].isupper() else tokens[0]
                self.trail = HeadingStack(f"{title}({tokens[1]})" if len(tokens) > 1 else title)
                self.heading = self.trail.text
                self.name = title
        elif name in ("Sh", "Ss"):
            self._section(1 if name == "Sh" else 2, mdoc.render(tokens, self.strings, self.name), number)
        elif name in ("Pp", "Lp"):
            self.paragraph(number)
        elif name == "Bl":
            kind = next((t for t in tokens if t in ("-tag", "-bullet", "-dash", "-hyphen", "-enum", "-item",
                                                    "-column", "-hang", "-ohang", "-inset", "-diag")), "-tag")
            self.lists.append(kind)
            self.counters.append(0)
            self.paragraph(number)
        elif name == "El":
            if self.lists:
                self.lists.pop()
                self.counters.pop()
            self.paragraph(number)
        elif name == "It":
            self.mdoc_item(tokens, number)
        elif name == "Bd":
            self.paragraph(number)
            if "-literal" in tokens or "-unfilled" in tokens:
                self.fill = False
        elif name == "Ed":
            self.fill = True
            self.paragraph(number)
        elif name in ("D1", "Dl"):
            self.emit("    " + mdoc.render(tokens, self.strings, self.name), number)
        elif name == "Nm" and tokens and not self.out and self.trail.text:
            self.name = unescape(tokens[0], self.strings)
            self.emit(mdoc.render([name, *tokens], self.strings, self.name), number)
        elif name == "Nd" and self.out:  # NAME: "ssh — OpenSSH remote login client", one line
            line, at = self.out[-1]
            self.out[-1] = (f"{line} {mdoc.render([name, *tokens], self.strings, self.name)}", at)
        elif name in ("Dd", "Os", "Bk", "Ek", "Tg", "Rs", "Re", "Bf", "Ef", "Ud"):
            return
        elif name == "br":
            return
        elif name == "sp":
            self.paragraph(number)
        elif name in mdoc.CALLABLE:
            self.emit(mdoc.render([name, *tokens], self.strings, self.name), number)

    def mdoc_item(self, tokens: list[str], number: int) -> None:
        kind = self.lists[-1] if self.lists else "-tag"
        if kind in ("-bullet", "-dash", "-hyphen", "-enum", "-item"):
            self.paragraph(number)
            if kind == "-enum":
                self.counters[-1] += 1
            self.prefix = {"-bullet": "\u2022", "-dash": "-", "-hyphen": "-", "-item": ""}.get(
                kind, f"{self.counters[-1] if self.counters else 1}.")
            return
        if kind == "-column":
            self.emit(mdoc.render(["Ta", *tokens], self.strings, self.name).removeprefix("|").strip()
                      .replace("\t", " | "), number)
            return
        self.paragraph(number)
        if tokens and tokens[-1] == "Xo":
            self.extended, self.extended_line = ["No", *tokens], number
            return
        head = mdoc.render(["No", *tokens], self.strings, self.name)
        if head:
            self.emit(head, number)


def _taken(condition: str) -> bool:
    negated = condition.startswith("!")
    condition = condition.lstrip("!")
    taken = condition == "n" or condition.startswith("\\n(.g") or condition.startswith("\\n[.g]")
    return taken != negated

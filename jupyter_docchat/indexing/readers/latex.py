"""LaTeX sources: the text as written, less what LaTeX itself never typesets. A comment (``%`` to the end of
its line, unless escaped as ``\\%``) and a ``comment`` environment hold drafts, notes to co-authors and
paragraphs taken out: indexed, they answered questions from text the paper no longer says. Each is blanked
where it stands, so every other line keeps its number (the chunker splits at sectioning commands: chunking.py).
So is what ``\\iffalse ... \\fi`` holds, the other way a draft is taken out: TeX skips it, counting the
conditionals inside so that a nested ``\\ifx ... \\fi`` does not end it, and typesets an ``\\else`` branch.

A ``%`` that LaTeX prints is kept: in a verbatim environment or a listing (``50% of the time``), in ``\\verb|%|``
or ``\\lstinline``, in a URL (``\\url{http://x.org/a%20b}``). Blanked as comments, they cut the line there."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from jupyter_docchat.indexing.readers.base import HeadingStack, clean_heading, decode
from jupyter_docchat.types import Section

_BEGIN, _END = re.compile(r"^\s*\\begin\{comment\}"), re.compile(r"^\s*\\end\{comment\}")
_END_ON_LINE = re.compile(r"\\end\{comment\}")
# Environments whose lines LaTeX prints as written (no comments in them).
# filecontents writes its lines to a file as they are (a manual's sample .tex, a .bib): typeset never, its
# "\section{Example}" headed the rest of the file (probe 19).
_VERBATIM = r"verbatim\*?|Verbatim\*?|BVerbatim|LVerbatim|lstlisting|minted|filecontents\*?"
# \iffalse, \fi, \else and the other \if... TeX counts while it skips. A command named \if... that takes
# braced arguments is a macro with no \fi of its own (ifthen's \ifthenelse, etoolbox's \ifdef, \iftoggle),
# and \iff is the "if and only if" arrow: neither nests.
_CONDITIONAL = r"\\(?:(?P<opens>if(?!f(?![A-Za-z@]))[A-Za-z@]*)(?![A-Za-z@])(?!\s*\{)|(?P<closes>fi|else)(?![A-Za-z@]))"
# What a skipped line is read as: TeX reads no \verb or verbatim there, only conditionals and comments.
_SKIPPED = re.compile(rf"{_CONDITIONAL}|\\.|%")
# What a line is read as, left to right: text printed as written (\verb's delimited text, a URL, an inline
# listing), the start of a verbatim environment, a conditional (\iffalse, \fi...), an escaped character (\%,
# and \\, after which "%" starts a comment), or the "%" that starts a comment. No part may run over another
# start of its own (a listing's options stop at a "["): a line of "\lstinline[" repeated took minutes, each one
# read to the line's end.
_VERB = r"\\verb\*?([^\sA-Za-z*])(?:.*?\1|.*)"
_LSTINLINE = r"\\lstinline(?:\[[^\]\[\n]{0,256}\])?(?:\{[^{}\n]*\}|([^\s\[{])(?:.*?\2|.*))"
_SCAN = re.compile(
    _VERB
    + r"|\\(?:url|nolinkurl|path|href)\s*\{[^{}\n]*\}"
    + f"|{_LSTINLINE}"
    + rf"|\\begin\{{({_VERBATIM})\}}"
    + rf"|{_CONDITIONAL}"
    r"|\\."
    r"|%")
_INLINE = re.compile(f"{_VERB}|{_LSTINLINE}")  # what \\verb and \\lstinline print as written


def _line_text(line: str, skipping: int, conditionals: bool = True) -> tuple[str, str | None, int]:
    """What LaTeX typesets of a line: less its comment and what an ``\\iffalse`` skips. ``skipping``: how many
    conditionals deep the line starts in one (0 for none), and so the one it leaves; with ``conditionals`` off,
    an ``\\iffalse`` skips nothing. Also the verbatim environment the line leaves open (None if it leaves none)."""
    kept: list[str] = []
    start = at = 0  # where the text typeset runs from; where the reading goes on
    while True:
        match = (_SKIPPED if skipping else _SCAN).search(line, at)
        if match is None or match[0] == "%":
            if not skipping:
                kept.append(line[start:match.start() if match else len(line)])
            return "".join(kept), None, skipping
        at = match.end()
        if skipping:
            if match["opens"]:
                skipping += 1
            elif match["closes"] == "fi" or (match["closes"] == "else" and skipping == 1):
                skipping -= 1  # an \else ends the skip of its \iffalse, not of one nested in it
                start = at
        elif match["opens"] == "iffalse" and conditionals:
            kept.append(line[start:match.start()])
            skipping = 1
        elif match[3]:
            end = _end_of(match[3]).search(line, at)
            if end is None:
                kept.append(line[start:])
                return "".join(kept), match[3], 0
            at = end.end()


@lru_cache(maxsize=None)
def _end_of(env: str) -> re.Pattern[str]:
    return re.compile(rf"\\end\{{{re.escape(env)}\}}")


def read_latex(path: Path, data: bytes) -> list[Section]:
    lines = decode(data).split("\n")
    # An \iffalse the reading finds no \fi for (TeX would not compile it, or a conditional was miscounted)
    # would blank the rest of the file: such a file is read without them, as before they were read. So is a file
    # with a comment environment left open ("Old draft. \end{comment}", whose end is not on a line of its own):
    # every section below it was lost without a word (probe 18).
    conditionals = comments = True
    while True:
        typeset, if_open, comment_open, verbatim = _typeset(lines, conditionals, comments)
        if not (if_open or comment_open):
            break
        conditionals, comments = conditionals and not if_open, comments and not comment_open
    blank = {n for n, line in enumerate(lines) if not line.strip()}  # not a comment blanked: it ends no paragraph
    return _sectioned([line.rstrip() for line in typeset], verbatim, blank)


# \part to \subparagraph, starred or not, with an optional short title: \section*[Short]{Long title}. The spaces
# after the short title are in its group: with two runs of spaces side by side, a command followed by 200 kB of
# spaces and no brace was tried at every way of sharing them (quadratic: 40 s). So is \title's, whose short title
# is read for 1,000 characters at most: \title is looked for anywhere on a line, and a line of "\title[" repeated read
# on to its end from each one.
# A title left open stops at a line that starts a section (_braced), commands of no argument (and \begin{document},
# an environment's \end) before it too: "\appendix\section{Proofs}" (probe 19). Not another \begin:
# "\begin{verbatim}\section{x}" prints the command. Each command ends where its spaces do, so a run of them is read
# one way only.
_SECTIONING = re.compile(r"^\s*(?:\\(?:begin\{document\}|end\{[A-Za-z*]*\}|[A-Za-z]+\*?)\s*)*?"
                         r"\\(part|chapter|section|subsection|subsubsection|paragraph|subparagraph)\*?\s*"
                         r"(?:\[[^\]\n]*\]\s*)?\{")
_LEVELS = {"part": 0, "chapter": 1, "section": 2, "subsection": 3, "subsubsection": 4, "paragraph": 5, "subparagraph": 6}
_TITLE = re.compile(r"\\title\s*(?:\[[^\]\n]{0,1000}\]\s*)?\{")
_PARAMETER = re.compile(r"(?<!\\)#[1-9]")  # a macro's parameter (not "\\#1", printed): the command is in a definition
# In a title: a command's name goes, its argument stays (\emph{fast} -> fast); ~ and \\ are spaces.
_COMMAND = re.compile(r"\\[A-Za-z@]+\*?\s*(?:\[[^\]]*\])?|\\\\|\\[&%$#_{}]|~|[{}]")
# Markup a title prints otherwise than as its arguments: hyperref's plain text for a bookmark and a link's text (the
# second argument, not "$$ functionbeta function"), a label, a note, a citation or a reference (keys, or words
# printed elsewhere, as "ResultsJoint work with Bob"), TeX's logos, and an accent on its letter ("Schr\\"odinger").
_ARGUMENT = r"\s*\{((?:[^{}]|\{[^{}]*\})*)\}"
_SECOND = re.compile(rf"\\(?:texorpdfstring|href\s*(?:\[[^\]]*\])?){_ARGUMENT}{_ARGUMENT}")
# Its spaces are taken from where they start: tried at each space of a run, a title of " ~" repeated was quadratic.
_NOT_PRINTED = re.compile(r"(?<![\s~])[\s~]*\\(?:label|index|footnote|thanks|cite[A-Za-z]*|[A-Za-z]*ref)\*?"
                          r"(?:\s*\[[^\]]*\])*" + _ARGUMENT)
_LOGO = re.compile(r"\\(LaTeX|TeX|BibTeX|XeTeX|LuaTeX|pdfTeX)(?![A-Za-z@])")
_ACCENT = re.compile(r"\\(?:([`'^\"~=.])\s*|([Hcvukrdb])\s*(?=\{))(?:\{\s*\\?([A-Za-z])\s*\}|([A-Za-z]))")
_MARKS = {"`": "\u0300", "'": "\u0301", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304", ".": "\u0307",
          "H": "\u030b", "c": "\u0327", "v": "\u030c", "u": "\u0306", "k": "\u0328", "r": "\u030a", "d": "\u0323",
          "b": "\u0331"}


def _sectioned(lines: list[str], verbatim: set[int], blank: set[int]) -> list[Section]:
    """The typeset text in sections at its sectioning commands, each headed by the trail of titles above it
    (the document's \\title first): a paper's chunks said "Methods > Data" no more than any other text file's.
    A command starts its section where it stands, as LaTeX typesets it: after other text on its line too
    ("\\clearpage\\section{Results}", "\\section{A} Text. \\section{B} More."), its title on the next line too
    ("\\section\n{Methods}"); only a command at a line's start was read, its brace on that line."""
    # A manual's example of \\title or \\section in a verbatim block heads nothing, nor does one in a definition
    # (\\newcommand{\\chapterhead}[1]{\\section{#1}}), whose title is its parameter.
    titles = (_braced(lines, n, m.end(), blank) for n, line in enumerate(lines)
              if n not in verbatim and (m := _TITLE.search(_INLINE.sub(lambda v: " " * len(v[0]), line))))
    trail = HeadingStack(_title_text(next((t for t in titles if not _PARAMETER.search(t)), "")))
    sections: list[Section] = []
    start, column, heading = 0, 0, ""  # where the section being read starts: its line, and its column there
    for n, line in enumerate(lines):
        if n in verbatim or _SECTION_COMMAND.search(line) is None:
            continue
        if "\\verb" in line or "\\lstinline" in line:  # what they print is no command
            line = _INLINE.sub(lambda v: " " * len(v[0]), line)
        if (begun := _VERBATIM_BEGIN.search(line)) is not None:  # nor is a verbatim block's, begun on the line
            ended = _end_of(begun[1]).search(line, begun.end())
            stop = ended.start() if ended else len(line)
            line = line[:begun.end()] + " " * (stop - begun.end()) + line[stop:]
        # A command after a definition's start on its line is the definition's body, typeset only where it is used
        # ("\\newcommand{\\intro}{\\section{Introduction}}" in the preamble headed the whole paper).
        defined = next((d.start() for d in _DEFINITION.finditer(line) if _unescaped(line, d.start())), len(line))
        commands = [found for found in _SECTION_COMMAND.finditer(line)
                    if _unescaped(line, found.start()) and found.start() < defined]
        indent = len(line) - len(line.lstrip())
        for number, found in enumerate(commands):
            argument = _argument(lines, n, found.end(), blank)
            if argument is None:
                continue
            after = commands[number + 1].start("command") if number + 1 < len(commands) else None
            title = _braced(lines, *argument, blank, after if argument[0] == n else None)
            if _PARAMETER.search(title):
                continue
            at = found.start("command")
            if at <= indent:
                at = 0  # the section starts with its line, the spaces before the command too
            if at and (n, at) > (start, column):
                sections.append(_section(lines, start, column, n, at, heading))
            elif not at and n > start:  # the lines above
                sections.append(_section(lines, start, column, n - 1, len(lines[n - 1]), heading))
            start, column, heading = n, at, trail.enter(_LEVELS[found["name"]], _title_text(title))
    sections.append(_section(lines, start, column, len(lines) - 1, len(lines[-1]), heading))
    return sections


# A sectioning command anywhere on a line (_unescaped: not after an odd run of backslashes, "\\\\section" is a
# line break and a word). Its backslash first: the search skips to each backslash of a line.
_SECTION_COMMAND = re.compile(r"(?P<command>\\(?P<name>part|chapter|section|subsection|subsubsection|paragraph"
                              r"|subparagraph)(?![A-Za-z@])\*?)")


# The commands that define a command or an environment, whose body is not typeset where it stands.
_DEFINITION = re.compile(r"\\(?:(?:re)?newcommand|providecommand|DeclareRobustCommand|[gex]?def|let"
                         r"|(?:New|Renew|Provide|Declare)DocumentCommand|(?:re)?newenvironment)(?![A-Za-z@])")


def _unescaped(line: str, at: int) -> bool:
    """Whether the backslash at ``at`` starts a command: an even run of backslashes before it."""
    before = at
    while before and line[before - 1] == "\\":
        before -= 1
    return (at - before) % 2 == 0
_VERBATIM_BEGIN = re.compile(rf"\\begin\{{({_VERBATIM})\}}")
# A short title, on one line, read for 1,000 characters at most (as \\title's): a line of "\\section[" repeated read
# on to its end from each one.
_SHORT = re.compile(r"\[[^\]\n]{0,1000}\]")


def _argument(lines: list[str], n: int, at: int, blank: set[int]) -> tuple[int, int] | None:
    """The line and column just inside the brace that opens the title of the sectioning command ending at column
    ``at`` of line ``n``, or None (a command with no title: "\\let\\oldsection\\section"). TeX takes the title
    past spaces and a line break, and a short title before it ("\\section[Short]\n{Long title}"), not past a
    blank line ("Paragraph ended before..."); comments were blanked, and the lines they held are no blank ones."""
    short = False
    for k in range(n, min(n + 5, len(lines))):
        if k > n and k in blank:
            return None
        line = lines[k]
        while True:
            while at < len(line) and line[at].isspace():
                at += 1
            if at == len(line):
                break
            if line[at] == "{":
                return k, at + 1
            found = None if short else _SHORT.match(line, at)
            if found is None:
                return None
            at, short = found.end(), True
        at = 0
    return None


def _section(lines: list[str], start: int, column: int, end: int, end_column: int, heading: str) -> Section:
    """The text from column ``column`` of line ``start`` to column ``end_column`` of line ``end``. A section that
    starts inside a line has its lines mapped: joined with the one before, whose last line is that line's start,
    it is cited on its own line, not the next."""
    text = "\n".join([lines[start][column:]] + lines[start + 1:end + 1]) if end > start else lines[start][column:end_column]
    if end > start:
        text = text[:len(text) - (len(lines[end]) - end_column)]
    line_map = tuple(range(start + 1, start + 2 + text.count("\n"))) if column else None
    return Section(text, start + 1, heading, line_map=line_map)


# Characters of a title read at most: one left open on a file's only line was the whole file, its cleaning quadratic.
TITLE_CHARS = 1000


def _braced(lines: list[str], n: int, at: int, blank: set[int], end: int | None = None) -> str:
    """The text up to the brace that closes the one just before ``at`` on line ``n``, over five lines at most and
    not past a blank one: TeX ends a title there ("Paragraph ended before \\@sect was complete"), and a title left
    open headed its section with the paragraph below it. ``blank``: the lines blank in the source. ``end``: the
    column of line ``n`` where the next sectioning command stands, which no title runs past (a line of "\\section{"
    repeated: each title was read for TITLE_CHARS)."""
    depth, out = 1, list[str]()
    for k, line in enumerate(lines[n:n + 5], n):
        # Nor past the next sectioning command, which TeX refuses in a title: a title left open headed its section
        # with the next one's title and text ("Open body Two more").
        if k in blank or (k > n and _SECTIONING.match(line)):
            break
        # An escaped brace is printed, and opens or closes nothing: "\section{The \{ symbol}" was headed by the
        # lines below it, "\section{The \} symbol}" by "The \".
        escaped = False
        for char in line[at:min(at + TITLE_CHARS, end if k == n and end is not None else len(line))]:
            if not escaped:
                depth += {"{": 1, "}": -1}.get(char, 0)
                if depth == 0:
                    return "".join(out)
            escaped = not escaped and char == "\\"
            out.append(char)
        if k == n and end is not None:
            break
        out.append(" ")
        at = 0
    return "".join(out)


def _title_text(title: str) -> str:
    title = _NOT_PRINTED.sub("", _SECOND.sub(lambda m: m[2], title))
    title = _ACCENT.sub(lambda m: (m[3] or m[4]) + _MARKS[m[1] or m[2]], _LOGO.sub(lambda m: m[1], title))
    return clean_heading(unicodedata.normalize("NFC", _COMMAND.sub(_printed, title)))


def _printed(command: re.Match[str]) -> str:
    """What a title prints for a command matched by _COMMAND: "\\&" an ampersand, "~" and "\\\\" a space, a Greek
    letter its letter."""
    if command[0] in ("~", "\\\\"):
        return " "
    name = command[0][1:].rstrip()
    if name in _GREEK:
        return _GREEK[name]
    return command[0][1] if len(command[0]) == 2 and command[0][1] in "&%$#_{}" else ""


def _greek() -> dict[str, str]:
    """TeX's names of the Greek letters and the letters: a title's "$\\alpha$-decay" read "$$-decay", cosmology's
    "$\\Lambda$CDM" "$$CDM" (probe 19)."""
    names = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma tau upsilon phi "
             "chi psi omega").split()
    letters = {}
    for name in names:
        unicode_name = name.upper().replace("LAMBDA", "LAMDA")  # Unicode spells it so
        letters[name] = unicodedata.lookup(f"GREEK SMALL LETTER {unicode_name}")
        letters[name.capitalize()] = unicodedata.lookup(f"GREEK CAPITAL LETTER {unicode_name}")
    letters.update(varepsilon="ε", vartheta="ϑ", varpi="ϖ", varrho="ϱ", varsigma="ς", varphi="φ", phi="ϕ")
    return letters


_GREEK = _greek()


def _typeset(lines: list[str], conditionals: bool, comments: bool) -> tuple[list[str], bool, bool, set[int]]:
    """``lines`` with what LaTeX never typesets blanked, whether an \\iffalse and whether a comment environment is
    left open at the end, and the lines that start inside a verbatim environment. ``comments`` off: a comment
    environment is read as text."""
    out: list[str] = []
    in_verbatim: set[int] = set()
    inside = False  # a comment environment
    verbatim: str | None = None  # the verbatim environment the line is in
    skipping = 0  # how many conditionals deep an \iffalse skips
    for line in lines:
        printed = ""  # the verbatim text a line starts with, up to its environment's end
        if verbatim is not None:
            in_verbatim.add(len(out))
            end = _end_of(verbatim).search(line)
            if end is None:
                out.append(line)
                continue
            printed, line = line[:end.end()], line[end.end():]
        elif inside:
            inside = not _END.match(line)
            out.append("")
            continue
        elif comments and not skipping and (begin := _BEGIN.match(line)):
            end = _END_ON_LINE.search(line, begin.end())
            if end is None:
                inside = True
                out.append("")
                continue
            line = line[end.end():]  # begun and ended on one line: only the environment goes
        text, verbatim, skipping = _line_text(line, skipping, conditionals)
        out.append(printed + text)
    return out, bool(skipping), inside, in_verbatim

"""The markup note-taking apps add to Markdown, read as the app shows it: wiki links (Obsidian, Logseq, Foam, Zettlr,
Dendron: "[[Calibration#Neon lines|neon calibration]]" shows "neon calibration"), embeds ("![[grating.png]]" shows the
picture, "![[Calibration#Neon lines]]" that section), callouts and GitHub's alerts ("> [!warning] Laser class" shows
a box titled "Warning: Laser class", "> [!NOTE]" one titled "Note"), highlights ("==integration time=="), a comment's
marks ("%% ask Tom %%": the words are the user's, kept), a block's id at a block's end (" ^a1b2c3", hidden by the app),
fields ("Attendees:: [[Tom]]", Dataview's and Logseq's, shown "Attendees: Tom"; Logseq's hidden "id::" and
"collapsed::" lines left empty; Dataview's in a sentence, "[rating:: 9]" shown "rating: 9", "(source:: Smith)"
"Smith") and Logseq's references to a block by its id ("((65bb1a2e-...))", a uuid).
MyST's roles ("{ref}`Weighting <sec-weights>`" shows "Weighting", "{func}`survey.rake`" the code "survey.rake") and
targets ("(sec-weights)=" on a line of its own, shown as nothing). The same holds for MkDocs' boxes and tabs (Python-Markdown's admonitions, pymdownx's details and tabs): '!!! warning
"Python version"' shows a box titled "Warning: Python version", '=== "conda"' a tab "conda".

Written as they were, answers quoted the brackets and marks, keyword search could not find a link's alias, and a line
of embeds was taken for code. Each line keeps its place (the reader cites lines), code spans stay as written, and the
caller leaves code blocks alone.
"""

from __future__ import annotations

import re
from collections import defaultdict

# What a note can hold that Markdown has no syntax for: a text without any of these is returned as it is.
_MARKS = ("[[", "==", "[!", "%%", "::", "((", "^", "!!!", "???", "}`", ")=", "#+")

# "[[target#heading|alias]]", "![[embed]]": no part holds a bracket or a line break, so a text is read in one pass.
# A target is written against the brackets: "[[ -f x ]]" is a shell test written in prose, not a link; "[[1]](url)" is
# a Markdown link whose text is "[1]" (a paper's reference number), though "[[Tom]][[Aiko]]" is two links. Brackets
# right after a name or a closing parenthesis index a value, in code written in prose: "df[['age', 'income']]"
# (pandas' columns), "lst[[1]]" (R's element).
_WIKI_LINK = re.compile(r"(?<![A-Za-z0-9_)])(?P<embed>!?)\[\[(?P<target>(?=[^\s\[\]|#])[^\[\]|#\n]*(?<=\S))?"
                        r"(?:#(?P<heading>[^\[\]|\n]*))?(?:\|(?P<alias>[^\[\]\n]*))?\]\](?!\(|\[(?!\[))")
# An embedded file the app shows as itself (a picture, a sound, a video, a PDF): it leaves no words on the line.
_MEDIA = re.compile(r"\.(?:png|jpe?g|gif|bmp|svg|webp|avif|tiff?|mp3|wav|m4a|ogg|flac|webm|mp4|mkv|mov|ogv|pdf)$",
                    re.IGNORECASE)
# A callout's or alert's first line: "> [!type]" (its "+" or "-" folds it), then its title if it has one.
_CALLOUT = re.compile(r"^(?P<quote>[ \t]*(?:>[ \t]?)+)\[!(?P<kind>[A-Za-z][\w-]*)\][+-]?(?:[ \t]+(?P<title>.*))?$")
# '!!! type "title"' (its classes after the type; an empty title shows none), pymdownx's folding '??? type' and '???+'.
_ADMONITION = re.compile(r'^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)[ \t]+(?P<kind>[A-Za-z][\w-]*)(?:[ \t]+[\w-]+)*'
                         r'(?:[ \t]+"(?P<title>[^"\n]*)")?[ \t]*$')
# The types themes style (Material for MkDocs' and their aliases, reStructuredText's): any other word after "!!!" is prose
# ("!!! is how you shout"), though Python-Markdown would box it.
_BOX_KINDS = frozenset("""note abstract summary tldr info todo tip hint important success check done question help faq
    warning caution attention failure fail missing danger error bug example quote cite seealso admonition""".split())
_TAB = re.compile(r'^(?P<indent>[ \t]*)===!?\+?[ \t]+"(?P<label>[^"\n]*)"[ \t]*$')
# "==text==" as Obsidian and Logseq highlight it: its marks against the text and not inside a word ("x==1 and y==2"
# is code written in prose), no "=" inside.
_HIGHLIGHT = re.compile(r"(?<![=\w])==(?=[^\s=])(?P<text>[^=\n]*?[^\s=])==(?![=\w])")
# A MyST role: "{name}" right before a code span of one backtick each side ("{func}`survey.rake`"); a "{name}`" that
# ends a code span ("`{name}` or `{pattern}`") is the code's.
_ROLE_NAME = re.compile(r"\{(?P<name>[A-Za-z][\w:+.-]{0,40})\}$")
_LINK_TEXT = re.compile(r"^(?P<text>.*?)\s*<[^<>]*>$")  # "Weighting <sec-weights>": the text shown before the target
# Roles shown as code (Sphinx's Python domain and its code-like roles): the others as text.
_CODE_ROLES = frozenset("""func meth class mod attr obj data exc const var type py:func py:meth py:class py:mod py:attr
    py:obj py:data py:exc py:const c:func c:macro c:type c:member c:var cpp:func cpp:class code samp file command
    option envvar kbd program regexp math""".split())
_TARGET = re.compile(r"^[ \t]*\([^()\s]+\)=[ \t]*$")
# "%% a comment %%" within a line: its words kept, its marks not. Marks against a word outside are no comment's: the
# cell magics a Jupyter page names in prose ("the %%bash and %%writefile magics"), printf's "100%%".
_COMMENT = re.compile(r"(?<![\w%])%%(?P<text>(?:(?!%%)[^\n])*)%%(?![\w%])")
# A block's id, as Obsidian writes it at the end of a paragraph or an item: letters and digits with a letter ("x ^2"
# is an exponent), and more than one ("press ^C" names a control key, as "^D" and "^Z" do). Obsidian reads one only
# after a space at a block's end (its help, "Link to blocks"): "see the ^TODO" that a paragraph's next line goes on
# from is the user's text (ends_a_block).
_BLOCK_ID = re.compile(r"[ \t]\^(?=[\w-]*[A-Za-z])[A-Za-z0-9-]{2,}[ \t]*$")
# A field on a line of its own (an item's, or a page's): "key:: value".
_FIELD = re.compile(r"^(?P<lead>[ \t]*(?:[-*+][ \t]+)?)(?P<key>[A-Za-z][\w-]*)::[ \t]+(?P<value>.*)$")
_HIDDEN_FIELDS = {"id", "collapsed"}
# Dataview's fields inside a sentence: "[rating:: 9]" shows "rating: 9", "(source:: value)" its value alone (the
# parentheses hide the key in reading view). A space after "::", as on a line of its own: "(std::vector)" is code.
# One run of any length per part, its spaces trimmed after: a line of "[a::" and spaces is read at once.
_INLINE_FIELD = re.compile(r"\[(?P<key>\w[\w -]*?)::(?P<value>[ \t][^\[\]\n]*)\](?!\()"
                           r"|\((?P<hidden>\w[\w -]*?)::(?P<shown>[ \t][^()\n]*)\)")
# A line that starts a block of its own after a paragraph's line (an item, a heading, a fence, a table's row): the
# line before ended its block. Quote marks are compared apart (ends_a_block).
_STARTS_BLOCK = re.compile(r"[ \t]*(?:$|[-*+][ \t]|\d{1,9}[.)](?:[ \t]|$)|#{1,6}(?:[ \t]|$)|```|~~~|\|)")
_QUOTE_MARKS = re.compile(r"[ \t]*(?:>[ \t]?)*")
# Logseq's boxes, written as Org's blocks in a Markdown page ("- #+BEGIN_NOTE" ... "  #+END_NOTE", its /Note command):
# the box's kind is its title, a quote's marks are nothing; a block of code (SRC, EXAMPLE, EXPORT) stays as written.
_ORG_BLOCK = re.compile(r"^(?P<lead>[ \t]*(?:[-*+][ \t]+)?)#\+(?P<edge>BEGIN|END)_(?P<kind>[A-Za-z]+)(?:[ \t].*)?$",
                        re.IGNORECASE)
_ORG_BOXES = frozenset({"note", "tip", "important", "caution", "warning", "pinned"})
_ORG_QUOTES = frozenset({"quote", "center", "verse"})
_BLOCK_REF = re.compile(r"\(\([0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\)\)")


# What each rule below needs to start, in one pattern: a page without any is read as before, not parsed again (a
# setext title's "=======" or a C++ "std::vector" holds none).
_MAY_HOLD = re.compile(r"\[\[|(?<![=\w])==(?=[^\s=])|\[!|%%|::[ \t]|\(\([0-9a-fA-F]{8}-|[ \t]\^[\w-]*[A-Za-z][\w-]*[ \t]*$"
                       r"|!!!|\?\?\?|\}`|\)=[ \t]*$|^[ \t]*===!?\+?[ \t]+\"|#\+(?i:begin|end)_", re.MULTILINE)


def holds_note_markup(text: str) -> bool:
    """Whether ``text`` may hold note markup (most pages hold none, and are read as before at no cost)."""
    return _MAY_HOLD.search(text) is not None


def ends_a_block(lines: list[str], number: int) -> bool:
    """Whether ``lines[number]`` is the last line of its block (paragraph, item, quote): the page ends, or the next line
    is blank, opens a quote or starts a block of its own. A paragraph's line a lazy line goes on from ends
    none."""
    if number + 1 >= len(lines):
        return True
    here = _QUOTE_MARKS.match(lines[number])
    after = _QUOTE_MARKS.match(lines[number + 1])
    assert here is not None and after is not None  # the pattern matches any line, if only its empty start
    if after[0].count(">") > here[0].count(">"):  # a quote opens ("> > b" after "> a"); a shallower line is lazy
        return True
    return _STARTS_BLOCK.match(lines[number + 1], after.end()) is not None


def as_shown(line: str, ends_block: bool = True) -> str:
    """``line`` (of prose, a heading or a table's row) as the note app shows it, its code spans as written.
    ``ends_block``: whether the line ends its block, where a block's id may stand (ends_a_block)."""
    if not any(mark in line for mark in _MARKS):
        return line
    if ")=" in line and _TARGET.match(line):
        return ""
    parts = []
    end = 0
    for start, stop in _code_spans(line):
        before = line[end:start]
        role = _ROLE_NAME.search(before) if "}`" in line and stop - start > 2 and line[start + 1] != "`" else None
        if role is not None:
            parts.append(_shown(before[:role.start()]))
            parts.append(_role_text(role["name"], line[start + 1:stop - 1]))
        else:
            parts.append(_shown(before))
            parts.append(line[start:stop])
        end = stop
    parts.append(_shown(line[end:]))
    shown = "".join(parts)
    return org_block(_field(_box(_BLOCK_ID.sub("", shown) if ends_block and "^" in shown else shown)))


def _shown(text: str) -> str:
    if not text:
        return text
    text = _WIKI_LINK.sub(_link_text, text) if "[[" in text else text
    text = _HIGHLIGHT.sub(r"\g<text>", text) if "==" in text else text
    text = _COMMENT.sub(r"\g<text>", text) if "%%" in text else text
    text = _INLINE_FIELD.sub(_inline_field, text) if "::" in text else text
    return _BLOCK_REF.sub("", text) if "((" in text else text


def _inline_field(found: re.Match[str]) -> str:
    if found["hidden"] is not None:
        return found["shown"].strip()
    return f"{found['key'].strip()}: {found['value'].strip()}"


def org_block(line: str) -> str:
    """An Org block's first or last line as shown (readers/org.py reads Org files' so): a box's first line its kind
    ("Note"), its last and a quote's nothing; any other block's as written."""
    found = _ORG_BLOCK.match(line) if "#+" in line else None
    if found is None:
        return line
    kind = found["kind"].lower()
    if kind in _ORG_BOXES:
        return f"{found['lead']}{kind.capitalize()}" if found["edge"].upper() == "BEGIN" else ""
    return "" if kind in _ORG_QUOTES else line


def _role_text(name: str, content: str) -> str:
    name, content = name.lower(), content.strip()
    if link := _LINK_TEXT.match(content):
        content = link["text"] or content
    elif content[:1] in "~!":  # "~pkg.mod.func" shows "func"; "!name" links nowhere
        content = content[1:].rsplit(".", 1)[-1] if content[0] == "~" else content[1:]
    if name in _CODE_ROLES or name.endswith((":func", ":meth", ":class", ":attr")):
        return f"`{content}`"
    return content


def _field(line: str) -> str:
    found = _FIELD.match(line) if "::" in line else None
    if found is None:
        return line
    if found["key"].lower() in _HIDDEN_FIELDS:
        return ""
    return f"{found['lead']}{found['key']}: {found['value']}"


def _link_text(found: re.Match[str]) -> str:
    target = (found["target"] or "").rstrip("\\")  # a link in a table cell escapes its pipe: "[[a\|b]]"
    heading = (found["heading"] or "").strip()
    alias = (found["alias"] or "").strip()
    if found["embed"] and _MEDIA.search(target):
        return ""
    if not target and not heading:
        return found[0]
    if alias:
        return alias
    if heading.startswith("^"):  # a link to a block by its id ("#^f3a1") shows the note's name
        heading = ""
    heading = " > ".join(part.strip() for part in heading.split("#") if part.strip())
    return " > ".join(part for part in (target, heading) if part)


def _box(line: str) -> str:
    """A callout's, an admonition's or a tab's first line as its title shows: "Warning: Laser class", "conda"."""
    found = _CALLOUT.match(line) or _ADMONITION.match(line)
    if found is not None and "indent" in found.re.groupindex and found["kind"].lower() not in _BOX_KINDS:
        found = None
    if found is None:
        found = _TAB.match(line)
        return f"{found['indent']}{found['label'].strip()}" if found else line
    lead = found["quote"] if "quote" in found.re.groupindex else found["indent"]
    kind = found["kind"].replace("-", " ").replace("_", " ").capitalize()
    title = (found["title"] or "").strip()
    return f"{lead}{kind}: {title}" if title else f"{lead}{kind}"


def comment_blocks(lines: list[str], verbatim: list[bool]) -> list[tuple[int, int]]:
    """The blocks of ``lines`` between a line "%%" and the next (first and last line, from 0): Obsidian shows none of
    it, and plugins keep their data there (the Excalidraw plugin's drawing as a line of compressed JSON, Kanban's
    settings). A "%%" that ``verbatim`` marks (code) opens none; one left open closes none."""
    blocks = []
    opened = None
    for number, line in enumerate(lines):
        if line.strip() != "%%":
            continue
        if opened is None:
            if not verbatim[number]:
                opened = number
        else:
            blocks.append((opened, number))
            opened = None
    return blocks


def box_bodies(lines: list[str], verbatim: list[bool]) -> list[bool]:
    """``verbatim`` with the lines of MkDocs' boxes' and tabs' bodies marked prose: a body is indented under its
    '!!! note' or '=== "conda"' line, and Material for MkDocs writes a blank line between, so CommonMark reads it as an
    indented code block ("Use ==3.11== and see [[Setup|the setup]]" was kept as written). A fenced block inside a body
    stays code."""
    shown = list(verbatim)
    covered = 0  # the lines before this are in a body already read: a box inside one is read with it, once
    for number, line in enumerate(lines):
        if number < covered or verbatim[number] or not _opens_box(line):
            continue
        indent = len(line) - len(line.lstrip())
        fence = ""
        end = number + 1
        while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent):
            body = lines[end].lstrip()
            if fence and body.startswith(fence):
                fence = ""
            elif not fence and body.startswith(("```", "~~~")):
                fence = body[:3]
            elif not fence:
                shown[end] = False
            end += 1
        covered = end
    return shown


def org_code(lines: list[str], verbatim: list[bool]) -> list[bool]:
    """``verbatim`` with the lines of Logseq's Org code blocks ("#+BEGIN_SRC bash" to its "#+END_SRC", EXAMPLE, EXPORT)
    marked code: CommonMark reads them as a list item's prose. One left open closes at the page's end."""
    shown = list(verbatim)
    closing = ""
    for number, line in enumerate(lines):
        if closing:
            shown[number] = True
            if line.lstrip(" \t-*+").upper().startswith(closing):
                closing = ""
        elif "#+" in line and not verbatim[number] and (found := _ORG_BLOCK.match(line)) is not None \
                and found["edge"].upper() == "BEGIN" and found["kind"].lower() not in _ORG_BOXES | _ORG_QUOTES:
            shown[number] = True
            closing = f"#+END_{found['kind'].upper()}"
    return shown


def _opens_box(line: str) -> bool:
    if "!!!" not in line and "???" not in line and "===" not in line:
        return False
    found = _ADMONITION.match(line)
    return (found is not None and found["kind"].lower() in _BOX_KINDS) or _TAB.match(line) is not None


def _code_spans(line: str) -> list[tuple[int, int]]:
    """Where ``line``'s code spans are (CommonMark: a run of backticks closed by the next run of as many), found in
    one pass over its runs: a line of unmatched runs is not searched again from each."""
    runs = [(found.start(), found.end()) for found in re.finditer(r"`+", line)]
    later: dict[int, list[int]] = defaultdict(list)  # a run's length -> the indexes of the runs of that length
    for index in range(len(runs) - 1, -1, -1):
        start, stop = runs[index]
        later[stop - start].append(index)
    spans = []
    after = 0  # runs before this one are inside a span or opened none
    for index, (start, stop) in enumerate(runs):
        same = later[stop - start]
        same.pop()  # this run itself: the list holds runs from the last to this one
        if index < after:
            continue
        while same and same[-1] <= index:
            same.pop()
        if same:
            closing = same[-1]
            spans.append((start, runs[closing][1]))
            after = closing + 1
    return spans

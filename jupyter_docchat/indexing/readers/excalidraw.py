"""An Excalidraw drawing as the Obsidian plugin saves it (a ".excalidraw.md" page): the words on the drawing are the
page's content. The plugin writes its own keys as front matter ("excalidraw-plugin: parsed", "tags: [excalidraw]"),
a line asking the user to switch to its view, a heading over the words ("# Text Elements", or "# Excalidraw Data"
over "## Text Elements") and the sections of its links' and pictures' ids; the scene itself is a "%%" comment block,
left out as every comment block is (note_markup.comment_blocks).

Read as a page, the plugin's keys were a section of their own that ranked ahead of the drawing's words (walk 38);
its words are now the page's, headed "Excalidraw drawing" (or the title its front matter gives).
Each line keeps its place (the reader cites lines): what the plugin wrote is left empty.
"""

from __future__ import annotations

import re

# What heads a drawing's words when its front matter names no title: the page is a drawing, which its words do not
# say ("laser -> beam splitter -> sample"), and a question names it so ("What is on the optics drawing?").
DRAWING_TITLE = "Excalidraw drawing"

# The plugin's front matter keys: "excalidraw-plugin", "excalidraw-open-md", "excalidraw-export-dark", ...
_PLUGIN_KEY = re.compile(r"^excalidraw-[\w-]*[ \t]*:")
# The tag list the plugin writes ("tags: [excalidraw]"); a user's own tags beside it are kept.
_PLUGIN_TAGS = re.compile(r"^tags[ \t]*:[ \t]*\[?[ \t]*excalidraw[ \t]*\]?[ \t]*$")
# "==⚠  Switch to EXCALIDRAW VIEW in the MORE OPTIONS menu of this document. ⚠==" (its words vary by version).
_SWITCH_VIEW = re.compile(r"^\W*Switch to EXCALIDRAW VIEW\b.*$", re.IGNORECASE)
# The plugin's headings: over the drawing's words, and over its ids' sections (their lines are ids, no words).
_WORDS_HEADING = re.compile(r"^#{1,6}[ \t]+(?:Text Elements|Excalidraw Data)[ \t]*$")
_IDS_HEADING = re.compile(r"^#{1,6}[ \t]+(?:Element Links|Embedded Files|Embedded files)[ \t]*$")
_HEADING = re.compile(r"^#{1,6}[ \t]")


def is_drawing(matter: str) -> bool:
    """Whether front matter (its text, between its "---" lines) is the Excalidraw plugin's."""
    return any(_PLUGIN_KEY.match(line) for line in matter.splitlines())


def drawing_lines(lines: list[str], matter_end: int) -> None:
    """``lines`` of a drawing's page (its front matter the first ``matter_end``) with what the plugin wrote left empty,
    in place. Front matter left holding no key of the user's is empty, its "---" lines too."""
    kept = False
    for number in range(1, max(matter_end - 1, 1)):
        if _PLUGIN_KEY.match(lines[number]) or _PLUGIN_TAGS.match(lines[number]):
            lines[number] = ""
        elif lines[number].strip():
            kept = True
    if not kept:
        lines[:matter_end] = [""] * matter_end
    in_ids = False
    for number in range(matter_end, len(lines)):
        line = lines[number]
        if _HEADING.match(line):
            in_ids = _IDS_HEADING.match(line) is not None
            if in_ids or _WORDS_HEADING.match(line):
                lines[number] = ""
        elif in_ids or _SWITCH_VIEW.match(line):
            lines[number] = ""

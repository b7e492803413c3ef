"""AsciiDoc's inline markup read as Asciidoctor shows it: ``*bold*``, ``_it_``, ``#mark#`` and ``+pass+`` as their text,
``link:url[text]``, ``https://x[text]``, ``<<id,text>>`` and ``xref:a.adoc[text]`` as their text, ``{name}`` as the
attribute's value where the page defines it (Asciidoctor leaves an undefined one as written, and so does this).
A code span keeps its backticks, as the Markdown reader keeps a code span's: they say the words are code.

Every pattern is bounded by a character its span cannot hold (a "]", a "*", a line's end), so a line of markup
characters is read in linear time: a line of ``*`` or ``[`` repeated is read once, not tried at each of them."""

from __future__ import annotations

import re

# The attributes Asciidoctor defines for every page that stand for a character ("{nbsp}", "{plus}").
BUILTIN_ATTRIBUTES = {
    "nbsp": "\u00a0", "sp": " ", "empty": "", "blank": "", "zwsp": "", "wj": "", "plus": "+", "amp": "&", "lt": "<",
    "gt": ">", "startsb": "[", "endsb": "]", "vbar": "|", "caret": "^", "asterisk": "*", "tilde": "~", "apos": "'",
    "quot": '"', "backslash": "\\", "backtick": "`", "deg": "°", "two-colons": "::", "two-semicolons": ";;",
    "cpp": "C++", "pp": "++", "brvbar": "¦", "ldquo": "“", "rdquo": "”", "lsquo": "‘", "rsquo": "’",
}

_ATTRIBUTE_REF = re.compile(r"(?<!\\)\{([A-Za-z0-9_][A-Za-z0-9_-]*)\}")
# Macros whose bracket holds what is shown: "link:url[text]", "xref:a.adoc#s[text]", "https://x[text]",
# "mailto:a@b[text]", "kbd:[Ctrl+C]", "btn:[Save]", "menu:File[Save]", "footnote:[text]", "pass:[text]",
# "image:logo.png[Logo]". The target holds no white space or bracket; the text no "]" (an escaped "\]" aside).
# Found at each "]" (_macros), not by one pattern: a pattern's target, tried at each "link:" of a line, read on to the
# line's end each time (a line of "link:" repeated, 100 kB, took 14 s).
_MACRO_NAME = re.compile(
    r"(?<![\w\\])(?P<name>link|xref|mailto|kbd|btn|menu|footnote|pass|image|icon|indexterm2|anchor|stem|latexmath|asciimath"
    r"|https?|ftp|irc)"
    r":(?P<target>\S*)$")
_CLOSE = re.compile(r"(?<!\\)\]")
# A bare URL without a bracket is shown as itself.
_CROSS_REFERENCE = re.compile(r"<<(?P<target>[^<>,\n]+?)(?:,\s*(?P<text>[^<>\n]+?))?>>")
_INLINE_ANCHOR = re.compile(r"\[\[\[?[^\[\]\s]*\]?\]\]|(?<!\w)anchor:[^\s\[\]]+\[[^\]]*\]")
# A role before marked text: "[.underline]#text#", "[.path]_x_".
_ROLE = re.compile(r"\[[.#][\w.#-]*\](?=[#*_`+])")
# Unconstrained marks first ("**b**old", "__i__t", "##m##", "++p++"), then constrained ones: a mark at a word's edge,
# its text starting and ending with a character that shows.
_UNCONSTRAINED = [re.compile(rf"{m}{m}(?P<text>[^{c}\n]+?){m}{m}") for m, c in
                  (("\\*", "*"), ("_", "_"), ("#", "#"))]
_CONSTRAINED = [re.compile(rf"(?<![\w{c}\\]){m}(?=[^\s{c}])(?P<text>[^{c}\n]*?[^\s{c}\\]|[^\s{c}]){m}(?![\w{c}])")
                for m, c in (("\\*", "*"), ("_", "_"), ("#", "#"))]
_PASS = re.compile(r"\+\+\+(?P<a>[^\n]+?)\+\+\+|(?<![\w+\\])\+(?=[^\s+])(?P<b>[^+\n]*?[^\s+]|[^\s+])\+(?![\w+])")
_CODE = re.compile(r"(?<![\w`\\])`(?=[^\s`])([^`\n]*?[^\s`]|[^\s`])`(?![\w`])|``([^`\n]+?)``")
_HARD_BREAK = re.compile(r"[ \t]\+$")
_ESCAPED_MARK = re.compile(r"\\(?=[*_#`+{\[<])")


def attribute_values(line: str, attributes: dict[str, str]) -> str:
    """``line`` with each ``{name}`` the page (or Asciidoctor) defines replaced by its value."""
    if "{" not in line:
        return line
    return _ATTRIBUTE_REF.sub(lambda m: attributes.get(m[1].lower(), BUILTIN_ATTRIBUTES.get(m[1].lower(), m[0])), line)


def shown(line: str, attributes: dict[str, str], titles: dict[str, str] | None = None) -> str:
    """A line of prose as the rendered page shows it: attributes replaced, marks and macros read as their text;
    ``titles``: the page's ids and the titles they stand for, which a reference without text ("<<install>>") shows."""
    line = attribute_values(line, attributes)
    if not _MAY_HOLD_MARKUP.search(line):
        return line
    line = _HARD_BREAK.sub("", line)
    line = _INLINE_ANCHOR.sub("", line)
    line = _macros(line)
    line = _CROSS_REFERENCE.sub(lambda m: _reference_text(m, titles or {}), line)
    line = _ROLE.sub("", line)
    line = _PASS.sub(lambda m: m["a"] or m["b"], line)
    line = _CODE.sub(lambda m: f"`{m[1] or m[2]}`", line)
    for pattern in (*_UNCONSTRAINED, *_CONSTRAINED):
        line = pattern.sub(lambda m: m["text"], line)
    return _ESCAPED_MARK.sub("", line)


_MAY_HOLD_MARKUP = re.compile(r"[*_#`+\[<:\\]")


def _macros(line: str) -> str:
    """``line`` with each macro read as its text (_macro_text). Each "]" is looked at once, and the "[" and the macro's
    name before it within the stretch since the "]" before: a line is read in linear time."""
    if "[" not in line or "]" not in line:
        return line
    parts: list[str] = []
    done = after = 0  # written up to; the stretch since the last "]"
    for close in _CLOSE.finditer(line):
        end = close.start()
        opening = line.rfind("[", after, end)
        after = end + 1
        if opening < 0:
            continue
        start = opening
        while start > done and line[start - 1] not in " \t[]":
            start -= 1
        found = _MACRO_NAME.search(line, start, opening)
        if found is None:
            continue
        parts += [line[done:found.start()], _macro_text(found["name"], found["target"], line[opening + 1:end])]
        done = end + 1
    return "".join(parts) + line[done:]


def _macro_text(name: str, target: str, text: str) -> str:
    text = text.replace("\\]", "]")
    if name == "anchor":
        return ""
    if name == "menu":
        return " > ".join(part for part in (target, text.strip()) if part)
    if name in ("kbd", "btn", "pass", "footnote", "indexterm2", "stem", "latexmath", "asciimath"):
        return text if name != "footnote" else f" ({text})" if text else ""
    first = _first_positional(text)
    if name == "image":
        return first or alt_of(target)
    if name == "icon":
        return first
    if first:
        return first
    if name == "xref":  # Antora shows the page's title, which this page does not hold: its name reads close to it
        page, _, part = target.partition("#")
        return alt_of((part or page).rsplit(":", 1)[-1]) or target
    if name == "mailto":
        return target
    return target if name == "link" else f"{name}:{target}"  # a URL without text shows as itself


def _first_positional(text: str) -> str:
    """The text a macro shows: its bracket's first attribute, without its quotes ("Docs" of '"Docs",window=_blank'),
    or the bracket's text whole when it names no attributes (a link's text may hold commas)."""
    text = text.strip()
    if re.match(r"[\w-]+\s*=", text):  # named attributes alone ("role=blue", "window=_blank"): no text of its own
        return ""
    if text.startswith('"'):
        end = text.find('"', 1)
        return text[1:end] if end > 0 else text.strip('"')
    if "=" in text and "," in text:
        return text.split(",", 1)[0].strip()
    return text.split("^")[0] if text.endswith("^") else text


def _reference_text(match: re.Match[str], titles: dict[str, str]) -> str:
    text = match["text"]
    if text:
        return text.strip()
    target = match["target"].strip()
    # "<<install>>" shows the title of what it points at; one the page does not title (another page's), its id, dashes
    # and underscores as spaces, which reads close to it.
    return titles.get(target) or target.split("#")[-1].replace("_", " ").replace("-", " ").strip() or target


def alt_of(target: str) -> str:
    """The text Asciidoctor gives an image without one: its file's name without folder and suffix, dashes and
    underscores as spaces."""
    name = target.rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return " ".join(stem.replace("_", " ").replace("-", " ").split())

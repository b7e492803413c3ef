"""Boxes written as fenced blocks, read as the page shows them: MyST's directives (Jupyter Book, MyST-NB notebooks,
Sphinx with myst-parser: "```{note}", "```{admonition} Response rate", ":::{warning} Missing values"), and Quarto's and
Pandoc's fenced divs ("::: {.callout-tip}").

A directive's fence made its prose a code block: answers quoted "Respondents who answered fewer than 5 questions are
dropped" as code, with its options (":class: tip") inside. A box's opening line reads as its title ("Note", "Warning:
Missing values"), its options and closing fence are left empty, and its lines are prose; a code cell's fence keeps its
code, named by its language ("```ipython3"). Each line keeps its place (the reader cites lines). R Markdown's and
Quarto's executable chunks ("```{r}", "```{python}") are code, as before: only the directives named here change.
"""

from __future__ import annotations

import re
from typing import Any, Callable

# Directives whose body is prose, as MyST and sphinx-design show them: a titled box, a figure's caption, a margin note.
_PROSE = frozenset("""note warning tip important caution attention danger error hint seealso admonition figure margin
    sidebar topic epigraph pull-quote highlights dropdown card grid-item-card grid-item tab-item glossary versionadded
    versionchanged deprecated todo exercise solution prf:definition prf:theorem prf:lemma prf:proof
    prf:example prf:remark prf:algorithm""".split())
# Directives that hold others, as sphinx-design and MyST write them ("````{tab-set}" around "```{tab-item} conda",
# "`````{grid} 2" around cards) or a table's rows ("{list-table}", "{table}"): no words of their own but a table's
# caption, their body read as a page's (each directive in it read as here). Left a code block, a tab's or a card's
# prose was quoted as code with its fences and options (probe 39).
_CONTAINERS = frozenset({"tab-set", "grid", "card-carousel", "list-table", "table", "div", "container"})
# How deep boxes and containers are read one inside another (sphinx-design nests two or three); deeper, a body is
# prose as it is.
MAX_DEPTH = 6
# Directives whose body is code, shown with the language their argument names (math as "math").
_CODE = frozenset({"code-cell", "code-block", "code", "sourcecode", "math"})
# Boxes titled by their kind alone: an admonition's, a figure's, a dropdown's argument is a title (or a picture's path).
_TITLED = frozenset({"admonition", "dropdown", "card", "grid-item-card", "tab-item", "topic", "sidebar", "list-table",
                     "table"})
_DIRECTIVE = re.compile(r"^\{(?P<name>[\w:-]+)\}[ \t]*(?P<argument>.*)$")
# ":::{warning} Missing values", "::: {.callout-tip}", ":::: {.callout-note collapse="true"}", "::: notes", ":::".
_COLON_FENCE = re.compile(r"^(?P<indent>[ \t]{0,3})(?P<colons>:{3,})[ \t]*(?P<rest>.*?)[ \t]*$")
# An attribute list's parts: a quoted value is read whole, so a title's "}" ('title="Use {x}"') closes no list.
_ATTRIBUTE_PART = r"""(?:[^}"']|"[^"]*"|'[^']*')"""
_CALLOUT_CLASS = re.compile(rf"^\{{{_ATTRIBUTE_PART}*?\.callout-(?P<kind>[\w-]+){_ATTRIBUTE_PART}*\}}$")
_ATTRIBUTES = re.compile(rf"^\{{{_ATTRIBUTE_PART}*\}}$")
# A div's class Pandoc takes from a bare word ("::: warning", its fenced_divs) or from a list ("::: {.warning}"): a
# box's kind shows as its title, as a callout's does; a layout's class ("columns", "notes", "incremental") has no words.
_DIV_CLASS = re.compile(r"(?:^|[\s{])\.(?P<name>[\w-]+)")
_DIV_BOXES = frozenset("""note tip warning caution important danger error hint attention seealso todo info abstract
    summary example question success failure bug quote""".split())
# A callout's title as an attribute (Quarto 1.3: '::: {.callout-tip title="Weights are trimmed"}'): it was left out.
_CALLOUT_TITLE = re.compile(r"""(?:^|[\s{])title=(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)')""")
_OPTION = re.compile(r"^[ \t]*:[\w-]+:(?:[ \t].*)?$")  # ":class: tip", ":name: fig-margins"


def holds_directives(text: str) -> bool:
    """Whether ``text`` may hold a directive or a fenced div (most pages hold none, and are read as before)."""
    return "```{" in text or "~~~{" in text or ":::" in text


def show_directives(lines: list[str], tokens: list[Any], verbatim: list[bool],
                    parse: Callable[[str], list[Any]]) -> set[int]:
    """``lines`` with each directive's fence read as shown (its lines changed in place); the lines that are prose now
    (a box's body), which the caller reads as prose, not code. ``verbatim``: the lines in code, where a ":::" is code.
    ``parse``: a text's block tokens (markdown-it's), to read a container's body."""
    prose = _show_fences(lines, tokens, parse, 0)
    _show_colon_fences(lines, [mark and number not in prose for number, mark in enumerate(verbatim)])
    return prose


def _show_fences(lines: list[str], tokens: list[Any], parse: Callable[[str], list[Any]], depth: int) -> set[int]:
    prose: set[int] = set()
    for tok in tokens:
        if tok.type != "fence" or not tok.map or not tok.info.startswith("{"):
            continue
        found = _DIRECTIVE.match(tok.info.strip())
        if found is None:
            continue
        name, argument = found["name"].lower(), found["argument"].strip()
        start, end = tok.map
        end = min(end, len(lines))
        closed = end - start >= 2 and lines[end - 1].strip().startswith(tok.markup)
        body_end = end - 1 if closed else end
        if name in _CODE:
            indent = lines[start][:len(lines[start]) - len(lines[start].lstrip())]
            language = "math" if name == "math" else argument.split()[0] if argument else ""
            lines[start] = f"{indent}{tok.markup}{language}"
            _blank_options(lines, start + 1, body_end)
        elif name in _PROSE or name in _CONTAINERS:
            lines[start] = _title(name, argument) if name in _PROSE or name in _TITLED else ""
            _blank_options(lines, start + 1, body_end)
            if closed:
                lines[end - 1] = ""
            if depth < MAX_DEPTH:  # a box's fenced code stays code ("```python" in a "````{note}"), as MyST shows it
                prose.update(_body(lines, start + 1, body_end, parse, depth + 1))
            else:
                prose.update(range(start + 1, body_end))
    return prose


def _body(lines: list[str], first: int, end: int, parse: Callable[[str], list[Any]], depth: int) -> set[int]:
    """A box's or a container's body (``lines[first:end]``) read as a page: the directives in it as shown, its code
    as written; the numbers of its lines that are prose."""
    body = lines[first:end]
    tokens = parse("\n".join(body))
    code = [False] * len(body)
    for tok in tokens:
        if tok.type in ("fence", "code_block") and tok.map:
            code[tok.map[0]:tok.map[1]] = [True] * (min(tok.map[1], len(body)) - tok.map[0])
    shown = _show_fences(body, tokens, parse, depth)
    lines[first:end] = body
    return {first + number for number in range(len(body)) if not code[number] or number in shown}


def _div_title(attributes: str) -> str:
    """A fenced div's opening line as shown: the box it is ("::: warning", "::: {.note}") titled by its kind, else
    nothing."""
    classes = [attributes] if not attributes.startswith("{") else [found["name"] for found in
                                                                    _DIV_CLASS.finditer(_unquoted(attributes))]
    kind = next((name for name in classes if name.lower() in _DIV_BOXES), "")
    return kind.lower().capitalize()


def _unquoted(attributes: str) -> str:
    return re.sub(r""""[^"]*"|'[^']*'""", '""', attributes)


def _title(name: str, argument: str) -> str:
    kind = name.split(":")[-1].replace("-", " ").capitalize()
    if name == "figure":  # its argument is the picture's path; its caption is in its body
        return ""
    if name in _TITLED and argument:
        return argument
    return f"{kind}: {argument}" if argument else kind


def _blank_options(lines: list[str], first: int, end: int) -> None:
    """A directive's options at the start of its body (":class: tip" lines, or a YAML block between "---" lines)."""
    number = first
    if number < end and lines[number].strip() == "---":
        closing = next((n for n in range(number + 1, end) if lines[n].strip() == "---"), None)
        if closing is not None:
            for n in range(number, closing + 1):
                lines[n] = ""
            return
    while number < end and _OPTION.match(lines[number]):
        lines[number] = ""
        number += 1


def _show_colon_fences(lines: list[str], verbatim: list[bool]) -> None:
    """MyST's colon fences and Pandoc's fenced divs, which CommonMark reads as paragraphs: the opening line as the box's
    title, a closing line empty."""
    for number, line in enumerate(lines):
        if not line.lstrip().startswith(":::") or verbatim[number]:
            continue
        found = _COLON_FENCE.match(line)
        if found is None:
            continue
        rest = found["rest"].rstrip(":").rstrip()  # Pandoc lets colons follow the attributes: "::: warning :::"
        if not rest:
            lines[number] = ""
        elif directive := _DIRECTIVE.match(rest):
            name = directive["name"].lower()
            if name in _PROSE:
                lines[number] = found["indent"] + _title(name, directive["argument"].strip())
                _blank_options(lines, number + 1, len(lines))
        elif callout := _CALLOUT_CLASS.match(rest):
            kind = callout["kind"].replace("-", " ").capitalize()
            title = _CALLOUT_TITLE.search(rest)
            text = (title["double"] if title["double"] is not None else title["single"]).strip() if title else ""
            lines[number] = found["indent"] + (f"{kind}: {text}" if text else kind)
        elif re.fullmatch(r"[\w-]+", rest) or _ATTRIBUTES.match(rest):  # a div of a class or a name
            lines[number] = found["indent"] + _div_title(rest)

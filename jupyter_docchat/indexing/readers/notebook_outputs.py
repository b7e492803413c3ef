"""What a code cell printed or showed as text, read with the cell: where an executed notebook keeps its results.

A data scientist's answer is often only in an output ("Heterogeneous Naive Bayes:  0.822", "2.67 s ± 50.2 ms per
loop", "KeyError: 'price'"); read without them, 16 questions of walk 28 on executed tutorials had no source that
held the answer. Only what reads as text is kept: standard output, standard error without Python's warnings (a
library's log lines are there), a result's Markdown or plain text, an error's one line. Left out: warnings (and the
paths of the machine that ran them), images, widgets, and an object's bare repr ("<Figure size 1152x360 with 1
Axes>", "<matplotlib.legend.Legend at 0x1113a65d0>"), which say nothing a question asks. A long output keeps its
first and last lines: a cell printing a whole array or a model's JSON would otherwise bury its own code and the
Markdown around it under chunks of numbers; so does a cell of data typed in (``data_cell``).
"""

from __future__ import annotations

import re
from typing import Any

from jupyter_docchat.indexing.readers.clean import clean_text, shorten_runs

MAX_LINES = 25
MAX_CHARS = 1000
# A cell's code and output together within about this many characters, the output keeping this many at least: a
# cell longer than the model's window is halved, and its output read alone, away from the code and the words a
# question shares with it, was rarely found (pyswarms: the best cost an optimizer logged).
CELL_CHARS, MIN_OUTPUT_CHARS = 600, 300
HEAD_LINES, TAIL_LINES = 15, 10

_WIDGET = "application/vnd.jupyter.widget-view+json"
# One repr or a list of them, as matplotlib's calls return them when they end a cell.
_BARE_REPR = re.compile(
    r"\[?<[^<>\n]*(?: at 0x[0-9a-fA-F]+|Figure size [^<>\n]*)>(?:,\s*<[^<>\n]* at 0x[0-9a-fA-F]+>)*\]?"
    r"|Text\([^\n]*\)"
    r"|<[\w.]+ object>")  # a display object's plain text ("<IPython.core.display.HTML object>"): no address


def output_chars(code: str) -> int:
    """The characters a cell of ``code`` leaves its output."""
    return min(MAX_CHARS, max(MIN_OUTPUT_CHARS, CELL_CHARS - len(code)))


def outputs_text(outputs: object, chars: int = MAX_CHARS) -> str:
    """The text of a code cell's ``outputs`` (nbformat 4's, or 3's as a tool wrote it), cleaned and cut to its first
    and last lines (``kept_lines``); "" when none reads as text."""
    if not isinstance(outputs, list):
        return ""
    parts: list[str] = []
    errors: list[str] = []  # standard error's run of outputs so far, its warnings left out when it ends
    for output in outputs:
        if not isinstance(output, dict):
            continue
        kind = output.get("output_type")
        # nbformat 3 names a stream "stream" (a notebook nbformat refuses is read as written)
        if kind == "stream" and output.get("name", output.get("stream")) == "stderr":
            # One warning may come in two outputs: its path's line in one, its source's in the next (probe 29).
            errors.append(joined_text(output.get("text")))
            continue
        if errors:
            parts.append(_without_warnings("".join(errors)))
            errors = []
        if kind == "stream":
            # Streams run on: one print's words may come in two outputs, and a progress bar's "\r" in the next.
            parts.append(joined_text(output.get("text")))
            continue
        part = _shown(output) if kind in ("execute_result", "display_data", "pyout") else (
            _error(output) if kind in ("error", "pyerr") else "")
        if part:
            # a line of its own (parts joined as one list: adding to a string was quadratic in the outputs)
            last = next((p for p in reversed(parts) if p), "")
            parts.append(("\n" if last and not last.endswith("\n") else "") + part + "\n")
    parts.append(_without_warnings("".join(errors)))
    text = "".join(parts)
    # Runs cut first: a line of 200,000 characters cut to the budget said "(317 characters left out)" once the
    # reader's shorten_runs had cut what was left of it (probe 29).
    return kept_lines(shorten_runs(_overwritten(text)), chars)


def _shown(output: dict[str, Any]) -> str:
    data = output.get("data")
    data = data if isinstance(data, dict) else {}
    if _WIDGET in data:
        return ""
    text = joined_text(data.get("text/markdown")) or joined_text(data.get("text/plain")) or joined_text(output.get("text"))
    if _BARE_REPR.fullmatch(text.strip()):
        text = ""
    if not text.strip():
        # Shown as HTML alone: a styled table (df.style, whose plain text is its repr), display(HTML(...)) (whose
        # plain text is "<IPython.core.display.HTML object>"), a library's report. Its text was left out, or the
        # repr read in its place (probe 35); a chart's HTML is a script and reads as nothing.
        text = _html_text(joined_text(data.get("text/html")) or joined_text(output.get("html")))  # nbformat 3: "html"
    return text


def _html_text(markup: str) -> str:
    """The text of an output's HTML as the HTML reader reads a page: tables as pipe tables, scripts and styles left
    out."""
    if not markup.strip():
        return ""
    import lxml.html
    from lxml import etree

    from jupyter_docchat.indexing.readers.html import html_sections  # only for an output shown as HTML alone

    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    # A player's or a frame's fallback is for a browser without it: IPython's Video said "Your browser does not support
    # the video element." in pyFAI's cookbook.
    for media in list(root.iter(*_MEDIA)):
        media.drop_tree()
    markup = etree.tostring(root, encoding=str)
    return "\n\n".join(section.text for section in html_sections(markup) if section.text.strip())


_MEDIA = ("video", "audio", "object", "embed", "iframe", "canvas", "noscript")


def data_cell(source: str) -> bool:
    """Whether a code cell is data typed in (``co2 = [315.58, 316.39, ...]``, 350 numbers): long, and more than half
    of what is not white space digits. Read whole, walk 27's was 12 chunks of numbers, one of which took a source's
    place; its first lines say what it is."""
    if len(source) <= 2 * MAX_CHARS:
        return False
    dense = "".join(source.split())
    return sum(ch.isdigit() for ch in dense) > len(dense) // 2


# The line Python's warnings module writes first ("/home/me/.venv/.../pylab.py:160: UserWarning: pylab import has
# clobbered ..."), the indented source lines after it its own.
_WARNING = re.compile(r"\S[^\n]*?:\d+: [A-Z]\w*Warning: ")


def _without_warnings(text: str) -> str:
    """Standard error without Python's warnings: a library's log lines stay ("INFO - Optimization finished | best
    cost: 3.4e-13"; logging writes to standard error), the warnings' paths of the machine that ran it do not."""
    if "Warning: " not in text:
        return text
    kept, in_warning = [], False
    for line in text.split("\n"):
        if _WARNING.match(line):
            in_warning = True
        elif not (in_warning and line[:1] in (" ", "\t")):
            in_warning = False
            kept.append(line)
    return "\n".join(kept)


def _error(output: dict[str, Any]) -> str:
    """"KeyError: 'price'": the traceback's frames are the machine's paths and the library's lines, not the
    notebook's; the name and message are what a user asks about."""
    name, value = joined_text(output.get("ename")), joined_text(output.get("evalue"))
    line = f"{name}: {value}" if name and value else name or value
    return " ".join(line.split())  # cleaned with the rest of the output


def joined_text(value: object) -> str:
    """A notebook's multi-line string as nbformat writes it (a string, or a list of lines), "" for anything else."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(part for part in value if isinstance(part, str))
    return ""


def _overwritten(text: str) -> str:
    """Each line as a terminal left it: a progress bar rewrites its line after "\\r", and only its last state
    stays (tqdm's hundred states of one bar were a hundred lines)."""
    text = text.replace("\r\n", "\n")
    if "\r" in text:
        text = "\n".join(_last_state(line) for line in text.split("\n"))
    text = clean_text(text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def _last_state(line: str) -> str:
    states = [state for state in line.split("\r") if state.strip()]
    return states[-1] if states else ""


def kept_lines(text: str, chars: int = MAX_CHARS) -> str:
    """``text`` whole when it has at most MAX_LINES lines and MAX_CHARS characters; else its first lines and its last
    ones (3/5 and 2/5 of MAX_CHARS, HEAD_LINES and TAIL_LINES at most), saying how many lines are left out between:
    a training log or an optimiser prints its result last (an independent set's "Best cost = 3.43e-13" was line 101
    of 102)."""
    if not text.strip():
        return ""
    lines = text.split("\n")
    if len(lines) <= MAX_LINES and len(text) <= chars:
        return text
    head = _within(lines[:HEAD_LINES], chars * 3 // 5)
    rest = lines[len(head):]
    tail = _within(rest[::-1][:TAIL_LINES], chars * 2 // 5, from_end=True)[::-1]
    left = len(lines) - len(head) - len(tail)
    return "\n".join([*head, f"… ({left} line{'s' if left > 1 else ''} left out)", *tail] if left else [*head, *tail])


def _within(lines: list[str], chars: int, from_end: bool = False) -> list[str]:
    """As many of ``lines`` as fit ``chars`` (one too long alone: its first or, ``from_end``, last characters)."""
    kept: list[str] = []
    size = 0
    for line in lines:
        if size + len(line) > chars:
            if not kept:
                kept.append("… " + line[-chars:].lstrip() if from_end else line[:chars].rstrip() + " …")
            break
        kept.append(line)
        size += len(line) + 1
    return kept

"""The conversation history as data: showing it, saving it as Markdown or JSON."""

from __future__ import annotations

import html
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from jupyter_docchat.displayable import Displayable
from jupyter_docchat.qa.answer_record import Answer
from jupyter_docchat.qa.conversation import Turn
from jupyter_docchat.errors import DocChatError
from jupyter_docchat.views.answer import CSS, AnswerView
from jupyter_docchat.safe_text import fenced, for_terminal, markdown_text
from jupyter_docchat.paths import user_path


def turns(history: Any) -> list[Turn]:
    """The turns of a history: its dicts (``docchat_history``'s) and ``Answer`` records (``DocIndex.ask``'s), which
    ``ask(..., history=...)`` takes alike; a record put in ``docchat_history`` was followed up yet neither shown
    nor saved."""
    if not isinstance(history, list):
        return []
    entries = [e.to_dict() if isinstance(e, Answer) else e for e in history]
    return [Turn.from_dict(e) for e in entries if isinstance(e, dict) and e.get("question")]


def to_markdown(history: Any) -> str:
    """The conversation as Markdown that renders as the text it holds: every string from a user, a
    document or a model is escaped, so an export runs nothing and a question cannot add a heading."""
    out = ["# docchat conversation", ""]
    for turn in turns(history):
        out += [f"## {markdown_text(turn.question, one_line=True)}", ""]
        meta = markdown_text(" · ".join(x for x in (turn.time, turn.model) if x.strip()), one_line=True)
        if meta:  # "* · *" would be a list item
            out += [f"*{meta}*", ""]
        if turn.standalone and turn.standalone != turn.question:
            out += [f"Searched for: {markdown_text(turn.standalone, one_line=True)}", ""]
        out += [answer_markdown(turn.answer), ""]
        if turn.status != "ok":
            out += [f"*({markdown_text(turn.status, one_line=True)})*", ""]
        out += [line for notice in turn.notices if notice.strip()
                for line in (f"*{markdown_text(notice, one_line=True)}*", "")]
        if turn.sources:
            # Each on a line of its own: a backslash ends a line with a break (CommonMark), where the lines alone
            # joined into one paragraph, "Sources: 1. a.md (line 1) 2. b.md (p. 3)" (probe 16).
            listed = ["Sources:"] + [f"{s['n']}\\. {markdown_text(s['source'], one_line=True)} "
                                     f"({markdown_text(s['location'], one_line=True)})" for s in turn.sources]
            out += [line + "\\" for line in listed[:-1]] + [listed[-1], ""]
    return "\n".join(out)


def answer_markdown(answer: str) -> str:
    """An answer's text for the export: its code blocks (a quoted table, a function) as code blocks, which show their
    lines as they are, the rest escaped by markdown_text. Escaped whole, a quoted table's fence was text, and its rows
    ran together into one line of the rendered export, their columns' spaces gone (probe 27). A block's fence is longer
    than any run of backticks in it, so nothing in it can close it; its info string is left out."""
    from jupyter_docchat.safe_text import code_blocks

    # Lines as CommonMark counts them (code_blocks' line numbers): a model's lone "\r" is a line break there, and the
    # text after a code block below one was left out of the export (probe 28).
    answer = answer.replace("\r\n", "\n").replace("\r", "\n")
    lines = answer.split("\n")
    out, last = [], 0
    for start, end, code in code_blocks(answer):
        if start > last:
            out.append(markdown_text("\n".join(lines[last:start])).strip("\n"))
        code = "\n".join(for_terminal(line).replace("\t", "    ") for line in code.split("\n"))
        out.append(fenced(code) if code.strip() else "")
        last = end
    if last < len(lines):
        out.append(markdown_text("\n".join(lines[last:])).strip("\n"))
    return "\n\n".join(part for part in out if part.strip())


def save(history: Any, path: str | Path) -> Path:
    """Write the export next to ``path`` and rename it into place: a failure leaves any old file whole."""
    path = user_path(path)
    if path.suffix.lower() not in (".md", ".json"):
        raise DocChatError(f"cannot save history as {path.suffix or 'a file with no suffix'}: use .md or .json")
    try:
        data = to_markdown(history) if path.suffix.lower() == ".md" else json.dumps(
            [t.to_dict() for t in turns(history)], indent=2, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:  # Turn.from_dict keeps only what JSON holds: this is a last resort
        raise DocChatError(f"cannot save the history as {path.suffix[1:]}: {exc}; nothing was changed") from exc
    # A link is written through: the rename put a file in its place and the file it named was never written.
    path = Path(os.path.realpath(path))
    if not turns(history) and path.exists():
        # After a restart, the notebook's own "--save chat.md" cell run again wrote nothing over the conversation
        raise DocChatError(f"the history holds no turn to save: {path.name} is left as it was")
    temp = None
    try:
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".tmp", delete=False) as stream:
            temp = Path(stream.name)
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        # The temporary file is private (0600): an export kept that, and a file saved over lost its own mode.
        os.chmod(temp, stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o666 & ~_umask())
        os.replace(temp, path)
    except OSError as exc:
        if temp is not None:
            temp.unlink(missing_ok=True)
        raise DocChatError(f"cannot write {path}: {exc.strerror or exc}; nothing was changed") from exc
    return path


def _umask() -> int:
    """The process's umask (the mode a new file is made with). Linux says it in /proc; elsewhere it is read by
    setting it and back, as the os module offers it (a moment in which another thread's new file would get 0o022's
    mode, which /proc spares a kernel computing vectors in the background)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class HistoryView(Displayable):
    def __init__(self, history: Any, hidden: int = 0) -> None:
        self.turns = turns(history)
        self.hidden = hidden  # turns left out as they hold the configured key

    def _hidden_note(self) -> str:
        n = self.hidden
        return f"({n} turn{'' if n == 1 else 's'} holding the configured API key or server token not shown)" if n else ""

    def __str__(self) -> str:
        note = self._hidden_note()
        if not self.turns:
            return "\n".join(x for x in ("docchat history is empty", note) if x)
        return "\n\n".join([str(AnswerView(t)) for t in self.turns] + ([note] if note else []))

    def __repr__(self) -> str:
        return str(self)

    def to_html(self) -> str:
        if not self.turns:
            body = "<p>docchat history is empty</p>"
        else:
            body = "".join(AnswerView(t).html_fragment() for t in self.turns)
        if self.hidden:
            body += f"<p><em>{html.escape(self._hidden_note())}</em></p>"
        return f'{CSS}<div class="docchat">{body}</div>'

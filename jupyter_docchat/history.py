"""The conversation history as data: showing it, saving it as Markdown or JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .conversation import Turn
from .errors import DocChatError
from .render import CSS, AnswerView


def turns(history: Any) -> list[Turn]:
    if not isinstance(history, list):
        return []
    return [Turn.from_dict(e) for e in history if isinstance(e, dict) and e.get("question")]


def to_markdown(history: Any) -> str:
    out = ["# docchat conversation", ""]
    for turn in turns(history):
        out += [f"## {turn.question}", "", f"*{turn.time} · {turn.model}*", ""]
        if turn.standalone and turn.standalone != turn.question:
            out += [f"Searched for: {turn.standalone}", ""]
        out += [turn.answer, ""]
        if turn.status != "ok":
            out += [f"*({turn.status})*", ""]
        if turn.sources:
            out.append("Sources:")
            out += [f"{s['n']}. {s['source']} ({s['location']})" for s in turn.sources]
            out.append("")
    return "\n".join(out)


def save(history: Any, path: str | Path) -> Path:
    path = Path(path).expanduser()
    if path.suffix.lower() not in (".md", ".json"):
        raise DocChatError(f"cannot save history as {path.suffix or 'a file with no suffix'}: use .md or .json")
    data = to_markdown(history) if path.suffix.lower() == ".md" else json.dumps(
        [t.to_dict() for t in turns(history)], indent=2, ensure_ascii=False)
    try:
        path.write_text(data, encoding="utf-8")
    except OSError as exc:
        raise DocChatError(f"cannot write {path}: {exc.strerror}") from exc
    return path


class HistoryView:
    def __init__(self, history: Any) -> None:
        self.turns = turns(history)

    def __str__(self) -> str:
        if not self.turns:
            return "docchat history is empty"
        return "\n\n".join(str(AnswerView(t)) for t in self.turns)

    def __repr__(self) -> str:
        return str(self)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        if not self.turns:
            body = "<p>docchat history is empty</p>"
        else:
            body = "".join(AnswerView(t).html_fragment() for t in self.turns)
        return {"text/plain": str(self), "text/html": f'{CSS}<div class="docchat">{body}</div>'}

"""``Answer``: what ``DocIndex.ask`` returns, a frozen record with names, and ``Source``, one of its
numbered sources. An answer goes back in as ``history`` (as do the turns of ``docchat_history``)."""

from __future__ import annotations

import html
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping

from jupyter_docchat.displayable import Displayable
from jupyter_docchat.markdown_html import bidi_closed, render_markdown
from jupyter_docchat.safe_text import for_terminal, name_on_one_line
from jupyter_docchat.types import TurnStatus

if TYPE_CHECKING:
    from jupyter_docchat.qa.conversation import Turn

# Under an answer Ctrl-C stopped as it streamed, wherever it is shown (the magics' view, an Answer, docchat ask).
INTERRUPTED = "interrupted: the answer stopped here"


@dataclass(frozen=True)
class Source:
    """A numbered source of an answer: the answer cites it as ``[n]``."""

    n: int
    file: str  # as indexed: relative to the folder (a variable's or cell's name for those)
    location: str  # 'p. 3', 'lines 10-24', 'cell 4'
    score: float
    text: str
    heading: str = ""
    path: str = ""  # the file on this machine
    origin: str = "document"  # 'document', 'variable' or 'cell'
    explain: Mapping[str, Any] | None = field(default=None, compare=False)  # with ask(..., explain=True)

    @classmethod
    def from_entry(cls, entry: Mapping[str, Any]) -> "Source":
        return cls(n=int(entry.get("n", 0)), file=str(entry.get("source", "")), location=str(entry.get("location", "")),
                   score=float(entry.get("score", 0.0)), text=str(entry.get("text", "")),
                   heading=str(entry.get("heading", "")), path=str(entry.get("path", "")),
                   origin=str(entry.get("origin", "document")), explain=entry.get("explain"))

    def to_entry(self) -> dict[str, Any]:
        """The source as a ``docchat_history`` turn holds it."""
        entry = {"n": self.n, "source": self.file, "path": self.path, "location": self.location,
                 "heading": self.heading, "score": self.score, "text": self.text, "origin": self.origin}
        return {**entry, **({"explain": dict(self.explain)} if self.explain else {})}


@dataclass(frozen=True)
class Answer(Displayable):
    """A question's answer: its ``text``, numbered ``sources``, the ``standalone`` question that was
    searched (a follow-up completed by the previous turn), and the ``model`` that wrote it
    ('extractive' when it was quoted from the sources)."""

    question: str
    text: str
    sources: tuple[Source, ...]
    standalone: str
    model: str
    note: str = ""  # 'extractive' for a quoted answer
    seconds: float = 0.0
    usage: Mapping[str, Any] | None = field(default=None, compare=False)  # tokens, from a model
    time: str = ""
    refreshed: str = ""  # what the freshness check re-indexed before this answer
    vectors_waiting: int = 0  # chunks searched by keywords only: their vectors were not computed yet
    filling: bool = False  # whether a vector pass was computing them (the answer may improve once done)
    notices: tuple[str, ...] = ()  # what to know about the sources: some left out as holding a key, the folder gone
    # "interrupted" when Ctrl-C stopped a model's answer as it streamed: the text is the part received, and
    # without this it passed for a whole answer (docchat ask printed it so and exited 0; probe 16).
    status: TurnStatus = "ok"

    @classmethod
    def from_turn(cls, turn: "Turn") -> "Answer":
        return cls(question=turn.question, text=turn.answer, sources=tuple(Source.from_entry(s) for s in turn.sources),
                   standalone=turn.standalone, model=turn.model, note=turn.note, seconds=turn.seconds,
                   usage=dict(turn.usage) if turn.usage else None, time=turn.time, refreshed=turn.refreshed,
                   vectors_waiting=turn.vectors_waiting, filling=turn.filling, notices=tuple(turn.notices),
                   status=turn.status)

    def to_dict(self) -> dict[str, Any]:
        """The answer as a ``docchat_history`` turn (how ``history`` uses it, and how it saves as JSON)."""
        return {"question": self.question, "standalone": self.standalone, "answer": self.text,
                "sources": [s.to_entry() for s in self.sources], "model": self.model, "time": self.time,
                "usage": dict(self.usage) if self.usage else None, "status": self.status, "note": self.note,
                "seconds": self.seconds, "refreshed": self.refreshed, "vectors_waiting": self.vectors_waiting,
                "filling": self.filling, "notices": list(self.notices)}

    def _notes(self) -> list[str]:
        """The notices shown under the answer, an interruption first (worded as the magics' view words it)."""
        return ([INTERRUPTED] if self.status == "interrupted" else []) + list(self.notices)

    def to_html(self) -> str:
        """The answer as a notebook shows ``index.ask(...)``'s value: its Markdown rendered with no live markup
        (markdown_html), each ``[n]`` a link to source n, the sources listed; every document's and model's
        text escaped. (It printed as the record's repr, a screen of fields on one line.)"""
        anchor = f"docchat-answer-{uuid.uuid4().hex[:10]}"
        esc = html.escape
        # Each name and question closes the direction overrides it opens, and the notes have none (as in text): a file
        # named "invoice\u202efdp.txt" reversed its location and score, a question the model's name after it.
        parts = [f'<div class="docchat-answer"><p><b>{esc(bidi_closed(self.question))}</b> '
                 f'<small>({esc(self.model)}{f", {self.seconds:.1f} s" if self.seconds else ""})</small></p>',
                 render_markdown(self.text, citations=len(self.sources), anchor=anchor)]
        parts += [f"<p><em>{esc(for_terminal(notice))}</em></p>" for notice in self._notes()]
        if self.sources:
            items = "".join(f'<li id="{anchor}-src-{s.n}" value="{s.n}">{esc(bidi_closed(name_on_one_line(s.file)))} '
                            f'({esc(bidi_closed(s.location))}){f" score {s.score:.3f}" if s.origin == "document" else ""}</li>'
                            for s in self.sources)
            parts.append(f"<p>Sources:</p><ol>{items}</ol>")
        return "".join(parts) + "</div>"

    def __str__(self) -> str:
        """The answer and its sources as plain text, safe to print on a terminal."""
        lines = [self.text, *(f"[{notice}]" for notice in self._notes())]
        if self.sources:
            lines += ["", "Sources:"]
            lines += [f"  [{s.n}] {name_on_one_line(s.file)} ({s.location})" + (f" score {s.score:.3f}" if s.origin == "document" else "")
                      for s in self.sources]
        return for_terminal("\n".join(lines))

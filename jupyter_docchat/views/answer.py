"""Chat bubbles: one question and its answer as HTML and as plain text.

Every string from a document or a model goes through ``html.escape`` or the
safe Markdown renderer before it becomes HTML.
"""

from __future__ import annotations

import html
import os
import re
import uuid
from typing import Any, Mapping
from urllib.parse import quote

from jupyter_docchat.displayable import Displayable
from jupyter_docchat.errors import with_command
from jupyter_docchat.qa.answer_record import INTERRUPTED
from jupyter_docchat.qa.extractive import terms
from jupyter_docchat.safe_text import for_terminal, name_on_one_line
from jupyter_docchat.markdown_html import bidi_closed, render_markdown

CSS = """
<style>
.docchat{font-family:var(--jp-ui-font-family,sans-serif);font-size:var(--jp-content-font-size1,14px);color:var(--jp-content-font-color1,#222);max-width:900px}
.docchat .dc-row{display:flex;gap:8px;margin:6px 0;align-items:flex-start}
.docchat .dc-row.dc-user{flex-direction:row-reverse}
.docchat .dc-avatar{flex:0 0 32px;height:32px;border-radius:50%;display:flex;align-items:center;justify-content:center;font-size:11px;font-weight:600;color:var(--jp-ui-inverse-font-color1,#fff);background:var(--jp-brand-color1,#1976d2)}
.docchat .dc-user .dc-avatar{background:var(--jp-accent-color1,#388e3c)}
.docchat .dc-bubble{padding:8px 12px;border-radius:12px;background:var(--jp-layout-color2,#eee);border:1px solid var(--jp-border-color2,#ddd);max-width:85%;overflow-wrap:anywhere}
.docchat .dc-user .dc-bubble{background:var(--jp-layout-color3,#e3f2fd)}
.docchat .dc-meta{font-size:var(--jp-ui-font-size0,11px);color:var(--jp-content-font-color2,#666);margin-bottom:2px}
.docchat .dc-body p{margin:4px 0}
.docchat .dc-error .dc-bubble{border-color:var(--jp-error-color1,#d32f2f);background:var(--jp-error-color3,#ffebee)}
.docchat .dc-sources{margin:6px 0 0 40px;font-size:var(--jp-ui-font-size1,13px)}
.docchat .dc-sources li{margin:2px 0}
.docchat .dc-sources pre{white-space:pre-wrap;background:var(--jp-layout-color1,#fff);color:var(--jp-content-font-color1,#222);padding:6px;border-radius:4px;max-height:240px;overflow:auto}
.docchat .dc-note{font-size:var(--jp-ui-font-size0,11px);color:var(--jp-content-font-color2,#666);margin-left:40px}
.docchat .dc-spinner{display:inline-block;width:12px;height:12px;border:2px solid var(--jp-border-color1,#bbb);border-top-color:var(--jp-brand-color1,#1976d2);border-radius:50%;animation:dc-spin 0.8s linear infinite;vertical-align:middle}
@keyframes dc-spin{to{transform:rotate(360deg)}}
</style>
"""

esc = html.escape


def relative_href(path: str, cwd: str | None = None) -> str:
    """A link JupyterLab opens: the file relative to the notebook's folder, URL-quoted."""
    if not path:
        return ""
    try:
        rel = os.path.relpath(path, cwd or os.getcwd())
    except ValueError:  # another drive on Windows
        rel = path
    return quote(rel.replace(os.sep, "/"), safe="/")


def bubble(role: str, initials: str, meta: str, body_html: str, extra_class: str = "") -> str:
    return (
        f'<div class="dc-row dc-{role} {extra_class}"><div class="dc-avatar">{esc(initials)}</div>'
        f'<div class="dc-bubble"><div class="dc-meta">{esc(meta)}</div><div class="dc-body">{body_html}</div></div></div>'
    )


def highlight(text: str, words: list[str]) -> str:
    """``text`` escaped, with the words of the question marked (each word and its inflections)."""
    escaped = esc(text)
    words = sorted({w for w in words if len(w) > 2}, key=len, reverse=True)
    if not words:
        return escaped
    pattern = re.compile(r"(?<![\w&#-])(" + "|".join(re.escape(esc(w)) for w in words) + r")[\w]*", re.I)
    return pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped)


def _scored(src: dict) -> bool:
    """A document's passage has a retrieval score worth showing; a variable or cell, always included, has not."""
    return src.get("origin", "document") == "document"


# A block of base64 lines cut by the reader (readers.clean._cut_block) keeps its lines empty, so line numbers stay
# right: its snippet showed its first 40 characters over dozens of blank lines (probe 30's leftover). Shown, the blank
# lines after the cut are one.
_AFTER_CUT = re.compile(r"(… \([\d,]+ characters left out\))\n{2,}")


def snippet(text: str) -> str:
    """A source's text as its snippet shows it: the blank lines a cut block left as one."""
    return _AFTER_CUT.sub("\\1\n\n", text) if "characters left out)" in text else text


def sources_html(sources: list[dict], anchor: str, cwd: str | None = None, words: list[str] | None = None) -> str:
    if not sources:
        return ""
    items = []
    for src in sources:
        href = relative_href(src.get("path", ""), cwd)
        # A name's direction override ("invoice\u202efdp.txt") reversed the location and score after it in the line.
        name = esc(bidi_closed(str(src.get("source", ""))))
        link = f'<a href="{esc(href)}" target="_blank">{name}</a>' if href else name
        summary = esc(str(src.get("heading") or "snippet"))
        score = f' &middot; score {float(src.get("score", 0.0)):.3f}' if _scored(src) else ""
        items.append(
            f'<li id="{anchor}-src-{int(src.get("n", 0))}">{link} &middot; {esc(bidi_closed(str(src.get("location", ""))))}{score}'
            f'<details><summary>{summary}</summary><pre>{highlight(snippet(str(src.get("text", ""))), words or [])}</pre></details></li>'
        )
    return f'<ol class="dc-sources">{"".join(items)}</ol>'


def _explained(sources: list[dict]) -> list[tuple[int, dict]]:
    return [(int(s.get("n", 0)), s["explain"]) for s in sources if isinstance(s.get("explain"), dict)]


def _rank(value: Any) -> str:
    return str(value) if isinstance(value, int) else "–"


def explain_html(sources: list[dict]) -> str:
    """Why each source ranked where it did: its dense and lexical rank, fused score, and levers."""
    rows = "".join(
        f"<tr><td>[{n}]</td><td>{_rank(e.get('dense_rank'))}</td><td>{_rank(e.get('lexical_rank'))}</td>"
        f"<td>{esc(str(e.get('fused', '')))}</td><td>{esc('; '.join(map(str, e.get('levers') or [])))}</td></tr>"
        for n, e in _explained(sources))
    if not rows:
        return ""
    return ('<table class="dc-explain"><tr><th>source</th><th>dense rank</th><th>lexical rank</th>'
            f"<th>fused</th><th>levers</th></tr>{rows}</table>")


def explain_text(sources: list[dict]) -> list[str]:
    return [f"  [{n}] dense rank {_rank(e.get('dense_rank'))}, lexical rank {_rank(e.get('lexical_rank'))}, "
            f"fused {e.get('fused', '')}" + (f"; {'; '.join(map(str, e.get('levers') or []))}" if e.get("levers") else "")
            for n, e in _explained(sources)]


def usage_text(usage: dict | None) -> str:
    if not usage:
        return ""
    return f"tokens: {usage.get('input_tokens', 0)} in, {usage.get('output_tokens', 0)} out"


def vectors_note(waiting: int, filling: bool, commands: Mapping[str, str], searched: str = "searched by keywords only",
                 while_filling: str = "") -> str:
    """What a search by meaning missed: ``waiting`` chunks without a vector, which were ``searched`` otherwise, as the
    answer and ``docchat search`` say it ("" when none waits); ``filling``: a vector pass is computing them now."""
    if not waiting:
        return ""
    if filling:
        return f"indexing is still computing vectors for {waiting} chunks: those were {searched}{while_filling}"
    return with_command(f"{waiting} chunks have no vector yet (indexing stopped before it finished), so they were "
                        f"{searched}: index the folder again to finish", "finish_index", commands)


class AnswerView(Displayable):
    """One exchange, displayable as text and HTML."""

    def __init__(self, turn: Any, *, pending: bool = False, error: str = "", cwd: str | None = None,
                 commands: Mapping[str, str] | None = None) -> None:
        """``commands``: the front end's command for each remedy a note names (errors.Remedy)."""
        self.turn, self.pending, self.error, self.cwd = turn, pending, error, cwd
        self.commands = commands or {}
        self.anchor = "docchat-" + uuid.uuid4().hex[:10]

    def _coverage_note(self) -> str:
        return vectors_note(getattr(self.turn, "vectors_waiting", 0), getattr(self.turn, "filling", False), self.commands,
                            while_filling=", so this answer may improve once it finishes")

    def _status_note(self) -> str:
        status = getattr(self.turn, "status", "ok")
        if status == "interrupted":
            return INTERRUPTED
        if status == "failed":
            return "the answer stopped because of an error"
        return ""

    def html_fragment(self) -> str:
        t = self.turn
        parts = [bubble("user", "You", t.time.replace("T", " "), f"<p>{esc(t.question)}</p>")]
        if t.answer:
            body = render_markdown(t.answer, len(t.sources), self.anchor)
        else:
            body = ""
        if self.pending:
            body += '<span class="dc-spinner" title="thinking"></span>'
        meta = " · ".join(x for x in (t.model, f"{t.seconds:.1f} s" if t.seconds else "", usage_text(t.usage)) if x)
        parts.append(bubble("assistant", "DC", f"docchat · {meta}" if meta else "docchat", body))
        notes = [self._status_note(), self.error, getattr(t, "refreshed", ""), *getattr(t, "notices", []),
                 self._coverage_note()]
        if t.standalone and t.standalone != t.question:
            notes.append(f"searched for: {t.standalone}")
        # As the text shows them, without direction controls: a folder's name in the middle of a note ("the folder
        # docs\u202ex holds no file ...") reversed the rest of the note.
        parts.append("".join(f'<div class="dc-note">{esc(for_terminal(n))}</div>' for n in notes if n))
        if not self.pending or t.sources:
            parts.append(sources_html(t.sources, self.anchor, self.cwd, terms(t.question)) + explain_html(t.sources))
        return "".join(parts)

    def to_html(self) -> str:
        return f'{CSS}<div class="docchat">{self.html_fragment()}</div>'

    def __str__(self) -> str:
        """The exchange as text a terminal prints as is (IPython in a terminal shows this)."""
        t = self.turn
        head = f"You: {t.question}\n\ndocchat ({t.model}):\n" + (t.answer or ("..." if self.pending else ""))
        tail = self.after_answer_text()
        return for_terminal(f"{head}\n{tail}" if tail else head)

    def after_answer_text(self) -> str:
        """What follows the answer in text: notes and sources (a terminal that streamed the answer prints only this)."""
        t = self.turn
        lines = []
        for note in (self._status_note(), self.error, getattr(t, "refreshed", ""), *getattr(t, "notices", []),
                     self._coverage_note(), usage_text(t.usage)):
            if note:
                lines.append(f"[{note}]")
        if t.sources:
            lines += ["", "Sources:"]
            for src in t.sources:
                score = f" score {float(src['score']):.3f}" if _scored(src) else ""
                lines.append(f"  [{src['n']}] {name_on_one_line(str(src['source']))} ({src['location']}){score}")
            explained = explain_text(t.sources)
            if explained:
                lines += ["", "Why these sources:", *explained]
        return for_terminal("\n".join(lines))

    def __repr__(self) -> str:
        return str(self)


"""A corpus and model output written to attack the HTML, and a checker that they stayed inert."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

MARKER = "__docchat_pwned"
HOSTILE_MD = f"""# Deposit insurance <script>window.{MARKER}=1</script>

Deposit insurance covers <img src=x onerror="window.{MARKER}=1"> up to the limit.
Click [here](javascript:window.{MARKER}=1) or [there](  JaVaScRiPt:window.{MARKER}=1 ) for deposit insurance.
<iframe src="javascript:window.{MARKER}=1"></iframe> <a href="javascript:window.{MARKER}=1">deposit</a>
[ref]: javascript:window.{MARKER}=1
"""
HOSTILE_HTML = f"""<html><body><main><h1>Deposit insurance notes</h1>
<p onclick="window.{MARKER}=1">Deposit insurance protects savers.</p>
<script>window.{MARKER}=1</script><p>&lt;script&gt;window.{MARKER}=1&lt;/script&gt; deposit insurance</p>
</main></body></html>"""
HOSTILE_ANSWER = (
    f"Deposit insurance <script>window.{MARKER}=1</script> covers savers [1]. "
    f"<img src=x onerror=\"window.{MARKER}=1\"> See [this](javascript:window.{MARKER}=1), "
    f"[that](data:text/html,<script>window.{MARKER}=1</script>), [ok](https://example.org/x) "
    f"and <a href='javascript:window.{MARKER}=1'>raw</a> [2]."
)
HOSTILE_NAME = "<img src=x onerror=window.__docchat_pwned=1>.md"


def write_hostile_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "evil.md").write_text(HOSTILE_MD)
    (folder / "evil.html").write_text(HOSTILE_HTML)
    (folder / HOSTILE_NAME).write_text(f"Deposit insurance file named to attack the source list {MARKER}.\n")
    return folder


def _our_styles() -> set[str]:
    from jupyter_docchat.notebook.chat_widget import TRANSCRIPT_CSS
    from jupyter_docchat.views.answer import CSS

    return {css.strip()[len("<style>"):-len("</style>")] for css in (CSS, TRANSCRIPT_CSS)}


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style and data not in _our_styles():
            self.problems.append("a <style> block that is not ours")

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self.in_style = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "style":
            self.in_style = True
        if tag in {"script", "img", "iframe", "object", "embed", "svg", "math", "form", "input", "base", "meta", "link"}:
            self.problems.append(f"live <{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.problems.append(f"event handler {name}")
            if name in {"href", "src", "action", "formaction", "xlink:href"}:
                if ":" in value.split("/")[0] and not value.startswith(("http:", "https:", "mailto:")):
                    self.problems.append(f"{name}={value[:40]}")
            if name == "style" and ("url(" in value or "expression" in value):
                self.problems.append("style url")


def audit_html(markup: str) -> list[str]:
    """Everything in ``markup`` that could run script; only our own <style> blocks are allowed."""
    audit = _Audit()
    audit.feed(markup)
    audit.close()
    return audit.problems

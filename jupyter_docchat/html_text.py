"""Main text of an HTML page, split at its headings, without script/style/nav."""

from __future__ import annotations

import re

from .readers import Section

_DROP = ["script", "style", "nav", "noscript", "template", "iframe", "svg", "form", "header", "footer", "aside"]
_HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]
_MARK = "\x00H"
_BLOCKS = ["p", "div", "li", "pre", "tr", "br", "dt", "dd", "blockquote", "table", "section", "article", "ul", "ol"]


def html_sections(markup: str) -> list[Section]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup(_DROP):
        tag.decompose()
    for tag in soup.find_all(attrs={"role": ["navigation", "banner", "contentinfo"]}):
        tag.decompose()
    root = soup.find("main") or soup.find(attrs={"role": "main"}) or soup.find("article") or soup.body or soup
    lines: list[int] = []
    for number, tag in enumerate(root.find_all(_HEADINGS)):
        level = int(tag.name[1])
        lines.append(tag.sourceline or 1)
        text = tag.get_text(" ", strip=True)
        tag.replace_with(f"\n{_MARK}{number}:{level}:{text}\n")
    for tag in root.find_all(_BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    text = root.get_text("")
    return _split_marked(text, lines, title)


def _split_marked(text: str, lines: list[int], title: str) -> list[Section]:
    sections: list[Section] = []
    trail: list[str] = []
    heading, start, buf = title, 1, []

    def flush() -> None:
        body = _tidy("\n".join(buf))
        if body:
            sections.append(Section(body, start, heading, kind="html"))

    for line in text.split("\n"):
        if line.startswith(_MARK):
            flush()
            number, level, head = line[len(_MARK):].split(":", 2)
            trail = trail[: int(level) - 1] + [head]
            heading, start, buf = " > ".join(t for t in trail if t), lines[int(number)], [head]
        else:
            buf.append(line)
    flush()
    return sections


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t\r\f\v\u00a0]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()

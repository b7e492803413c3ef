"""Main text of an HTML page, split at its headings, without script/style/nav."""

from __future__ import annotations

import re

from .readers import HeadingTrail, Section, short_heading

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
    """Sections at the marked headings; the page title heads every trail it does not merely repeat."""
    sections: list[Section] = []
    trail = HeadingTrail(title)
    heading, start, buf = short_heading(title), 1, []
    preamble = True

    def flush() -> None:
        body = _tidy("\n".join(buf))
        if body and not (preamble and _is_chrome(body)):
            sections.append(Section(body, start, heading, kind="html"))

    for line in text.split("\n"):
        if line.startswith(_MARK):
            flush()
            preamble = False
            number, level, head = line[len(_MARK):].split(":", 2)
            heading, start, buf = trail.enter(int(level), head), lines[int(number)], [head]
        else:
            buf.append(line)
    flush()
    return sections


def _is_chrome(preamble: str) -> bool:
    """Text before a page's first heading with no sentence in it is site chrome (menus, Prev/Next
    bars, taglines) repeated on every page; indexed, it matches every query a little."""
    lines = [line for line in preamble.splitlines() if line.strip()]
    return len(preamble) < 1500 and not any(len(line.split()) >= 8 for line in lines)


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t\r\f\v\u00a0]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()

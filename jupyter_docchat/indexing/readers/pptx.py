"""PowerPoint .pptx (python-pptx, the optional "pptx" extra): a slide a section, cited by its number as a PDF's page is,
under the trail "Deck title > Slide title", or "Deck title > Section > Slide title" after a section header slide.

A slide's text comes in PowerPoint's reading order, the order of its shapes (what a screen reader follows), its title
first: text frames a paragraph a line (indented two spaces a level), tables as pipe tables (a row a line under its
header, as the other readers write them), a group's shapes in their order, a chart's title and its data as a table, a
picture's alternative text, a SmartArt diagram's text; then the slide's speaker notes under a "Speaker notes:" line.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any, Iterable

from jupyter_docchat.indexing.readers.base import HeadingStack, UnreadableFile, short_heading
from jupyter_docchat.indexing.readers.office_tables import grid_lines
from jupyter_docchat.types import Section

NOTES_LABEL = "Speaker notes:"
_WORD = re.compile(r"\w+")
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_DIAGRAM_DATA = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/diagramData"
_R_DM = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}dm"


def read_pptx(path: Path, data: bytes) -> list[Section]:
    try:
        import pptx  # python-pptx, the optional "pptx" extra
    except ImportError as exc:
        raise UnreadableFile("needs the pptx extra: pip install 'jupyter-docchat[pptx]'") from exc
    try:
        deck = pptx.Presentation(io.BytesIO(data))
        slides = list(deck.slides)
        core_title = deck.core_properties.title or ""
    except Exception as exc:
        raise UnreadableFile(f"unreadable .pptx ({type(exc).__name__})") from exc
    titles = [_slide_title(slide) for slide in slides]
    # The first slide's title names the deck: a deck's core title is often PowerPoint's "PowerPoint Presentation".
    stack = HeadingStack(titles[0] if titles and titles[0] else short_heading(core_title))
    sections, titles_alone = [], []
    for number, (slide, title) in enumerate(zip(slides, titles), 1):
        divider = bool(title) and _layout_type(slide) == "secHead"
        # A section header's title heads the slides after it, up to the next one, as a chapter's title heads its
        # pages; an untitled slide keeps the section it is in.
        heading = stack.enter(1 if divider else 2, title)
        lines = _slide_lines(slide)
        text = "\n".join(lines)
        if not text.strip():
            continue
        section = Section(text, 1, heading, page=number, kind="pptx")
        # A cover or section header that is its title and nothing more was a passage of one line, a search's top
        # hit for any question in its words (walk 32: "Release Notes for v.3.4", then "Python-Markdown 3.4 Release
        # Notes", each a chunk). Its words stay searchable in the trail of the slides it heads.
        if _same_words(text, title) and number < len(slides) and (divider or number == 1):
            titles_alone.append(section)
        else:
            sections.append(section)
    # Unless no slide's trail holds its words (every later title repeats the deck's: "Python" under "Intro to Python").
    kept = [_words(s.heading) for s in sections]
    sections += [s for s in titles_alone if not any(_words(s.heading) <= words for words in kept)]
    return sorted(sections, key=lambda s: s.page or 0)


def _layout_type(slide: Any) -> str:
    """The slide's layout kind as the file names it ("title", "secHead", "obj"...): a layout's name is the user's to
    rename and is written in the Office's language ("Abschnittsüberschrift")."""
    try:
        return str(slide.slide_layout.element.get("type") or "")
    except Exception:  # a slide without a layout python-pptx can read
        return ""


def _same_words(text: str, title: str) -> bool:
    return " ".join(text.split()) == " ".join(title.split())


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.casefold()))


def _slide_title(slide: Any) -> str:
    try:
        shape = slide.shapes.title
    except Exception:  # a slide whose placeholders python-pptx cannot read
        return ""
    return short_heading(_frame_text(shape.text_frame)) if shape is not None and shape.has_text_frame else ""


def _slide_lines(slide: Any) -> list[str]:
    shapes = list(slide.shapes)
    title = next((s for s in shapes if _is_title(s)), None)
    lines: list[str] = []
    bullets = _master_bullets(slide)
    for shape in ([title] if title is not None else []) + [s for s in shapes if s is not title]:
        _shape_lines(shape, lines, slide.part, bullets)
    if slide.has_notes_slide:
        frame = slide.notes_slide.notes_text_frame
        notes = _paragraph_lines(frame.paragraphs) if frame is not None else []
        if any(line.strip() for line in notes):
            lines += [NOTES_LABEL, *notes]
    return lines


_NO_PLACEHOLDER = object()  # not a placeholder, or one whose type python-pptx cannot read (a placeholder's type may be None)


def _placeholder_type(shape: Any) -> Any:
    """A placeholder's type (PP_PLACEHOLDER), or _NO_PLACEHOLDER."""
    if not shape.is_placeholder:
        return _NO_PLACEHOLDER
    try:
        return shape.placeholder_format.type
    except Exception:
        return _NO_PLACEHOLDER


def _is_title(shape: Any) -> bool:
    from pptx.enum.shapes import PP_PLACEHOLDER

    return _placeholder_type(shape) in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)


def _shape_lines(shape: Any, lines: list[str], part: Any, bullets: dict[int, str]) -> None:
    from pptx.shapes.group import GroupShape

    # By its class: shape_type raises NotImplementedError for a shape python-pptx does not know.
    if isinstance(shape, GroupShape):
        for inner in shape.shapes:
            _shape_lines(inner, lines, part, bullets)
        return
    if getattr(shape, "has_table", False) and shape.has_table:
        _block(lines, _table_lines(shape.table))
    elif getattr(shape, "has_chart", False) and shape.has_chart:
        _block(lines, _chart_lines(shape.chart))
    elif shape.has_text_frame:
        lines.extend(_paragraph_lines(shape.text_frame.paragraphs, bullets if _body_placeholder(shape) else None))
    else:
        lines.extend(_diagram_lines(shape, part))
    alt = _alt_text(shape)
    if alt:
        lines.append(alt)


def _body_placeholder(shape: Any) -> bool:
    """Whether a shape is a placeholder whose text takes the master's body style (a content or text placeholder), not
    a title, subtitle, date, footer or slide number, nor a text box of the slide's own."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    return _placeholder_type(shape) in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, None)


def _block(lines: list[str], block: list[str]) -> None:
    """A table apart from the text around it by blank lines: a paragraph above is its introduction, and a table right
    after it is another table."""
    if not block:
        return
    if lines and lines[-1].strip():
        lines.append("")
    lines.extend(block)
    lines.append("")


def _frame_text(frame: Any) -> str:
    return "\n".join(_paragraph_lines(frame.paragraphs))


def _paragraph_lines(paragraphs: Iterable[Any], inherited: dict[int, str] | None = None) -> list[str]:
    """A paragraph a line, a line break in it a line too ("\\v" in python-pptx's text), indented two spaces a level,
    led by its bullet ("- ") or number ("2. ") where it has one: its own, or by ``inherited``, what the master gives
    each level of a placeholder's text (a content slide's items are bulleted so)."""
    out: list[str] = []
    numbers: dict[int, int] = {}
    for paragraph in paragraphs:
        level = max(0, min(getattr(paragraph, "level", 0) or 0, 8))
        lines = paragraph.text.replace("\v", "\n").split("\n")
        kind = _bullet(paragraph._p, level, inherited) if "".join(lines).strip() else ""
        for deeper in [k for k in numbers if k > level or (k == level and kind != "number")]:
            del numbers[deeper]
        if kind == "number":
            numbers[level] = numbers.get(level, 0) + 1
        marker = {"bullet": "- ", "number": f"{numbers.get(level)}. "}.get(kind, "")
        indent = "  " * level
        out.extend((indent + (marker if n == 0 else " " * len(marker)) + line) if line.strip() else line
                   for n, line in enumerate(lines))
    return out


_BULLETS = {f"{_A}buNone": "", f"{_A}buChar": "bullet", f"{_A}buAutoNum": "number", f"{_A}buBlip": "bullet"}


def _bullet(p: Any, level: int, inherited: dict[int, str] | None) -> str:
    """"bullet", "number" or "" for a paragraph: its own properties' word, else what it inherits at its level."""
    p_pr = p.find(f"{_A}pPr")
    own = [_BULLETS[child.tag] for child in (p_pr if p_pr is not None else ()) if child.tag in _BULLETS]
    if own:
        return own[-1]
    return (inherited or {}).get(level, "")


def _master_bullets(slide: Any) -> dict[int, str]:
    """What the slide's master gives each level of a body placeholder's text: "bullet", "number" or ""."""
    try:
        body = slide.slide_layout.slide_master._element.find(f"{_P}txStyles/{_P}bodyStyle")
    except Exception:  # a slide without its layout or master: no bullets inherited
        return {}
    out = {}
    for level in range(9):
        style = body.find(f"{_A}lvl{level + 1}pPr") if body is not None else None
        kinds = [_BULLETS[child.tag] for child in (style if style is not None else ()) if child.tag in _BULLETS]
        out[level] = kinds[-1] if kinds else ""
    return out


def _table_lines(table: Any) -> list[str]:
    grid: list[list[str]] = []
    # The table's XML rows, listed once: python-pptx's rows have no iterator, so a loop over them asked for each by its
    # number, and each such ask lists the rows again (a table of 4,000 rows took 11 CPU-s, 1,000 rows 0.6; probe 34).
    for tr in table._tbl.tr_lst:
        out: list[str] = []
        for tc in tr.tc_lst:
            text = " ".join(tc.text.split())
            if tc.is_spanned:
                # A cell merged down stands in each row (a row read alone keeps it); one merged across, in its first.
                above = grid[-1][len(out)] if tc.vMerge and grid and len(out) < len(grid[-1]) else ""
                text = above
            out.append(text)
        grid.append(out)
    return grid_lines(1 if table.first_row else 0, grid)


def _chart_lines(chart: Any) -> list[str]:
    """A chart's title, then its data as a table: a row a category, a column a series ("Region: East; Sales: 42")."""
    lines: list[str] = []
    try:
        if chart.has_title and chart.chart_title.has_text_frame:
            lines.extend(line for line in _frame_text(chart.chart_title.text_frame).split("\n") if line.strip())
        for plot in chart.plots:
            categories = [str(c) for c in plot.categories]
            series = list(plot.series)
            if not series:
                continue
            values = [[_number(v) for v in s.values] for s in series]
            width = max([len(categories), *(len(v) for v in values)])
            grid = [["", *(s.name or "" for s in series)]]
            for n in range(width):
                grid.append([categories[n] if n < len(categories) else "", *(v[n] if n < len(v) else "" for v in values)])
            lines.extend(grid_lines(1, grid))
    except Exception:  # a chart python-pptx reads only in part: what was read is kept
        pass
    return lines


def _number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _alt_text(shape: Any) -> str:
    """A picture's (or any shape's) alternative text, which says what a slide shows in words a search can find."""
    try:
        c_nv_pr = shape._element.xpath("./*[1]/p:cNvPr")
    except Exception:
        return ""
    return " ".join((c_nv_pr[0].get("descr") or "").split()) if c_nv_pr else ""


def _diagram_lines(shape: Any, part: Any) -> list[str]:
    """A SmartArt diagram's text, which its data part holds (the slide holds only a reference to it)."""
    lines: list[str] = []
    try:
        from pptx.oxml import parse_xml

        for relation in shape._element.iter(f"{{http://schemas.openxmlformats.org/drawingml/2006/diagram}}relIds"):
            target = part.related_part(relation.get(_R_DM))
            for paragraph in parse_xml(target.blob).iter(f"{_A}p"):
                text = "".join(t.text or "" for t in paragraph.iter(f"{_A}t"))
                if text.strip():
                    lines.append(text)
    except Exception:  # a diagram without its data part: the slide's other text is read
        pass
    return lines

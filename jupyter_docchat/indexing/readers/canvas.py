"""JSON Canvas boards (.canvas: Obsidian's and other note apps' whiteboards, an open format, jsoncanvas.org 1.0): the
cards a vault's user writes on a board (text in Markdown), the notes, pictures and pages it pins (cards of a file or a
link), the groups that hold them and the labels of the arrows between them. Each card is read under the labels of the
groups around it, in the order a reader scans the board (top to bottom, then left to right), and cited by its line:
apps write a board a card a line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jupyter_docchat.indexing.readers.base import UnreadableFile, decode
from jupyter_docchat.indexing.readers.clean import clean_text
from jupyter_docchat.indexing.readers.markdown import shown_markdown
from jupyter_docchat.indexing.readers.note_markup import as_shown
from jupyter_docchat.types import Section

# Groups within groups are found by comparing each card with each group: a board is a few hundred cards and a few
# groups; past this many comparisons the cards are read without their groups' labels (a board made by a script).
MAX_COMPARISONS = 2_000_000
# An arrow's end named by its card's first line, cut to this many characters.
NAME_CHARS = 60
_ID = re.compile(r'"id"\s*:\s*("(?:[^"\\]|\\.)*")')


@dataclass
class _Card:
    kind: str
    text: str
    line: int
    x: float
    y: float
    width: float
    height: float
    label: str = ""  # a group's

    def holds(self, other: _Card) -> bool:
        """Whether ``other``'s middle lies inside this card (a group's frame), ``other`` being smaller."""
        middle_x, middle_y = other.x + other.width / 2, other.y + other.height / 2
        return (self.x <= middle_x <= self.x + self.width and self.y <= middle_y <= self.y + self.height
                and other.width * other.height < self.width * self.height)


def read_canvas(path: Path, data: bytes) -> list[Section]:
    text = decode(data)
    try:
        board = json.loads(text)
    except (ValueError, RecursionError):
        raise UnreadableFile("not a JSON Canvas board") from None
    if not isinstance(board, dict) or not isinstance(board.get("nodes", []), list):
        raise UnreadableFile("not a JSON Canvas board")
    lines = _id_lines(text)
    cards: dict[str, _Card] = {}
    for node in board.get("nodes", []):
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            cards[node["id"]] = _card(node, lines.get(node["id"], 1))
    groups = [card for card in cards.values() if card.kind == "group"]
    if len(groups) * len(cards) > MAX_COMPARISONS:
        groups = []
    sections = []
    for card in sorted(cards.values(), key=lambda card: (card.y, card.x)):
        if card.kind == "group" or not card.text.strip():
            continue
        around = sorted((group for group in groups if group.holds(card)), key=lambda group: -group.width * group.height)
        heading = " > ".join(group.label for group in around if group.label)
        # A card is a Markdown note: its code as written ("grep -rn ^TODO" lost its "^TODO" as a block id; probe 39)
        body = clean_text(shown_markdown("\n".join(card.text.splitlines())))
        if body.strip():
            sections.append(Section(body, card.line, heading, line_map=(card.line,) * len(body.splitlines())))
    arrows = [_arrow(edge, cards, lines) for edge in board.get("edges", []) if isinstance(edge, dict)]
    for line, arrow in sorted(found for found in arrows if found is not None):
        sections.append(Section(arrow, line, "arrows", line_map=(line,)))
    return sections


def _card(node: dict[str, Any], line: int) -> _Card:
    kind = node["type"] if isinstance(node.get("type"), str) else ""
    if kind == "text":
        text = node.get("text")
    elif kind == "file":  # a note, a picture or a PDF pinned to the board, by its path in the vault
        text = _pinned(node.get("file"), node.get("subpath"))
    elif kind == "link":
        text = node.get("url")
    else:
        text = ""
    label = node.get("label") if kind == "group" else ""
    return _Card(kind, text if isinstance(text, str) else "", line, _number(node.get("x")), _number(node.get("y")),
                 _number(node.get("width")), _number(node.get("height")), label if isinstance(label, str) else "")


def _pinned(file: Any, subpath: Any) -> str:
    if not isinstance(file, str):
        return ""
    name = file.rsplit("/", 1)[-1]
    if isinstance(subpath, str) and subpath.strip("#^ "):
        name += " > " + subpath.lstrip("#").strip()
    return f"(pinned: {name})"


def _arrow(edge: dict[str, Any], cards: dict[str, _Card], lines: dict[str, int]) -> tuple[int, str] | None:
    """An arrow with a label, as "Order grating → Spectrometer: waits for the quote": its line and its text."""
    label = edge.get("label")
    if not isinstance(label, str) or not label.strip():
        return None
    names = [_name(cards.get(end) if isinstance(end, str) else None) for end in (edge.get("fromNode"), edge.get("toNode"))]
    line = lines.get(edge["id"], 1) if isinstance(edge.get("id"), str) else 1
    return line, clean_text(f"{names[0]} → {names[1]}: {' '.join(label.split())}")


def _name(card: _Card | None) -> str:
    if card is None:
        return "?"
    first = next((line.strip() for line in (card.label or card.text).splitlines() if line.strip()), "?")
    first = as_shown(first.lstrip("#").strip()) or "?"
    return first if len(first) <= NAME_CHARS else first[:NAME_CHARS].rstrip() + "…"


def _id_lines(text: str) -> dict[str, int]:
    """Each card's and arrow's line, found by its "id" (the first place an id is written: a card's line, as arrows
    come after the cards and name theirs as fromNode and toNode)."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if '"id"' not in line:
            continue
        for found in _ID.finditer(line):
            try:
                name = json.loads(found[1])
            except ValueError:
                continue
            lines.setdefault(name, number)
    return lines


def _number(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) < 1e12 else 0.0

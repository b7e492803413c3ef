"""Text from documents and models made safe for where it goes: storage, terminals, Markdown files."""

from __future__ import annotations

import re
import reprlib

_SURROGATE = re.compile("[\ud800-\udfff]")
# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), other two-byte escapes, and C0/C1 controls
# but tab and newline: what a terminal would act on instead of printing.
_TERMINAL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]|[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# ASCII punctuation that CommonMark gives a meaning to anywhere in a line.
_MD_INLINE = re.compile(r"([\\`*_{}\[\]<>&#|!~])")
# Line starts that make a block: bullets, block quotes, setext underlines; "1." or "1)" items.
_MD_BULLET = re.compile(r"^(\s*)([-+=>])", re.M)
_MD_ORDERED = re.compile(r"^(\s*\d+)([.)])", re.M)


def clean_text(text: str) -> str:
    """Lone surrogates (from a broken stream or a bad file name) become U+FFFD, so the text always encodes."""
    return _SURROGATE.sub("\ufffd", text)


def for_terminal(text: str) -> str:
    """Text a terminal prints as is: escape sequences and control characters removed."""
    return _TERMINAL.sub("", clean_text(text))


def markdown_text(text: str, one_line: bool = False) -> str:
    """``text`` as Markdown that renders as exactly this text: no HTML, link, emphasis, heading or list."""
    text = clean_text(text)
    if one_line:
        text = " ".join(text.split())
    text = _MD_INLINE.sub(r"\\\1", text)
    text = _MD_ORDERED.sub(r"\1\\\2", _MD_BULLET.sub(r"\1\\\2", text))
    return "\n".join(line.lstrip() for line in text.split("\n"))  # an indent of four would make a code block


def _limited() -> reprlib.Repr:
    limits = reprlib.Repr()
    limits.maxlevel, limits.maxlist, limits.maxtuple, limits.maxset, limits.maxdict = 3, 10, 10, 10, 10
    limits.maxstring = limits.maxother = limits.maxlong = 2000
    return limits


_REPR = _limited()


def safe_repr(value: object) -> str:
    """A ``repr`` of bounded size (containers show their first items, long strings their start, so a
    million-item list costs nothing), or a note naming the type when the object's ``__repr__`` raises."""
    try:
        return clean_text(_REPR.repr(value))
    except Exception as exc:  # a user's object must not fail the question
        return f"<{type(value).__name__} whose repr failed: {type(exc).__name__}>"


def cut(text: str, limit: int, at_word: bool = False, mark: str = "…") -> str:
    """``text`` shortened to ``limit`` characters, ``mark`` showing the cut; ``at_word`` cuts after the
    last whole word within the limit instead (and adds ``mark`` after it)."""
    if len(text) <= limit:
        return text
    if at_word:
        return text[:limit].rsplit(" ", 1)[0] + mark
    return text[: max(limit - len(mark), 0)] + mark

"""Text every later step can take: what a reader meets in a file, or a parser hands back, made storable.

A lone surrogate (valid JSON, ``"\\ud800"``) cannot be encoded for SQLite or Chroma, and a NUL or
another control character makes lxml refuse a whole page. Lines are counted at ``\\n``, ``\\r\\n``
and ``\\r``, as editors count them; the other characters Python's ``splitlines`` breaks at (form
feed, vertical tab, NEL, U+2028...) become spaces, so every reader counts the same lines.
"""

from __future__ import annotations

import re

from jupyter_docchat.table_text import is_delimiter

# C0 controls but tab and newline, DEL, C1 controls, surrogates, and the two noncharacters XML refuses.
_DROP = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_SPACE = re.compile("[\x0b\x0c\x1c-\x1f\x85\u2028\u2029]")
_DROP_OR_SPACE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
# What either pattern finds in ASCII: the C0 controls but tab, newline and carriage return, and DEL.
_ASCII_CONTROLS = bytes([*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20), 0x7f])
# A terminal's escape sequences (ECMA-48), as logs and captured output hold them ("\x1b[31mERROR\x1b[0m"):
# dropped whole, not just their ESC, which would leave "[31mERROR[0m" glued to the words. CSI (colours,
# cursor moves), OSC (a window title, a link) up to its BEL or ST on the same line, and the other escapes:
# ESC and one character (ESC 7 and ESC 8 save and restore the cursor, ESC = sets the keypad, ESC c resets),
# or intermediates and a final one (ESC ( B, which tput sgr0 writes after every colour). Only ESC itself was
# dropped of those, leaving "7saved8" and "(B" glued to the words. None of them holds a line break, so line
# numbers stay right.
_TERMINAL_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b\n]{0,512}(?:\x07|\x1b\\)|[ -/]{0,3}[0-~])")


# A zero-width space beside ASCII: Javadoc (Java 11 on) writes one between every method's name and its "(", so a
# signature quoted in an answer ("addParser\u200b(java.lang.String command)") did not compile once pasted. Between
# letters of Thai, Khmer or Myanmar it marks a word's end, and stays.
_GLUED_ZERO_WIDTH = re.compile("(?<=[!-~])\u200b|\u200b(?=[!-~])")


def clean_text(text: str) -> str:
    """``text`` with universal newlines as ``\\n``, the controls above dropped (a lone surrogate becomes
    U+FFFD, so a broken character stays visible) and the odd line separators as spaces."""
    if "\x1b" in text:
        text = _TERMINAL_ESCAPE.sub("", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii():
        # Most text: its controls found by one pass of C over its bytes, not two patterns over its characters.
        if len(text.encode("ascii").translate(None, _ASCII_CONTROLS)) == len(text):
            return text
    if "\u200b" in text:
        text = _GLUED_ZERO_WIDTH.sub("", text)
    if re.search("[\ud800-\udfff]", text):
        text = re.sub("[\ud800-\udfff]", "\ufffd", text)
    elif _DROP_OR_SPACE.search(text) is None:
        return text
    return _SPACE.sub(" ", _DROP.sub("", text))


# A run of this many characters without a space is no word anyone asks about: a pasted image's base64
# (``![plot](data:image/png;base64,iVBOR...)`` in Markdown or a notebook's cell), a hex dump, a line of "="
# three thousand long, a CSV field of one repeated character. Indexed whole, a 30 kB image was 190 chunks of
# gibberish, each embedded (17 s of the vector pass) and each close to every question by meaning: the second
# and third hit of every question in a folder of three short notes beside it.
LONG_RUN = 256
_LONG_RUN = re.compile(rf"\S{{{LONG_RUN},}}")
KEPT = 40  # what is kept of a run: a data URI's type, a URL's host and path, a few of the repeated characters


# Scripts written without spaces between words: Chinese, Japanese (kana, and the CJK punctuation and full-width
# forms they use), Thai, Lao, Khmer, Myanmar, Tibetan. A paragraph of them is one long run; cut, a page of
# Chinese or Thai kept 40 characters of each paragraph. Gibberish (base64, hex, "=" repeated) holds none of them.
_SPACELESS_SCRIPT = re.compile("[\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff\u3000-\u30ff"
                               "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f]")


def shorten_runs(text: str) -> str:
    """``text`` with each run of LONG_RUN or more characters without a space cut to its first KEPT, followed by
    how many characters were left out, unless it is text of a script written without spaces; and each block of
    base64 lines (``_ENCODED_BLOCK``) so cut, its other lines left empty. No line break is added or removed: line
    numbers stay right."""
    # Tried at line starts alone, and given up at a line's first space: 0.01 CPU-s a 2 MB of Markdown and Python.
    if _ENCODED_BLOCK.search(text):
        text = _ENCODED_BLOCK.sub(_cut_block, text)
    if not _may_hold_long_run(text):
        return text
    # A pipe table's delimiter row ("|---|---|", a cell a column) is a run too from 64 columns on: cut, the table lost
    # its header, and the chunker cut its wide rows as text, no value under its column's name (500 columns; probe 36).
    return _LONG_RUN.sub(lambda m: m[0] if spaceless_text(m[0]) or is_delimiter(m[0])
                         else f"{m[0][:KEPT]}… ({len(m[0]) - KEPT:,} characters left out)", text)


def spaceless_text(run: str) -> bool:
    """Whether a run without a space is text of such a script: a quarter of its characters or more (a Chinese
    paragraph holds numbers, Latin names and URLs; a blob of base64 with one such character is still a blob)."""
    return 4 * len(_SPACELESS_SCRIPT.findall(run)) >= len(run)


# A block of base64 wrapped at a fixed width (76 columns in MIME and PEM, 64 in OpenSSH's keys, any in a data URI
# pasted over lines): four lines of 40 characters or more of its alphabet, the last one shorter. Each line is a short
# run, and a 76-column blob in a .txt or .md was read as thousands of chunks of noise (probe 28). Only a block whose
# lines mix capitals, small letters and digits (a line of "/" or "+" is a drawing).
_ENCODED_BLOCK = re.compile(r"^[ \t]*[A-Za-z0-9+/]{40,}={0,2}[ \t]*(?:\n[ \t]*[A-Za-z0-9+/]{40,}={0,2}[ \t]*){3,}"
                            r"(?:\n[ \t]*[A-Za-z0-9+/]{1,39}={0,2}[ \t]*$)?", re.M)


def _cut_block(block: re.Match[str]) -> str:
    text = block[0]
    if len(text) < LONG_RUN or not (re.search("[A-Z]", text) and re.search("[a-z]", text) and re.search("[0-9]", text)):
        return text
    first = text.split("\n", 1)[0]
    kept = first[:len(first) - len(first.lstrip()) + KEPT]
    # the other lines left empty: the text's lines stay where they were
    return f"{kept}… ({len(''.join(text.split())) - KEPT:,} characters left out)" + "\n" * text.count("\n")


def encoded_parts(text: str) -> tuple[int, str]:
    """(the characters but white space of ``text``'s blocks of base64 lines, ``_ENCODED_BLOCK``; its text outside
    them)."""
    chars, outside, at = 0, [], 0
    for block in _ENCODED_BLOCK.finditer(text):
        if _cut_block(block) != block[0]:
            chars += len("".join(block[0].split()))
            outside.append(text[at:block.start()])
            at = block.end()
    return chars, "".join(outside) + text[at:]


_BLOCK = LONG_RUN // 2


def _may_hold_long_run(text: str) -> bool:
    """False when ``text`` holds no run of LONG_RUN characters without a space: such a run covers a whole block of
    LONG_RUN / 2 characters starting at a multiple of it, and a block holding a space or a line break is none. The
    pattern alone tried up to LONG_RUN characters at every character of every file (0.26 CPU-s over the 6.9 MB of
    text of four bench corpora; 0.01 now): most text has a space in every block, and only the rest is searched."""
    for start in range(0, len(text) - _BLOCK + 1, _BLOCK):
        block = text[start:start + _BLOCK]
        if " " not in block and "\n" not in block:
            return True
    return False

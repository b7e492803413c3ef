"""Roff's inline level, as ``man`` prints it: escapes (fonts, sizes, special characters, strings, motions) and the
arguments of a request or macro line. What a page's own ``.ds`` defines is looked up by the caller's ``strings``.

Only what prints is kept: a font change (``\\fB``) or a size (``\\s-1``) is no text, ``\\-`` is a hyphen a user
types ("\\-\\-keep" is ``--keep``, which a question names), ``\\(em`` a dash, ``\\[u00E9]`` the character it names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# groff_char(7)'s names most pages use; the rest of the two-letter names print nothing rather than a wrong glyph.
SPECIAL = {
    "em": "\u2014", "en": "\u2013", "hy": "-", "mi": "-", "bu": "\u2022", "aq": "'", "dq": '"', "lq": "\u201c",
    "rq": "\u201d", "oq": "\u2018", "cq": "\u2019", "ga": "`", "ti": "~", "ha": "^", "rs": "\\", "sl": "/", "ul": "_",
    "ru": "_", "co": "\u00a9", "rg": "\u00ae", "tm": "\u2122", "de": "\u00b0", "mu": "\u00d7", "di": "\u00f7",
    "+-": "\u00b1", "<=": "\u2264", ">=": "\u2265", "!=": "\u2260", "==": "\u2261", "->": "\u2192", "<-": "\u2190",
    "<>": "\u2194", "lh": "\u261c", "rh": "\u261e", "sq": "\u25a1", "ci": "\u25cb", "bv": "|", "ba": "|", "br": "|",
    "or": "|", "at": "@", "sh": "#", "Do": "$", "Eu": "\u20ac", "eu": "\u20ac", "Po": "\u00a3", "Ye": "\u00a5",
    "ct": "\u00a2", "ss": "\u00df", "Fo": "\u00ab", "Fc": "\u00bb", "fo": "\u2039", "fc": "\u203a", "dg": "\u2020",
    "dd": "\u2021", "ps": "\u00b6", "sc": "\u00a7", "fm": "\u2032", "sd": "\u2033", "12": "\u00bd", "14": "\u00bc",
    "34": "\u00be", "if": "\u221e", "pl": "+", "eq": "=", "lB": "[", "rB": "]", "lC": "{", "rC": "}", "la": "\u27e8",
    "ra": "\u27e9", "nb": "", "pc": "\u00b7", "md": "\u22c5", "Bq": "\u201e", "bq": "\u201a", "OK": "\u2713",
    "a\"": "\u02dd", "a-": "\u00af", "a.": "\u02d9", "a^": "^", "aa": "\u00b4", "ab": "\u02d8", "ac": "\u00b8",
    "ad": "\u00a8", "ah": "\u02c7", "ao": "\u02da", "a~": "~", "ho": "\u02db", "r!": "\u00a1", "r?": "\u00bf",
    "'e": "\u00e9", "`e": "\u00e8", "'a": "\u00e1", "`a": "\u00e0", ":u": "\u00fc", ":o": "\u00f6", ":a": "\u00e4",
    ":U": "\u00dc", ":O": "\u00d6", ":A": "\u00c4", "'E": "\u00c9", ",c": "\u00e7", "~n": "\u00f1", "^e": "\u00ea",
}
# The predefined strings of man(7) and mdoc(7) (\*(lq, \*R); a page's own .ds come on top.
STRINGS = {"lq": "\u201c", "rq": "\u201d", "R": "\u00ae", "Tm": "\u2122", "S": "", "HF": "", "Aq": "'", "aq": "'",
           "q": '"', "Lq": "\u201c", "Rq": "\u201d", "Ba": "|", "Ne": "\u2260", "Ge": "\u2265", "Le": "\u2264",
           "Gt": ">", "Lt": "<", "Pm": "\u00b1", "If": "\u221e", "Pi": "\u03c0", "Na": "NaN", "Am": "&", "Sq": "\u2019",
           "Rs": "\\", "Ql": "\u2018", "Qr": "\u2019", "Dq": '"', "parameter": ""}

# Escapes with a delimited argument that prints nothing: motions, widths, marks, device controls (\h'3n', \w'x',
# \X'tty: link', \D'l 1i 0'). \o overstrikes (prints its characters one on another: the first is kept).
_DELIMITED = set("hvwXDbxlLNoZRSAB")
# Escapes with one argument of a name (\fB, \f(CW, \f[CR]), \s a size (\s-1, \s(12, \s[+2]), \n a register, \m a colour.
_NAMED = set("fFmMnkgYVO*$")


def unescape(text: str, strings: Mapping[str, str] | None = None, depth: int = 0) -> str:
    """``text`` as it prints: escapes replaced by what they show. Never raises on a broken escape (a lone ``\\`` at
    the end, an unclosed ``\\[``): what is left is printed as written, as groff warns and goes on."""
    if "\\" not in text:
        return text
    out: list[str] = []
    at, n = 0, len(text)
    while at < n:
        slash = text.find("\\", at)
        if slash < 0:
            out.append(text[at:])
            break
        out.append(text[at:slash])
        at = slash + 1
        if at >= n:
            break
        c = text[at]
        at += 1
        if c in "\\e":
            out.append("\\")
        elif c in "-":
            out.append("-")
        elif c in ".'`":
            out.append({".": ".", "'": "\u00b4", "`": "`"}[c])
        elif c in " ~0t":
            out.append(" ")
        elif c in "&|^%:,/)c{}duparz!?":  # zero-width marks, font corrections, hyphenation points, brace groups
            continue
        elif c == '"' or c == "#":  # a comment to the end of the line
            break
        elif c == "(":
            name = text[at:at + 2]
            at += 2
            out.append(SPECIAL.get(name, ""))
        elif c == "[":
            close = text.find("]", at)
            if close < 0:
                out.append(text[at:])
                break
            out.append(_long_name(text[at:close]))
            at = close + 1
        elif c == "C":  # \C'name'
            name, at = _delimited(text, at)
            out.append(_long_name(name))
        elif c == "s":
            at = _size_end(text, at)
        elif c in _NAMED:
            name, at = _name(text, at)
            if c == "*" and depth < 8:
                value = (strings or {}).get(name, STRINGS.get(name, ""))
                out.append(unescape(value, strings, depth + 1))
        elif c in _DELIMITED:
            argument, at = _delimited(text, at)
            if c == "o":
                out.append(argument[:1])
        else:  # an unknown escape prints its character, as groff does
            out.append(c)
    return "".join(out)


def _long_name(name: str) -> str:
    """The character of a ``\\[name]`` escape: a Unicode one (``u00E9``, ``u0065_0301``), groff's name, or nothing."""
    if name.startswith("u") and len(name) >= 5:
        try:
            return "".join(chr(int(part, 16)) for part in name[1:].split("_"))
        except (ValueError, OverflowError):
            return ""
    return SPECIAL.get(name, "")


def _name(text: str, at: int) -> tuple[str, int]:
    """A name after an escape: one character, two after "(", any after "[" up to "]"."""
    if at >= len(text):
        return "", at
    if text[at] == "(":
        return text[at + 1:at + 3], at + 3
    if text[at] == "[":
        close = text.find("]", at)
        return (text[at + 1:], len(text)) if close < 0 else (text[at + 1:close], close + 1)
    return text[at], at + 1


def _size_end(text: str, at: int) -> int:
    """Where a ``\\s`` size escape ends: \\s0, \\s-1, \\s+2, \\s(12, \\s[+12], \\s'12'."""
    if at < len(text) and text[at] in "+-":
        at += 1
    if at < len(text) and text[at] in "(['":
        if text[at] == "(":
            return at + 3
        close = text.find("]" if text[at] == "[" else "'", at + 1)
        return len(text) if close < 0 else close + 1
    if at < len(text) and text[at].isdigit():  # one digit, or two from 10 to 39 as troff reads "\s12"
        at += 2 if text[at] in "123" and text[at + 1:at + 2].isdigit() else 1
    return at


def _delimited(text: str, at: int) -> tuple[str, int]:
    """The argument of ``\\h'3n'`` and its kin: up to the delimiter repeated (any character, usually ')."""
    if at >= len(text):
        return "", at
    delimiter = text[at]
    close = text.find(delimiter, at + 1)
    return (text[at + 1:], len(text)) if close < 0 else (text[at + 1:close], close + 1)


_SPACE = re.compile(r"[ \t]+")


def arguments(text: str) -> list[str]:
    """A request or macro line's arguments, as roff splits them: at spaces, a quoted one whole (``""`` inside it a
    quote). Escapes are left for ``unescape``: an escaped space (``\\ ``) does not split."""
    args: list[str] = []
    at, n = 0, len(text)
    while at < n:
        while at < n and text[at] in " \t":
            at += 1
        if at >= n:
            break
        if text[at] == '"':
            at += 1
            part: list[str] = []
            while at < n:
                if text[at] == '"':
                    if text[at + 1:at + 2] == '"':
                        part.append('"')
                        at += 2
                        continue
                    at += 1
                    break
                if text[at] == "\\" and at + 1 < n:
                    part.append(text[at:at + 2])
                    at += 2
                    continue
                part.append(text[at])
                at += 1
            args.append("".join(part))
            continue
        start = at
        while at < n and text[at] not in " \t":
            at += 2 if text[at] == "\\" else 1
        args.append(text[start:min(at, n)])
    return args

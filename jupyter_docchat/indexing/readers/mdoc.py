"""mdoc(7)'s macros on a line, as ``man`` prints them: BSD's and OpenSSH's pages write ``.Fl L Oo Ar bind_address :
Oc Ar port`` for "-L [bind_address:]port". Each macro's arguments are words or further macros; punctuation closes up
to the word before it, ``Ns`` joins two words, and the quoting macros (``Op``, ``Dq``, ``Pq``) wrap the rest of the
line, the ``Oo``/``Oc`` kind what lies between them."""

from __future__ import annotations

from collections.abc import Mapping

from jupyter_docchat.indexing.readers.roff_text import unescape

# What the enclosing macros print around their words: the one-line kind (wraps the rest of its line) and the
# open/close pairs.
_WRAPS = {"Op": ("[", "]"), "Pq": ("(", ")"), "Dq": ("\u201c", "\u201d"), "Sq": ("\u2018", "\u2019"),
          "Qq": ('"', '"'), "Aq": ("<", ">"), "Bq": ("[", "]"), "Brq": ("{", "}"), "Ql": ("\u2018", "\u2019"),
          "Eq": ("", "")}
_OPENS = {"Oo": "[", "Po": "(", "Do": "\u201c", "So": "\u2018", "Qo": '"', "Ao": "<", "Bo": "[", "Bro": "{", "Eo": ""}
_CLOSES = {"Oc": "]", "Pc": ")", "Dc": "\u201d", "Sc": "\u2019", "Qc": '"', "Ac": ">", "Bc": "]", "Brc": "}", "Ec": ""}
# Macros that print their words as they are (in a font man's terminal output does not show).
_WORDS = {"Ar", "Cm", "Ic", "Pa", "Va", "Ev", "Er", "Dv", "Fa", "Ft", "Em", "Sy", "Li", "No", "Tn", "Ms", "Vt", "Cd",
          "Mt", "An", "Lb", "Ad", "Sx", "Ot", "Fr", "Bf", "Ef", "Fd", "In", "%A", "%B", "%C", "%D", "%I", "%J",
          "%N", "%O", "%P", "%Q", "%R", "%T", "%U", "%V"}
_SYSTEMS = {"At": "AT&T UNIX", "Bx": "BSD", "Bsx": "BSD/OS", "Dx": "DragonFly", "Fx": "FreeBSD", "Nx": "NetBSD",
            "Ox": "OpenBSD", "Ux": "UNIX"}
# Markers of a line that print nothing themselves.
_SILENT = {"Bk", "Ek", "Tg", "Rs", "Re", "Ud", "Xo", "Xc"}
CALLABLE = (set(_WRAPS) | set(_OPENS) | set(_CLOSES) | _WORDS | set(_SYSTEMS) | _SILENT
            | {"Sm", "Fl", "Nm", "Xr", "Fn", "Fo", "Fc", "Ns", "Ap", "Pf", "Ta", "Lk", "St", "Ex", "Rv", "Nd"})
_PUNCTUATION = {".", ",", ";", ":", ")", "]", "?", "!"}
_STANDARDS = {"-p1003.1": "IEEE Std 1003.1 (\u201cPOSIX.1\u201d)", "-p1003.1-2008": "IEEE Std 1003.1-2008 (\u201cPOSIX.1\u201d)",
              "-p1003.2": "IEEE Std 1003.2 (\u201cPOSIX.2\u201d)", "-isoC": "ISO/IEC 9899:1990 (\u201cISO C90\u201d)",
              "-isoC99": "ISO/IEC 9899:1999 (\u201cISO C99\u201d)", "-ansiC": "ANSI X3.159-1989 (\u201cANSI C89\u201d)",
              "-xpg4": "X/Open Portability Guide Issue 4 (\u201cXPG4\u201d)", "-susv2": "Version 2 of the Single UNIX Specification"}


class _Words:
    """Words joined as mdoc spaces them: punctuation closes up, an opening one opens up, ``Ns`` joins the next."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.glue = True  # no space before the next word
        self.spacing = True  # off between ".Sm off" and ".Sm on": "[bind_address:]port:host:hostport"
        self.space_once = False  # the space before the first word of a line that turns spacing off

    def add(self, word: str, closes: bool = False) -> None:
        if not word:
            return
        if self.parts and not self.glue and not closes and (self.spacing or self.space_once):
            self.parts.append(" ")
        self.space_once = False
        self.parts.append(word)
        self.glue = word in ("(", "[", "{", "\u201c", "\u2018", "<")

    def text(self) -> str:
        return "".join(self.parts)


def render(tokens: list[str], strings: Mapping[str, str], name: str = "") -> str:
    """The words a macro line prints: ``tokens`` its macro and arguments, ``name`` what a bare ``Nm`` prints (the
    page's name)."""
    words = _Words()
    _run(tokens, 0, len(tokens), words, strings, name)
    return words.text()


def _run(tokens: list[str], at: int, end: int, words: _Words, strings: Mapping[str, str], name: str) -> None:
    """Prints ``tokens[at:end]``: a macro by its rule, any other token as a word."""
    while at < end:
        if tokens[at] in CALLABLE:
            at = _call(tokens, at, end, words, strings, name)
        else:
            _word(tokens[at], words, strings)
            at += 1


def _word(token: str, words: _Words, strings: Mapping[str, str]) -> None:
    if token in _PUNCTUATION:
        words.add(token, closes=True)
    else:
        words.add(unescape(token, strings))


def _call(tokens: list[str], at: int, end: int, words: _Words, strings: Mapping[str, str], name: str) -> int:
    """Prints the macro at ``tokens[at]`` with its arguments; where the reading goes on."""
    macro, at = tokens[at], at + 1
    if macro in _WRAPS:  # the rest of the line, less the punctuation that closes it
        last = end
        while last > at and tokens[last - 1] in _PUNCTUATION:
            last -= 1
        inner = _Words()
        _run(tokens, at, last, inner, strings, name)
        opening, closing = _WRAPS[macro]
        words.add(opening + inner.text() + closing)
        for mark in tokens[last:end]:
            words.add(mark, closes=True)
        return end
    stop = at
    while stop < end and tokens[stop] not in CALLABLE:
        stop += 1
    args = tokens[at:stop]
    trailing: list[str] = []
    while args and args[-1] in _PUNCTUATION:
        trailing.insert(0, args.pop())
    said = [unescape(arg, strings) for arg in args]
    if macro in _OPENS:
        words.add(_OPENS[macro])
        words.glue = True
        for arg in args:
            _word(arg, words, strings)
    elif macro in _CLOSES:
        words.add(_CLOSES[macro], closes=True)
    elif macro == "Sm":
        words.spacing = said[:1] != ["off"] if said else not words.spacing
        words.space_once = not words.spacing
    elif macro == "Fl":
        for flag in [f"-{arg}" for arg in said] or ["-"]:
            words.add(flag)
    elif macro == "Nm":
        words.add(" ".join(said) or name)
    elif macro == "Xr":
        words.add(f"{said[0]}({said[1]})" + " ".join(said[2:]) if len(said) >= 2 else " ".join(said))
    elif macro == "Fn":
        words.add(said[0] + "(" + ", ".join(said[1:]) + ")" if said else "")
    elif macro == "Fo":
        words.add(said[0] + "(" if said else "")
        words.glue = True
    elif macro == "Fc":
        words.add(")", closes=True)
    elif macro == "Ns":
        words.glue = True
        for arg in args:
            _word(arg, words, strings)
    elif macro == "Ap":
        words.add("'", closes=True)
        words.glue = True
        for arg in args:
            _word(arg, words, strings)
    elif macro == "Pf":
        if said:
            words.add(said[0])
            words.glue = True
        for word in said[1:]:
            words.add(word)
    elif macro == "Ta":
        words.add("|")
        for arg in args:
            _word(arg, words, strings)
    elif macro == "Lk":
        words.add((" ".join(said[1:]) + f" <{said[0]}>") if len(said) > 1 else "".join(said))
    elif macro == "St":
        words.add(" ".join(_STANDARDS.get(arg, word) for arg, word in zip(args, said)))
    elif macro == "Ex":
        words.add(f"The {' '.join(w for w in said if w != '-std') or name} utility exits 0 on success, and >0 if "
                  "an error occurs.")
    elif macro == "Rv":
        called = " ".join(w + "()" for w in said if w != "-std") or name + "()"
        words.add(f"The {called} function returns the value 0 if successful; otherwise the value -1 is returned and "
                  "the global variable errno is set to indicate the error.")
    elif macro == "Nd":
        words.add("\u2014 " + " ".join(said))
    elif macro in _SYSTEMS:
        words.add(_SYSTEMS[macro] + "".join(" " + word for word in said))
    elif macro not in _SILENT:  # the macros that print their words
        for arg in args:
            _word(arg, words, strings)
    for mark in trailing:
        words.add(mark, closes=True)
    return stop

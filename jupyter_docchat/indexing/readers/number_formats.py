"""A number as a spreadsheet shows it under its cell's number format (Excel's format codes, as .xlsx files store
them): a growth of 0.125 formatted "0.0%" is "12.5%" on the sheet, and a question about it quotes "12.5%", not 0.125.

The common families are rendered: percent, fixed decimals ("0.00" shows 3.1 as "3.10"), thousands separators, currency
and other literal text around the number ("$"#,##0.00, #,##0.00 "€", [$€-407]), scientific ("0.00E+00") and
fractions ("# ?/?"), with a format's sections for negatives and zero (one of text alone: the accounting formats' "-"),
and conditions such as [>=1000] on values not negative; and a time of day or a duration ("h:mm", "[h]:mm", "mm:ss":
``clock``). Anything else (dates, which calamine reads as dates; "General"; text; digits split by literals, as a phone
number's "000-0000") is not rendered: ``shown`` returns None and the cell keeps the text it had without its format. Separators are Excel's
en-US ones: the file stores the format, not the locale of the machine it is shown on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache

# Excel's built-in formats (ECMA-376 18.8.30) that are numbers; ids 5-8 and 41-44 as en-US Excel shows them.
BUILTIN = {
    1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
    5: '"$"#,##0_);\\("$"#,##0\\)', 6: '"$"#,##0_);[Red]\\("$"#,##0\\)',
    7: '"$"#,##0.00_);\\("$"#,##0.00\\)', 8: '"$"#,##0.00_);[Red]\\("$"#,##0.00\\)',
    9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
    37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)",
    41: '_(* #,##0_);_(* \\(#,##0\\);_(* "-"_);_(@_)', 42: '_("$"* #,##0_);_("$"* \\(#,##0\\);_("$"* "-"_);_(@_)',
    43: '_(* #,##0.00_);_(* \\(#,##0.00\\);_(* "-"??_);_(@_)',
    44: '_("$"* #,##0.00_);_("$"* \\(#,##0.00\\);_("$"* "-"??_);_(@_)',
    48: "##0.0E+0",
}
# Excel's built-in date and time formats: calamine reads their cells as dates.
BUILTIN_DATES = frozenset({*range(14, 23), *range(45, 48)})

# A format's pieces: a quoted literal, an escaped character, a padding (_x) or fill (*x) character, a bracket ([Red],
# [$€-407], [>100]), or one character.
_TOKEN = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]|.', re.S)
_DATE_LETTERS = frozenset("yYmMdDhHsSeEbBgG")
_PLACEHOLDERS = frozenset("0#?")


@dataclass(frozen=True)
class _Section:
    prefix: str
    suffix: str
    number: str  # the placeholders: "#,##0.00", "0.0E+00", "# ?/?"
    percent: int  # how many % (each multiplies by 100)
    condition: tuple[str, float] | None = None  # [>=1000]: the comparison and its number


# A section's condition: [>=1000], [<0.5], [=0], [<>1E+3]
_CONDITION = re.compile(r"\[(<=|>=|<>|<|>|=)\s*(-?\d+(?:\.\d*)?(?:[Ee][+-]?\d+)?)\]")
_COMPARE = {"<": float.__lt__, ">": float.__gt__, "=": float.__eq__, "<=": float.__le__, ">=": float.__ge__,
            "<>": float.__ne__}


def is_date(code: str) -> bool:
    """Whether a format code shows a date or a time (its y, m, d, h or s outside quotes and brackets)."""
    for token in _TOKEN.findall(code):
        if len(token) == 1 and token in _DATE_LETTERS:
            if token in "eE" and _after_placeholder(code, token):
                continue  # 0.00E+00 is scientific, not a year
            return True
        if token[:2] in ("[h", "[m", "[s", "[H", "[M", "[S"):  # elapsed time: [h]:mm:ss
            return True
    return False


def _after_placeholder(code: str, letter: str) -> bool:
    at = code.find(letter)
    return at > 0 and code[at - 1] in "0#?." and code[at + 1:at + 2] in "+-"


def shown(code: str, value: float) -> str | None:
    """``value`` under the format ``code``, or None for a format not rendered here."""
    sections = _parsed(code)
    if not sections or value != value or value in (float("inf"), float("-inf")):
        return None
    if sections[0] is not None and sections[0].condition:
        return _conditional(sections, value)
    if any(section is not None and section.condition for section in sections):
        return None  # a condition after an unconditioned first section: no rule of Excel's to pick by
    if value < 0 and len(sections) >= 2:
        section, value, sign = sections[1], -value, ""
    elif value == 0 and len(sections) >= 3:
        section, sign = sections[2], ""
    else:
        section, sign = sections[0], "-" if value < 0 else ""
        value = abs(value)
    if section is None:
        return None
    number = _number(section, value)
    if number is None:
        return None
    if sign and not any(ch in "123456789" for ch in number):
        sign = ""  # -0.001 under "0.00" shows "0.00", as Excel does
    return f"{sign}{section.prefix}{number}{section.suffix}".strip()


def _conditional(sections: tuple[_Section | None, ...], value: float) -> str | None:
    """``value`` under a format whose first section has a condition ("[>=1000]#,##0,"K";0" shows 1500 as "2K" and
    15 as "15", where the sheet read "1500"; probe 38): the first section whose condition the value meets, else the
    next unconditioned one, as Excel picks. A negative value is not rendered (where Excel puts its minus sign then
    depends on the sections), nor one no section takes (Excel fills the cell with #)."""
    if value < 0:
        return None
    chosen: _Section | None = None
    for section in sections:
        if section is None:
            return None
        if section.condition is None or _COMPARE[section.condition[0]](float(value), section.condition[1]):
            chosen = section
            break
    if chosen is None:
        return None
    number = _number(chosen, value)
    return None if number is None else f"{chosen.prefix}{number}{chosen.suffix}".strip()


@lru_cache(maxsize=256)
def _parsed(code: str) -> tuple[_Section | None, ...]:
    """The format's sections (positive, negative, zero; the text section dropped); () when the format is not one
    this module renders, a None section when that one alone is not."""
    if not code or code.strip().lower() == "general" or is_date(code):
        return ()
    sections: list[list[str]] = [[]]
    for token in _TOKEN.findall(code):
        if token == ";":
            sections.append([])
        else:
            sections[-1].append(token)
    out = tuple(_section(tokens, literal=n > 0) for n, tokens in enumerate(sections[:3]))
    return out if out and out[0] is not None else ()


def _section(tokens: list[str], literal: bool = False) -> _Section | None:
    """A section's pieces; None when it is not rendered here. ``literal``: a negative or zero section of text alone
    shows that text: Excel's accounting formats (built-in 41-44, and "#,##0;(#,##0);-") show a zero as "-", where the
    sheet read "0" (probe 38); an empty one (";;" hides the value) is not rendered, so the value is kept."""
    prefix: list[str] = []
    number: list[str] = []
    suffix: list[str] = []
    percent = 0
    condition = None
    for at, token in enumerate(tokens):
        if token.startswith("[") and token[1:2] in "<>=":
            match = _CONDITION.fullmatch(token)
            if match is None or condition is not None:
                return None
            condition = (match[1], float(match[2]))
            literal = True  # [=0]"none": a conditioned section of text shows it
            continue
        if token == "@":
            return None  # a text section
        percent += token == "%"
        part = token in _PLACEHOLDERS or token in ".,/" or (
            token in "Ee" and at + 1 < len(tokens) and tokens[at + 1] in "+-") or (
            token in "+-" and at and tokens[at - 1] in "Ee") or (
            token.isdigit() and "/" in "".join(number) and not suffix)  # a fixed denominator: # ?/8
        if not part and token == " " and number and "/" in "".join(tokens[at:]) and "/" not in "".join(number):
            part = True  # the space between a fraction's whole part and its fraction: # ?/?
        if part:
            if suffix:
                return None  # digits split by literals (a phone number's 000-0000)
            number.append(token)
        else:
            (suffix if number else prefix).append(_literal(token))
    text = "".join(number)
    if not any(ch in _PLACEHOLDERS for ch in text):
        shows = "".join(prefix + suffix).strip()
        return _Section(shows, "", "", 0, condition) if literal and shows and not text else None
    return _Section("".join(prefix), "".join(suffix), text, percent, condition)


def _literal(token: str) -> str:
    """What a token that is not part of the number shows."""
    if token.startswith('"'):
        return token[1:-1]
    if token.startswith("\\"):
        return token[1:]
    if token.startswith("_"):
        return " "  # padding as wide as the character: a space, stripped at the ends
    if token.startswith("*"):
        return ""  # fill to the column's width
    if token.startswith("[$"):  # a currency and locale: [$€-407] shows €; [$-409] nothing
        return token[2:-1].split("-", 1)[0]
    if token.startswith("["):
        return ""  # a colour: [Red]
    return token


def _number(section: _Section, value: float) -> str | None:
    text = section.number
    if not text:
        return ""  # a section of text alone
    value *= 100 ** section.percent
    if "/" in text:
        return _fraction(text, value)
    exponent = re.search(r"[Ee]([+-])", text)
    if exponent:
        return _scientific(text[:exponent.start()], exponent.group(1), text[exponent.end():], value)
    whole, point, decimals = text.partition(".")
    # Commas after the last digit scale by a thousand each: #,##0, shows thousands, and so does 0.0, after the decimals
    # ("0.0,,"M"" shows 2500000 as "2.5M", where the sheet read "2500000.0M"; probe 38).
    stripped = whole.rstrip(",")
    scale = len(whole) - len(stripped)
    scale += len(decimals) - len(decimals.rstrip(","))
    decimals = decimals.rstrip(",")
    value /= 1000 ** scale
    places = sum(ch in _PLACEHOLDERS for ch in decimals)
    digits = _rounded(value, places)
    if digits is None:
        return None
    integer, _, fraction = digits.partition(".")
    required = decimals.count("0")  # 0.0# shows 1.5 as "1.5" and 1.25 as "1.25"
    while len(fraction) > required and fraction.endswith("0"):
        fraction = fraction[:-1]
    integer = integer.lstrip("0").rjust(stripped.count("0"), "0")
    if "," in stripped and integer:
        integer = f"{int(integer):,}"
    return f"{integer}{point}{fraction}"


def _rounded(value: float, places: int) -> str | None:
    """``value`` to ``places`` decimals, half away from zero from its 15 significant digits, as Excel rounds."""
    try:
        exact = Decimal(format(value, ".15g"))
        return format(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), "f")
    except (InvalidOperation, ValueError):
        return None


def _scientific(mantissa: str, sign: str, exponent: str, value: float) -> str | None:
    """Scientific (0.00E+00) or engineering (##0.0E+0: the exponent a multiple of the whole part's digits), in
    decimal from the value's 15 digits: a float's 10 ** -324 is 0."""
    decimals = sum(ch in _PLACEHOLDERS for ch in mantissa.partition(".")[2])
    whole = max(1, sum(ch in _PLACEHOLDERS for ch in mantissa.partition(".")[0]))
    try:
        exact = Decimal(format(value, ".15g"))
        step = Decimal(1).scaleb(-decimals)
        power = exact.adjusted() if exact else 0
        for _ in range(2):  # again when rounding carries: 9.996 to two decimals is 1.00E+01
            power -= power % whole if whole > 1 else 0
            digits = exact.scaleb(-power).quantize(step, rounding=ROUND_HALF_UP)
            if digits.adjusted() < whole:
                break
            power += whole
    except (InvalidOperation, ValueError):
        return None
    mark = "+" if power >= 0 and sign == "+" else ("-" if power < 0 else "")
    width = sum(ch in _PLACEHOLDERS for ch in exponent)
    return f"{format(digits, 'f')}E{mark}{abs(power):0{max(width, 1)}d}"


def _fraction(text: str, value: float) -> str | None:
    match = re.fullmatch(r"(?:([#0?,]+) +)?([#0?]+)/([#0?]+|[0-9]+)", text.strip())
    if not match:
        return None
    whole_part, _, below = match.groups()
    if below.isdigit():
        denominator = int(below)
        if not denominator:
            return None
        whole = int(value) if whole_part else 0
        numerator = round((value - whole) * denominator)  # "?/4" shows 2.5 as 10/4, "# ?/4" as 2 2/4
        if whole_part and numerator == denominator:
            whole, numerator = whole + 1, 0
        return str(whole) if not numerator else (f"{whole} " if whole else "") + f"{numerator}/{denominator}"
    limit = 10 ** len(below) - 1
    whole = int(value) if whole_part else 0
    near = Fraction(value - whole).limit_denominator(limit)
    if near == 1:
        whole, near = whole + 1, Fraction(0)
    if not near:
        return str(whole)
    return (f"{whole} " if whole else "") + f"{near.numerator}/{near.denominator}"


# Excel's built-in time formats (ECMA-376 18.8.30) as en-US Excel shows them: a time of day or a duration, no date.
BUILTIN_TIMES = {18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 45: "mm:ss", 46: "[h]:mm:ss",
                 47: "mm:ss.0"}
_CLOCK_UNITS = {"h": 3600, "m": 60, "s": 1}


def is_time(code: str) -> bool:
    """Whether a format shows a time of day or a duration and no date: h, m and s, no y, d or month name."""
    if not is_date(code):
        return False
    letters = "".join(t for t in _TOKEN.findall(code.split(";")[0]) if len(t) == 1 and t in _DATE_LETTERS)
    return not any(ch in letters for ch in "yYdDbBgGeE")


def clock(code: str, days: float) -> str | None:
    """A serial (``days``) under a time format, as Excel shows it: "[h]:mm" shows 1.5 as "36:00", "h:mm" as
    "12:00", "mm:ss" 0.0104166 (899.99 s) as "15:00". The time is rounded to the smallest part shown (a second, or
    its tenths under "ss.0"), then each part is cut, not rounded: 12:00:40 under "h:mm" is "12:00". None for what is
    not rendered here: a negative time (Excel shows #####), an "m" that is a month (not beside h or s)."""
    if days != days or days < 0 or days > 10 ** 7:
        return None
    parts = _clock_parts(code)
    return None if parts is None else _clock_text(list(parts), days)


@lru_cache(maxsize=256)
def _clock_parts(code: str) -> tuple[tuple[str, str], ...] | None:
    """A time format's pieces, parsed once for a column of cells; None when it is not rendered here."""
    tokens = _TOKEN.findall(code.split(";")[0])
    parts: list[tuple[str, str]] = []  # (kind, text): "h" "m" "s" "[h]" "f" (fraction) "ampm" or a literal
    n = 0
    while n < len(tokens):
        token = tokens[n]
        lower = token.lower()
        for marks in ("am/pm", "a/p"):  # a 12-hour clock's marks, as the code writes their case
            if "".join(tokens[n:n + len(marks)]).lower() == marks:
                parts.append(("ampm", "".join(tokens[n:n + len(marks)])))
                n += len(marks)
                break
        else:
            marks = ""
        if marks:
            continue
        if len(token) == 1 and lower in "hms":
            run = 1
            while n + run < len(tokens) and tokens[n + run].lower() == lower:
                run += 1
            parts.append((lower, str(run)))
            n += run
            continue
        if re.fullmatch(r"\[(h+|m+|s+)\]", lower):
            parts.append(("[" + lower[1] + "]", str(len(lower) - 2)))
        elif token == "." and parts and parts[-1][0] == "s" and n + 1 < len(tokens) and tokens[n + 1] == "0":
            run = 0
            while n + 1 + run < len(tokens) and tokens[n + 1 + run] == "0":
                run += 1
            parts.append(("f", str(min(run, 3))))
            n += 1 + run
            continue
        elif token in _PLACEHOLDERS or token == "@" or (token.startswith("[") and token[1:2] in "<>="):
            return None
        else:
            parts.append(("", _literal(token)))
        n += 1
    return tuple(parts)


def _clock_text(parts: list[tuple[str, str]], days: float) -> str | None:
    # An "m" is minutes beside an h or an s (Excel's rule), else a month: not a time
    kinds = [kind for kind, _ in parts if kind]
    for at, kind in enumerate(kinds):
        if kind == "m" and not ((at and kinds[at - 1] in ("h", "[h]")) or (at + 1 < len(kinds)
                                                                             and kinds[at + 1] in ("s", "[s]"))):
            return None
    if not any(kind in ("h", "m", "s", "[h]", "[m]", "[s]") for kind in kinds):
        return None
    places = max((int(text) for kind, text in parts if kind == "f"), default=0)
    total = Decimal(format(days, ".15g")) * 86400
    step = Decimal(1).scaleb(-places)
    total = total.quantize(step, rounding=ROUND_HALF_UP)
    whole = int(total)
    fraction = total - whole
    # The largest unit shown counts all of the time (elapsed, or the first of "mm:ss"); the others what is left of it
    top = next((kind.strip("[]") for kind in kinds if kind in ("[h]", "[m]", "[s]")), None)
    twelve = "ampm" in kinds
    out = []
    for kind, text in parts:
        if kind == "ampm":
            afternoon = whole // 3600 % 24 >= 12
            first, _, second = text.partition("/")
            out.append(second if afternoon else first)
        elif kind == "h" and twelve:
            out.append(f"{(whole // 3600 % 12) or 12:0{min(int(text), 2)}d}")
        elif kind in ("h", "m", "s", "[h]", "[m]", "[s]"):
            unit = kind.strip("[]")
            size = _CLOCK_UNITS[unit]
            if kind.startswith("[") or unit == top:
                value = whole // size
            elif unit == "h":
                value = whole // 3600 % 24
            else:
                value = whole // size % 60
            width = int(text) if int(text) > 1 else 1
            out.append(f"{value:0{min(width, 2)}d}")
        elif kind == "f":
            digits = format(fraction, "f").partition(".")[2].ljust(int(text), "0")[:int(text)]
            out.append("." + digits)
        else:
            out.append(text)
    return "".join(out).strip()

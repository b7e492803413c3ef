"""What an .xlsx cell's number format makes of its value, read beside calamine (which gives the value alone): the
workbook's styles (xl/styles.xml: each cell style's number format; workbookPr date1904), and in each sheet's XML the
cells whose style formats a number (percent, currency, decimals: number_formats), a time or duration (shown from its
serial by number_formats.clock: calamine reads "h:mm" as a date and time, "[h]:mm" as a duration with seconds) or a date.

Dates are calamine's, but for the serials it reads wrong: in the 1900 system serial 0 (Excel shows 1900-01-00), a
fraction of a day under a date format, and serial 60 (Excel's 1900-02-29, a day that never was: calamine gives
1900-02-28, the day before, a wrong date); in the 1904 system serial 0 is 1904-01-01 (calamine gives a time); and a
negative serial, which Excel shows as ##### and calamine as midnight, is named as what it is. Those cells' text is
fixed here; the others keep calamine's date.

A sheet's formats are held as runs of rows in each column (a column of a million percentages is one run), not cell by
cell: the XML is read a block at a time beside the sheet's extent (sheets._extent), so the cost stays that of a regex.
"""

from __future__ import annotations

import bisect
import datetime
import re
import zipfile
from dataclasses import dataclass, field

from jupyter_docchat.indexing.readers.base import UnreadableFile
from jupyter_docchat.indexing.readers.number_formats import BUILTIN, BUILTIN_DATES, BUILTIN_TIMES, is_date, is_time, shown
from jupyter_docchat.indexing.readers.package_xml import part_xml

_STYLES = "xl/styles.xml"


def _letters_shown(letters: str) -> re.Pattern[str]:
    """A format code's ``letters`` as the code shows them: outside its quoted text, escapes and [brackets] (group 1)."""
    return re.compile(rf'"[^"]*"|\\.|\[[^\]]*\]|([{letters}])')


_DATE_PART = _letters_shown("yYdD")  # a date format's day or year, not a time's alone
# A value a date cell of a block may hold that calamine reads wrong: negative, below 1, 60, a tiny exponent.
_SMALL_SERIAL = re.compile(rb"<v>(?:-|0|60[.<]|[0-9.]+[eE]-)")
_CLOCK = _letters_shown("hH")
_SECONDS = _letters_shown("sS")


@dataclass(frozen=True)
class BookStyles:
    """A workbook's cell styles (their index in cellXfs) that format a number -> the format's code, and those that
    show a date with a day (their codes too: a time's "h:mm" is read right by calamine)."""

    numbers: dict[int, str]
    dates: dict[int, str]
    date1904: bool = False


def read_styles(package: zipfile.ZipFile) -> BookStyles | None:
    """The workbook's styles, or None when no cell style formats a number or date this module renders."""
    try:
        styles, book = part_xml(package, _STYLES), part_xml(package, "xl/workbook.xml")
    except UnreadableFile:  # parts that do not parse safely (a billion laughs): the values as calamine gives them
        return None
    if styles is None or book is None:
        return None
    date1904 = any(pr.get("date1904", "0").lower() in ("1", "true") for pr in book.iter("{*}workbookPr"))
    codes: dict[int, str] = {}
    for fmt in styles.iter("{*}numFmt"):
        try:
            codes[int(fmt.get("numFmtId", ""))] = fmt.get("formatCode", "")
        except ValueError:
            continue
    formats: list[int] = []
    for xfs in styles.iter("{*}cellXfs"):
        for xf in xfs.iterfind("{*}xf"):
            try:
                formats.append(int(xf.get("numFmtId", "0")))
            except ValueError:
                formats.append(-1)  # no format: the style keeps its place in the list
        break
    return book_styles(formats, codes, date1904)


def book_styles(formats: list[int], codes: dict[int, str], date1904: bool) -> BookStyles | None:
    """The styles of a workbook whose cell styles have the number formats ``formats`` (by the style's index; a
    format's number, built in or one of ``codes``, the workbook's own): what read_styles gives, for an .xlsx's
    styles.xml, an .xlsb's styles.bin or an .xls's FORMAT and XF records alike. None when none is rendered here."""
    codes = BUILTIN | codes
    numbers: dict[int, str] = {}
    dates: dict[int, str] = {}
    for index, number in enumerate(formats):
        code = codes.get(number, "") or BUILTIN_TIMES.get(number, "")
        if code and is_time(code):
            # A time of day or a duration, no date: shown here from its serial (number_formats.clock); calamine
            # gave "1900-01-01 12:00" for 1.5 under "h:mm", "36:00:00" under "[h]:mm", and the date fix below
            # "1900-01-00" for a quarter hour under a built-in [h]:mm:ss (probe 38)
            numbers[index] = code
        elif number in BUILTIN_DATES or (code and is_date(code)):
            if number in BUILTIN_DATES or _has(_DATE_PART, code):
                dates[index] = code or "yyyy-mm-dd"
        elif code and shown(code, 1.0) is not None:
            numbers[index] = code
    if not numbers and not dates:
        return None
    return BookStyles(numbers, dates, date1904)


def _has(pattern: re.Pattern[str], code: str) -> bool:
    return any(match.group(1) for match in pattern.finditer(code))


@dataclass
class SheetFormats:
    """A sheet's formatted cells, read from its XML a block at a time (``scan``)."""

    styles: BookStyles
    # column (from 0) -> runs of rows: their first rows, last rows and format codes, in row order
    starts: dict[int, list[int]] = field(default_factory=dict)
    ends: dict[int, list[int]] = field(default_factory=dict)
    codes: dict[int, list[str]] = field(default_factory=dict)
    fixed: dict[tuple[int, int], str] = field(default_factory=dict)  # (row from 1, column from 0) -> text
    _numbers: re.Pattern[bytes] | None = None
    _dates: re.Pattern[bytes] | None = None

    def __post_init__(self) -> None:
        if self.styles.numbers:
            ids = b"|".join(str(i).encode() for i in sorted(self.styles.numbers))
            self._numbers = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*?\ss="(' + ids + rb')"')
        if self.styles.dates:
            ids = b"|".join(str(i).encode() for i in sorted(self.styles.dates))
            # Only the serials calamine reads wrong: negative, below 1, and 60 (1900's 29 February)
            self._dates = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"([^>]*?)\ss="(' + ids + rb')"([^>]*)>'
                                     rb'(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)?'
                                     rb'<v>(-[0-9.eE+-]+|0(?:\.[0-9]*)?|60(?:\.[0-9]*)?|[0-9.]+[eE]-[0-9]+)</v>')

    def scan(self, text: bytes) -> None:
        """The formatted cells of ``text``, a block of the sheet's XML cut before a tag."""
        if self._numbers is not None:
            for letters, row, style in self._numbers.findall(text):
                self._add(int(row), column_number(letters) - 1, self.styles.numbers[int(style)])
        if self._dates is not None and _SMALL_SERIAL.search(text):  # most blocks hold none: searched as a whole first
            for letters, row, before, style, after, value in self._dates.findall(text):
                if b't="' in before + after and b't="n"' not in before + after:
                    continue  # text, a truth value or an error under a date format
                text_ = _date_text(float(value), self.styles.dates[int(style)], self.styles.date1904)
                if text_ is not None:
                    self.fixed[(int(row), column_number(letters) - 1)] = text_

    def cell(self, row: int, column: int, style: int, value: float) -> None:
        """A number cell of a binary sheet's records (row from 1, column from 0; ``style``, its style's index), as
        ``scan`` reads an .xlsx's XML: its format kept if rendered here, its text fixed if a date calamine reads
        wrong."""
        if (code := self.styles.numbers.get(style)) is not None:
            self._add(row, column, code)
        elif (code := self.styles.dates.get(style)) is not None \
                and (text := _date_text(value, code, self.styles.date1904)) is not None:
            self.fixed[(row, column)] = text

    def _add(self, row: int, column: int, code: str) -> None:
        starts = self.starts.setdefault(column, [])
        ends, codes = self.ends.setdefault(column, []), self.codes.setdefault(column, [])
        if starts and codes[-1] == code and ends[-1] + 1 >= row >= starts[-1]:
            ends[-1] = max(ends[-1], row)
            return
        if starts and row <= ends[-1]:  # rows out of order (rare writers): keep the runs sorted
            at = bisect.bisect_right(starts, row)
            starts.insert(at, row)
            ends.insert(at, row)
            codes.insert(at, code)
            return
        starts.append(row)
        ends.append(row)
        codes.append(code)

    def code(self, row: int, column: int) -> str | None:
        """The number format of the cell at ``row`` (from 1) and ``column`` (from 0), if it has one rendered here."""
        starts = self.starts.get(column)
        if not starts:
            return None
        at = bisect.bisect_right(starts, row) - 1
        if at >= 0 and self.ends[column][at] >= row:
            return self.codes[column][at]
        return None


def _date_text(serial: float, code: str, date1904: bool) -> str | None:
    """What a date format shows of a serial calamine reads wrong; None for the others."""
    if serial < 0:
        return f"{serial:g} (a date before {1904 if date1904 else 1900}: Excel shows #####)"
    day, fraction = divmod(serial, 1)
    if date1904:
        if day != 0:
            return None
        date = "1904-01-01"
    elif day == 0:
        date = "1900-01-00"  # Excel's day 0
    elif day == 60:
        date = "1900-02-29"  # Excel keeps Lotus 1-2-3's leap day of 1900
    else:
        return None
    if not _has(_CLOCK, code):
        return date
    seconds = round(fraction * 86400)
    clock = datetime.time(min(seconds // 3600, 23), seconds // 60 % 60, seconds % 60)
    return f"{date} {clock.isoformat(timespec='seconds' if _has(_SECONDS, code) else 'minutes')}"


def column_number(letters: bytes) -> int:
    """A column's number, from 1, by its letters in a cell's reference (b"A" 1, b"AB" 28)."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number

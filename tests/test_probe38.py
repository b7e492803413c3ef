"""Probe 38: an outside user's sweep of saved mail, transcripts, workbooks' number formats, HTML gutters and a model
server that ends its stream early. Each test walks what a user did, with the real readers, a real IPython shell, a
real store and a real HTTP server on 127.0.0.1.

1. A mailbox whose body holds a line "From here on ..." (unescaped, as many exports leave it) after a blank line cut
   the message there: its line was lost and every later message cited a number late ("message 3" for the second).
2. A UTF-8 text file attached under the mail client's default label "charset=iso-8859-1" read "cafÃ© â€”".
3. A SubRip file whose cues lack the blank line between them read each counter into the cue above ("& friends 2").
4. Workbook formats: an accounting zero ("-"), a negative or zero section of text alone ("zero"), a condition
   ([>=1000]#,##0,"K" shows 1500 as "2K") and a scale after decimals (0.0,,"M" shows 2500000 as "2.5M") read
   otherwise than Excel and LibreOffice show them.
   Time formats: "[h]:mm" showed 1.5 as "36:00:00" (Excel: "36:00"), "h:mm" as "1900-01-01 12:00" (Excel: "12:00"),
   "mm:ss" likewise, and a quarter hour under the built-in [h]:mm:ss or mm:ss as the date "1900-01-00" (Excel: "0:15:00",
   "15:00").
5. Years or counts in a <pre> beside a command ("2019 2020 2021", "17" "18") were dropped as a line-number gutter.
6. A generic member's signature ("pub fn retain<F>(&mut self, f: F)") did not name it: its description was quoted
   without the name.
7. A model server that closed its stream mid-answer without an error ("The axolotl is ") gave a whole answer, kept in
   the history.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import threading
from email.header import Header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import ask, run_cell
from sheetgen import xlsx_bytes

from jupyter_docchat import DocIndex
from jupyter_docchat.errors import DocChatError
from jupyter_docchat.indexing.readers import read_sections
from jupyter_docchat.indexing.readers.html import html_sections
from jupyter_docchat.indexing.readers.number_formats import BUILTIN, BUILTIN_TIMES, clock, shown
from jupyter_docchat.indexing.readers.transcript import parse_cues
from jupyter_docchat.qa.answer_units import member_name

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# 1. A mailbox's body line starting "From "

def _box(newline: str) -> bytes:
    messages = []
    for n in range(3):
        messages.append(f"From sender{n}@example.org Mon Dec  7 10:00:0{n} 2026\nFrom: s{n}@example.org\n"
                        f"Subject: minutes {n}\n\nThe board met on day {n}.\n\nFrom here on it is body text {n}.\n\n"
                        f"From 2019 to 2021 we grew {n} times.\n\n")
    return "".join(messages).replace("\n", newline).encode()


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_body_line_starting_with_from_after_a_blank_line_starts_no_message(newline: str) -> None:
    sections = read_sections(Path("board.mbox"), _box(newline))
    assert [s.page for s in sections] == [1, 2, 3]
    assert [s.heading for s in sections] == [f"board.mbox > minutes {n}" for n in range(3)]
    for n, section in enumerate(sections):
        assert f"From here on it is body text {n}." in section.text
        assert f"From 2019 to 2021 we grew {n} times." in section.text


BODY_LINES = st.lists(st.one_of(st.just(""), st.text(st.sampled_from("ab 01:.@"), max_size=30).map(lambda t: "From " + t),
                                st.text(st.sampled_from("ab 01:."), max_size=30).map(lambda t: "said " + t)), max_size=8)


@PROPERTY
@given(bodies=st.lists(BODY_LINES, min_size=1, max_size=5), newline=st.sampled_from(["\n", "\r\n"]))
@example(bodies=[["", "From 10:00 on", "", "From a@b Mon Dec  7 10:00:00 2026"]], newline="\n")
def test_body_lines_starting_with_from_never_split_a_message(bodies: list[list[str]], newline: str) -> None:
    """Whatever "From " lines a body holds, blank lines before them or clock times in them: a mailbox of N messages
    is N sections, numbered 1 to N, each holding its body's lines."""
    data = "".join(f"From x@example.org Mon Jan  1 00:00:0{n % 10} 2001\nSubject: m{n}\n\nstart {n}\n"
                   + "\n".join(body) + "\n\n" for n, body in enumerate(bodies)).replace("\n", newline).encode()
    sections = read_sections(Path("box.mbox"), data)
    assert [s.page for s in sections] == list(range(1, len(bodies) + 1))
    for section, body in zip(sections, bodies, strict=True):
        for line in body:
            assert " ".join(line.split()) in " ".join(section.text.split())


def test_a_mailbox_of_five_thousand_messages_each_its_number(tmp_path: Path) -> None:
    data = b"".join(b"From s@x Mon Dec  7 10:00:00 2026\nFrom: s%d@x\nSubject: tiny %d\n\nFrom word%d on.\n\n"
                    % (n, n, n) for n in range(5000))
    sections = read_sections(Path("big.mbox"), data)
    assert len(sections) == 5000
    assert sections[4321].page == 4322 and "From word4321 on." in sections[4321].text


# 2. A UTF-8 text labelled with a charset of a byte a character

def _mail_with_attachment(payload: bytes, charset: str) -> bytes:
    return (b"From: Alice <alice@example.org>\nSubject: " + Header("\u0645\u0631\u062d\u0628\u0627 \U0001F600",
                                                                   "utf-8").encode().encode() +
            b"\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"OUT\"\n\n"
            b"--OUT\nContent-Type: multipart/alternative; boundary=\"ALT\"\n\n"
            b"--ALT\nContent-Type: text/plain; charset=utf-8\n\nThe body mentions zebrafish.\n"
            b"--ALT\nContent-Type: text/html; charset=utf-8\n\n<p>The body mentions <b>zebrafish</b>.</p>\n--ALT--\n"
            b"--OUT\nContent-Type: message/rfc822\n\nFrom: Carol <carol@example.org>\nSubject: inner\nDate: garbage\n\n"
            b"Inner body about axolotl <script>alert(1)</script>.\n"
            b"--OUT\nContent-Type: text/plain; charset=" + charset.encode() +
            b"\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment; filename=\"log.txt\"\n\n"
            + base64.encodebytes(payload) + b"--OUT--\n")


def test_a_utf8_attachment_labelled_latin1_reads_its_accents() -> None:
    text = "caf\u00e9 \u2014 na\u00efve \u65e5\u672c"
    section, = read_sections(Path("nested.eml"), _mail_with_attachment(text.encode("utf-8"), "iso-8859-1"))
    assert text in section.text
    assert "The body mentions zebrafish." in section.text and "Inner body about axolotl" in section.text
    assert section.heading == "nested.eml > \u0645\u0631\u062d\u0628\u0627 \U0001F600"
    # Text that is that charset's reads as it did: "90 €" in cp1252's byte under iso-8859-1
    section, = read_sections(Path("euro.eml"), _mail_with_attachment(b"costs 90 \x80 at M\xfcnster", "iso-8859-1"))
    assert "costs 90 \u20ac at M\u00fcnster" in section.text


LATIN = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF, blacklist_characters="\x7f"), max_size=40)


@PROPERTY
@given(text=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40),
       charset=st.sampled_from(["iso-8859-1", "windows-1252", "iso-8859-15", "koi8-r", "iso-8859-2"]))
def test_any_utf8_text_under_a_single_byte_label_reads_back_whole(text: str, charset: str) -> None:
    section, = read_sections(Path("one.eml"), _mail_with_attachment(f"say {text} end".encode("utf-8"), charset))
    assert " ".join(f"say {text} end".split()) in " ".join(section.text.split())


@PROPERTY
@given(text=LATIN)
@example(text="Gr\u00fc\u00dfe aus M\u00fcnster")
def test_latin1_text_that_is_not_utf8_reads_as_its_charset(text: str) -> None:
    data = f"say {text} end".encode("cp1252", "replace")
    try:
        data.decode("utf-8")
        return  # bytes UTF-8 can read: read so, the test above
    except UnicodeDecodeError:
        pass
    section, = read_sections(Path("one.eml"), _mail_with_attachment(data, "iso-8859-1"))
    assert " ".join(data.decode("cp1252").split()) in " ".join(section.text.split())


# 3. SubRip without blank lines

def test_a_subrip_counter_under_the_cue_before_is_no_word_of_it() -> None:
    srt = ("\ufeff1\r\n00:00:01,000 --> 00:00:02,000\r\n<i>hello</i> <script>x</script> & friends\r\n2\r\n"
           "00:00:03,000 --> 00:00:04,000\r\nmissing blank line above\r\n\r\n3\r\n26:00:00,000 --> 26:00:01,000\r\n"
           "late\r\n")
    section, = read_sections(Path("b.srt"), srt.encode("utf-8"))
    assert section.text.split("\n")[0] == "hello <script>x</script> & friends"
    assert "missing blank line above" in section.text and "late" in section.text
    # A cue of a number alone keeps it
    cues = parse_cues("1\n00:00:01,000 --> 00:00:02,000\n42\n2\n00:00:03,000 --> 00:00:04,000\nnext\n", entities=False)
    assert [c.text for c in cues] == ["42", "next"]
    # A file that numbers no cue (youtube-dl's WebVTT) keeps a last line of digits
    cues = parse_cues("00:00:01.000 --> 00:00:02.000\nwe counted to\n3\n00:00:02.000 --> 00:00:03.000\nworld\n")
    assert [c.text for c in cues] == ["we counted to 3", "world"]


WORDS = st.lists(st.sampled_from(["alpha", "beta", "gamma", "the", "7", "2024", "ok."]), min_size=1, max_size=5).map(" ".join)


def _clock(ms: int) -> str:
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


@PROPERTY
@given(cues=st.lists(st.tuples(WORDS, st.lists(WORDS, max_size=2)), min_size=1, max_size=12), blank=st.booleans())
def test_random_subrip_cues_with_or_without_blank_lines_keep_their_text(cues: list[tuple[str, list[str]]],
                                                                        blank: bool) -> None:
    blocks = []
    for n, (first, more) in enumerate(cues):
        start = n * 5000
        blocks.append("\n".join([str(n + 1), f"{_clock(start)} --> {_clock(start + 1000)}", first, *more]))
    parsed = parse_cues(("\n\n" if blank else "\n").join(blocks) + "\n", entities=False)
    assert [c.text for c in parsed] == [" ".join([first, *more]) for first, more in cues]
    assert [c.start for c in parsed] == [n * 5.0 for n in range(len(cues))]


# 4. Number formats as Excel and LibreOffice show them

@pytest.mark.parametrize("code, value, excel", [
    (BUILTIN[41], 0, "-"), (BUILTIN[42], 0, "$-"), (BUILTIN[41], -5, "(5)"), (BUILTIN[41], 1234, "1,234"),
    ("#,##0;(#,##0);-", 0, "-"), ('0.00;-0.00;"zero"', 0, "zero"), ('0.00;-0.00;"zero"', -1, "-1.00"),
    ('0;[Red]"loss"', -3, "loss"),
    ('[>=1000]#,##0,"K";0', 1500, "2K"), ('[>=1000]#,##0,"K";0', 15, "15"),
    ('[>=1000000]0.0,,"M";[>=1000]0.0,"K";0', 2500000, "2.5M"), ('[>=1000000]0.0,,"M";[>=1000]0.0,"K";0', 2500, "2.5K"),
    ('[>=1000000]0.0,,"M";[>=1000]0.0,"K";0', 25, "25"), ('[=0]"none";0', 0, "none"), ('[=0]"none";0', 7, "7"),
    ('[Red][<=100]0;[Blue][>100]0.0', 150, "150.0"),
    ('0.0,,"M"', 2500000, "2.5M"), ("#,##0.00,", 2500, "2.50"), ("#,##0,", 2500000, "2,500"),
])
def test_a_format_shows_what_excel_shows(code: str, value: float, excel: str) -> None:
    assert shown(code, value) == excel


@pytest.mark.parametrize("code, value", [
    ("0.00;;", -5),  # a section hiding the value: the value is kept
    ('[>=1000]#,##0,"K";0', -15),  # a negative value under conditions: where its minus goes is Excel's
    ('[>=1000]0;[>=100]0', 5),  # no section takes it: Excel fills the cell with #
    ("0;[>1]0", 5), ("[>foo]0", 1), ('"yes"', 3),
])
def test_a_format_not_rendered_keeps_the_value(code: str, value: float) -> None:
    assert shown(code, value) is None


@PROPERTY
@given(value=st.floats(min_value=0, max_value=1e12, allow_nan=False), limit=st.integers(1, 10**6))
def test_a_condition_picks_the_section_excel_picks(value: float, limit: int) -> None:
    code = f'[>={limit}]#,##0,"K";0.00'
    assert shown(code, value) == (shown('#,##0,"K"', value) if value >= limit else shown("0.00", value))


@PROPERTY
@given(value=st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), commas=st.integers(0, 3),
       places=st.integers(0, 3))
def test_commas_after_the_decimals_scale_as_after_the_whole_part(value: float, commas: int, places: int) -> None:
    decimals = "." + "0" * places if places else ""
    assert shown("0" + decimals + "," * commas, value) == shown("0" + decimals, value / 1000 ** commas)


def _accounts(book) -> None:
    sheet = book.add_worksheet("Accounts")
    sheet.write_row(0, 0, ["Item", "Amount", "Views"])
    accounting = book.add_format({"num_format": 41})
    views = book.add_format({"num_format": '[>=1000]#,##0,"K";0'})
    for row, (item, amount, count) in enumerate([("rent", 0, 1500), ("food", -1234, 15)], 1):
        sheet.write(row, 0, item)
        sheet.write_number(row, 1, amount, accounting)
        sheet.write_number(row, 2, count, views)


def test_a_workbooks_accounting_zero_and_conditional_thousands_read_as_the_sheet_shows_them() -> None:
    section, = read_sections(Path("accounts.xlsx"), xlsx_bytes(_accounts))
    assert section.text.splitlines()[2:] == ["| rent | - | 2K |", "| food | (1,234) | 15 |"]


@pytest.mark.parametrize("code, days, excel", [
    ("[h]:mm", 1.5, "36:00"), ("[h]:mm:ss", 30.25, "726:00:00"), ("[mm]:ss", 0.0104166, "15:00"),
    ("mm:ss", 1.5, "00:00"), ("mm:ss", 0.0104166, "15:00"), ("h:mm", 1.5, "12:00"), ("h:mm", 0.5004629, "12:00"),
    ("[ss]", 0.0104166, "900"), ("[h]:mm:ss.00", 0.0104166, "0:14:59.99"), ("hh:mm", 0.25, "06:00"),
    (BUILTIN_TIMES[18], 0.75, "6:00 PM"), (BUILTIN_TIMES[19], 0.0, "12:00:00 AM"), (BUILTIN_TIMES[46], 0.0104166, "0:15:00"),
    (BUILTIN_TIMES[45], 0.0104166, "15:00"), (BUILTIN_TIMES[47], 0.99999, "59:59.1"), ("h:mm a/p", 0.5, "12:00 p"),
    ('[h]" h "mm" min"', 1.5, "36 h 00 min"),
])
def test_a_time_format_shows_what_excel_shows(code: str, days: float, excel: str) -> None:
    assert clock(code, days) == excel


@pytest.mark.parametrize("code, days", [("[h]:mm", -0.5), ("mmm", 0.5), ("m", 0.5), ("h:mm;@", float("nan"))])
def test_a_negative_time_or_a_month_is_no_clock(code: str, days: float) -> None:
    assert clock(code, days) is None


@PROPERTY
@given(seconds=st.integers(0, 10**8))
def test_a_duration_and_a_time_of_day_read_back_as_their_seconds(seconds: int) -> None:
    days = seconds / 86400
    assert clock("[h]:mm:ss", days) == f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    assert clock("hh:mm:ss", days) == f"{seconds // 3600 % 24:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    assert clock("[mm]:ss", days) == f"{seconds // 60:02d}:{seconds % 60:02d}"
    assert clock("[h]:mm", days) == f"{seconds // 3600}:{seconds // 60 % 60:02d}"  # the seconds cut, not rounded


_TIME_PIECE = st.sampled_from(["h", "hh", "m", "mm", "s", "ss", "[h]", "[mm]", "[ss]", ".", "0", ".00", ":", " ",
                                "AM/PM", "a/p", "A", "P", "/", '"h"', "\\ ", "[Red]", "[$-409]", "[>1]", ";", "@", "#",
                                "y", "d", "E", "*", "_"])


@PROPERTY
@given(code=st.lists(_TIME_PIECE, max_size=10).map("".join),
       days=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.floats(0, 10**6)))
def test_any_time_format_gives_text_or_none_never_an_error(code: str, days: float) -> None:
    from jupyter_docchat.indexing.readers.number_formats import is_time

    for text in (clock(code, days), clock(code, days) if is_time(code) else None):
        assert text is None or isinstance(text, str)


def _times(book) -> None:
    sheet = book.add_worksheet("Laps")
    codes = ["[h]:mm", "h:mm", "mm:ss", 46, 45]
    sheet.write_row(0, 0, ["Lap", "Total", "Clock", "Split", "Builtin elapsed", "Builtin mm:ss"])
    for row, (lap, days) in enumerate([("one", 1.5), ("two", 0.0104166)], 1):
        sheet.write(row, 0, lap)
        for column, code in enumerate(codes, 1):
            sheet.write_number(row, column, days, book.add_format({"num_format": code}))


def test_a_workbooks_durations_and_times_read_as_the_sheet_shows_them() -> None:
    section, = read_sections(Path("laps.xlsx"), xlsx_bytes(_times))
    assert section.text.splitlines()[2:] == ["| one | 36:00 | 12:00 | 00:00 | 36:00:00 | 00:00 |",
                                             "| two | 0:15 | 0:15 | 15:00 | 0:15:00 | 15:00 |"]


# 5. Numbers beside code in an HTML table

def test_years_and_counts_beside_a_command_are_the_pages_and_a_gutter_still_goes() -> None:
    page = ("<html><head><title>Release sizes</title></head><body><h1>Release sizes</h1>"
            "<table><tr><th>Years</th><th>Command</th></tr>"
            "<tr><td><pre>2019 2020 2021</pre></td><td><pre>du -sh release/</pre></td></tr>"
            "<tr><td><pre>17\n18</pre></td><td><pre>wc -l CHANGES</pre></td></tr></table>"
            "<table><tr><td><pre>1\n2\n3</pre></td><td><pre>import os\nprint(os.getcwd())\nprint('gutter')</pre></td>"
            "</tr></table></body></html>")
    text = html_sections(page)[0].text
    assert "2019 2020 2021" in text and "17\n18" in text and "wc -l CHANGES" in text
    assert "import os\nprint(os.getcwd())\nprint('gutter')" in text
    assert "\n1\n2\n3" not in text


@PROPERTY
@given(first=st.integers(1, 3000), count=st.integers(2, 6), code_lines=st.integers(1, 8))
def test_numbers_in_a_row_beside_a_listing_go_only_as_a_gutter_of_its_lines(first: int, count: int,
                                                                            code_lines: int) -> None:
    numbers = [str(n) for n in range(first, first + count)]
    code = "\n".join(f"step_{chr(97 + n)}()" for n in range(code_lines))
    for joiner in ("\n", " "):
        page = (f"<html><body><h1>Runs</h1><table><tr><td><pre>{joiner.join(numbers)}</pre></td><td><pre>{code}</pre>"
                "</td></tr></table></body></html>")
        text = html_sections(page)[0].text
        assert code in text
        gutter = joiner == "\n" and count <= code_lines
        assert (numbers[-1] in text) != gutter, (joiner, text)


# 6. A generic member's name

@pytest.mark.parametrize("heading, line, name", [
    ("Vec > retain", "pub fn retain<F>(&mut self, f: F)", "retain"),
    ("List > map", "map<U>(fn: Mapper<T, U>): List<U>", "map"),
    ("Store > get", "public Map<K, List<V>> get(K key)", "get"),
    ("Tips > cmp", "if cmp<3 (y) holds", ""),  # a comparison, not type parameters
    ("Glossary > pull", "pull<x>(1)", ""),  # still a man page's section, not a call
])
def test_a_generic_members_signature_names_it(heading: str, line: str, name: str) -> None:
    assert member_name(heading, [line]) == name


def test_a_rustdoc_like_pages_generic_method_is_quoted_under_its_name(tmp_path: Path) -> None:
    folder = tmp_path / "api"
    folder.mkdir()
    (folder / "vec.html").write_text(
        "<html><head><title>Vec in std::vec - Rust</title></head><body><h1>Struct std::vec::Vec</h1>"
        "<h3>retain</h3><pre>pub fn retain&lt;F&gt;(&amp;mut self, f: F)</pre>"
        "<p>Retains only the elements specified by the predicate.</p>"
        "<h3>truncate</h3><pre>pub fn truncate(&amp;mut self, len: usize)</pre>"
        "<p>Shortens the vector, keeping the first len elements and dropping the rest.</p></body></html>")
    with DocIndex(tmp_path / "store") as index:
        index.update(folder)
        answer = index.ask("How do I keep only the elements specified by a predicate?")
    assert answer.text.startswith("retain: Retains only the elements specified by the predicate."), answer.text


# 7. A stream ended mid-answer

class _HalfServer:
    """An OpenAI-compatible server that streams a few words of an answer, then closes the stream without a
    finish_reason (``cut``: with half an event at its end); a question not streamed is answered whole."""

    def __init__(self, cut: bool = False) -> None:
        self.cut = cut
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                if not body.get("stream"):
                    out = json.dumps({"id": "x", "object": "chat.completion", "created": 0, "model": "m",
                                      "choices": [{"index": 0, "finish_reason": "stop",
                                                   "message": {"role": "assistant", "content": "What about axolotl?"}}]
                                      }).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(out)))
                    self.end_headers()
                    self.wfile.write(out)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                for word in ["The ", "axolotl ", "is "]:
                    chunk = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "m",
                             "choices": [{"index": 0, "delta": {"content": word}, "finish_reason": None}]}
                    self.wfile.write(b"data: " + json.dumps(chunk).encode() + b"\n\n")
                if server.cut:
                    self.wfile.write(b'data: {"id":"x","choi')
                self.wfile.flush()
                self.close_connection = True

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture(params=[False, True], ids=["closed", "cut-event"])
def half_server(request) -> Iterator[_HalfServer]:
    server = _HalfServer(cut=request.param)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def mail_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("p38") / "lab"
    folder.mkdir()
    (folder / "nested.eml").write_bytes(_mail_with_attachment("caf\u00e9 log".encode("utf-8"), "iso-8859-1"))
    (folder / "board.mbox").write_bytes(_box("\r\n"))
    return folder


def test_a_script_told_of_a_stream_cut_short_keeps_its_history(half_server: _HalfServer, mail_folder: Path,
                                                               tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-KEY-12345")
    monkeypatch.setenv("OPENAI_BASE_URL", half_server.url)
    with DocIndex(tmp_path / "store") as index:
        index.update(mail_folder)
        history = [index.ask("What about axolotl?", model="extractive")]
        kept = list(history)
        for on_token in (None, [].append):
            with pytest.raises(DocChatError) as raised:
                index.ask("And what is it?", history=history, model="test-model", on_token=on_token)
            message = str(raised.value)
            assert "\n" not in message and "ended the stream in the middle of the answer" in message
            assert "partial answer was not added to the history" in message
            assert "sk-test-KEY-12345" not in message
        assert history == kept


def test_the_shell_says_a_stream_was_cut_short_and_keeps_the_history(ip, half_server: _HalfServer,
                                                                      mail_folder: Path) -> None:
    ip.run_line_magic("docchat_index", f'"{mail_folder}" --quiet --wait')
    ask(ip, "What did the board say about body text 1?", "--no-stream")
    turn = ip.user_ns["docchat_history"][-1]
    # The mailbox's second message is cited as the second
    assert any(s["source"] == "board.mbox" and s["location"] == "message 2" for s in turn["sources"]), turn
    ip.run_line_magic("config", f"DocChat.base_url = {half_server.url!r}")
    ip.run_line_magic("config", "DocChat.api_key = 'sk-test-KEY-12345'")
    ip.run_line_magic("config", "DocChat.model = 'test-model'")
    before = json.dumps(ip.user_ns["docchat_history"])
    for options in ("--no-stream", ""):
        _, error = run_cell(ip, f"%%ask {options}\nWhat about axolotl?")
        assert error is not None and "ended the stream in the middle of the answer" in str(error)
        assert "\n" not in str(error) and "sk-test-KEY-12345" not in str(error)
        assert json.dumps(ip.user_ns["docchat_history"]) == before


def test_docchat_ask_shows_what_came_exits_1_and_names_the_cut_in_one_line(half_server: _HalfServer, mail_folder: Path,
                                                                          tmp_path: Path) -> None:
    root = str(Path(__file__).resolve().parents[1])
    env = {**os.environ, "OPENAI_API_KEY": "sk-test-KEY-12345", "OPENAI_BASE_URL": half_server.url,
           "PYTHONPATH": root}

    def docchat(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "jupyter_docchat.cli", *args, "--store", str(tmp_path / "store")],
                              env=env, cwd=tmp_path, capture_output=True, text=True, timeout=240)

    assert docchat("index", str(mail_folder), "--quiet").returncode == 0
    done = docchat("ask", "What about axolotl?", "--model", "test-model")
    assert done.returncode == 1
    assert "The axolotl is" in done.stdout  # what was streamed stays on the screen
    error = done.stderr.strip()
    assert "\n" not in error and "ended the stream in the middle of the answer" in error, done.stderr
    assert "sk-test-KEY-12345" not in done.stdout + done.stderr

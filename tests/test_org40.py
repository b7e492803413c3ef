"""Emacs Org-mode files (org40): read as Org shows them, each line cited at its own line, asked in the real shell."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from conftest import ask, run_cell
from hostile import audit_html
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_reading_properties import ANY_CHAR, chunker

from jupyter_docchat.indexing.readers import read_sections, reader_for, unpacked
from jupyter_docchat.indexing.readers.base import decode
from jupyter_docchat.indexing.readers.org import headline, read_org, shown

NOTEBOOK = """#+TITLE: Spectrometer lab notebook
#+AUTHOR: Aiko Sato
#+STARTUP: overview
#+OPTIONS: toc:nil
#+TODO: TODO WAITING | DONE

# Private: not for the wiki.

* TODO [#A] Order the bandpass filters [1/3]                    :lab:purchase:
  DEADLINE: <2024-05-01 Wed> SCHEDULED: <2024-04-22 Mon 09:30>
  :PROPERTIES:
  :VENDOR:   Thorlabs
  :END:
  - [X] ask Tom which holder fits the *25 mm* mount
  - [ ] get a quote for FB600-10
* DONE Wavelength calibration                                     :lab:
  :LOGBOOK:
  CLOCK: [2024-04-03 Wed 14:00]--[2024-04-03 Wed 16:20] =>  2:20
  :END:
Lamp exposures:

| Lamp  | Line (nm) | Exposure (s) |
|-------+-----------+--------------|
| neon  |    585.25 |          0.5 |
|-------+-----------+--------------|
| argon |    696.54 |          2.0 |
#+TBLFM: $3=$2

The fit is a /second-order/ polynomial[fn:1]; see [[https://numpy.org/doc/][numpy's docs]] and [[file:cryostat.org::*Service log]].
#+NAME: fit
#+BEGIN_SRC python :results output
print("rms residual:", 0.031, "nm")
,* not a headline
#+END_SRC

#+RESULTS: fit
: rms residual: 0.031 nm

#+BEGIN_NOTE
Refocus the collimator above 0.05 nm.
#+END_NOTE
#+BEGIN_QUOTE
Measure twice.
#+END_QUOTE
#+BEGIN_COMMENT
Ask Tom about the old pump.
#+END_COMMENT
#+BEGIN_EXAMPLE
  *kept as written*
#+END_EXAMPLE
** WAITING <script>alert(1)</script> Laser safety rules
Wear the OD4 goggles from the top drawer; the alignment laser is class 3R.
* Footnotes
[fn:1] A third-order fit passes through every point.
"""

# (file line, line as read) of every line the reader keeps, in order: what each construct reads as, and where.
EXPECTED = [
    (2, "Author: Aiko Sato"), (6, ""), (8, ""),
    (9, "TODO Order the bandpass filters"), (10, "Deadline: 2024-05-01; Scheduled: 2024-04-22 09:30"),
    (14, "  - [X] ask Tom which holder fits the 25 mm mount"), (15, "  - [ ] get a quote for FB600-10"),
    (16, "DONE Wavelength calibration"), (20, "Lamp exposures:"), (21, ""),
    (22, "| Lamp | Line (nm) | Exposure (s) |"), (23, "|---|---|---|"), (24, "| neon | 585.25 | 0.5 |"),
    (26, "| argon | 696.54 | 2.0 |"), (28, ""),
    (29, "The fit is a second-order polynomial[fn:1]; see numpy's docs and cryostat.org > Service log."),
    (31, "```python"), (32, 'print("rms residual:", 0.031, "nm")'), (33, "* not a headline"), (34, "```"), (35, ""),
    (36, "Output:"), (37, "```"), (37, "rms residual: 0.031 nm"), (37, "```"), (38, ""),
    (39, "Note"), (40, "Refocus the collimator above 0.05 nm."), (43, "Measure twice."),
    (48, "```"), (49, "  *kept as written*"), (50, "```"),
    (51, "WAITING <script>alert(1)</script> Laser safety rules"),
    (52, "Wear the OD4 goggles from the top drawer; the alignment laser is class 3R."),
    (53, "Footnotes"), (54, "[fn:1] A third-order fit passes through every point."),
]


def _read(text: str, name: str = "notes.org") -> list:
    return read_sections(Path(name), text.encode())


def test_every_construct_reads_as_org_shows_it_at_its_own_line() -> None:
    sections = _read(NOTEBOOK)
    got = [(place, line) for section in sections for place, line in zip(section.line_map, section.text.split("\n"))]
    assert got == EXPECTED
    assert [section.heading for section in sections] == [
        "Spectrometer lab notebook", "Spectrometer lab notebook > Order the bandpass filters",
        "Spectrometer lab notebook > Wavelength calibration",
        "Spectrometer lab notebook > Wavelength calibration > <script>alert(1)</script> Laser safety rules",
        "Spectrometer lab notebook > Footnotes"]
    for section in sections:
        assert section.start_line == section.line_map[0] and len(section.line_map) == section.text.count("\n") + 1


def test_chunks_cite_the_lines_they_hold() -> None:
    sections = _read(NOTEBOOK)
    source = NOTEBOOK.splitlines()
    chunks = chunker(120).chunk("notes.org", "h", sections)
    assert len(chunks) > 3
    for chunk in chunks:
        # a piece of a table is led by the table's header again (table_chunks)
        head = source[21] if chunk.text.startswith("| Lamp") else ""
        held = " ".join([head, *source[chunk.start_line - 1:chunk.end_line]]).lower()
        for word in re.findall(r"[a-z0-9]+", chunk.text.lower()):
            assert word in held or word in ("output", "note"), (word, chunk)  # the labels the reader adds
    table = next(chunk for chunk in chunks if "argon" in chunk.text)
    assert table.start_line <= 26 <= table.end_line


@pytest.mark.parametrize("written, seen", [
    ("*bold* and /italic/ and _under_ and +gone+", "bold and italic and under and gone"),
    ("=code= and ~verb~: =/usr/bin/= and ~*.org~", "code and verb: /usr/bin/ and *.org"),
    ("a path /usr/bin/ and /etc/ stay", "a path /usr/bin/ and /etc/ stay"),
    ("a formula a*b*c and 2*3*4 stays", "a formula a*b*c and 2*3*4 stays"),
    ("globs *.org and *.txt stay", "globs *.org and *.txt stay"),
    ("C++ and snake_case_name stay", "C++ and snake_case_name stay"),
    ("x = y = z and a==b stay", "x = y = z and a==b stay"),
    ("see [[https://orgmode.org][the manual]] or [[https://orgmode.org]]", "see the manual or https://orgmode.org"),
    ("[[file:x.org::*Heading][notes]] and [[file:x.org::*Heading]]", "notes and x.org > Heading"),
    ("[[https://melpa.org][file:https://melpa.org/badge.svg]] [[file:demo.gif]] ok", "  ok"),
    ("a <<target>> and a <<<radio term>>>", "a target and a radio term"),
    ("the mark[fn:2] stays", "the mark[fn:2] stays"),
    ("(/quoted/) and \"*said*\"", "(quoted) and \"said\""),
])
def test_a_line_reads_as_org_shows_it(written: str, seen: str) -> None:
    assert shown(written) == seen


@pytest.mark.parametrize("title, keyword, text", [
    ("TODO [#A] Order the filters [2/5] :work:paper:", "TODO", "Order the filters"),
    ("DONE Calibrate [40%]", "DONE", "Calibrate"),
    ("WAITING Service", "WAITING", "Service"),  # declared by the file's #+TODO line
    ("Todo is a word", "", "Todo is a word"),
    ("COMMENT Draft ideas :noexport:", "", "Draft ideas"),
    ("Meeting with *Tom* on [[https://x.org][the board]]", "", "Meeting with Tom on the board"),
    ("Time 10:30 stays", "", "Time 10:30 stays"),
])
def test_a_headline_loses_its_marks_not_its_words(title: str, keyword: str, text: str) -> None:
    assert headline(title, frozenset({"TODO", "DONE", "WAITING"})) == (keyword, text)


def test_drawers_and_blocks_end_where_org_ends_them() -> None:
    page = ("* Notes\nAlias :x: here\n:tags:\nnot a drawer: its :END: never comes\n* Next\n:NOTES:\nhidden\n:END:\n"
            ":END:\n#+BEGIN_SRC sh\nls\n* Cut\nafter the cut\n")
    sections = _read(page)
    text = {section.heading: section.text for section in sections}
    assert text["Notes"] == "Notes\nAlias :x: here\n:tags:\nnot a drawer: its :END: never comes"
    assert text["Next"] == "Next\n```sh\nls\n```"  # a drawer left out, a stray :END: too; a block ends at a headline
    assert text["Cut"] == "Cut\nafter the cut"
    assert sections[1].line_map == (5, 10, 11, 11)


def test_an_org_file_is_read_gzipped_too() -> None:
    assert reader_for(Path("notes.org")) is read_org
    data = gzip.compress(NOTEBOOK.encode())
    name, inner = unpacked(Path("org-drill.org.gz"), data, 1 << 20)
    assert name == Path("org-drill.org")
    assert read_sections(name, inner)[1].heading == "Spectrometer lab notebook > Order the bandpass filters"


def _lines(location: str) -> list[int]:
    """The first and last line a source's location cites ("lines 2-16", "line 10")."""
    assert location.startswith("line"), location
    return [int(number) for number in re.findall(r"\d+", location)]


def test_a_lab_notebook_asked_in_the_shell(ip, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "lab-notebook.org").write_text(NOTEBOOK)
    ip.run_line_magic("docchat_index", f'"{folder}" --quiet --wait')
    ask(ip, "When is the deadline for ordering the bandpass filters?", "--no-stream")
    turn = ip.user_ns["docchat_history"][-1]
    assert "2024-05-01" in turn["answer"] and "DEADLINE:" not in turn["answer"] and "[#A]" not in turn["answer"]
    assert any(s["source"] == "lab-notebook.org" and _lines(s["location"])[0] <= 10 <= _lines(s["location"])[-1]
               for s in turn["sources"]), turn
    ask(ip, "What rms residual did the calibration fit print?", "--no-stream")
    turn = ip.user_ns["docchat_history"][-1]
    assert "0.031" in turn["answer"] and "#+RESULTS" not in turn["answer"] and "#+BEGIN_SRC" not in turn["answer"]
    result, error = run_cell(ip, "%%ask --no-stream\nWhich goggles must I wear for laser safety?")
    assert error is None
    html = result.result.to_html()
    assert "OD4" in html and audit_html(html) == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ORG_LINE = st.sampled_from([
    "* TODO [#A] Head [1/2] :a:b:", "** DONE", "*** ", "*bold*", "SCHEDULED: <2024-01-01 Mon>", ":PROPERTIES:",
    ":ID: x", ":END:", ":LOGBOOK:", "#+BEGIN_SRC python", "#+END_SRC", "#+begin_example", "#+end_example",
    "#+RESULTS:", ": out", ":", "#+BEGIN_QUOTE", "#+END_QUOTE", "#+BEGIN_NOTE", "#+END_NOTE", "#+BEGIN_COMMENT",
    "#+END_COMMENT", "#+TITLE: T", "#+TODO: WAIT | DONE", "# comment", "| a | b |", "|---+---|", "|", "| x",
    "[[file:a.org::*H][t]]", "[[x]]", "[fn:1] def", "- [X] item", "=a= ~b~ /c/ +d+ _e_", ",* escaped", "#+BEGIN:",
    "#+END:", "\ufdd10\ufdd1 =x=", "", "\r", "\x00", "\u2028"])
LINE = st.one_of(ORG_LINE, st.text(ANY_CHAR, max_size=80), st.text(st.sampled_from("ab *=/~+_|:#[]<>-\t"), max_size=60))


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower())


@PROPERTY
@given(st.lists(LINE, max_size=40).map("\n".join))
@example("* a\n#+BEGIN_SRC\n| x |\n* b\n: y\n| z |\n|-|\n")
def test_any_text_reads_each_line_at_a_line_holding_its_words(text: str) -> None:
    data = text.encode("utf-8", errors="surrogatepass")
    lines = decode(data).splitlines()
    sections = read_org(Path("any.org"), data)  # never raises
    for section in sections:
        assert section.line_map is not None and len(section.line_map) == section.text.count("\n") + 1
        assert list(section.line_map) == sorted(section.line_map)
        for place, line in zip(section.line_map, section.text.split("\n")):
            held = lines[place - 1].lower() if 0 < place <= len(lines) else ""
            for word in _words(line):
                assert word in held or word in ("output", "note"), (word, place, line, held)
    for chunk in chunker(80).chunk("any.org", "h", sections):
        assert 1 <= chunk.start_line <= chunk.end_line <= max(len(lines), 1)


def test_a_maildir_message_named_for_an_org_host_stays_mail(tmp_path: Path) -> None:
    box = tmp_path / "Maildir"
    for name in ("cur", "new", "tmp"):
        (box / name).mkdir(parents=True)
    message = box / "new" / "1709632900.M3P4.mail.example.org"  # Maildir names a message after the host that took it
    message.write_bytes(b"From: Ann <ann@example.org>\nSubject: Walrus budget\n\nThe walrus budget is 42 herrings.\n")
    [section] = read_sections(message, message.read_bytes())
    assert section.heading == "1709632900.M3P4.mail.example.org > Walrus budget"
    notes = box / "new" / "notes.org"  # a page in a Maildir-shaped folder is read as its name says
    notes.write_bytes(b"* Walrus notes\nTusks grow all life long.\n")
    assert read_sections(notes, notes.read_bytes())[0].heading == "Walrus notes"


def test_a_description_list_and_a_line_break_read_as_exported() -> None:
    page = "* Keys\n- ~C-h m~ :: Pop to this help buffer.\n  - skip :: Leech items are left out.\n- a :: b :: c\n" \
           "Not an item :: kept\nFirst line\\\\\nsecond line\n"
    [section] = _read(page)
    assert section.text.split("\n") == ["Keys", "- C-h m: Pop to this help buffer.", "  - skip: Leech items are left out.",
                                        "- a: b :: c", "Not an item :: kept", "First line", "second line"]


@pytest.mark.parametrize("line", [" =a" * 40_000, "* a" + " " * 100_000 + "b", "#+TITLE:" + " " * 100_000 + "x",
                                  "#+BEGIN_SRC" + " " * 100_000 + "x", "* h" + " [1/2]" * 20_000 + " x",
                                  "- a" + " ::" * 40_000, " *a" * 40_000, "[[a][" + "]b" * 40_000, "<<" * 60_000])
def test_a_long_line_reads_in_linear_time(line: str) -> None:
    import time

    times = []
    for repeat in (1, 4):
        page = ("\n".join([line[:len(line) // 4 * repeat]] * 2) + "\n").encode()
        began = time.process_time()
        read_sections(Path("long.org"), page)
        times.append(time.process_time() - began)
    assert times[1] < 8 * times[0] + 0.3, times


def test_an_org_roam_note_opens_with_its_drawer_left_out() -> None:
    page = (":PROPERTIES:\n:ID:       0b5d0d5e-8c5b-4b7a-9f2c-1a2b3c4d5e6f\n:END:\n#+title: Raman thermometry\n"
            "#+filetags: :paper:\n\nThe anti-Stokes ratio gives the temperature; see [[id:0b5d][Smith 2021]].\n"
            "* Notes\n- [ ] check it\n")
    first, notes = _read(page, "20240301-raman.org")
    assert (first.heading, first.text, first.line_map) == (
        "Raman thermometry", "\nThe anti-Stokes ratio gives the temperature; see Smith 2021.", (6, 7))
    assert (notes.heading, notes.text, notes.start_line) == ("Raman thermometry > Notes", "Notes\n- [ ] check it", 8)

"""Word 97-2003 .doc and PowerPoint 97-2003 .ppt, as a downloads folder keeps them (legacy38). Before: both were
"unsupported type", so a question about an old report or deck had no answer in the index.

Real files: oletools 0.60.2's test data (tests/legacy_files.py: Word 2003 and 2016, PowerPoint 2007 saves, and an
encrypted .doc and .ppt); made here: tests/legacygen.py's compound files, for what the real ones do not hold (tables,
fields, footnotes, notes pages, many slides).
"""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ask
from legacy_files import oletools_file
from legacygen import SlideSpec, doc_bytes, ppt_bytes
from test_reading_properties import chunker, storable

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.read_file import ChunkerSpec, read_one
from jupyter_docchat.indexing.readers import UnreadableFile, read_sections
from jupyter_docchat.indexing.readers.word97_marks import field_results, text_lines
from jupyter_docchat.types import Hit

HARMLESS = "msodde/harmless-clean.doc"  # Word 2016's save of a short note with a heading
DDE = "msodde/dde-test-from-office2016.doc"  # fields: a DDE field's result, an error result, a document property
DECK = "oleobj/embedded-simple-2007.ppt"  # PowerPoint 2007's save: its text in the slide's drawing, not the list
SHOW = "oleobj/embedded-simple-2007.pps"
REAL = (HARMLESS, DDE, "oleobj/embedded-unicode.doc", "oleobj/embedded-simple-2007.doc", DECK, SHOW,
        "olevba/sample_with_vba.ppt", "oleobj/sample_with_lnk_file.ppt")


def text_of(name: str, data: bytes) -> str:
    return "\n".join(s.text for s in read_sections(Path(name), data))


def test_a_word_2016_doc_reads_its_paragraphs_with_their_accents() -> None:
    sections = read_sections(Path("note.doc"), oletools_file(HARMLESS))
    lines = "\n".join(s.text for s in sections).split("\n")
    assert lines[0] == "Test"
    assert "This is a harmless test document." in lines
    assert any("ünicöde-ßtringß" in line for line in lines)  # UTF-16 pieces, not cp1252 guesses
    assert all(storable(s.text) for s in sections)


def test_a_fields_result_is_kept_its_code_left_out() -> None:
    text = text_of("dde.doc", oletools_file(DDE))
    assert "This is a dde test file. The dde auto field is:" in text
    assert "Fehler! Kein Thema angegeben." in text  # the result Word shows for a property field with no value
    assert "DDEAUTO" not in text and "SUBJECT" not in text  # the fields' codes
    assert "End-of-field" in text


def test_a_2007_deck_reads_its_slide_from_the_slides_own_drawing() -> None:
    for name in (DECK, SHOW):
        [section] = read_sections(Path(Path(name).name), oletools_file(name))
        assert section.page == 1 and section.heading == "Embedded Objects"
        assert section.text.split("\n") == ["Embedded Objects", "This slide contains an embedded object",
                                            "It is a simple harmless ASCII text file"]


def test_encrypted_files_are_named_as_an_encrypted_docx_is() -> None:
    for name in ("encrypted/encrypted.doc", "encrypted/encrypted.ppt"):
        suffix = Path(name).suffix
        with pytest.raises(UnreadableFile, match=rf"^password-protected \{suffix} \(encrypted\): save it without"):
            read_sections(Path(f"x{suffix}"), oletools_file(name))
    with pytest.raises(UnreadableFile, match="password-protected .doc"):
        read_sections(Path("x.doc"), doc_bytes("secret plans\r", encrypted=True))
    with pytest.raises(UnreadableFile, match="password-protected .ppt"):
        read_sections(Path("x.ppt"), ppt_bytes([SlideSpec("Secret", ["plans"])], encrypted=True))


def test_tables_fields_and_footnotes_of_a_made_doc() -> None:
    text = ("Budget 2003\r"
            "See \x13 HYPERLINK \"http://x.example\" \x14the plan\x15 and page \x13 PAGEREF a \x14\x13 SEQ b \x14"
            "7\x15\x15.\x02\r"
            "Item\x07Cost\x07\x07Paper\x071.50\x07\x07Ink and toner\x0712.00\x07\x07"
            "Signed\x0bby the board\x0c\x01New page\r")
    sections = read_sections(Path("budget.doc"), doc_bytes(text, title="Budget", footnotes="\x02 Prices in euros.\r"))
    main, notes = sections
    assert main.heading == "Budget" and main.start_line == 1
    assert main.text.split("\n") == ["Budget 2003", "See the plan and page 7.", "", "| Item | Cost |", "|---|---|",
                                     "| Paper | 1.50 |", "| Ink and toner | 12.00 |", "", "Signed", "by the board",
                                     "New page"]
    assert notes.heading == "Budget > Footnotes" and notes.text.strip() == "Prices in euros."
    assert notes.start_line == len(main.text.split("\n")) + 1  # lines counted on through the document


def test_heading_styles_make_the_trail_and_the_title_its_root() -> None:
    # By the styles' built-in ids (Word names them in the user's language), over property pages of 20 paragraphs.
    paragraphs = ["Field Guide", "Intro text", "Birds", "Sparrows are small.", "Owls", "Owls hunt at night.", "Fish",
                  "Trout like cold water.", *(f"Filler {n}" for n in range(40)), "Late", "After forty"]
    styles = {0: 62, 2: 1, 4: 2, 6: 1, 48: 1}
    for compressed in (False, True):
        sections = read_sections(Path("g.doc"), doc_bytes("\r".join(paragraphs) + "\r", styles=styles,
                                                          compressed=compressed))
        assert [(s.heading, s.start_line, s.text.split("\n")[0]) for s in sections] == [
            ("Field Guide", 1, "Field Guide"), ("Field Guide > Birds", 3, "Birds"),
            ("Field Guide > Birds > Owls", 5, "Owls"), ("Field Guide > Fish", 7, "Fish"),
            ("Field Guide > Late", 49, "Late")]
        assert sections[3].text.split("\n")[-1] == "Filler 39"


def test_a_word_heading_in_a_real_file_heads_its_text() -> None:
    [section] = read_sections(Path("note.doc"), oletools_file(HARMLESS))
    assert section.heading == "Test"  # Word 2016's heading above the note


def test_a_compressed_piece_is_cp1252() -> None:
    assert text_of("a.doc", doc_bytes("Caf\u00e9 \u20ac5 \u201cquoted\u201d\r", compressed=True)) == \
        "Caf\u00e9 \u20ac5 \u201cquoted\u201d"


def test_a_deck_is_a_slide_a_section_its_notes_after_it() -> None:
    deck = ppt_bytes([SlideSpec("Groundwater 101", ["Week 3"]),
                      SlideSpec("Conductivity", ["Clay: 0.06 m/day", "Sand: 12 m/day"], box="Source: USGS",
                                notes=["Mention the aquifer test"]),
                      SlideSpec("", ["An untitled slide's words"])])
    sections = read_sections(Path("lecture.ppt"), deck)
    assert [s.page for s in sections] == [1, 2, 3]
    assert [s.heading for s in sections] == ["Groundwater 101", "Groundwater 101 > Conductivity", "Groundwater 101"]
    assert sections[1].text.split("\n") == ["Conductivity", "Clay: 0.06 m/day", "Sand: 12 m/day", "Source: USGS",
                                            "Speaker notes:", "Mention the aquifer test"]
    assert Hit("x", "text", "lecture.ppt", page=2).location == "slide 2"


def test_a_cover_that_is_the_deck_title_alone_is_no_passage() -> None:
    sections = read_sections(Path("d.ppt"), ppt_bytes([SlideSpec("Pumps"), SlideSpec("Intake", ["Filter first"])]))
    assert [s.page for s in sections] == [2]


def test_what_else_a_doc_holds_is_read_as_what_it_is(tmp_path: Path) -> None:
    # An old README.doc that is plain text (TeX Live's xymtex ships a dozen), a .docx saved as .doc, RTF named.
    assert text_of("readme.doc", b"Notes for XyMTeX\nInstall it in texmf.\n").split() == "Notes for XyMTeX Install it in texmf.".split()
    import docx

    document = docx.Document()
    document.add_paragraph("Saved by a newer Word under the old name")
    document.save(str(tmp_path / "new.docx"))
    assert "Saved by a newer Word" in text_of("new.doc", (tmp_path / "new.docx").read_bytes())
    with pytest.raises(UnreadableFile, match="RTF document named .doc"):
        read_sections(Path("r.doc"), b"{\\rtf1\\ansi Hello}")
    with pytest.raises(UnreadableFile, match=r"unreadable \.doc"):
        read_sections(Path("r.doc"), bytes(range(256)) * 4)
    with pytest.raises(UnreadableFile, match=r"unreadable \.ppt"):
        read_sections(Path("r.ppt"), b"not a deck")


def test_without_olefile_the_extra_is_named(monkeypatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "olefile", None)
    with pytest.raises(UnreadableFile, match=r"needs the docx extra: pip install 'jupyter-docchat\[docx\]'"):
        read_sections(Path("a.doc"), oletools_file(HARMLESS))
    with pytest.raises(UnreadableFile, match=r"needs the pptx extra"):
        read_sections(Path("a.ppt"), oletools_file(DECK))


def test_fields_nest_and_unbalanced_marks_stay_bounded() -> None:
    assert field_results("a\x13 IF \x13 REF x \x14inner\x15 = 1 \x14shown\x15b") == "ashownb"
    assert field_results("a\x13 code without result\x15b") == "ab"
    assert field_results("\x15\x14stray\x15 marks") == "stray marks"
    assert field_results("\x13" * 100_000 + "x") == ""
    assert text_lines("a\x07\x07\x07b\r") == ["", "a", "", "b"]  # a row of one cell, an empty row: no table


def test_a_downloads_folder_asked_in_the_shell(ip, tmp_path: Path) -> None:
    folder = tmp_path / "Downloads"
    folder.mkdir()
    (folder / "harmless-clean.doc").write_bytes(oletools_file(HARMLESS))
    (folder / "lecture.ppt").write_bytes(ppt_bytes([SlideSpec("Groundwater 101", ["Week 3"]),
                                                    SlideSpec("Conductivity", ["Clay: 0.06 m/day"])]))
    (folder / "locked.doc").write_bytes(oletools_file("encrypted/encrypted.doc"))
    ip.run_line_magic("docchat_index", f'"{folder}" --quiet --wait')
    ask(ip, "What does the harmless test document not contain?", "--no-stream")
    turn = ip.user_ns["docchat_history"][-1]
    assert "neither macros nor dde links" in turn["answer"], turn["answer"]
    assert any(s["source"] == "harmless-clean.doc" for s in turn["sources"]), turn["sources"]
    ask(ip, "What is the hydraulic conductivity of clay?", "--no-stream")
    turn = ip.user_ns["docchat_history"][-1]
    assert "0.06" in turn["answer"]
    assert any(s["source"] == "lecture.ppt" and s["location"] == "slide 2" for s in turn["sources"]), turn["sources"]
    with DocIndex(tmp_path / "store") as index:
        files = set(index.catalog.files(index.collection))
    assert files == {"harmless-clean.doc", "lecture.ppt"}


SPEC = ChunkerSpec(200, 40, "minilm")
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_SEEDS = [doc_bytes("First\rA\x07B\x07\x07C\x07D\x07\x07\x13 PAGE \x147\x15 end\rHead\rBody\r", title="T",
                    footnotes="note\r", styles={0: 62, 3: 1}),
          ppt_bytes([SlideSpec("Deck", ["a", "b"]), SlideSpec("Two", ["c"], box="d", notes=["e"])])]


def _skipped_in_one_line(tmp_path: Path, name: str, data: bytes) -> None:
    """Reading ``data`` as ``name`` ends in chunks or in a reason of one line, in bounded time."""
    path = tmp_path / name
    path.write_bytes(data)
    start = time.process_time()
    result = read_one(name, path, SPEC)
    assert time.process_time() - start < 10, name
    if result.chunks is None:
        assert result.skipped and "\n" not in result.skipped, result.skipped
    else:
        assert all(storable(c.text) and storable(c.heading) for c in result.chunks)


@PROPERTY
@given(data=st.binary(max_size=20_000), suffix=st.sampled_from([".doc", ".ppt", ".pps"]), ole=st.booleans())
def test_random_bytes_never_crash_or_hang(tmp_path_factory, data: bytes, suffix: str, ole: bool) -> None:
    head = bytes.fromhex("D0CF11E0A1B11AE1") if ole else b""
    _skipped_in_one_line(tmp_path_factory.mktemp("r"), f"x{suffix}", head + data)


@PROPERTY
@given(source=st.sampled_from(list(REAL) + ["made.doc", "made.ppt"]), seed=st.integers(0, 2**32 - 1),
       how=st.sampled_from(["cut", "flip", "splice"]))
def test_truncated_or_corrupted_real_files_never_crash_or_hang(tmp_path_factory, source: str, seed: int,
                                                               how: str) -> None:
    data = bytearray(_SEEDS[0] if source == "made.doc" else _SEEDS[1] if source == "made.ppt"
                     else oletools_file(source))
    rng = random.Random(seed)
    if how == "cut":
        data = data[:rng.randrange(len(data))]
    elif how == "flip":
        for _ in range(rng.randint(1, 64)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    else:  # a run of large numbers where lengths, offsets and counts are
        at = rng.randrange(len(data))
        data[at:at + 16] = rng.choice([b"\xff" * 16, b"\x7f\xff\xff\xff" * 4, b"\x00\x00\x00\x80" * 4])
    _skipped_in_one_line(tmp_path_factory.mktemp("c"), f"x{Path(source).suffix}", bytes(data))


def test_a_corrupt_file_beside_good_ones_is_named_and_the_rest_indexed(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    good = oletools_file(HARMLESS)
    (folder / "good.doc").write_bytes(good)
    (folder / "cut.doc").write_bytes(good[:3000])
    (folder / "deck.ppt").write_bytes(_SEEDS[1])
    with DocIndex(tmp_path / "store") as index:
        report = index.update(folder)
        assert set(index.catalog.files(index.collection)) == {"good.doc", "deck.ppt"}
    [(name, why)] = report.skipped_files
    assert name == "cut.doc" and re.fullmatch(r"unreadable \.doc \([^\n]+\)", why), why


_WORDS = st.text(st.sampled_from("abcxyzABC019 .,:;-()éü€"), min_size=1, max_size=30).filter(lambda t: t.strip())


@PROPERTY
@given(paragraphs=st.lists(_WORDS, min_size=1, max_size=8), compressed=st.booleans())
def test_random_paragraphs_come_back_a_line_each(paragraphs: list[str], compressed: bool) -> None:
    sections = read_sections(Path("r.doc"), doc_bytes("\r".join(paragraphs) + "\r", compressed=compressed))
    assert [s.text for s in sections] == ["\n".join(p.rstrip() for p in paragraphs)]
    for chunk in chunker(120).chunk("r.doc", "hash", sections):
        assert storable(chunk.text)


@PROPERTY
@given(slides=st.lists(st.tuples(_WORDS, st.lists(_WORDS, max_size=3), st.one_of(st.none(), _WORDS)),
                       min_size=2, max_size=6))
def test_random_slides_come_back_on_their_numbers(slides) -> None:
    deck = ppt_bytes([SlideSpec(title, body, notes=[notes] if notes else []) for title, body, notes in slides])
    sections = {s.page: s for s in read_sections(Path("d.ppt"), deck)}
    assert sections
    deck_words = set(re.findall(r"\w+", slides[0][0].casefold()))
    for number, (title, body, notes) in enumerate(slides, 1):
        words = set(re.findall(r"\w+", " ".join([title, *body]).casefold()))
        if number not in sections:  # a cover: the deck title's words alone, in every slide's trail
            assert not notes and words <= deck_words and any(deck_words <= set(re.findall(r"\w+", s.heading.casefold()))
                                                              for s in sections.values())
            continue
        lines = sections[number].text.split("\n")
        assert lines[0] == title.strip()
        for words_line in body:
            assert words_line.strip() in lines
        if notes:
            assert lines[lines.index("Speaker notes:") + 1] == notes.strip()

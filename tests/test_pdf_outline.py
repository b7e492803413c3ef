"""A PDF's outline (its bookmarks) cuts its pages into sections headed by the outline's trail: every chunk of a PDF was
headed "page N", which said nothing to a search or an answer, and a chunk ran from one section into the next. Real
parts: PDFs written by tests/pdfgen.py and read by PDFium, a real store, %%ask in a real IPython shell."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from conftest import ask
from hypothesis import given, settings
from hypothesis import strategies as st
from pdfgen import pdf_bytes

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.readers import read_sections
from jupyter_docchat.indexing.readers.pdf import OutlineEntry, outline_sections, pdf_document

MANUAL = [
    ["The Otter Keepers Manual", "Second edition"],
    ["1 Introduction", "This manual is for keepers of river otters.", "1.1 Feeding",
     "Feed each otter two kilograms of fresh trout every morning."],
    ["Never feed them bread.", "2 Housing", "An enclosure needs a pool at least two metres deep."],
]
# Sections long enough to be chunks of their own (shorter ones of a page are joined).
LONG = [MANUAL[0], MANUAL[1], [MANUAL[2][0], *["Bread swells in their stomachs and makes them ill for days."] * 4,
                               *MANUAL[2][1:], *["The water is changed every week and kept below twenty degrees."] * 4]]
OUTLINE = [(0, "1 Introduction", 1, 740), (1, "1.1 Feeding", 1, 712), (0, "2 Housing", 2, 726)]


def _sections(pages: list[list[str]], outline: list[tuple[int, str, int, float]] | None) -> list[tuple[int, str, str]]:
    return [(s.page or 0, s.heading, " ".join(s.text.split()))
            for s in read_sections(Path("manual.pdf"), pdf_bytes(pages, outline))]


def test_pages_are_cut_where_the_outline_starts_a_section_and_headed_by_its_trail() -> None:
    assert _sections(MANUAL, OUTLINE) == [
        (1, "page 1", "The Otter Keepers Manual Second edition"),  # before the first entry: as before
        (2, "1 Introduction", "1 Introduction This manual is for keepers of river otters."),
        (2, "1 Introduction > 1.1 Feeding", "1.1 Feeding Feed each otter two kilograms of fresh trout every morning."),
        (3, "1 Introduction > 1.1 Feeding", "Never feed them bread."),  # the section runs on over the page
        (3, "2 Housing", "2 Housing An enclosure needs a pool at least two metres deep."),
    ]


def test_a_pdf_without_an_outline_is_read_a_page_a_section_as_before() -> None:
    assert [heading for _, heading, _ in _sections(MANUAL, None)] == ["page 1", "page 2", "page 3"]


def test_a_title_is_found_as_the_page_prints_it() -> None:
    """The outline and the page write a title otherwise: the number left out or written with a dot, other quotes. A
    capital "I" is no section number: "I just upgraded" is a title (a FAQ's question)."""
    pages = [["Preface text that runs on.", "1. Using `docstrip' and `doc'", "Run the installer first.",
              "I just upgraded, and the driver broke", "Read the upgrade notes."]]
    outline = [(0, 'Using "docstrip" and "doc"', 0, 0), (0, "I just upgraded, and ...", 0, 0)]
    found = _sections(pages, outline)
    assert [(heading, text.split()[:2]) for _, heading, text in found] == [
        ("page 1", ["Preface", "text"]),
        ('Using "docstrip" and "doc"', ["1.", "Using"]),
        ("I just upgraded, and ...", ["I", "just"]),
    ]
    assert found[1][2].endswith("Run the installer first.") and found[2][2].endswith("Read the upgrade notes.")


def test_a_title_the_page_does_not_print_starts_where_its_place_on_the_page_is() -> None:
    lines = [f"Line {n} of the listing." for n in range(10)]
    # y 396 of 792: half way down the page, the sixth of its ten lines.
    found = _sections([lines], [(0, "Appendix of tables", 0, 396)])
    assert [(heading, text.split(" of ")[0]) for _, heading, text in found] == [
        ("page 1", "Line 0"), ("Appendix of tables", "Line 5")]


def test_entries_that_point_nowhere_or_go_round_in_a_circle_are_read_up_to_there(caplog) -> None:
    data = pdf_bytes(MANUAL, OUTLINE)
    # The last item's /Next made the first: an outline that never ends; and an entry to a page that is not there.
    looped = data.replace(b"/Title (2 Housing) /Parent", b"/Title (2 Housing) /Next 10 0 R /Parent")
    assert looped != data
    with caplog.at_level(logging.WARNING):
        pages, outline = pdf_document(looped)
    assert [e.title for e in outline][:3] == ["1 Introduction", "1.1 Feeding", "2 Housing"]
    assert not caplog.records  # PDFium's warning about the circle is not the user's to read
    assert outline_sections(pages, [*outline, OutlineEntry(0, "Nowhere", 99, None)])[-1].heading == "2 Housing"


_LINE = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"), max_size=30)


@settings(max_examples=200, deadline=None)
@given(pages=st.lists(st.lists(_LINE, max_size=6), min_size=1, max_size=4),
       entries=st.lists(st.tuples(st.integers(0, 4), st.one_of(_LINE, st.just("1 Introduction")), st.integers(-1, 5),
                                  st.one_of(st.none(), st.floats(0, 1))), max_size=8))
def test_no_text_is_lost_and_each_section_starts_at_its_own_line(pages, entries) -> None:
    texts = ["\r\n".join(lines) for lines in pages]
    outline = [OutlineEntry(level, title, page, down) for level, title, page, down in entries]
    sections = outline_sections(texts, outline)
    for number, text in enumerate(texts, 1):
        mine = [s for s in sections if s.page == number]
        assert [w for s in mine for w in s.text.split()] == text.split()
        lines = text.split("\n")
        for section in mine:
            assert section.heading and "\n" not in section.heading
            assert lines[section.start_line - 1].rstrip("\r") == section.text.split("\n")[0].rstrip("\r")


def test_a_search_and_an_answer_name_the_section_of_the_pdf(ip, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "manual.pdf").write_bytes(pdf_bytes(LONG, [(0, "1 Introduction", 1, 740), (1, "1.1 Feeding", 1, 712),
                                                         (0, "2 Housing", 2, 656)]))
    (folder / "other.txt").write_text("The warehouse opens at nine in the morning on weekdays.\n")
    with DocIndex(tmp_path / "store") as index:
        index.update(folder)
        hit = index.search("How much trout does an otter eat?", k=1)[0]
        assert (hit.source, hit.page, hit.heading) == ("manual.pdf", 2, "1 Introduction > 1.1 Feeding")
    ip.run_line_magic("docchat_index", f'"{folder}" --quiet')
    ask(ip, "How deep must the pool of an otter enclosure be?", "--no-stream")
    turn = ip.user_ns["docchat_history"][-1]
    assert "two metres deep" in turn["answer"]
    cited = int(re.search(r"\[(\d)\]", turn["answer"])[1])
    assert turn["sources"][cited - 1]["heading"] == "2 Housing"


def test_many_entries_a_page_does_not_print_are_placed_in_linear_time() -> None:
    """Each entry not found was looked for in every line of its page: 20,000 entries on a page of 20,000 lines were
    400 million comparisons. Past a budget of lines looked at, an entry is placed where it points."""
    import time

    started = time.perf_counter()
    for n in (2000, 20000):
        page = "\n".join(f"Line {i} of the register." for i in range(n))
        sections = outline_sections([page], [OutlineEntry(0, f"Missing title {i}", 0, None) for i in range(n)]
                                    + [OutlineEntry(0, f"Line {n - 1} of the register.", 0, None)])
        assert [w for s in sections for w in s.text.split()] == page.split()
    assert time.perf_counter() - started < 10

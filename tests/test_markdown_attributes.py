"""A Markdown, Quarto or R Markdown heading's trail is its title: without the attributes Pandoc, Quarto, MkDocs and
kramdown write after it ("## Results {#sec-results .unnumbered}"), with its reference links read."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings, strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.readers import read_sections

REPORT = """---
title: "Stork migration"
format: html
---

# Introduction {#sec-intro}

Storks winter in Africa.

## Data and methods {#sec-data .unnumbered}

Forty storks carried GPS loggers from 2019.

## Results {-}

Most crossed at Gibraltar.

## Installing {: #install .wide }

Run the script.

## See the [field guide][guide]

The guide lists the colour rings.

## A set {x, y}

Braces that are the title's own.

[guide]: https://example.org/guide
"""


def trails(name: str, text: str) -> list[tuple[str, int]]:
    return [(s.heading, s.start_line) for s in read_sections(Path(name), text.encode())]


def test_attributes_and_reference_links_leave_the_trail():
    root = "Stork migration"
    assert trails("report.qmd", REPORT)[1:] == [
        (f"{root} > Introduction", 6), (f"{root} > Introduction > Data and methods", 10),
        (f"{root} > Introduction > Results", 14), (f"{root} > Introduction > Installing", 18),
        (f"{root} > Introduction > See the field guide", 22), (f"{root} > Introduction > A set {{x, y}}", 26)]
    assert trails("report.md", REPORT) == trails("report.qmd", REPORT) == trails("report.Rmd", REPORT)


def test_a_quarto_report_in_a_store_is_cited_under_its_title(tmp_path):
    folder = tmp_path / "report"
    folder.mkdir()
    filler = "\n\n" + "The field team checked every bird by hand before it was released again. " * 12 + "\n"
    report = REPORT.replace("\n\n## ", filler + "\n## ")  # sections of their own, not joined as short ones
    (folder / "report.qmd").write_text(report)
    index = DocIndex(tmp_path / "store")
    try:
        index.update(folder)
        hit = index.search("When were the GPS loggers fitted?", k=1)[0]
        assert hit.heading == "Stork migration > Introduction > Data and methods"
        assert hit.text.startswith("## Data and methods\n")  # the heading line as the trail says it
        assert report.split("\n")[hit.start_line - 1].startswith("## Data and methods")
    finally:
        index.close()


_WORDS = st.text(st.characters(whitelist_categories=("L", "N"), whitelist_characters=" -'"), min_size=1, max_size=20)
_ATTRS = st.lists(st.one_of(st.from_regex(r"[#.][a-z][a-z0-9:-]{0,8}", fullmatch=True),
                            st.from_regex(r"[a-z]{1,5}=[a-z0-9]{1,5}", fullmatch=True), st.just("-")), min_size=1, max_size=3)


@settings(max_examples=150, deadline=None)
@given(_WORDS.filter(lambda t: t.strip()), _ATTRS, st.booleans())
def test_a_title_with_attributes_reads_as_the_title_alone(title, attrs, colon):
    block = "{" + (": " if colon else "") + " ".join(attrs) + "}"
    with_attrs = trails("a.md", f"# {title} {block}\n\ntext\n")
    without = trails("a.md", f"# {title}\n\ntext\n")
    assert with_attrs == without


def test_odd_attribute_lists_take_linear_time():
    import time

    from jupyter_docchat.indexing.readers.markdown import without_attributes

    started = time.process_time()  # CPU time: not what another process on the machine takes
    for text in ["T {" + ".a" * 40 + " x", "T" + " " * 40_000 + "x}", "T {" + " .a" * 20_000 + " k=v#a" * 20_000,
                 "T " + "{ " * 40_000 + "}"]:
        without_attributes(text)  # ".a.a.a" read as one item or several was exponential; spaces tried one by one quadratic
    assert time.process_time() - started < 1.0

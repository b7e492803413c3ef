"""The offline answer quotes a table whole when its best passage is a row and the question asks for several
things or compares the rows, even when the table was cut into several chunks (issue 23: table questions
quoted whole)."""

from __future__ import annotations

from pathlib import Path

from conftest import write_tree

from jupyter_docchat import DocIndex

CODECS = [("brisk", "2.9", "530", "1700"), ("zlib", "2.7", "95", "400"), ("brotli", "2.7", "395", "450"),
          ("quicklz", "2.2", "540", "760"), ("lzo1x", "2.1", "660", "845"), ("lz4", "2.1", "740", "4500"),
          ("lzf", "2.0", "410", "830"), ("snappy", "2.0", "550", "1750"), ("density", "1.9", "800", "1200"),
          ("lizard", "2.3", "600", "2000"), ("pithy", "1.8", "900", "2100"), ("fastlz", "1.9", "300", "700")]
README = ("# Codec\n\nA fast lossless compressor.\n\n## Benchmarks\n\nMeasured on the Silesia corpus with lzbench.\n\n"
          "[lzbench]: https://example.org/lzbench\n[Silesia]: https://example.org/silesia\n\n"
          "| Compressor name | Ratio | Compression | Decompression |\n|---|---|---|---|\n"
          + "".join(f"| {name} 1.0 | {ratio} | {c} MB/s | {d} MB/s |\n" for name, ratio, c, d in CODECS)
          + "\n## Licence\n\nBSD, or GPLv2 at your option.\n")


def test_a_table_cut_into_chunks_is_quoted_whole_for_a_question_comparing_its_rows(tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "docs", {"README.md": README, "other.md": "# Other\n\nUnrelated notes on tea.\n"})
    index = DocIndex(tmp_path / "store", collection="docs")
    index.update(folder)
    table_chunks = [h for h in index.search("Compressor Ratio Decompression MB/s", k=10, mode="lexical")
                    if "| Compressor name |" in h.text]
    assert len(table_chunks) >= 2  # the table does not fit one chunk: each piece under its header
    # The link references between the paragraph and the table are not its introduction.
    assert all(not h.text.startswith("[") for h in table_chunks)
    answer = index.ask("Which compressor in the benchmark table decompresses fastest?", model="extractive")
    quoted = answer.text.split("\n")
    assert "| Compressor name | Ratio | Compression | Decompression |" in quoted
    assert all(f"| {name} 1.0 | {ratio} | {c} MB/s | {d} MB/s |" in quoted for name, ratio, c, d in CODECS)
    assert "more row" not in answer.text
    cited = {s for s in range(1, 6) if f"[{s}]" in answer.text}
    assert len(cited) >= 2 and {answer.sources[s - 1].file for s in cited} == {"README.md"}
    # A question about one row is answered by that row, with its header.
    one = index.ask("What decompression speed did lz4 reach?", model="extractive")
    assert "Decompression: 4500 MB/s" in one.text and "| fastlz 1.0 |" not in one.text
    index.close()


def test_compares_rows_reads_superlatives_not_words_ending_in_est() -> None:
    from jupyter_docchat.qa.extractive import compares_rows

    assert compares_rows("Which compressor decompresses fastest?")
    assert compares_rows("What is the largest file size SQLite allows?")
    assert compares_rows("Which plugin was released latest?")
    assert not compares_rows("What is the maximum number of consumers per queue?")  # names one row
    assert not compares_rows("How do I run the test suite?")
    assert not compares_rows("What does the request interest rate mean?")


FERRIES = ("# Ferries\n\nThe walrus ferry leaves at noon from the north pier.\n\n| Ferry | Pier | Leaves |\n|---|---|---|\n"
           "| otter | south | 09:00 |\n| walrus | north | 12:00 |\n| seal | east | 15:00 |\n\nTickets are sold on board.\n")


def test_a_statement_above_a_table_is_not_written_over_other_rows(tmp_path: Path) -> None:
    # probe 12: "Also: The walrus ferry leaves at noon from the north pier. Ferry: otter; Pier: south; ..." read as
    # if the otter row were the walrus ferry's
    folder = write_tree(tmp_path / "docs", {"ferries.md": FERRIES})
    with DocIndex(tmp_path / "store") as index:
        index.update(folder)
        answer = index.ask("When does the walrus ferry leave?").text
    for line in answer.splitlines():
        assert not ("walrus" in line.lower() and ("otter" in line or "seal" in line)), answer
    assert "12:00" in answer and "walrus" in answer

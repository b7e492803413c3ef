"""Probe 9: the offline answer reads a table piece with its neighbours, and a source naming "Table N" with the
chunk holding that caption. What joining them may bring in: a key cut across the pieces, and odd tables."""

from __future__ import annotations

from pathlib import Path

from conftest import write_tree

from jupyter_docchat import DocIndex
from jupyter_docchat.qa.key_guard import KeyGuard, letters, shown_of
from jupyter_docchat.qa.table_pieces import with_named_tables, with_table_neighbours

KEY = "kq7ZtW3mXp9LbR2vYc5N"  # 20 letters and digits: looked for whole (a block of its own)
HEAD = "# Plugins\n\nThis list contains the plugins.\n\n| name | summary | last release | requires |\n|---|---|---|---|\n"


def _rows(cells: dict[tuple[int, int], str]) -> str:
    rows = [[f"name{n:03d}abc", f"some summary text for row {n}", f"Dec {n % 28 + 1:02d}, 2021", "XXXXXXXXXX"]
            for n in range(60)]
    for (row, column), text in cells.items():
        rows[row][column] = text
    return "".join(f"| {' | '.join(row)} |\n" for row in rows)


def test_a_key_cut_across_two_pieces_of_a_table_is_not_joined_back(tmp_path: Path) -> None:
    # A configured key written over two rows, its halves in two pieces: each piece alone holds no whole key, so
    # neither was withheld; read as one table they quoted it whole.
    docs = write_tree(tmp_path / "docs", {"t.md": HEAD + _rows({})})
    with DocIndex(tmp_path / "store", collection="docs") as index:
        index.update(docs)
        first = index.file_chunks("t.md")[0].text.rstrip("\n").splitlines()[-1]
        last = int(first.split("|")[1].strip()[4:7])  # the row ending the first piece
        (docs / "t.md").write_text(HEAD + _rows({(last, 3): KEY[:10], (last + 1, 0): KEY[10:]}))
        index.update(docs)
        pieces = index.file_chunks("t.md")
        guard = KeyGuard([KEY])
        assert not any(guard.holds(shown_of(p)) for p in pieces[:2])  # the halves: each piece passes alone
        withheld = lambda c: guard.holds(shown_of(c))  # noqa: E731  (as Conversation passes it)
        for joined in (with_table_neighbours([pieces[1]], index.file_chunks, withheld)[0],
                       with_table_neighbours([pieces[0]], index.file_chunks, withheld)[0]):
            assert KEY not in letters(joined.text)


class _Raced(DocIndex):
    """An index whose search is followed, before the answer is read, by another kernel's update (``race``)."""

    race = None

    def search(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        hits = super().search(*args, **kwargs)
        race, self.race = self.race, None
        if race is not None:
            race()
        return hits


def test_a_table_whose_file_was_removed_since_the_search_is_answered_from_what_was_found(tmp_path: Path) -> None:
    # Another kernel removed the folder's last file between the search and the answer: reading the table's other
    # pieces raised "nothing indexed in collection 'docs' yet", and the question found nothing at all.
    docs = write_tree(tmp_path / "docs", {"t.md": HEAD + _rows({})})
    with _Raced(tmp_path / "store", collection="docs") as index:
        index.update(docs)

        def removed() -> None:
            (docs / "t.md").unlink()
            with DocIndex(tmp_path / "store", collection="docs") as other:
                other.update(docs)

        index.race = removed
        answer = index.ask("Which release is row 30 of the plugins?", model="extractive")
        assert "name030abc" in answer.text


FILL = "The kit defines units with macro names and typesets them with the spacing each symbol needs. "


def test_a_key_cut_between_a_sentence_naming_a_table_and_its_caption_is_not_joined_back(tmp_path: Path) -> None:
    text = (f"{FILL * 8}The base units are listed in Table 1, token {KEY[:10]}\n\n{KEY[10:]} then the units.\n\n"
            f"Table 1: base units.\nampere A\nkelvin K\nmole mol\n\n{FILL * 3}")
    docs = write_tree(tmp_path / "docs", {"u.txt": text})
    with DocIndex(tmp_path / "store", collection="docs") as index:
        index.update(docs)
        naming, caption = index.file_chunks("u.txt")[:2]
        assert naming.text.rstrip().endswith(KEY[:10]) and caption.text.startswith(KEY[10:])  # the cut, as laid out
        guard = KeyGuard([KEY])
        joined = with_named_tables([naming], index.file_chunks, lambda c: guard.holds(shown_of(c)))[0]
        assert KEY not in letters(joined.text)

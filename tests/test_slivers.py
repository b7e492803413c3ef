"""A sliver of a section joins its neighbour (readers 18, chunking._join_slivers).

The text splitter cuts a reST title from its underline ("Version 8.1.4", then "-------------  Released
2023-07-06"), a Markdown code fence from its block ("```"): 132 of the sdist corpus's 1,668 chunks were under 80
characters, 567 of sqlite's, and such a chunk matches a question about a version or a title as well as the passage
it belongs to.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.chunking import SLIVER_CHARS, Chunker, sliver_chars
from jupyter_docchat.types import Section

from conftest import chunks_of, write_tree

ITEM = "-   Fix an issue with the completion of nested groups when a parent has a default. :issue:`{n}`\n"


def changes(versions: int = 4) -> str:
    body = "Changelog\n=========\n\n"
    for v in range(versions, 0, -1):
        body += f"Version 8.1.{v}\n-------------\n\nReleased 2023-07-{v:02d}\n\n" + "".join(
            ITEM.format(n=v * 100 + i) for i in range(9)) + "\n\n"
    return body


def test_a_rest_title_stays_with_its_release_and_its_lines() -> None:
    text = changes()
    chunks = chunks_of("CHANGES.rst", text)
    assert all(len(c.text) >= SLIVER_CHARS for c in chunks)
    lines = text.split("\n")
    for chunk in chunks:  # every joined chunk still cites the lines it holds
        assert chunk.text.split("\n")[0].strip() == lines[chunk.start_line - 1].strip()
        assert chunk.text.split("\n")[-1].strip() == lines[chunk.end_line - 1].strip()
    titled = [c for c in chunks if "Version 8.1.2\n-------------" in c.text]
    assert titled and "Released 2023-07-02" in titled[0].text


def test_a_code_fence_is_no_chunk_of_its_own() -> None:
    code = "\n".join(f"    log.WithField(\"animal\", \"walrus{n}\").Info(\"A walrus appears\")" for n in range(14))
    text = f"# Logrus\n\n## Testing\n\nLogrus has a hook for tests:\n\n```go\n{code}\n```\n\nThen assert on the entries.\n"
    chunks = chunks_of("README.md", text, size=300)
    assert all(c.text.strip() != "```" for c in chunks) and all(len(c.text) >= SLIVER_CHARS for c in chunks)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["Title\n-----", "short", "```", "", "A sentence of some length that says a thing.",
                                 "x" * 120]), min_size=1, max_size=30),
       st.integers(60, 400))
def test_no_sliver_stays_beside_a_piece_of_its_own_section(parts: list[str], size: int) -> None:
    text = "\n\n".join(parts)
    section = Section(text, 1, "h", kind="text")
    # Without overlap every cut is between lines; pieces that share a line (the overlap) are left as they are.
    chunks = Chunker(size, 0).chunk("f.txt", "hash", [section])
    if len(chunks) > 1:  # a run without a space is cut inside its line: the pieces beside such a cut stay apart
        for n, chunk in enumerate(chunks):
            beside = chunks[max(n - 1, 0):n + 2]
            assert len(chunk.text) >= sliver_chars(size) or any("x" * 10 in c.text for c in beside)
    # Nothing is lost but a passage repeated word for word, which is kept once (chunking._first_of_each).
    joined = "".join("".join(c.text.split()) for c in chunks)
    assert all("".join(part.split()) in joined for part in parts if "x" * 10 not in part)


def test_a_search_for_a_release_finds_its_items_in_a_real_store(tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "project", {"CHANGES.rst": changes()})
    with DocIndex(tmp_path / "store") as index:
        index.update(folder)
        hits = index.search("When was version 8.1.3 released?", k=10)
        holding = [h for h in hits if "Version 8.1.3" in h.text]
        assert holding and all("Released 2023-07-03" in h.text and h.start_line >= 1 for h in holding)
        assert all(len(h.text) >= SLIVER_CHARS for h in hits)

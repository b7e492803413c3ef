from __future__ import annotations

from pathlib import Path

from jupyter_docchat.indexing.chunking import Chunker
from jupyter_docchat.store.embeddings import make_embeddings
from jupyter_docchat.indexing.readers import read_sections


def test_chunk_lines_point_at_the_file_lines() -> None:
    lines = [f"Line {i}: " + "word " * 12 for i in range(1, 120)]
    text = "\n".join(lines)
    chunks = Chunker(300, 50).chunk("f.txt", "h", read_sections(Path("f.txt"), text.encode()))
    assert len(chunks) > 5
    for chunk in chunks:
        first = chunk.text.splitlines()[0]
        assert lines[chunk.start_line - 1].startswith(first.strip()[:20]), (chunk.start_line, first)
        assert chunk.end_line == chunk.start_line + chunk.text.count("\n")


def test_nothing_exceeds_the_model_window() -> None:
    model = make_embeddings("minilm")
    # Digits and symbols tokenize to far more than 4 characters a token, so 800 characters overflow 256 tokens.
    dense = " ".join(f"{i:x}-{i * 7919 % 1000:03d}/{i % 13}" for i in range(400))
    chunker = Chunker(800, 0, model.count_tokens, model.max_tokens)
    chunks = chunker.chunk("d.txt", "h", read_sections(Path("d.txt"), dense.encode()))
    counts = model.count_tokens([f"{c.heading}\n{c.text}" for c in chunks])
    assert max(counts) <= model.max_tokens
    assert "".join(c.text.replace(" ", "") for c in chunks) == dense.replace(" ", "")


def test_ids_are_deterministic_and_metadata_complete() -> None:
    sections = read_sections(Path("a.md"), b"# T\n\nbody text here\n")
    one = Chunker(800, 100).chunk("sub/a.md", "abc", sections)
    two = Chunker(800, 100).chunk("sub/a.md", "abc", read_sections(Path("a.md"), b"# T\n\nbody text here\n"))
    assert [c.id for c in one] == [c.id for c in two]
    meta = one[0].metadata()
    assert meta["source"] == "sub/a.md" and meta["heading"] == "T" and meta["file_hash"] == "abc"
    assert meta["start_line"] == 1


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from jupyter_docchat.indexing.chunking import _LANGUAGES, _placed  # noqa: E402

# Words, code-ish symbols, every kind of line break and space: what makes the splitter's separators and
# its search for a chunk's start (a chunk that occurs twice, overlaps) do different things.
_TEXT = st.lists(st.sampled_from(["word", "Word.", "def f():", "  x = 1", "\n", "\n\n", " ", "\t", "```", "# Head",
                                  "class A:", "é", "ß", "\u2028", "a" * 40, "repeat repeat", "|", "---"]),
                 max_size=400).map("".join)


@settings(max_examples=150, deadline=None)
@given(text=_TEXT, ext=st.sampled_from([".txt", ".py", ".md", ".rst", ".html"]),
       size=st.sampled_from([50, 100, 800]), overlap=st.sampled_from([0, 10, 30]))
def test_chunks_are_placed_where_langchains_create_documents_places_them(text, ext, size, overlap) -> None:
    from langchain_text_splitters import Language, RecursiveCharacterTextSplitter

    args = dict(chunk_size=size, chunk_overlap=overlap, add_start_index=True)
    lang = _LANGUAGES.get(ext)
    theirs = RecursiveCharacterTextSplitter.from_language(Language[lang], **args) if lang else RecursiveCharacterTextSplitter(**args)
    expected = [(d.metadata["start_index"], d.page_content) for d in theirs.create_documents([text])]
    assert list(_placed(Chunker(size, overlap)._splitter(ext), text)) == expected
    assert set(_LANGUAGES) >= {".py", ".md", ".rst"}

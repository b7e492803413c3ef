"""The chunker's splitter cuts text exactly where LangChain's RecursiveCharacterTextSplitter does (so no chunk of a
store changes), without importing LangChain where files are read."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st
from langchain_text_splitters import Language, RecursiveCharacterTextSplitter

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.chunking import _LANGUAGES
from jupyter_docchat.indexing.text_splitter import LANGUAGES, RecursiveSplitter, _CODE

# Pieces of text that hold every kind of separator the languages cut at, so random text meets them all.
_BITS = ["\n", "\n\n", " ", "a", "word", "\ndef ", "\nclass ", "\n\tdef ", "\nfunction ", "\nconst ", "\n# ", "\n### ",
         "```\n", "\n***\n", "\n---\n", "\n___\n", "\n====\n", "\n.. \n\n", "\n\\section{", "\n\\begin{itemize}", "$$",
         "$", "\nfn ", "\nfunc ", "\nif ", "\n| ", "\n, ", "\nmain :: ", "x" * 30, "é", "\t", "\nlocal "]


def langchain_splitter(language: str | None, size: int, overlap: int) -> RecursiveCharacterTextSplitter:
    if language is None:
        return RecursiveCharacterTextSplitter(chunk_size=size, chunk_overlap=overlap)
    return RecursiveCharacterTextSplitter.from_language(Language[language], chunk_size=size, chunk_overlap=overlap)


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_separators_are_langchains(language):
    assert list(_CODE[language]) == RecursiveCharacterTextSplitter.get_separators_for_language(Language[language])


def test_every_language_the_chunker_names_is_cut_as_code_or_as_plain_text():
    unknown = {lang for lang in _LANGUAGES.values() if lang not in LANGUAGES}
    assert unknown == {"PERL"}  # LangChain has no separators for Perl: plain text's


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_BITS), max_size=120), st.sampled_from([None, *sorted(LANGUAGES)]),
       st.integers(5, 300), st.integers(0, 60))
def test_cuts_where_langchain_cuts(bits, language, size, overlap):
    overlap = min(overlap, size - 1)
    text = "".join(bits)
    assert (RecursiveSplitter(size, overlap, language).split_text(text)
            == langchain_splitter(language, size, overlap).split_text(text))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=3000), st.integers(20, 800))
def test_cuts_any_text_where_langchain_cuts(text, size):
    overlap = size // 8
    assert RecursiveSplitter(size, overlap).split_text(text) == langchain_splitter(None, size, overlap).split_text(text)


def test_a_long_perl_file_is_indexed(tmp_path):
    # LangChain raises "Language PERL is not implemented yet!" from from_language: one .pl file longer than a chunk
    # stopped the whole index with "the store ... failed".
    folder = tmp_path / "scripts"
    folder.mkdir()
    (folder / "tool.pl").write_text("".join(f"sub twice{i} {{ my $x = shift; return $x * {i}; }}\n" for i in range(200)))
    (folder / "notes.md").write_text("# Notes\n\nThe tool doubles numbers.\n")
    index = DocIndex(tmp_path / "store")
    try:
        report = index.update(folder)
        assert report.chunks_total > 5
        hits = index.search("twice117", k=3, mode="lexical")
        assert hits and hits[0].source == "tool.pl" and "twice117" in hits[0].text
    finally:
        index.close()


def test_reading_does_not_import_langchain():
    code = ("import sys; from jupyter_docchat.indexing.chunking import Chunker; "
            "Chunker(100, 10)._split('.py', None, 'def f():\\n    return 1\\n' * 40, 1); "
            "print(sorted(m for m in sys.modules if m.startswith('langchain')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"

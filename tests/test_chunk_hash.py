"""A chunk's text hash is made once and kept only while the strings it was made of are the chunk's."""

import hashlib

from hypothesis import given, strategies as st

from jupyter_docchat.types import Chunk, embed_text

fields = st.sampled_from(["text", "heading", "source"])


def expected(chunk: Chunk) -> str:
    return hashlib.sha1(embed_text(chunk.heading, chunk.source, chunk.text).encode()).hexdigest()


@given(st.text(max_size=40), st.lists(st.tuples(fields, st.text(max_size=40)), max_size=6))
def test_the_hash_follows_every_change(text, changes):
    chunk = Chunk(text=text, source="docs/a.md", file_hash="f", index=0)
    assert chunk.text_hash == expected(chunk)
    for name, value in changes:
        setattr(chunk, name, value)
        assert chunk.text_hash == expected(chunk)


def test_an_equal_string_made_anew_is_hashed_again_alike():
    chunk = Chunk(text="alpha beta", source="a/b.txt", file_hash="f", index=0)
    first = chunk.text_hash
    chunk.text = "".join(["alpha", " beta"])  # equal, but another object
    assert chunk.text_hash == first
    chunk.heading = "Intro"
    assert chunk.text_hash != first and chunk.text_hash == expected(chunk)

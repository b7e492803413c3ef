"""Probe 14: decoding. A cp1252 file with one byte cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D: a
corrupted or mixed file) was read whole as Latin-1, where 0x80-0x9F are control characters, and every curly quote,
dash and euro sign of it vanished."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from jupyter_docchat.indexing.readers import decode

CP1252 = "Le café est très bon, “quoted” – 5 € … ‘single’ — œuvre\n"
UNDEFINED = [0x81, 0x8D, 0x8F, 0x90, 0x9D]


def test_a_cp1252_file_with_an_undefined_byte_keeps_its_quotes_and_dashes() -> None:
    assert decode(CP1252.encode("cp1252") + b"\x81 end\n") == CP1252 + " end\n"


@settings(max_examples=150, deadline=None)
@given(text=st.text(st.sampled_from("abc “”‘’–—…€œŠž"), min_size=1, max_size=80), byte=st.sampled_from(UNDEFINED),
       at=st.floats(0, 1))
def test_any_cp1252_text_keeps_its_letters_around_an_undefined_byte(text: str, byte: int, at: float) -> None:
    # letters cp1252 writes in 0x80-0x9F, which UTF-8 has only inside a letter: such a text is never UTF-8
    data = text.encode("cp1252")
    cut = int(at * len(data))
    decoded = decode(data[:cut] + bytes([byte]) + data[cut:])
    kept = [c for c in text if not c.isspace()]
    assert [c for c in decoded if not c.isspace()] == kept

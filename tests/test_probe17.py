"""Probe 17: the splitter, the token counts and the LaTeX sections of readers 21, attacked from outside."""

from __future__ import annotations

import random
import time
from pathlib import Path

from tokenizers import Tokenizer

from jupyter_docchat import DocIndex
from jupyter_docchat.store.token_counts import TOKENIZER_DIR
from jupyter_docchat.types import embed_text

_REFERENCE = Tokenizer.from_file(str(TOKENIZER_DIR / "tokenizer.json"))
_REFERENCE.no_truncation()
_REFERENCE.no_padding()


def _pieces(text: str) -> int:
    return len(_REFERENCE.encode(text).ids)


def test_a_chunk_under_its_file_name_fits_the_window(tmp_path):
    # A chunk with no heading is embedded under its file's name (types.embed_text); the chunker counted it without,
    # so a chunk of numbers in a file with a long name overflowed 256 word pieces and its end was never embedded.
    folder = tmp_path / "field"
    folder.mkdir()
    rng = random.Random(3)
    name = "white_stork_migration_routes_over_gibraltar_2019_2020_2021_final_revised"
    for ext in (".txt", ".py"):  # each its own numbers: a copy of another file is not indexed again
        (folder / f"{name}{ext}").write_text("\n".join(
            " ".join(f"{rng.randint(0, 99)}.{rng.randint(0, 9)}" for _ in range(rng.randint(3, 30))) for _ in range(200)))
    index = DocIndex(tmp_path / "store")
    try:
        report = index.update(folder)
        assert not report.skipped, report
        for ext in (".txt", ".py"):
            hits = index.file_chunks(f"{name}{ext}")
            assert len(hits) > 50
            counts = [_pieces(embed_text(h.heading, h.source, h.text)) for h in hits]
            assert max(counts) <= 256, (ext, max(counts))
    finally:
        index.close()

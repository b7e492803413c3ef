"""The word pieces a chunk's vector is made of: the first DOCUMENT_TOKENS, named in the store format."""

from __future__ import annotations

import numpy as np

from jupyter_docchat.indexing.store_format import EMBED_INPUT, STORE_FORMAT
from jupyter_docchat.store.embedding_names import DOCUMENT_TOKENS
from jupyter_docchat.store.embeddings import MiniLMEmbeddings


def test_a_document_vector_is_made_of_its_first_word_pieces_only() -> None:
    model = MiniLMEmbeddings()
    head = "The bank failed because its depositors ran when bond losses surfaced. " + "deposit " * DOCUMENT_TOKENS
    pieces = len(model._tokenizer.encode(head).ids)
    assert pieces >= DOCUMENT_TOKENS  # the text fills the window (and more, before truncation)
    same, other = model.embed_documents([head + "volcanoes erupt lava"])[0], model.embed_documents([head])[0]
    assert np.allclose(same, other, atol=1e-5)  # what follows the window changes nothing
    changed = model.embed_documents(["Volcanoes erupt lava because magma rises. " + "deposit " * DOCUMENT_TOKENS])[0]
    assert not np.allclose(changed, other, atol=1e-3)  # what is inside it does
    assert EMBED_INPUT == f"minilm{DOCUMENT_TOKENS}" and f"-{EMBED_INPUT}-" in STORE_FORMAT

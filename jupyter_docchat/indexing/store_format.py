"""What a store made by this version holds, named in one string: two versions that would make the same store
state the same format, so a benchmark comparing them builds one store for both and one for each otherwise."""

from __future__ import annotations

from jupyter_docchat.indexing.readers import READERS_VERSION
from jupyter_docchat.settings import DEFAULT_CHUNK_OVERLAP, DEFAULT_CHUNK_SIZE
from jupyter_docchat.store.catalog import MIGRATIONS
from jupyter_docchat.store.embedding_names import DOCUMENT_TOKENS

# What a chunk's vector is computed from. Change it whenever the text or the window given to the embedding
# model changes (a store's vectors would differ); reading changes raise READERS_VERSION instead, and a
# change to which files a folder's scan keeps by default should raise READERS_VERSION too.
EMBED_INPUT = f"minilm{DOCUMENT_TOKENS}"

# bench/stores.py gives an older version without this line the same string from the same parts (its
# schema is read from its MIGRATIONS), so keep the shape: r<readers>-c<size>.<overlap>-<embed input>-s<schema>.
STORE_FORMAT = f"r{READERS_VERSION}-c{DEFAULT_CHUNK_SIZE}.{DEFAULT_CHUNK_OVERLAP}-{EMBED_INPUT}-s{len(MIGRATIONS)}"

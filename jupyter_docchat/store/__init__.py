"""Storage: what is on disk and how it is queried.

Owns the SQLite catalog with its FTS5 keyword index and numbered migrations (``catalog``), the Chroma
collection (``vectors``), the embedding models (``embeddings``) and how a query becomes keywords
(``terms``). May import ``types``, ``errors`` and ``settings`` only.
"""

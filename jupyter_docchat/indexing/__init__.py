"""Indexing: a folder becomes searchable chunks.

Owns scanning the folder (``scan``), reading files in worker processes (``reading``, ``read_worker``,
``readers/`` by format), splitting into chunks (``chunking``), the keyword pass that makes every chunk
searchable by words (``ingest``), the vector pass (``fill``) and what an update did (``report``).
May import ``store``, ``types``, ``errors`` and ``settings``; never the layers above.
"""

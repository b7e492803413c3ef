"""Retrieval: finding the chunks that answer a question.

Owns hybrid search over a small ``Retriever`` protocol (``search``), how rankings are fused
(``fusion``), measuring retrieval on a question file (``evaluation``) and the LangChain adapter
(``langchain_retriever``). May import ``store``, ``types``, ``errors`` and ``settings``; it never
reaches into ``DocIndex``, which hands it a ``Retriever``.
"""

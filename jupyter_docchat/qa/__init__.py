"""Question answering: a question and the history become a cited answer.

Owns the conversation (``conversation``: follow-ups, retrieval queries, the turn record), the chat
models (``llm``), the prompts (``prompts``) and the offline answer quoted from the sources
(``extractive``, on the units of ``answer_units``). May import the ``index`` façade and everything
below it; never ``views`` or ``notebook``.
"""

"""The messages sent to the chat model. Built as message objects, never with
``str.format`` on user text, so braces in questions and documents are safe."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jupyter_docchat.types import Hit

if TYPE_CHECKING:
    from langchain_core.messages import BaseMessage

ANSWER_SYSTEM = (
    "You answer questions about the user's documents. Use only the numbered sources below "
    "(document passages, and possibly cells of the user's notebook or descriptions of their variables). "
    "Cite every claim with the source number in square brackets, like [1] or [2]. "
    "If the sources do not contain the answer, say plainly that the documents do not say. "
    "Be concise."
)

# For a small local model: what it can follow, said last, just before it answers (shared/notes/local-models.md).
SMALL_ANSWER_SYSTEM = "You answer questions from the numbered sources the user gives, and only from them."
SMALL_ANSWER_ASK = "Answer in one sentence, then the source number in square brackets, like [1]."
SMALL_PASSAGES = 3  # a small model loses the question in more; the "two or three passages"

CONDENSE_SYSTEM = (
    "Rewrite the user's last message as one standalone question that can be understood without the "
    "conversation. Keep names and terms from the conversation. Reply with the question only."
)


def format_sources(hits: list[Hit]) -> str:
    parts = []
    for n, hit in enumerate(hits, 1):
        heading = hit.heading if hit.origin == "document" else ""  # a cell's or variable's is its location
        title = f"{hit.source}, {hit.location}" + (f", {heading}" if heading else "")
        parts.append(f"[{n}] ({title})\n{hit.text.strip()}")
    return "\n\n".join(parts)


def answer_messages(question: str, hits: list[Hit], history: list[tuple[str, str]]) -> list[BaseMessage]:
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage  # only a model needs them

    messages: list[BaseMessage] = [SystemMessage(content=ANSWER_SYSTEM)]
    for asked, answered in history:
        messages.append(HumanMessage(content=asked))
        messages.append(AIMessage(content=answered))
    messages.append(HumanMessage(content=f"Sources:\n\n{format_sources(hits)}\n\nQuestion: {question}"))
    return messages


def small_answer_messages(question: str, hits: list[Hit]) -> list[BaseMessage]:
    """A short prompt for a small local model: its few sources, the question, and the form of the answer.
    No past turns: a follow-up arrives completed by the previous question (the standalone question)."""
    from langchain_core.messages import HumanMessage, SystemMessage

    return [SystemMessage(content=SMALL_ANSWER_SYSTEM),
            HumanMessage(content=f"Sources:\n\n{format_sources(hits)}\n\nQuestion: {question}\n{SMALL_ANSWER_ASK}")]


def condense_messages(question: str, history: list[tuple[str, str]]) -> list[BaseMessage]:
    from langchain_core.messages import HumanMessage, SystemMessage

    convo = "\n".join(f"User: {q}\nAssistant: {a}" for q, a in history)
    return [
        SystemMessage(content=CONDENSE_SYSTEM),
        HumanMessage(content=f"Conversation:\n{convo}\n\nLast message: {question}\n\nStandalone question:"),
    ]

"""The messages sent to the chat model. Built as message objects, never with
``str.format`` on user text, so braces in questions and documents are safe."""

from __future__ import annotations

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from .hits import Hit

ANSWER_SYSTEM = (
    "You answer questions about the user's documents. Use only the numbered sources below. "
    "Cite every claim with the source number in square brackets, like [1] or [2]. "
    "If the sources do not contain the answer, say plainly that the documents do not say. "
    "Be concise."
)

CONDENSE_SYSTEM = (
    "Rewrite the user's last message as one standalone question that can be understood without the "
    "conversation. Keep names and terms from the conversation. Reply with the question only."
)


def format_sources(hits: list[Hit]) -> str:
    parts = []
    for n, hit in enumerate(hits, 1):
        title = f"{hit.source}, {hit.location}" + (f", {hit.heading}" if hit.heading else "")
        parts.append(f"[{n}] ({title})\n{hit.text.strip()}")
    return "\n\n".join(parts)


def answer_messages(question: str, hits: list[Hit], history: list[tuple[str, str]]) -> list[BaseMessage]:
    messages: list[BaseMessage] = [SystemMessage(content=ANSWER_SYSTEM)]
    for asked, answered in history:
        messages.append(HumanMessage(content=asked))
        messages.append(AIMessage(content=answered))
    messages.append(HumanMessage(content=f"Sources:\n\n{format_sources(hits)}\n\nQuestion: {question}"))
    return messages


def condense_messages(question: str, history: list[tuple[str, str]]) -> list[BaseMessage]:
    convo = "\n".join(f"User: {q}\nAssistant: {a}" for q, a in history)
    return [
        SystemMessage(content=CONDENSE_SYSTEM),
        HumanMessage(content=f"Conversation:\n{convo}\n\nLast message: {question}\n\nStandalone question:"),
    ]

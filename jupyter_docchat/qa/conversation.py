"""Conversational retrieval QA on LCEL runnables: condense, retrieve, answer (streamed).

The history is a plain list of dicts owned by the caller (the magics keep it in
the user namespace as ``docchat_history``); a turn is appended only once it is
complete or deliberately interrupted, so a failure never leaves half a turn.
"""

from __future__ import annotations

import functools
import json
import math
import re
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Callable

from jupyter_docchat.errors import ConnectionFailedError, DocChatError, EmptyQuestionError, ModelError, NoIndexError
from jupyter_docchat.indexing.scan import FROM_THE_INDEX, folder_gone
from jupyter_docchat.qa.answer_record import Answer
from jupyter_docchat.qa.cells import Cell, cell_hits
from jupyter_docchat.qa.extractive import asks_table, extractive_answer, with_notice
from jupyter_docchat.qa.key_guard import KeyGuard, cut_in_files, left_out_notice, shown_of, withhold_hits
from jupyter_docchat.qa.answer_levers import SHIPPED, AnswerLevers
from jupyter_docchat.qa.sections import asked_section, overview, with_section
from jupyter_docchat.qa.searcher import Searcher
from jupyter_docchat.qa.small_model import check_answer, looping_now
from jupyter_docchat.qa.table_pieces import with_named_tables, with_table_neighbours
from jupyter_docchat.types import TURN_STATUSES, Hit, TurnStatus
from jupyter_docchat.qa.llm import EXTRACTIVE, ModelChoice, chat_model, choose_model, model_error
from jupyter_docchat.qa.prompts import SMALL_PASSAGES, answer_messages, condense_messages, small_answer_messages
from jupyter_docchat.safe_text import as_typed, clean_text, cut, has_words, hide_credentials, is_blank, name_on_one_line
from jupyter_docchat.settings import Settings


@dataclass
class Turn:
    question: str = ""
    standalone: str = ""
    answer: str = ""
    sources: list[dict] = field(default_factory=list)
    model: str = ""
    time: str = field(default_factory=lambda: time.strftime("%Y-%m-%dT%H:%M:%S"))
    usage: dict | None = None
    status: TurnStatus = "ok"
    note: str = ""
    seconds: float = 0.0
    vectors_waiting: int = 0  # chunks searched by keywords only, their vectors not computed yet
    filling: bool = False  # whether a vector pass was computing them at the time
    refreshed: str = ""  # what the freshness check re-indexed before this answer ("2 changed files ...")
    notices: list[str] = field(default_factory=list)  # what the user must know about the sources (left out, gone)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Turn":
        """A turn from a history entry the user may have edited: wrong types are made to fit, never raised."""
        text = {name: clean_text(str(data[name])) for name in _TEXT_FIELDS if data.get(name) is not None}
        status = text.pop("status", "ok")
        raw_sources = data.get("sources")
        sources = [_source_entry(s, n) for n, s in enumerate(raw_sources, 1) if isinstance(s, dict)] \
            if isinstance(raw_sources, list) else []
        usage = data.get("usage")
        notices = data.get("notices")
        notices = [clean_text(n) for n in notices if isinstance(n, str)] if isinstance(notices, list) else []
        # A status edited into something else is no whole answer: not replayed as one, shown as stopped.
        return cls(**text, status=next((s for s in TURN_STATUSES if s == status), "failed"), sources=sources,
                   usage=_plain_data(usage) if isinstance(usage, dict) else None, notices=notices,
                   seconds=_number(data.get("seconds"), float), vectors_waiting=_number(data.get("vectors_waiting"), int),
                   filling=bool(data.get("filling", False)))


_TEXT_FIELDS = ("question", "standalone", "answer", "model", "time", "status", "note", "refreshed")


def _number(value: Any, kind: type) -> Any:
    try:
        number = kind(value) if value is not None else kind()
    except (TypeError, ValueError, OverflowError):
        return kind()
    return number if math.isfinite(number) else kind()  # NaN and infinity are no JSON


def _plain_data(value: dict) -> dict | None:
    """``value`` when JSON holds it as it is (a model's token counts, nested as LangChain reports them);
    None when it holds anything else (an object put there by hand, NaN)."""
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        return None
    return value


def _source_entry(source: dict, n: int) -> dict:
    entry: dict[str, Any] = {key: clean_text(str(value)) for key, value in source.items() if isinstance(value, (str, int, float))}
    entry["n"] = _number(source.get("n", n), int) or n
    entry["score"] = _number(source.get("score"), float)
    for key in ("source", "location", "text", "heading", "path"):
        entry.setdefault(key, "")
    explain = source.get("explain")
    if isinstance(explain, dict):  # shown escaped; only the known fields, in their types
        entry["explain"] = {"dense_rank": explain.get("dense_rank") if isinstance(explain.get("dense_rank"), int) else None,
                            "lexical_rank": explain.get("lexical_rank") if isinstance(explain.get("lexical_rank"), int) else None,
                            "fused": _number(explain.get("fused"), float),
                            "levers": [clean_text(str(x)) for x in explain.get("levers") or [] if isinstance(x, str)]}
    return entry


class AnswerFailed(ModelError):
    """A model error that happened after part of the answer arrived; ``turn`` holds that part."""

    def __init__(self, error: ModelError, turn: Turn) -> None:
        super().__init__(f"{error} (the partial answer was not added to the history)")
        self.error, self.turn = error, turn


def past_exchanges(history: Any, turns: int) -> list[tuple[str, str]]:
    """The last ``turns`` answered (question, answer) pairs, tolerating whatever the user put there:
    turns of ``docchat_history`` (dicts) and ``Answer`` records alike."""
    if not isinstance(history, list) or turns <= 0:
        return []
    pairs = []
    for entry in history:
        if isinstance(entry, Answer):
            entry = entry.to_dict()
        if isinstance(entry, dict) and entry.get("question") and entry.get("answer") and entry.get("status", "ok") == "ok":
            answer = cut(clean_text(str(entry["answer"])), PAST_ANSWER_CHARS, at_word=True, mark=" …")
            question = cut(clean_text(str(entry["question"])), MAX_QUESTION_CHARS, at_word=True, mark=" …")
            pairs.append((question, answer))
    return pairs[-turns:]


# A question's length at most (and of a past one given back to a model, as a history made elsewhere may hold any).
MAX_QUESTION_CHARS = 20_000
PAST_ANSWER_CHARS = 1200  # of each past answer given back to a model: the sources matter more


# Openers that continue the previous question ("And the regulators?", "What about deposits?").
_CONTINUES = re.compile(r"^\s*(and|but|also|or|so|then|what about|how about|why not|same for)\b", re.I)
# Words that stand for something named before: in the previous turn unless this question names it.
_PRONOUNS = {"it", "they", "them", "he", "she", "him", "her"}
_POSSESSIVES = {"its", "their", "theirs", "his", "hers"}
_DEMONSTRATIVES = {"this", "that", "these", "those"}
_ONE_AFTER = {"a", "an", "another", "new", "other", "each", "which", "the"}  # "a new one", not "one connection"
_PREPOSITIONS = frozenset("to in on with for from of about into onto by at like than over under inside".split())
# Words that name nothing a pronoun could stand for: question words, auxiliaries, the asker, articles,
# prepositions, pronouns and quantifiers. Not store/terms.py's STOPWORDS: "one", "some" or "many" are
# searched for, but "a new one" names nothing.
_FUNCTION_WORDS = frozenset(
    "a an the and or but so if then than what which who whom whose when where why how whether is are was were be "
    "been being am do does did doing done can could should would will shall may might must have has had having "
    "i me my mine we us our you your there here not no own one ones some any all many much more most".split()
) | _PREPOSITIONS | _PRONOUNS | _POSSESSIVES | _DEMONSTRATIVES
_CLAUSE_BOUNDARIES = frozenset("and but or while when whenever because if so before after where how that which until "
                               "since although though whereas without once".split())
_IMPERSONAL_AFTER_IT = frozenset("possible safe ok okay a worth better true necessary".split())
_ASKER = re.compile(r"^\s*(?:how|what|where|when|why|which)?\s*(?:do|can|should|could|would|will|must|may)\s+(?:i|we|you)\s+(\w+)", re.I)
# "And the regulators?", "What about it?": three words say too little to stand alone (a shape, not a bench
# figure: the follow-up pairs of bench/questions have four words or more when they name their subject).
SHORT_QUESTION_WORDS = 3


def needs_previous_turn(question: str) -> bool:
    """Whether a question cannot stand alone: too few words to say what it is about, an opener that
    continues the last question, or a word pointing back to something this question does not name.

    "How do I enable it?" and "How do I add my model to it?" point back; "... a database while it is
    in use" and "Where do programs keep their settings?" name what they point to.
    """
    words = re.findall(r"[\w'-]+", question.lower())
    if len(words) <= SHORT_QUESTION_WORDS or _CONTINUES.match(question):
        return True
    asker = _ASKER.match(question)
    main_verb = asker.group(1).lower() if asker else None  # "How do I *sort* its results": names nothing

    def named(before: list[str]) -> bool:
        return any(w not in _FUNCTION_WORDS and w != main_verb for w in before)

    for i, word in enumerate(words):
        after = words[i + 1] if i + 1 < len(words) else ""
        before = words[i - 1] if i else ""
        if word in _PRONOUNS or (word in ("one", "ones") and before in _ONE_AFTER and after in ("", *_FUNCTION_WORDS)):
            if word == "it" and after in _IMPERSONAL_AFTER_IT:
                continue  # "is it possible": it points at nothing
            boundaries = [j for j in range(i) if words[j] in _CLAUSE_BOUNDARIES]
            if not (boundaries and named(words[: boundaries[-1]])):
                return True
        elif word in _POSSESSIVES and not named(words[:i]):
            return True
        elif word in _DEMONSTRATIVES and (before in _PREPOSITIONS or after == "" or after in _FUNCTION_WORDS) \
                and not (word == "that" and (before not in _PREPOSITIONS)):
            return True
    return False


def standalone_without_model(question: str, past: list[tuple[str, str]]) -> str:
    """Without a model, a follow-up is retrieved with the previous question plus this one; a question
    that stands alone (a new topic) is retrieved as asked, so it does not inherit the old topic."""
    if not (past and needs_previous_turn(question)):
        return question
    # A follow-up of a follow-up is searched as the previous one was, back to the question that stood alone:
    # with the previous question alone, "And how is it rotated?" after "What is the deploy key?" and "And what does
    # it do?" lost the deploy key. Each question once ("And then?" asked twice adds nothing); ``past`` holds at
    # most history_turns exchanges, which bounds the chain.
    chain = [question]
    for previous, _ in reversed(past):
        if previous not in chain:
            chain.insert(0, previous)
        if not needs_previous_turn(previous):
            break
    return " ".join(chain)


def retrieval_queries(question: str, standalone: str, rewritten_by_model: bool) -> list[tuple[str, float]]:
    """Weighted queries whose rankings are fused: the standalone question leads; the words actually
    asked still count, fully for the heuristic and as a safety net for a model's rewrite."""
    queries = [(standalone, 1.0)]
    if standalone != question:
        queries.append((question, 0.5 if rewritten_by_model else 1.0))
    return queries


def fit_budget(hits: list[Hit], chars: int) -> list[Hit]:
    kept: list[Hit] = []
    used = 0
    for hit in hits:
        if kept and used + len(hit.text) > chars:
            break
        kept.append(hit)
        used += len(hit.text)
    return kept


def source_dicts(hits: list[Hit]) -> list[dict]:
    return [
        {"n": n, "id": h.id, "source": h.source, "path": h.path, "location": h.location, "heading": h.heading,
         "score": round(h.score, 4), "text": h.text, "origin": h.origin, **({"explain": h.explain} if h.explain else {})}
        for n, h in enumerate(hits, 1)
    ]


# Chunks of a stream beyond the answer's token cap: the role, the finish and the usage come as chunks of their
# own. A server that ignores the cap and never stops would otherwise hold the question for ever, since no read
# times out while words keep coming.
STREAM_SLACK = 16
# An answer the server stopped at the cap it was asked for ends mid-sentence: said, or it reads as whole.
CUT_AT_MAX_TOKENS = "the answer reached its cap of {} tokens (max_tokens) and may be cut short"

# Notebook cells cited beside the documents: fewer than the documents' k = 5, so cells add to them rather than
# crowd them out (no bench figure: no question set has notebook cells).
CELLS_PER_ANSWER = 3
SEARCH_ORDER = ("sources are in the search's order, not by the scores shown: a passage every search put first "
                "stays first, and one file gives at most two of the first five unless the others score far below "
                "(--explain shows why)")


def sources_by_score(hits: list[Hit]) -> bool:
    """Whether the document passages are listed from the highest score down (variables and cells, which
    have no score, come after them)."""
    scores = [h.score for h in hits if h.origin == "document"]
    return all(a >= b for a, b in zip(scores, scores[1:]))


# Said under an answer whose stream stopped before a configured secret: what follows on screen is its masked rest.
SECRET_IN_ANSWER = ("the model's answer held the configured API key or server token: it is masked, and its stream "
                    "stopped where it began")


# Characters of a streamed answer looked through for a secret at each token: a key's letters interleaved with more
# than this of other text are found in the whole answer at its end (masked there), not mid-stream.
STREAM_TAIL = 4096


def _stopping_at_secret(on_token: Callable[[str], None], guard: KeyGuard) -> Callable[[str], None]:
    """``on_token`` for a model's stream, given no token from the one with which the answer so far holds a configured
    secret (a block of it): what was shown holds none, and the answer shown at the end has it masked."""
    tail = [""]
    stopped: list[bool] = []

    def deliver(token: str) -> None:
        # A secret the answer completes with this token ends in its last characters: looking through the whole
        # answer at every token was quadratic (0.16 s of checks for 1,024 tokens, 2.6 s for 4,096).
        tail[0] = (tail[0] + token)[-STREAM_TAIL:]
        if not stopped and guard.holds(tail[0]):
            stopped.append(True)
        if not stopped:
            on_token(token)

    return deliver


class Conversation:
    def __init__(self, index: Searcher, settings: Settings, levers: AnswerLevers = SHIPPED) -> None:
        self.index, self.settings, self.levers = index, settings, levers

    def ask(self, question: str, history: list, *, model: str | None = None, k: int | None = None,
            on_token: Callable[[str], None] | None = None, on_sources: Callable[[Turn], None] | None = None,
            explain: bool = False, variables: list[Hit] | None = None, cells: list[Cell] | None = None) -> Turn:
        """Answer ``question`` from the indexed documents and, when given, the described ``variables``
        (all of them, cited after the documents) and the notebook ``cells`` that match it best."""
        question = as_typed(question or "").strip()  # a pasted colour code is no part of what is asked
        if is_blank(question):  # escapes, controls and zero-width characters alone: nothing to search for
            raise EmptyQuestionError("the question is empty")
        if not has_words(question):
            raise EmptyQuestionError("the question has no words, only punctuation or symbols: ask it in words")
        if len(question) > MAX_QUESTION_CHARS:  # a pasted log or file: seconds per search, kept whole in the history
            raise DocChatError(f"the question is {len(question):,} characters long: ask in at most "
                               f"{MAX_QUESTION_CHARS:,} (a longer text is better put in a file of the indexed folder)")
        started = time.perf_counter()
        s = self.settings
        # Nothing holding a configured key reaches a model, the answer or the history; what is left out is named.
        guard = KeyGuard.of(s)
        if guard.holds(question, short=False):  # pasted with the question: sent to the model and kept in every saved history
            raise DocChatError("the question holds the configured API key or server token, which is never sent to "
                               "a model or kept in the history: ask it without the key")
        try:
            folder, refreshed = self._indexed_folder(bool(variables or cells)), None  # before any model call
        except NoIndexError:
            # A collection emptied with its folder (docchat index of it, or the check before a question), whose folder
            # holds files again: read as any change is; it said "nothing indexed in collection ... yet" (probe 23).
            refreshed = self.index.refresh() if s.auto_update else None
            if refreshed is None:
                raise
            folder = self._indexed_folder(bool(variables or cells))
        documents = folder is not None
        if refreshed is None:
            refreshed = self.index.refresh() if s.auto_update and documents else None
        choice = choose_model(s, model)
        llm = chat_model(s, choice) if choice.kind != EXTRACTIVE else None
        past = past_exchanges(history, s.history_turns)
        past_withheld = [n for n, (q, a) in enumerate(past, 1) if guard.holds(f"{q}\n{a}", short=False)]
        past = [exchange for n, exchange in enumerate(past, 1) if n not in past_withheld]
        k = min(k or s.k, SMALL_PASSAGES) if choice.small else k or s.k
        prepared = self._prepare(llm, choice, past, k, explain, documents, question)
        hits = prepared["hits"]
        cells, left_out = guard.withhold(list(cells or []), lambda c: c.text, lambda c: c.label)
        if cells:
            queries = retrieval_queries(question, prepared["standalone"], llm is not None and not choice.small)
            hits = hits + cell_hits(cells, queries, self._embed_units(), CELLS_PER_ANSWER, progress=s.progress)
        # Each file's chunks read once an answer: the key checks, the section and the tables all look at them.
        file_chunks = functools.lru_cache(maxsize=None)(self._file_chunks)
        # A source's heading and file name reach the model and the history beside its text: all three are looked at.
        hits, withheld = withhold_hits(guard, hits + list(variables or []), file_chunks)
        notices = [left_out_notice(left_out + withheld)] if left_out or withheld else []
        if past_withheld:
            some = "an earlier exchange" if len(past_withheld) == 1 else f"{len(past_withheld)} earlier exchanges"
            notices.append(f"{some} holding the configured API key or server token left out of the conversation")
        if not sources_by_score(hits):
            notices.append(SEARCH_ORDER)
        if documents and not s.server and folder_gone(folder):
            # masked: a folder named after the key; on one line: one named "docs\n\nSources:\n  [1] ..." forged the sources
            notices.append(f"the folder {guard.masked(name_on_one_line(str(folder)))} is gone: {FROM_THE_INDEX}")
        if refreshed is not None and refreshed.kept:
            notices.append(guard.masked(refreshed.kept))
        # Offline, a question naming a short section is answered from all of it (a model is given what was retrieved).
        section = asked_section(question, hits, file_chunks, self.levers) if llm is None and documents else None
        if section is not None and guard and (any(guard.holds(shown_of(c)) for c in section.chunks)
                                              or guard.split_between([c.text for c in section.chunks])):
            section = None  # the whole section would quote a part left out above
        if section is not None:
            hits, section_number = with_section(hits, section)
        elif llm is None and documents:
            cut: dict[str, set[str]] = {}  # per file, the chunks holding a key between them (a table's rest is of one file)

            def withheld_piece(c: Hit) -> bool:
                if c.source not in cut:
                    cut[c.source] = cut_in_files(guard, file_chunks(c.source), file_chunks)
                return guard.holds(shown_of(c)) or c.id in cut[c.source]

            hits = self._table_sources(question, hits, lambda c: bool(guard) and withheld_piece(c), file_chunks)
        waiting = self.index.vectors_waiting() if documents else 0
        turn = Turn(question, prepared["standalone"], sources=source_dicts(hits), model=choice.label,
                    vectors_waiting=waiting, filling=bool(waiting) and self.index.filling(),
                    refreshed=refreshed.changes() if refreshed else "", notices=notices)
        if on_sources:
            on_sources(turn)
        if llm is None:
            standalone = prepared["standalone"]
            if section is not None:
                turn.answer = with_notice(overview(section, section_number, self.levers), choice.why)
            else:
                turn.answer = extractive_answer(question, hits, choice.why, context=standalone if standalone != question else "",
                                                embed=self._embed_units(), levers=self.levers)
            turn.note = "extractive"
        elif choice.small:
            self._small_answer(llm, s, choice, question, prepared["standalone"], hits, turn)
        else:
            self._stream(llm, s, choice, answer_messages(question, hits, past), turn,
                         _stopping_at_secret(on_token, guard) if on_token and guard else on_token)
        if guard and guard.holds(turn.answer):
            # A server that wrote the key back (an echo, a proxy's error text sent as a reply): %%ask showed it and the
            # history kept it (probe 14). Masked where written whole, the whole answer withheld otherwise.
            turn.answer = guard.masked(turn.answer)
            turn.notices.append(SECRET_IN_ANSWER)
        turn.seconds = round(time.perf_counter() - started, 3)
        history.append(turn.to_dict())
        return turn

    def _file_chunks(self, source: str) -> list[Hit]:
        """A source's file as the store holds it now: none when another kernel's update removed the collection's
        last file since the search (the answer is read from what was found, no more)."""
        try:
            return self.index.file_chunks(source)
        except NoIndexError:
            return []

    def _table_sources(self, question: str, hits: list[Hit], withheld: Callable[[Hit], bool],
                       file_chunks: Callable[[str], list[Hit]]) -> list[Hit]:
        """Offline, the sources with the rest of a table they hold a piece of or name (qa/table_pieces.py)."""
        if self.levers.table_neighbours:
            hits = with_table_neighbours(hits, file_chunks, withheld)
        if self.levers.named_tables and asks_table(question):
            hits = with_named_tables(hits, file_chunks, withheld)
        return hits

    def _embed_units(self) -> Callable[[list[str]], list[list[float]]]:
        """How the extractive answer embeds its units: on the questions' own session when there is one."""
        embedder = self.index.embedder()
        return getattr(embedder, "embed_queries", None) or embedder.embed_documents

    def _indexed_folder(self, other_sources: bool) -> str | None:
        """The folder of the indexed documents, None when there are none to search; with variables or
        cells to answer from, a missing index is no error."""
        try:
            return self.index.ensure_ready() or ""  # a server's collection may name no folder
        except NoIndexError:
            if not other_sources:
                raise
            return None

    def _prepare(self, llm: Any, choice: ModelChoice, past: list[tuple[str, str]], k: int, explain: bool,
                 documents: bool, question: str) -> dict:
        """The standalone question and the documents' hits. Without a model these are plain calls; with
        one they run as a LangChain chain, so its callbacks and tracing see the rewrite and retrieval."""

        def condense(inputs: dict) -> str:
            question = inputs["question"]
            if not past:
                return question
            if llm is None or choice.small:  # a small model's rewrite ran to its cap and was thrown away
                return standalone_without_model(question, past)
            try:
                reply = llm.invoke(condense_messages(question, past))
            except Exception as exc:
                raise model_error(exc, self.settings, choice) from None
            rewritten = str(reply.content).strip()
            # A rewrite the server cut at max_tokens is half a question: retrieval would search for it
            whole = 0 < len(rewritten) <= 500 and not _cut_at_cap(reply)
            return rewritten if whole else standalone_without_model(question, past)

        def retrieve(inputs: dict) -> list[Hit]:
            if not documents:
                return []
            queries = retrieval_queries(inputs["question"], inputs["standalone"], llm is not None and not choice.small)
            return fit_budget(self.index.search(queries, k=k, explain=explain), choice.context_chars)

        if llm is None:  # LangChain's import is most of a first offline answer's time
            inputs = {"question": question}
            inputs["standalone"] = condense(inputs)
            return {**inputs, "hits": retrieve(inputs)}
        from langchain_core.runnables import RunnableLambda, RunnablePassthrough  # loaded at the first question

        chain = RunnablePassthrough.assign(standalone=RunnableLambda(condense)) | RunnablePassthrough.assign(
            hits=RunnableLambda(retrieve)
        )
        return chain.invoke({"question": question})

    def _small_answer(self, llm: Any, s: Settings, choice: ModelChoice, question: str, standalone: str,
                      hits: list[Hit], turn: Turn) -> None:
        """A small local model's answer, shown only once checked (so not streamed): repeated sentences
        cut, and set aside for the extractive answer, saying why, when it loops or cites no source."""
        stopped = self._stream(llm, s, choice, small_answer_messages(standalone, hits), turn, None,
                               stop_when=looping_now)
        if turn.status != "ok":
            return
        capped = stopped or (turn.usage or {}).get("output_tokens", 0) >= choice.max_tokens
        checked = check_answer(turn.answer, len(hits), capped=capped)
        if not checked.problem:
            turn.answer = checked.text
            return
        why = f"the answer of {choice.label} was set aside because it {checked.problem}"
        turn.answer = extractive_answer(question, hits, why, context=standalone if standalone != question else "",
                                        embed=self._embed_units(), levers=self.levers)
        turn.model, turn.note = EXTRACTIVE, "extractive"

    def _stream(self, llm: Any, s: Settings, choice: ModelChoice, messages: list, turn: Turn,
                on_token: Callable[[str], None] | None, stop_when: Callable[[str], bool] | None = None) -> bool:
        """The model's answer into ``turn``; ``stop_when`` ends it early (the text so far shows it looping),
        and then True is returned."""
        parts: list[str] = []
        cut = False  # the server stopped the answer at max_tokens (finish_reason "length")
        finished = False  # the server said the answer ended (a finish_reason): a stream cut short says nothing
        try:
            for received, chunk in enumerate(stream := llm.stream(messages)):
                if received > choice.max_tokens + STREAM_SLACK:
                    stream.close()  # now: the traceback would keep the connection open, the server writing
                    turn.answer, turn.status = "".join(parts), "failed"
                    url = hide_credentials(choice.base_url or "https://api.openai.com/v1")
                    raise AnswerFailed(ModelError(f"the model server at {url} kept streaming past the "
                                                  f"{choice.max_tokens} tokens asked for: the answer was stopped"), turn)
                text = clean_text(chunk.content) if isinstance(chunk.content, str) else ""
                if text:
                    parts.append(text)
                    if on_token:
                        on_token(text)
                if getattr(chunk, "usage_metadata", None):
                    turn.usage = dict(chunk.usage_metadata)
                cut = cut or _cut_at_cap(chunk)
                finished = finished or bool((getattr(chunk, "response_metadata", None) or {}).get("finish_reason"))
                if stop_when and text and stop_when("".join(parts)):
                    turn.answer = "".join(parts)
                    return True  # leaving the stream closes it, and the server stops generating
        except KeyboardInterrupt:
            turn.answer, turn.status = "".join(parts), "interrupted"
            return False
        except DocChatError:
            raise
        except Exception as exc:
            error = model_error(exc, s, choice, mid_stream=bool(parts))
            if parts:
                turn.answer, turn.status = "".join(parts), "failed"
                raise AnswerFailed(error, turn) from None
            raise error from None
        turn.answer = "".join(parts)
        if parts and not finished:
            # The server closed the stream mid-answer without an error (a proxy's timeout, a crashed worker, an event
            # cut in half): "The axolotl is " was taken as a whole answer and kept in the history (probe 38).
            turn.status = "failed"
            url = hide_credentials(choice.base_url or "https://api.openai.com/v1")
            raise AnswerFailed(ConnectionFailedError(f"the model server at {url} ended the stream in the middle of "
                                                     "the answer, without saying it was finished"), turn)
        if cut and not choice.small:  # a small model's capped answer is checked instead (_small_answer)
            turn.notices.append(CUT_AT_MAX_TOKENS.format(choice.max_tokens))
        return False


def _cut_at_cap(message: Any) -> bool:
    """Whether the server stopped a reply (or a streamed chunk's end) at the max_tokens it was asked for."""
    return (getattr(message, "response_metadata", None) or {}).get("finish_reason") == "length"

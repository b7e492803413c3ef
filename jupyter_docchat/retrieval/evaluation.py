"""Measure retrieval on your own questions: R@1, R@k and MRR@10 for dense, lexical and hybrid search.

A question file is JSON Lines, one object a line::

    {"question": "What is the deposit insurance limit?", "expected": ["deposit_insurance.pdf"]}

``expected`` names the files (relative to the indexed folder) that answer it; ``answer`` (keywords)
may be given too: such a question is also asked, and the report says whether the answer holds every
keyword, and whether its sources do (what an answer could quote at best).
"""

from __future__ import annotations

import html
import json
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Collection, Iterable, Protocol, Sequence

from jupyter_docchat.displayable import Displayable
from jupyter_docchat.errors import DocChatError, SettingError, first_line
from jupyter_docchat.safe_text import as_typed, clean_text, for_terminal, has_words, is_blank
from jupyter_docchat.types import SEARCH_MODES, Hit, SearchMode
from jupyter_docchat.paths import user_path
from jupyter_docchat.settings import check_setting


class Searcher(Protocol):
    """Anything that searches like ``DocIndex.search``."""

    def search(self, query: str, k: int = 5, mode: SearchMode = "hybrid") -> list[Hit]:
        """The ``k`` best chunks for ``query``."""


MODES = SEARCH_MODES
MRR_DEPTH = 10


class _Quoted(Protocol):
    @property
    def text(self) -> str: ...


class Answered(Protocol):
    """Anything ``DocIndex.ask`` returns: the answer's text and its sources' texts (read-only, as a frozen record's)."""

    @property
    def text(self) -> str: ...

    @property
    def sources(self) -> Sequence[_Quoted]: ...


class EvalFileError(DocChatError):
    """A question file that cannot be read, or a line in it that is not a question."""


def load_questions(path: str | Path) -> list[dict[str, Any]]:
    """The questions of a JSONL file; a bad line is a one-line error naming its number."""
    if isinstance(path, str) and not path.strip():  # Path("") is the working directory: "cannot read ."
        raise EvalFileError("no questions file given: name a JSONL file of questions")
    if "\x00" in os.fspath(path):  # no file name holds one: it failed as "the store ... failed: embedded null byte"
        raise EvalFileError(f"{os.fspath(path)!r} holds a NUL character: name a JSONL file of questions")
    path = user_path(path)
    if path.exists() and not path.is_file():  # a FIFO or a device would be read until it ends: never, for /dev/zero
        raise EvalFileError(f"{path} is not a file: name a JSONL file of questions")
    try:
        # JSON Lines end at "\n" alone: splitlines() would also cut at U+2028, U+0085 or a form feed, which
        # a JSON string may hold as they are (json.dumps(..., ensure_ascii=False) writes them so).
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise EvalFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise EvalFileError(f"{path} is not UTF-8 text") from None
    if text.lstrip().startswith("["):  # a JSON array of questions (a .json file), one line or many
        listed = _json_array(text, path)
        if listed is not None:
            questions = [check_question(entry, f"{path}, question {n}") for n, entry in enumerate(listed, 1)]
            if not questions:
                raise EvalFileError(f"{path} holds no questions: write one JSON object a line")
            return questions
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    questions = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line.strip())  # a form feed or U+2028 around it is no part of it
        except json.JSONDecodeError as exc:
            raise EvalFileError(f"{path}, line {number}: not JSON ({exc.msg})") from None
        except RecursionError:
            raise EvalFileError(f"{path}, line {number}: nested too deeply to be a question") from None
        except ValueError as exc:  # a number of over 4,300 digits
            raise EvalFileError(f"{path}, line {number}: not a question ({first_line(exc)})") from None
        questions.append(check_question(entry, f"{path}, line {number}"))
    if not questions:
        raise EvalFileError(f"{path} holds no questions: write one JSON object a line")
    return questions


def _json_array(text: str, path: Path) -> list[Any] | None:
    """The list a whole file holds as JSON, or None when it is JSON Lines after all (read line by line then, a bad
    line named). An array with a mistake in it (a comma left after the last question, or one missing between two)
    is named at the mistake's line: read line by line, it was "line 1: not JSON" for its opening "[" (probe 16)."""
    try:
        value = json.loads(text)
    except RecursionError:
        return None
    except json.JSONDecodeError as exc:
        first = text.lstrip().split("\n", 1)[0]
        if _is_json(first):  # a list on the first line alone: JSON Lines, their first line not a question
            return None
        raise EvalFileError(f"{path}, line {exc.lineno}: not JSON ({exc.msg})") from None
    except ValueError:
        return None
    # A list of questions with an entry that is none is named by that entry's number (it was "line 1").
    return value if isinstance(value, list) and (not value or any(isinstance(entry, dict) for entry in value)) else None


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def check_question(entry: Any, where: str) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise EvalFileError(f"{where}: expected an object with \"question\" and \"expected\"")
    question, expected = entry.get("question"), entry.get("expected")
    # A lone surrogate ("\ud800" in JSON) is U+FFFD, as in a question to %ask: kept in the report, its HTML failed to
    # encode where a kernel sends a display (probe 16).
    question = clean_text(question) if isinstance(question, str) else question
    if not isinstance(question, str) or not question.strip():
        raise EvalFileError(f"{where}: \"question\" must be a non-empty string")
    # As search refuses it: found among the others after the questions before it were searched, it stopped the run
    # with "the query has no words ...", naming no line (probe 22).
    if is_blank(question) or not has_words(as_typed(question)):
        raise EvalFileError(f"{where}: \"question\" has no words, only punctuation, symbols or invisible characters")
    if isinstance(expected, str):
        expected = [expected]
    if not isinstance(expected, list) or not expected or not all(isinstance(e, str) and e.strip() for e in expected):
        raise EvalFileError(f"{where}: \"expected\" must list the files that answer it, e.g. [\"notes/report.md\"]")
    answer = entry.get("answer", [])
    if isinstance(answer, str):
        answer = [answer]
    if not isinstance(answer, list) or not all(isinstance(a, str) for a in answer):
        raise EvalFileError(f"{where}: \"answer\" must list the words a good answer holds, e.g. [\"$250,000\"]")
    return {"question": question.strip(), "expected": [_normal(clean_text(e)) for e in expected],
            "answer": [clean_text(a) for a in answer]}


def _normal(rel: str) -> str:
    return PurePosixPath(rel.strip().replace("\\", "/")).as_posix().removeprefix("./")


@dataclass
class EvalReport(Displayable):
    """Scores per mode and the rank of the first expected file per question and mode."""

    k: int
    summary: dict[str, dict[str, float]] = field(default_factory=dict)  # mode -> {R@1, R@k, MRR@10}
    rows: list[dict[str, Any]] = field(default_factory=list)  # question, expected, rank per mode (None: not found)
    # Expected files the index does not hold (a typo, a file never indexed or skipped): their questions score 0
    # in every mode, and the report says why rather than leave a low figure unexplained.
    unindexed: list[str] = field(default_factory=list)
    # Of the questions with "answer" keywords (each asked once): how many were asked, how many answers hold every
    # keyword, and how many answers' sources do. Empty when no question has keywords.
    answers: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"k": self.k, "summary": self.summary, "questions": self.rows, "unindexed": self.unindexed,
                "answers": self.answers}

    def _answers_line(self) -> str:
        if not self.answers:
            return ""
        a = self.answers
        return (f"answers: {a['answered']} of {a['asked']} hold every keyword of their \"answer\" "
                f"(their sources hold them for {a['sources hold']})")

    def _unindexed_note(self) -> str:
        if not self.unindexed:
            return ""
        shown = ", ".join(self.unindexed[:5]) + (f" and {len(self.unindexed) - 5} more" if len(self.unindexed) > 5 else "")
        return (f"{len(self.unindexed)} expected file{'s are' if len(self.unindexed) > 1 else ' is'} not in the index "
                f"(their questions count as not found; check the path, relative to the indexed folder): {shown}")

    def frames(self) -> tuple[Any, Any]:
        """(summary, per question) as pandas DataFrames; needs pandas."""
        import pandas as pd

        summary = pd.DataFrame(self.summary).T.rename_axis("mode")
        per_question = pd.DataFrame([{"question": r["question"], **{m: r[m] for m in MODES}} for r in self.rows])
        return summary, per_question

    def __str__(self) -> str:
        names = ["R@1", f"R@{self.k}", f"MRR@{MRR_DEPTH}"]
        lines = [f"{'mode':8} " + " ".join(f"{n:>7}" for n in names)]
        lines += [f"{m:8} " + " ".join(f"{self.summary[m][n]:7.3f}" for n in names) for m in MODES]
        if self.answers:
            lines += ["", self._answers_line()]
        lines += ["", "rank of the first expected file (- = not in the first 10)"
                  + ("; answer: yes / no (no* : its sources hold the keywords)" if self.answers else "") + ":",
                  f"{'dense':>5} {'lex':>5} {'hyb':>5}  " + ("answer  " if self.answers else "") + "question"]
        for r in self.rows:
            ranks = " ".join(f"{r[m] if r[m] else '-':>5}" for m in MODES)
            verdict = f"{_verdict(r):<6}  " if self.answers else ""
            lines.append(f"{ranks}  {verdict}{' '.join(r['question'].split())}")
        if self.unindexed:
            lines += ["", self._unindexed_note()]
        return for_terminal("\n".join(lines))

    def __repr__(self) -> str:
        return str(self)

    def to_html(self) -> str:
        names = ["R@1", f"R@{self.k}", f"MRR@{MRR_DEPTH}"]
        head = "".join(f"<th>{n}</th>" for n in names)
        body = "".join(f"<tr><th>{m}</th>" + "".join(f"<td>{self.summary[m][n]:.3f}</td>" for n in names) + "</tr>"
                       for m in MODES)
        answer_head = "<th>answer</th>" if self.answers else ""
        rows = "".join(
            "<tr>" + "".join(f"<td>{r[m] or '–'}</td>" for m in MODES)
            + (f"<td>{html.escape(_verdict(r))}</td>" if self.answers else "")
            + f"<td style='text-align:left'>{html.escape(r['question'])}</td>"
            f"<td style='text-align:left'>{html.escape(', '.join(r['expected']))}</td></tr>"
            for r in self.rows)
        note = f"<p>{html.escape(self._unindexed_note())}</p>" if self.unindexed else ""
        answers = f"<p>{html.escape(self._answers_line())}</p>" if self.answers else ""
        # Without control characters, as the text: a question file's NUL or bidirectional override reached the page.
        return for_terminal(f'<div class="docchat-eval"><table><tr><th>mode</th>{head}</tr>{body}</table>{answers}{note}'
                f"<details><summary>{len(self.rows)} question{'' if len(self.rows) == 1 else 's'}: rank of the first "
                f"expected file</summary>"
                f"<table><tr><th>dense</th><th>lexical</th><th>hybrid</th>{answer_head}<th>question</th><th>expected</th>"
                f"</tr>{rows}</table></details></div>")


def _verdict(row: dict[str, Any]) -> str:
    if row.get("answered") is None:
        return "-"
    return "yes" if row["answered"] else "no*" if row["sources hold"] else "no"


def _holds(text: str, keywords: list[str]) -> bool:
    """Every keyword in ``text``, whatever the case (as bench/answers.py scores), the Unicode form and the white space.

    A keyword typed on a Mac ("crème brûlée" decomposed, as its file names and some editors write it) never matched
    the page's composed text, nor "financial" a PDF's "ﬁnancial" ligature, nor "deposit insurance" a source that
    breaks the line between the words: each was scored "no", its sources not holding it either (probe 19)."""
    folded = _folded(text)
    return all(_folded(keyword) in folded for keyword in keywords if keyword.strip())


def _folded(text: str) -> str:
    """``text`` as compared: compatibility-composed, case-folded (which may decompose again: "İ"), one space for
    each run of white space."""
    return " ".join(unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold()).split())


def _checked_k(k: Any) -> int:
    """``k`` as a whole number from 1 to MRR_DEPTH (2.0 and NumPy's integers too), as the other settings read it:
    k="5" failed as the store's fault ("'<=' not supported"), and 5.5 or True made a report of "R@5.5" (probe 16)."""
    try:
        whole = check_setting("k", k)
    except SettingError:
        whole = 0
    if not 1 <= whole <= MRR_DEPTH:
        raise SettingError(f"k must be a whole number between 1 and {MRR_DEPTH}, not {k!r}")
    return int(whole)


def evaluate(index: Searcher, questions: Iterable[dict[str, Any]], k: int = 5,
             indexed: Collection[str] | None = None, ask: Callable[[str], Answered] | None = None) -> EvalReport:
    """Ask every question in every mode; a question's rank is that of the first source from an expected file.
    ``indexed``: the files the index holds, when known, so that expected files outside it are named. ``ask``:
    how a question is answered (``DocIndex.ask``), for the questions with "answer" keywords."""
    k = _checked_k(k)
    checked = [check_question(q, f"question {n}") for n, q in enumerate(questions, 1)]
    if not checked:
        raise EvalFileError("no questions to evaluate")
    report = EvalReport(k=k)
    totals = {m: [0.0, 0.0, 0.0] for m in MODES}
    for q in checked:
        row = {"question": q["question"], "expected": q["expected"]}
        for mode in MODES:
            files = [h.source for h in index.search(q["question"], k=MRR_DEPTH, mode=mode)]
            rank = next((n for n, f in enumerate(files, 1) if f in q["expected"]), None)
            row[mode] = rank
            totals[mode][0] += rank == 1
            totals[mode][1] += rank is not None and rank <= k
            totals[mode][2] += 1.0 / rank if rank else 0.0
        if ask is not None and any(keyword.strip() for keyword in q["answer"]):
            answer = ask(q["question"])
            row["answered"] = _holds(answer.text, q["answer"])
            row["sources hold"] = _holds("\n".join(source.text for source in answer.sources), q["answer"])
        report.rows.append(row)
    if indexed is not None:
        report.unindexed = sorted({e for q in checked for e in q["expected"] if e not in indexed})
    asked = [r for r in report.rows if r.get("answered") is not None]
    if asked:
        report.answers = {"asked": len(asked), "answered": sum(r["answered"] for r in asked),
                          "sources hold": sum(r["sources hold"] for r in asked)}
    n = len(checked)
    report.summary = {m: {"R@1": t[0] / n, f"R@{k}": t[1] / n, f"MRR@{MRR_DEPTH}": t[2] / n} for m, t in totals.items()}
    return report

"""The bench's own machinery: the split of the question sets, stores keyed by format, another commit's package."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import halves  # noqa: E402
import split_questions  # noqa: E402
import stores  # noqa: E402
import vs  # noqa: E402

from jupyter_docchat import DocIndex  # noqa: E402


def write_set(path: Path, questions: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(q) + "\n" for q in questions))


def question(qid: str, kind: str = "fact", **extra: object) -> dict:
    return {"id": qid, "kind": kind, "question": f"q {qid}?", "files": ["x.md"], "keywords": ["x"], **extra}


def test_every_question_of_the_repository_is_in_one_half() -> None:
    split = split_questions.read_split()
    sets = split_questions.question_sets()
    missing = [f"{name}/{q['id']}" for name, qs in sets.items() for q in qs if q["id"] not in split["sets"].get(name, {})]
    assert not missing, "run python bench/split_questions.py"
    assert not split_questions.split_pairs_apart(split, sets)
    for name, questions in sets.items():
        if len(questions) >= 44:  # a corpus's full set: at least 20 questions in each half
            count = Counter(split["sets"][name][q["id"]] for q in questions)
            assert min(count["tune"], count["test"]) >= 20, (name, count)


def test_the_halves_of_a_set_part_it() -> None:
    path = BENCH / "questions" / "sqlite.jsonl"
    everything = split_questions.load(path)
    tune, test = (halves.select(everything, path, half) for half in ("tune", "test"))
    assert sorted(q["id"] for q in tune + test) == sorted(q["id"] for q in everything)
    assert not {q["id"] for q in tune} & {q["id"] for q in test}
    assert [q["id"] for q in test] == [q["id"] for q in everything if q in test]  # file order, pairs in turn


def test_a_rerun_splits_only_the_new_questions(tmp_path: Path) -> None:
    qdir = tmp_path / "questions"
    first = [question(f"a{i}") for i in range(8)] + [
        question("p1a", "follow-up", pair="p1"), question("p1b", "follow-up", pair="p1")]
    write_set(qdir / "a.jsonl", first)
    split = {"seed": 7, "sets": {}}
    split_questions.update(split, split_questions.question_sets(qdir))
    before = dict(split["sets"]["a"])
    again = {"seed": 7, "sets": {}}
    split_questions.update(again, split_questions.question_sets(qdir))
    assert again["sets"]["a"] == before  # the seed decides
    write_set(qdir / "a.jsonl", first + [question(f"n{i}", "paraphrase") for i in range(4)])
    write_set(qdir / "sub" / "b.jsonl", [question(f"b{i}", "how-to", ident=True) for i in range(6)])
    added = split_questions.update(split, split_questions.question_sets(qdir))
    assert {k: v for k, v in split["sets"]["a"].items() if k in before} == before
    assert set(added) == {"a", "sub/b"} and set(added["a"]) == {f"n{i}" for i in range(4)}
    assert Counter(added["a"].values()) == Counter(tune=2, test=2)
    assert Counter(split["sets"]["sub/b"].values()) == Counter(tune=3, test=3)
    assert split["sets"]["a"]["p1a"] == split["sets"]["a"]["p1b"]
    assert split_questions.update(split, split_questions.question_sets(qdir)) == {}


units = st.lists(st.tuples(st.sampled_from(["fact", "how-to", "paraphrase", "follow-up"]), st.booleans()),
                 min_size=1, max_size=60)


@settings(max_examples=200, deadline=None)
@given(units, st.integers(0, 2**32))
def test_a_split_keeps_pairs_whole_and_kinds_even(drawn: list[tuple[str, bool]], seed: int) -> None:
    questions: list[dict] = []
    for n, (kind, ident) in enumerate(drawn):
        if kind == "follow-up":
            questions += [question(f"f{n}a", kind, pair=f"f{n}", ident=ident), question(f"f{n}b", kind, pair=f"f{n}")]
        else:
            questions.append(question(f"q{n}", kind, ident=ident))
    halves_of = split_questions.split_new("set", questions, {}, seed)
    assert set(halves_of) == {q["id"] for q in questions}
    assert all(halves_of[f"f{n}a"] == halves_of[f"f{n}b"] for n, (kind, _) in enumerate(drawn) if kind == "follow-up")
    for kind in ("fact", "how-to", "paraphrase", "follow-up"):
        count = Counter(halves_of[q["id"]] for q in questions if q["kind"] == kind)
        assert abs(count["tune"] - count["test"]) <= (2 if kind == "follow-up" else 1)
    count = Counter(halves_of.values())
    assert abs(count["tune"] - count["test"]) <= 4
    assert split_questions.split_new("set", questions, {}, seed) == halves_of


@pytest.fixture
def legacy_store(tmp_path: Path) -> Path:
    """A bench root holding one corpus indexed the way bench/stores.py did before formats (ROOT/NAME/store)."""
    folder = tmp_path / "tiny" / "corpus" / "tiny"
    folder.mkdir(parents=True)
    (folder / "notes.md").write_text("# Tiny\n\nThe tiny corpus says that kettles boil water.\n")
    index = DocIndex(tmp_path / "tiny" / "store")
    index.update(folder.parent)
    index.close()
    return tmp_path


def test_a_store_from_before_formats_serves_the_format_it_was_made_with(legacy_store: Path) -> None:
    fmt = stores.package_format()
    assert stores.recorded_format(legacy_store / "tiny" / "store") == fmt
    assert stores.store_of(legacy_store, "tiny") == legacy_store / "tiny" / "store"
    other = fmt.replace("r", "r9", 1)  # another readers version reads otherwise: a store of its own
    assert stores.store_of(legacy_store, "tiny", other) == legacy_store / "tiny" / "stores" / other


def test_a_newer_schema_copies_the_store_instead_of_embedding_again(legacy_store: Path, monkeypatch, capsys) -> None:
    stem, _, schema = stores.package_format().rpartition("-s")
    newer = f"{stem}-s{int(schema) + 1}"
    monkeypatch.setattr(stores, "package_format", lambda: newer)
    index = stores.ensure_store(legacy_store, "tiny", update=False)
    try:
        assert index.catalog.files(index.collection) and index.vectors_waiting() == 0
        assert [h.source for h in index.search("What do kettles do?", k=1)] == ["tiny/notes.md"]
    finally:
        index.close()
    out = capsys.readouterr().out
    assert "copying" in out and "building" not in out
    assert (legacy_store / "tiny" / "stores" / newer / "docchat.sqlite").exists()


def test_another_commit_runs_from_its_own_package(tmp_path: Path) -> None:
    other = vs.checkout("HEAD")
    try:
        probe = tmp_path / "probe.py"  # like a bench script: its folder holds no package
        probe.write_text("import json, docchat, jupyter_docchat\n"
                         "print(json.dumps([docchat.__file__, jupyter_docchat.__file__]))\n")
        run = subprocess.run([sys.executable, str(probe)], env=other.env(), cwd=other.package,
                             capture_output=True, text=True, check=True)
        for path in json.loads(run.stdout):
            assert Path(path).resolve().is_relative_to(other.package.resolve())
        assert other.fmt.startswith("r") and "-s" in other.fmt
    finally:
        other.close()
    assert not other.package.exists()


def test_the_lever_tables_keep_rule_counts_questions_and_checks_issue_24s_rule() -> None:
    import retrieval

    corpora, sizes = ["a", "b"], {"a": (20,), "b": (20,)}
    sides = {"dense": {"a": (0.50, 0.80), "b": (0.50, 0.80)}, "lexical": {"a": (0.40, 0.70), "b": (0.60, 0.70)}}
    base = {"a": (0.55, 0.85), "b": (0.55, 0.85)}
    one_down_more_up = {"a": (0.50, 0.85), "b": (0.65, 0.90)}  # a loses one question at R@1: allowed
    two_down = {"a": (0.45, 0.85), "b": (0.75, 0.95)}  # a loses two
    below_words = {"a": (0.60, 0.90), "b": (0.55, 0.85)}  # b's R@1 .55 under lexical's .60 - 0.02
    assert retrieval.keep_verdict(corpora, one_down_more_up, base, sides, sizes) == "keep"
    assert retrieval.keep_verdict(corpora, two_down, base, sides, sizes).startswith("drop (loses on a R@1")
    assert "rule fails on b R@1" in retrieval.keep_verdict(corpora, below_words, base, sides, sizes)
    assert retrieval.keep_verdict(corpora, base, base, sides, sizes) == "rule fails on b R@1"


def test_a_saved_replay_answers_as_the_recorded_calls_did(tmp_path: Path) -> None:
    """bench/answer_replay.py --save/--load: the extractor's arguments kept in a file give the same answers when loaded,
    the session's embedder made again from its name (a session does not pickle)."""
    import answer_replay

    from jupyter_docchat.qa.extractive import extractive_answer
    from jupyter_docchat.store.embeddings import make_embeddings
    from jupyter_docchat.types import Hit

    embed = make_embeddings(None).embed_queries
    hits = [Hit(id="1", text="Run the server on another port with --port 8001. Port 5000 is the default.", source="run.md"),
            Hit(id="2", text="If port 5000 is in use, the server stops with an error.", source="faq.md")]
    question = "Port 5000 is in use. How do I run on another port?"
    asked = [answer_replay.Asked("docs", {"id": "q1", "question": question, "keywords": ["--port"]},
                                 extractive_answer(question, hits, "", context="", embed=embed), True,
                                 (question, hits, "", "", embed)),
             answer_replay.Asked("docs", {"id": "q2", "question": "Overview?", "keywords": []}, "a section's overview",
                                 False, None)]
    answer_replay.save(asked, tmp_path / "asked.pkl")
    loaded = answer_replay.load(tmp_path / "asked.pkl")
    assert [(a.corpus, a.question, a.body, a.ceiling) for a in loaded] == [(a.corpus, a.question, a.body, a.ceiling)
                                                                           for a in asked]
    assert loaded[0].call is not None and loaded[0].call[1] == hits and loaded[1].call is None
    assert [answer_replay.replayed(a, answer_replay.SHIPPED) for a in loaded] == [
        answer_replay.answers.answer_body(asked[0].body), "a section's overview"]
    assert "--port" in loaded[0].body

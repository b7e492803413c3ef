"""Probe 6: a docchat_history whose turns hold what JSON does not, saved with --save chat.json.

A turn's ``usage`` holding an object (or anything JSON cannot write) made ``%docchat_history --save chat.json``
end in a TypeError traceback; a score of NaN or infinity was written as ``NaN``/``Infinity``, which is no JSON
(``jq``, a browser's ``JSON.parse`` refuse the file). Such values are now left out as the rest of an edited turn's
wrong types are, and the saved file is strict JSON.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cell
from hypothesis import given, settings, strategies as st

from jupyter_docchat.views.history import HistoryView, save, turns


def strict_json(text: str):
    def refuse(constant: str):
        raise ValueError(f"{constant} is no JSON")
    return json.loads(text, parse_constant=refuse)


def test_a_turn_holding_an_object_saves_as_json_in_one_go(ip, tmp_path: Path) -> None:
    usage = {"input_tokens": 12, "output_tokens": 3, "input_token_details": {"cache_read": 0}}
    ip.user_ns["docchat_history"] = [
        {"question": "kept?", "answer": "yes", "usage": {"tokens": object()}, "sources": [{"n": 1, "score": float("nan")}]},
        {"question": "and this?", "answer": "too", "usage": usage, "sources": [{"n": 1, "score": float("inf")}]},
    ]
    _, error = run_cell(ip, f"%docchat_history --save {tmp_path / 'chat.json'}")
    assert error is None, error
    saved = strict_json((tmp_path / "chat.json").read_text())
    assert [t["question"] for t in saved] == ["kept?", "and this?"]
    assert saved[0]["usage"] is None and saved[1]["usage"] == usage  # a model's real counts are kept
    assert [t["sources"][0]["score"] for t in saved] == [0.0, 0.0]
    assert [p.name for p in tmp_path.iterdir()] == ["chat.json"]  # no temporary file left behind


JUNK = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10) | st.builds(object)
    | st.sampled_from([float("nan"), float("inf"), b"bytes", {1, 2}, (1, 2)]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5) | st.integers(), inner, max_size=3),
    max_leaves=12)
FIELDS = st.sampled_from(["question", "standalone", "answer", "sources", "model", "time", "usage", "status", "note",
                          "seconds", "refreshed", "vectors_waiting", "filling", "notices"])
TURN = st.dictionaries(FIELDS, JUNK | st.lists(st.dictionaries(st.sampled_from(["n", "score", "source", "text"]), JUNK),
                                                max_size=2), max_size=8).map(lambda t: {"question": "q?", **t})


@settings(max_examples=150, deadline=None)
@given(history=st.lists(TURN, max_size=4))
def test_any_edited_history_saves_as_strict_json_and_shows(history: list, tmp_path_factory) -> None:
    folder = tmp_path_factory.mktemp("history")
    path = save(history, folder / "chat.json")
    saved = strict_json(path.read_text())
    assert len(saved) == len(turns(history))
    save(history, folder / "chat.md")
    view = HistoryView(history)
    assert str(view) and view._repr_mimebundle_()["text/html"]

"""Every object docchat shows in Jupyter gives its bundle through one mixin (displayable.Displayable), which
honours the MIME types the front end asks for: IPython's formatter does not filter a _repr_mimebundle_."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from jupyter_docchat.displayable import Displayable
from jupyter_docchat.notebook.fill_progress import FillProgressView
from jupyter_docchat.qa.conversation import Turn
from jupyter_docchat.retrieval.evaluation import MODES, EvalReport
from jupyter_docchat.store.records import CollectionInfo
from jupyter_docchat.views.answer import AnswerView
from jupyter_docchat.views.history import HistoryView
from jupyter_docchat.views.status import StoreStatus

TURN = Turn(question="Why <b>?", answer="Because & so.", model="extractive",
            sources=[{"n": 1, "source": "a.md", "location": "line 1", "text": "x", "score": 0.5}])
VIEWS = {
    "answer": lambda: AnswerView(TURN),
    "history": lambda: HistoryView([TURN.to_dict()]),
    "status": lambda: StoreStatus(Path("/tmp/store"), "", [CollectionInfo("docs", "minilm", "/docs", 2, 9, 0.0)]),
    "eval": lambda: EvalReport(k=5, summary={m: {"R@1": 1.0, "R@5": 1.0, "MRR@10": 1.0} for m in MODES}),
    # A vector pass's state as the view reads it (the view is the unit under test here).
    "fill": lambda: FillProgressView(SimpleNamespace(done=3, total=9, state="running", seconds=1.0, error=""), "docs"),
}


@pytest.fixture(params=sorted(VIEWS))
def view(request: pytest.FixtureRequest) -> Displayable:
    return VIEWS[request.param]()


def test_every_view_is_displayable_through_the_mixin(view: Displayable) -> None:
    assert isinstance(view, Displayable) and type(view)._repr_mimebundle_ is Displayable._repr_mimebundle_
    bundle = view._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"} and bundle["text/plain"] == str(view)
    assert "<div" in bundle["text/html"] and "<b>?" not in bundle["text/html"]  # escaped, never raw


def test_the_formatter_gets_only_what_it_includes_and_never_what_it_excludes(shell, view: Displayable) -> None:
    formatter = shell.display_formatter
    text_only, _ = formatter.format(view, include={"text/plain"})
    assert set(text_only) == {"text/plain"}
    without_html, _ = formatter.format(view, exclude={"text/html"})
    assert "text/html" not in without_html and without_html["text/plain"] == str(view)
    html_only, _ = formatter.format(view, include={"text/html"})
    assert set(html_only) == {"text/html"}


def test_no_html_is_made_for_a_front_end_that_does_not_want_it(view: Displayable, monkeypatch) -> None:
    def refuse() -> str:
        raise AssertionError("HTML made though excluded")

    monkeypatch.setattr(view, "to_html", refuse)
    assert set(view._repr_mimebundle_(exclude={"text/html"})) == {"text/plain"}

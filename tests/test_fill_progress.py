"""The progress line of a background vector pass: its texts, and that its last drawing is the final state."""

from __future__ import annotations

from types import SimpleNamespace

import IPython.display

from jupyter_docchat.notebook.fill_progress import FillProgressView, show_fill_progress


class RacyJob:
    """A job that ends while its progress is being drawn: the watcher's race, made to happen."""

    def __init__(self) -> None:
        self.total, self.done, self.error, self.seconds = 100, 40, "", 2.0
        self.alive = True
        self.stop_event = SimpleNamespace(is_set=lambda: False)

    def is_alive(self) -> bool:
        return self.alive

    def join(self, timeout: float | None = None) -> None:
        pass

    @property
    def state(self) -> str:
        return "running" if self.alive else ("failed" if self.error else "done")


def test_the_last_drawing_shows_the_finished_pass(monkeypatch) -> None:
    job = RacyJob()
    drawn: list[str] = []

    class Handle:
        def update(self, view: FillProgressView) -> None:
            drawn.append(str(view))
            if len(drawn) == 2:  # the pass ends right after this drawing
                job.done, job.alive = 100, False

    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: Handle())
    watcher = show_fill_progress(job, "docs")
    watcher.join(10)
    assert not watcher.is_alive()
    assert "computing vectors 40 of 100" in drawn[0]
    assert drawn[-1] == "docs: vectors computed for all 100 chunks in 2 s; search is complete"


def test_failed_and_stopped_passes_say_what_to_do() -> None:
    job = RacyJob()
    job.alive, job.error = False, "the Chroma store failed: connection refused"
    text = str(FillProgressView(job, "docs"))
    assert "stopped at 40 of 100" in text and "run %docchat_index again to resume" in text
    html = FillProgressView(job, "<b>docs</b>")._repr_mimebundle_()["text/html"]
    assert "&lt;b&gt;docs" in html and "<progress" not in html

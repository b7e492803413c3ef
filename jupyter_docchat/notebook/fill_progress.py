"""Showing a background vector pass in a notebook: one display, updated until the pass ends."""

from __future__ import annotations

import html
import threading
from typing import Any

from jupyter_docchat.displayable import Displayable

INTERVAL = 0.5


class FillProgressView(Displayable):
    """The state of a ``FillJob`` as text and as an HTML progress bar."""

    def __init__(self, job: Any, collection: str) -> None:
        self.job, self.collection = job, collection

    def __str__(self) -> str:
        job, name = self.job, self.collection
        done, total = min(job.done, job.total), job.total
        state = job.state
        if state == "done":
            return f"{name}: vectors computed for all {total} chunks in {_duration(job.seconds)}; search is complete"
        if state == "failed":
            return (f"{name}: computing vectors stopped at {done} of {total}: {job.error}; "
                    "keyword search still works, run %docchat_index again to resume")
        if state == "stopped":
            return f"{name}: vectors paused at {done} of {total}; the next %docchat_index resumes them"
        rate = done / job.seconds if job.seconds > 0 else 0.0
        left = f", about {_duration((total - done) / rate)} left" if rate > 0 else ""
        return (f"{name}: computing vectors {done} of {total} ({100 * done // max(total, 1)}%, {rate:.0f} chunks/s{left}); "
                "%%ask works now, by keywords for the rest")

    def to_html(self) -> str:
        running = self.job.state == "running"
        bar = (f'<progress max="{max(self.job.total, 1)}" value="{min(self.job.done, self.job.total)}" '
               f'style="width:240px;vertical-align:middle"></progress> ') if running else ""
        color = "var(--jp-error-color1,#d32f2f)" if self.job.state == "failed" else "inherit"
        text = html.escape(str(self))
        return f'<div class="docchat-fill" style="font-size:12px;color:{color}">{bar}{text}</div>'


def show_fill_progress(job: Any, collection: str, live: bool = True) -> threading.Thread | None:
    """Display the job's progress now and, where the front-end redraws displays (``live``), keep the
    same output updated from a watcher thread; a terminal would print every update anew."""
    from IPython.display import display

    handle = display(FillProgressView(job, collection), display_id=True)
    if not live:
        return None

    def watch() -> None:
        while True:
            job.join(INTERVAL)
            finished = not job.is_alive()  # seen before drawing, so the last drawing is the final state
            handle.update(FillProgressView(job, collection))
            if finished:
                return

    watcher = threading.Thread(target=watch, name=f"docchat-progress-{collection}", daemon=True)
    watcher.start()
    return watcher


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"

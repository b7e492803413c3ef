"""Probe 3: Ctrl-C at the wrong moment. A KeyboardInterrupt that lands while Chroma is first imported
(the first %docchat_index of a kernel spends about a second there) left ``chromadb.errors`` and its
siblings in ``sys.modules`` without the package: every later %docchat_index said "the store ... failed:
module 'chromadb' has no attribute 'errors'" until the kernel was restarted."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = """
import sys

class CtrlC:
    '''Ctrl-C pressed while Chroma imports its telemetry, well after chromadb.errors.'''
    armed = True

    def find_spec(self, name, path=None, target=None):
        if self.armed and name == "chromadb.telemetry.opentelemetry":
            self.armed = False
            raise KeyboardInterrupt
        return None

sys.meta_path.insert(0, CtrlC())
from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.index_options import IndexOptions

index = DocIndex({store!r})
try:
    index.update({folder!r})
except KeyboardInterrupt:
    print("INTERRUPTED")
index.close()
index = DocIndex({store!r})
print(index.update({folder!r}, IndexOptions(rebuild=True)).summary())  # --rebuild, as the user retried
print("HITS", len(index.search("deposit insurance", k=2)))
"""


def test_an_update_after_ctrl_c_during_chromas_import_works(corpus: Path, tmp_path: Path) -> None:
    script = tmp_path / "interrupted.py"
    script.write_text(textwrap.dedent(SCRIPT.format(store=str(tmp_path / "store"), folder=str(corpus))))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "INTERRUPTED" in done.stdout
    assert "docs: 6 added" in done.stdout and "HITS 2" in done.stdout, done.stdout


def test_ctrl_c_before_the_answer_in_a_cell_is_one_line_and_keeps_the_history(indexed, monkeypatch, capsys) -> None:
    """A Ctrl-C during the search or the offline answer (most of an offline question's second) showed
    IPython's whole KeyboardInterrupt traceback through the magic; %docchat_index says one line."""
    from conftest import run_cell

    from jupyter_docchat.qa import conversation

    before = [dict(turn) for turn in indexed.user_ns["docchat_history"]]

    def pressed(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(conversation, "extractive_answer", pressed)  # where the key press lands
    result, error = run_cell(indexed, "%%ask\nWhat is the standard deposit insurance amount?")
    assert error is None and result.result is None
    shown = capsys.readouterr()
    assert "Traceback" not in shown.out + shown.err and "KeyboardInterrupt" not in shown.out + shown.err
    assert "docchat: question interrupted; the history is as it was" in shown.out
    assert indexed.user_ns["docchat_history"] == before
    monkeypatch.undo()
    assert run_cell(indexed, "%%ask --no-stream\nWhat is the standard deposit insurance amount?")[1] is None
    assert len(indexed.user_ns["docchat_history"]) == len(before) + 1

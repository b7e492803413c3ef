"""A whole session with a recognisable key: the key appears in no output, export, history, log or store file."""

from __future__ import annotations

import logging
from pathlib import Path

from conftest import run_cell
from fake_openai import FakeOpenAI
from IPython.utils.capture import capture_output

KEY = "sk-docchat-LEAKCHECK-7f3a9c51e2"


def test_key_never_leaks(ip, corpus: Path, tmp_path: Path, monkeypatch, caplog, capfd) -> None:
    caplog.set_level(logging.DEBUG)
    server = FakeOpenAI().start()
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    outputs: list[str] = []
    try:
        cells = [
            f"%config DocChat.base_url = {server.url!r}",
            f"%config DocChat.api_key = {KEY!r}",
            "%config DocChat",
            f"%docchat_index {corpus}",
            "%%ask\nWhat caused the collapse of Silicon Valley Bank?",
            "%ask And how did the regulators respond?",
            "%docchat_status",
            "%docchat_history",
            f"%docchat_history --save {tmp_path / 'chat.md'}",
            f"%docchat_history --save {tmp_path / 'chat.json'}",
            "box = %docchat_chat",
        ]
        with capture_output() as captured:
            for cell in cells:
                result, error = run_cell(ip, cell)
                assert error is None, (cell, error)
                outputs.append(repr(result.result))
                if hasattr(result.result, "_repr_mimebundle_"):
                    outputs.append(str(result.result._repr_mimebundle_()))
            box = ip.user_ns["box"]
            box.submit("What is the deposit insurance limit?")
            box.wait()
            outputs.append(box.transcript_html())
            box.close()
            for mode in ("401", "429", "500"):
                server.mode = mode
                result, error = run_cell(ip, "%ask What is the deposit insurance limit?")
                outputs.append(str(error))
            server.mode = "ok"
        outputs += [captured.stdout, captured.stderr] + [str(o.data) for o in captured.outputs]
    finally:
        server.stop()
    assert any(k == f"Bearer {KEY}" for k in server.keys)  # the key was really used
    outputs.append(str(ip.user_ns["docchat_history"]))
    out, err = capfd.readouterr()
    outputs += [out, err, caplog.text]
    leaks = [text[:200] for text in outputs if KEY in text or KEY[8:] in text]
    assert leaks == []
    for path in [*tmp_path.rglob("*"), *Path.cwd().glob(".docchat/**/*")]:
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path

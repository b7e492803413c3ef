"""Documents and model output that try to inject markup stay inert in every HTML we produce."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cell
from fake_openai import FakeOpenAI
from hostile import HOSTILE_ANSWER, HOSTILE_NAME, MARKER, audit_html, write_hostile_corpus

from jupyter_docchat.markdown_html import render_markdown, safe_link


def test_the_audit_catches_live_markup() -> None:
    assert audit_html('<img src=x onerror="x()">') and audit_html('<a href="javascript:x()">a</a>')
    assert audit_html("<script>x()</script>") and not audit_html("<p>&lt;script&gt;</p>")


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "java\nscript:alert(1)",
                                 "data:text/html,x", "vbscript:x", "&#106;avascript:alert(1)", "//evil.example/x"])
def test_unsafe_links_are_refused(url: str) -> None:
    assert not safe_link(url)


def test_markdown_renderer_escapes_raw_html() -> None:
    out = render_markdown(HOSTILE_ANSWER)
    assert audit_html(out) == [] and "&lt;script&gt;" in out and 'href="https://example.org/x"' in out


def test_hostile_corpus_and_answers_stay_inert(ip, tmp_path: Path) -> None:
    folder = write_hostile_corpus(tmp_path / "hostile")
    ip.run_line_magic("docchat_index", f"{folder} --quiet")
    result, error = run_cell(ip, "%%ask --k 5\nWhat does deposit insurance cover?")
    assert error is None
    view = result.result
    assert {s["source"] for s in view.turn.sources} >= {"evil.md", HOSTILE_NAME}
    html = view.to_html()
    assert audit_html(html) == []
    assert "&lt;img src=x onerror=window.__docchat_pwned=1&gt;.md" in html  # the file name, as text
    assert "%3Cimg%20src%3Dx%20onerror%3Dwindow.__docchat_pwned%3D1%3E.md" in html  # and as a quoted link

    server = FakeOpenAI().start()
    try:
        server.answer = HOSTILE_ANSWER
        ip.run_line_magic("config", f"DocChat.base_url = {server.url!r}")
        ip.run_line_magic("config", "DocChat.api_key = 'sk-test'")
        result, error = run_cell(ip, "%ask What does deposit insurance cover?")
        assert error is None
        html = result.result.to_html()
        assert MARKER in html and audit_html(html) == []
        history = ip.run_line_magic("docchat_history", "")
        assert audit_html(history._repr_mimebundle_()["text/html"]) == []
    finally:
        server.stop()

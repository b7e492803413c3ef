"""Leftovers 7.3 and 7.4: the configured key where it is no key.

The key pasted as the model's name: the server's "model not found" was shown as "model 'sk-...' was not
found", and every answer's model line and the history named it. Two variables each holding half of a short
key (``%%ask --with a --with b``): each alone held no whole key, so both went to the model side by side."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator

import pytest
from conftest import run_cell, write_tree

KEY = "sk-Zq7Wx3Lm9Pt4Rv8Ks2Yb6Nc1Hd5Jf0Gt3Ue7Vm2Xp8"


@pytest.fixture
def no_such_model() -> Iterator[str]:
    """An OpenAI-compatible server that knows no model, and says so naming the model asked for, as OpenAI does."""
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            model = body.get("model", "")
            data = json.dumps({"error": {"message": f"The model `{model}` does not exist or you do not have access to it.",
                                         "type": "invalid_request_error", "code": "model_not_found"}}).encode()
            self.send_response(404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_the_key_used_as_the_model_name_is_not_in_the_model_not_found_error(ip, tmp_path: Path, no_such_model: str,
                                                                              capsys) -> None:
    folder = write_tree(tmp_path / "docs", {"a.md": "# Herons\n\nThe heron nests by the lake.\n"})
    ip.run_line_magic("docchat_index", str(folder))
    ip.run_line_magic("config", f"DocChat.base_url = {no_such_model!r}")
    ip.run_line_magic("config", f"DocChat.api_key = {KEY!r}")
    ip.run_line_magic("config", f"DocChat.model = {KEY!r}")  # the key pasted where the model's name goes
    _, error = run_cell(ip, "%%ask --no-stream\nWhere does the heron nest?")
    out = capsys.readouterr()
    shown = f"{error}\n{out.out}\n{out.err}\n{json.dumps(ip.user_ns['docchat_history'])}"
    assert error is not None and "404" in str(error) and "holds the configured API key" in str(error), error
    assert KEY not in shown and KEY[3:20] not in shown, shown


def test_the_key_as_the_model_name_is_withheld_from_the_model_line_and_the_error() -> None:
    import httpx
    import openai

    from jupyter_docchat.qa.llm import choose_model, model_error
    from jupyter_docchat.settings import Settings

    s = Settings().with_(api_key=KEY, base_url="http://127.0.0.1:9/v1", model=KEY)
    choice = choose_model(s)
    assert choice.model == KEY and KEY not in choice.label  # sent as set; never shown
    response = httpx.Response(404, request=httpx.Request("POST", "http://127.0.0.1:9/v1/chat/completions"),
                              json={"error": {"message": f"The model `{KEY}` does not exist"}})
    error = model_error(openai.NotFoundError(f"The model `{KEY}` does not exist", response=response, body=None), s, choice)
    assert KEY[3:20] not in str(error) and error.remedy == "model"

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

from jupyter_docchat.errors import ModelError
from hypothesis import given, settings, strategies as st
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
    # refused before the server is asked (probe 12); the model-not-found error below withholds it too
    assert error is not None and "holds the configured API key" in str(error), error
    assert KEY not in shown and KEY[3:20] not in shown, shown


def test_the_key_as_the_model_name_is_withheld_from_the_model_line_and_the_error() -> None:
    import httpx
    import openai

    from jupyter_docchat.qa.llm import choose_model, model_error
    from jupyter_docchat.settings import Settings

    s = Settings().with_(api_key=KEY, base_url="http://127.0.0.1:9/v1", model=KEY)
    with pytest.raises(ModelError) as refused:  # never sent as the model's name (probe 12)
        choose_model(s)
    assert KEY[3:20] not in str(refused.value)
    choice = choose_model(s.with_(model="m"))
    response = httpx.Response(404, request=httpx.Request("POST", "http://127.0.0.1:9/v1/chat/completions"),
                              json={"error": {"message": f"The model `{KEY}` does not exist"}})
    error = model_error(openai.NotFoundError(f"The model `{KEY}` does not exist", response=response, body=None), s, choice)
    assert KEY[3:20] not in str(error) and error.remedy == "model"


SHORT_KEY = "Zq7Wx3Lm9Pt4Rv8K"  # 16 letters and digits: looked for whole, so neither half holds it


def test_two_variables_holding_half_a_key_each_are_never_sent(ip, fake) -> None:
    ip.run_line_magic("config", f"DocChat.base_url = {fake.url!r}")
    ip.run_line_magic("config", f"DocChat.api_key = {SHORT_KEY!r}")
    ip.run_line_magic("config", "DocChat.model = 'm'")
    ip.user_ns["a"], ip.user_ns["b"] = SHORT_KEY[:8], SHORT_KEY[8:]
    sent_before = len(fake.bodies)
    for options in ("--with a --with b", "--with a,b", "--with b,a"):
        _, error = run_cell(ip, f"%%ask {options} --no-stream\nWhat do a and b hold?")
        assert error is not None and "between them" in str(error), (options, error)
        assert SHORT_KEY[:8] not in str(error) and SHORT_KEY[8:] not in str(error)
    assert len(fake.bodies) == sent_before  # nothing went to the model
    assert ip.user_ns["docchat_history"] == []


def test_with_given_twice_adds_both_variables(ip, fake) -> None:
    ip.run_line_magic("config", f"DocChat.base_url = {fake.url!r}")
    ip.run_line_magic("config", "DocChat.api_key = 'sk-test-KEY-12345'")
    ip.run_line_magic("config", "DocChat.model = 'm'")
    fake.mode, fake.answer = "ok", "Both are rates [1] [2]."
    ip.user_ns["rate"], ip.user_ns["fee"] = 4.1, 0.25
    _, error = run_cell(ip, "%%ask --with rate --with fee --no-stream\nWhat are rate and fee?")
    assert error is None, error
    sources = [s["source"] for s in ip.user_ns["docchat_history"][-1]["sources"] if s["origin"] == "variable"]
    assert sorted(sources) == ["fee", "rate"]  # only fee was sent: the second --with replaced the first


@settings(max_examples=150, deadline=None)
@given(key=st.text("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz0123456789", min_size=10, max_size=40),
       cuts=st.lists(st.integers(1, 39), min_size=1, max_size=3, unique=True),
       as_list=st.lists(st.booleans(), min_size=4, max_size=4), extra=st.text("xyz .", max_size=10),
       order=st.randoms(use_true_random=False))
def test_a_key_cut_among_any_variables_is_never_sent(key: str, cuts: list[int], as_list: list[bool], extra: str,
                                                     order) -> None:
    """However a key is cut among variables (strings, or items of lists beside other items), in any order, the
    question is refused, or a piece that reads as a key by itself is hidden in its variable (keys34: a string of 20
    characters or more that reads as a key is never shown): the model never gets its parts side by side."""
    from jupyter_docchat.errors import DocChatError
    from jupyter_docchat.qa.bare_keys import reads_as_key
    from jupyter_docchat.qa.key_guard import KeyGuard, shown_of
    from jupyter_docchat.qa.variables import variable_hits

    cuts = sorted({min(c, len(key) - 1) for c in cuts})
    bounds = [0, *cuts, len(key)]
    pieces = [key[a:b] for a, b in zip(bounds, bounds[1:])]
    namespace: dict[str, Any] = {}
    for n, piece in enumerate(pieces):
        namespace[f"v{n}"] = [extra or "x", piece] if as_list[n] else piece
    names = list(namespace)
    order.shuffle(names)
    guard = KeyGuard([key])
    if not any(map(reads_as_key, pieces)):
        with pytest.raises(DocChatError):
            variable_hits(namespace, names, guard)
        return
    try:
        hits = variable_hits(namespace, names, guard)
    except DocChatError:
        return
    texts = [shown_of(hit) for hit in hits]
    assert not guard.holds("\n".join(texts)) and not guard.split_between(texts), texts
    assert not [p for p in pieces if reads_as_key(p) and any(p in t for t in texts)], texts


def test_a_key_cut_between_a_document_and_a_variable_is_never_sent(ip, fake, tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "docs", {"deploy.md": f"# Deploy\n\nThe deploy token begins {SHORT_KEY[:8]}\n",
                                            "other.md": "# Other\n\nThe deploy runner reads the token at start.\n"})
    ip.run_line_magic("docchat_index", f"{folder} --quiet")
    ip.run_line_magic("config", f"DocChat.base_url = {fake.url!r}")
    ip.run_line_magic("config", f"DocChat.api_key = {SHORT_KEY!r}")
    ip.run_line_magic("config", "DocChat.model = 'm'")
    fake.mode, fake.answer = "ok", "The runner reads it [1]."
    ip.user_ns["tail"] = SHORT_KEY[8:]
    _, error = run_cell(ip, "%%ask --with tail --no-stream\nHow does the deploy token begin?")
    assert error is None, error
    sent = b"".join(fake.bodies).decode()
    assert "deploy" in sent and not (SHORT_KEY[:8] in sent and SHORT_KEY[8:] in sent)
    sources = [s["source"] for s in ip.user_ns["docchat_history"][-1]["sources"]]
    assert "deploy.md" not in sources and "tail" not in sources

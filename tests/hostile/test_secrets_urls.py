"""Issue 22, item 2: a URL with credentials in it (``http://user:KEY@host``) is never printed whole: not in
%config, status, errors, logs or reprs. The real openai client talks to the test server over HTTP."""

from __future__ import annotations

import logging
import socket

import pytest
from conftest import ask, run_cell

from jupyter_docchat.cli import main
from jupyter_docchat.qa.llm import ModelChoice
from jupyter_docchat.safe_text import hide_credentials, url_password
from jupyter_docchat.settings import Settings

PASSWORD = "PW-s3cr3t-9876"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def with_password(url: str) -> str:
    return url.replace("http://", f"http://proxyuser:{PASSWORD}@")


def test_a_model_url_with_a_password_works_and_never_shows_it(indexed, fake, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    indexed.run_line_magic("config", f"DocChat.base_url = {with_password(fake.url)!r}")
    indexed.run_line_magic("config", "DocChat.model = 'test-model'")
    view = ask(indexed, "Why did SVB fail?", "--no-stream")
    assert fake.bodies and view.turn.answer
    failures = []
    for mode in ("500", "401"):
        fake.mode = mode
        _, error = run_cell(indexed, "%ask --no-stream Why did SVB fail?")
        failures.append(str(error))
    indexed.run_line_magic("config", f"DocChat.base_url = {with_password(f'http://127.0.0.1:{closed_port()}/v1')!r}")
    _, error = run_cell(indexed, "%ask --no-stream Why did SVB fail?")
    failures.append(str(error))
    assert all("proxyuser:***@127.0.0.1" in message for message in failures), failures
    assert "HTTP Request" in caplog.text  # the client logged its requests, URL and all
    everything = caplog.text + "".join(failures) + str(view)
    assert PASSWORD not in everything


def test_config_settings_and_model_choice_show_urls_masked(ip, capsys) -> None:
    ip.run_line_magic("config", f"DocChat.base_url = 'http://proxyuser:{PASSWORD}@127.0.0.1:9/v1'")
    ip.run_line_magic("config", f"DocChat.server = 'http://{PASSWORD}@127.0.0.1:8'")
    shown = ip.run_cell("%config DocChat.base_url").result
    ip.run_cell("%config DocChat")
    magics = ip.magics_manager.registry["DocChat"]
    printed = capsys.readouterr().out + repr(shown) + repr(magics.settings()) + repr(ModelChoice("openai", "m", str(shown)))
    assert "http://proxyuser:***@127.0.0.1:9/v1" in printed and "http://***@127.0.0.1:8" in printed
    assert PASSWORD not in printed
    assert magics.settings().base_url == f"http://proxyuser:{PASSWORD}@127.0.0.1:9/v1"  # used whole, shown masked


def test_a_chroma_server_url_with_a_token_is_masked_in_status_errors_and_the_cli(ip, corpus, capsys, tmp_path) -> None:
    server = f"http://{PASSWORD}@127.0.0.1:{closed_port()}"
    status = ip.run_cell(f"%docchat_status --server {server}").result
    _, error = run_cell(ip, f"%docchat_index {corpus} --quiet --server {server}")
    assert error is not None
    assert main(["--store", str(tmp_path / "store"), "--server", server, "status"]) == 0
    assert main(["--store", str(tmp_path / "store"), "--server", server, "index", str(corpus), "--quiet"]) == 1
    out = capsys.readouterr()
    for shown in (str(status), status._repr_mimebundle_()["text/html"], str(error), out.out, out.err):
        assert "http://***@127.0.0.1" in shown and PASSWORD not in shown, shown


@pytest.mark.parametrize("url, shown, password", [
    ("http://user:KEY@host/v1", "http://user:***@host/v1", "KEY"),
    ("https://TOKEN@h:8000", "https://***@h:8000", "TOKEN"),
    ("http://a:p@ss@host/x", "http://a:***@host/x", "p@ss"),
    ("see http://a:b@c/ and https://x.org/a@b", "see http://a:***@c/ and https://x.org/a@b", ""),
    ("http://host/v1", "http://host/v1", ""),
])
def test_hide_credentials_and_url_password(url: str, shown: str, password: str) -> None:
    assert hide_credentials(url) == shown
    if password or "see" not in url:
        assert url_password(url) == password


def test_settings_repr_leaves_the_urls_and_secrets_out() -> None:
    text = repr(Settings(base_url=f"http://u:{PASSWORD}@h/v1", server=f"http://{PASSWORD}@h", api_key=PASSWORD,
                         server_token=PASSWORD))
    assert PASSWORD not in text and "k=5" in text

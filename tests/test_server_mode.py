"""The same commands against a real Chroma server (`chroma run`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from chroma_server import ChromaServer
from conftest import run_cell
from fake_openai import QuietHTTPServer
from IPython.core.error import UsageError

from jupyter_docchat import DocIndex


@pytest.fixture(scope="module")
def chroma(tmp_path_factory):
    server = ChromaServer(tmp_path_factory.mktemp("chroma") / "data").start()
    yield server
    server.stop()


def test_index_search_and_ask_through_the_server(ip, chroma, corpus: Path, tmp_path: Path, capsys) -> None:
    ip.run_line_magic("docchat_index", f"{corpus} --server {chroma.url} --collection served --quiet")
    assert "6 added" in capsys.readouterr().out
    assert not (tmp_path / "store" / "chroma").exists()  # no on-disk Chroma: the vectors are on the server
    local = DocIndex(tmp_path / "local")
    local.update(corpus)
    remote = DocIndex(tmp_path / "store", "served", server=chroma.url)
    query = "What did the Federal Reserve create to lend to banks?"
    assert [h.id for h in remote.search(query)] == [h.id for h in local.search(query)]  # same results as on disk
    result, error = run_cell(ip, f"%%ask --server {chroma.url} --collection served\n{query}")
    assert error is None and "Bank Term Funding Program" in result.result.turn.sources[0]["text"]
    status = ip.run_line_magic("docchat_status", f"--server {chroma.url}")
    assert "Chroma server" in str(status) and "served: 6 files" in str(status)


def test_another_machine_sees_the_collection_and_updates_incrementally(chroma, corpus: Path, tmp_path: Path) -> None:
    first = DocIndex(tmp_path / "machine-a", "shared", server=chroma.url)
    first.update(corpus)
    # A second machine: its own local store, nothing indexed there yet.
    second = DocIndex(tmp_path / "machine-b", "shared", server=chroma.url)
    hits = second.search("standard deposit insurance amount", k=3)
    assert hits[0].source == "deposit_insurance.pdf" and hits[0].lexical is not None
    report = second.update(corpus)
    assert report.unchanged == 6 and report.embedded == 0
    (corpus / "notes.md").write_text("# Notes\n\nThe FDIC sold the bridge bank to First Citizens BancShares.\n")
    assert second.update(corpus).added == 1
    again = first.update(corpus)  # machine A refreshes from the server before comparing
    assert again.added == 0 and again.unchanged == 7
    assert first.search("bridge bank sold to First Citizens", k=1, mode="lexical")[0].source == "notes.md"
    ids = first.vectors().collection.get(include=[])["ids"]
    assert len(ids) == len(set(ids)) == first.catalog.chunk_count("shared")


def test_server_down_is_a_clear_error(ip, corpus: Path) -> None:
    from jupyter_docchat.qa.llm import free_port

    url = f"http://127.0.0.1:{free_port()}"
    result, error = run_cell(ip, f"%docchat_index {corpus} --server {url}")
    assert error is not None and "Chroma" in str(error) and url.split("//")[1] in str(error).replace("http://", "")
    assert "\n" not in str(error)


class _RecordingProxy:
    """Forwards HTTP to the Chroma server and records the Authorization headers it carried."""

    def __init__(self, target_port: int) -> None:
        import http.server
        import threading
        import urllib.request

        proxy = self
        self.auth: list[str] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _forward(self) -> None:
                proxy.auth.append(self.headers.get("Authorization", ""))
                body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0)) or None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                request = urllib.request.Request(f"http://127.0.0.1:{target_port}{self.path}", data=body,
                                                 headers=headers, method=self.command)
                try:
                    with urllib.request.urlopen(request, timeout=60) as response:
                        status, data, ctype = response.status, response.read(), response.headers.get("Content-Type")
                except urllib.error.HTTPError as err:
                    status, data, ctype = err.code, err.read(), err.headers.get("Content-Type")
                self.send_response(status)
                self.send_header("Content-Type", ctype or "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _forward

        self.server = QuietHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()


def test_server_token_is_sent_as_a_bearer_header(ip, chroma, corpus: Path, capsys) -> None:
    proxy = _RecordingProxy(chroma.port)
    try:
        ip.run_line_magic("config", "DocChat.server_token = 'tok-docchat-123'")
        ip.run_line_magic("docchat_index", f"{corpus} --server {proxy.url} --collection tokened --quiet")
        assert "6 added" in capsys.readouterr().out
        assert proxy.auth and all(a == "Bearer tok-docchat-123" for a in proxy.auth)
        assert "tok-docchat-123" not in str(ip.run_line_magic("docchat_status", f"--server {proxy.url}"))
    finally:
        ip.run_line_magic("config", "DocChat.server_token = ''")
        proxy.stop()


def test_background_vectors_go_to_the_server_and_other_machines_see_them_when_done(chroma, corpus: Path,
                                                                                    tmp_path: Path) -> None:
    first = DocIndex(tmp_path / "machine-a", "filled", server=chroma.url)
    report = first.update(corpus, background=True)
    assert report.background and report.vectors_waiting == report.chunks_total
    assert first.search("standard deposit insurance amount", k=3, mode="lexical")  # keyword search at once
    first.job.join(120)
    assert first.job.state == "done" and first.vectors_waiting() == 0
    second = DocIndex(tmp_path / "machine-b", "filled", server=chroma.url)
    assert all(h.dense is not None for h in second.search("standard deposit insurance amount", k=3))
    assert second.catalog.chunk_count("filled") == report.chunks_total  # the new revision told it to refresh
    again = second.update(corpus)
    assert again.unchanged == 6 and again.embedded == 0


def test_a_server_that_goes_away_mid_session_is_a_one_line_error_and_history_stays(ip, tmp_path: Path, corpus: Path,
                                                                                   capsys) -> None:
    server = ChromaServer(tmp_path / "gone").start()
    try:
        ip.run_line_magic("config", f"DocChat.server = {server.url!r}")
        ip.run_line_magic("docchat_index", f"{corpus} --quiet")
        assert "6 added" in capsys.readouterr().out
        ip.run_cell("%ask What caused the collapse?")
        assert len(ip.user_ns["docchat_history"]) == 1
    finally:
        server.stop()
    result = ip.run_cell("%ask And the regulators?")
    error = result.error_in_exec
    assert isinstance(error, UsageError) and "\n" not in str(error) and server.url in str(error)
    assert len(ip.user_ns["docchat_history"]) == 1
    box = ip.run_line_magic("docchat_chat", "")
    box.submit("And what about deposits?")
    box.wait()
    assert "dc-error" in box.transcript_html() and server.url in box.transcript_html()
    assert len(ip.user_ns["docchat_history"]) == 1
    box.close()


def test_two_collections_of_one_server_over_the_same_folder_keep_their_own_chunks(chroma, corpus: Path,
                                                                                   tmp_path: Path) -> None:
    from test_collections import exact

    alpha = DocIndex(tmp_path / "machine-a", "same-alpha", server=chroma.url)
    beta = DocIndex(tmp_path / "machine-a", "same-beta", server=chroma.url)
    total = alpha.update(corpus).chunks_total
    assert beta.update(corpus).chunks_total == total
    assert exact(alpha) == exact(beta) == total  # each its own Chroma collection on the server, and its own rows
    # Another machine's copy of both, loaded from the server into one local catalog.
    other = [DocIndex(tmp_path / "machine-b", name, server=chroma.url) for name in ("same-alpha", "same-beta")]
    assert all(index.sync_from_server() for index in other)
    assert [exact(index) for index in other] == [total, total]
    assert [index.update(corpus).unchanged for index in other] == [6, 6]

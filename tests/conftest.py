from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any, Callable

import pytest
from hypothesis import settings

# The property tests draw the same examples on every run (CI must not pass or fail by luck), and keep no
# example database in the checkout; HYPOTHESIS_PROFILE=explore draws new ones, to look for what nobody listed.
# No deadline: on a machine busy with other workers an example of a key pattern took over Hypothesis' 200 ms and
# failed a test that passed alone (linear time is tested by the tests that time growth).
settings.register_profile("stable", derandomize=True, database=None, deadline=None)
settings.register_profile("explore", derandomize=False, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "stable"))

TESTS = Path(__file__).parent
ROOT = TESTS.parent
EXAMPLE_DOCS = ROOT / "examples" / "documents"
sys.path.insert(0, str(TESTS))
# A subprocess (the docchat command) imports this checkout's package, not the one the venv installed: in a worktree
# the CLI tests ran main's code (probe 23).
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))

_ENV = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "DOCCHAT_MODEL", "DOCCHAT_HOME", "DOCCHAT_EMBEDDINGS",
        "DOCCHAT_CHROMA_URL", "DOCCHAT_CHROMA_TOKEN", "DOCCHAT_COLLECTION", "DOCCHAT_CHUNK_SIZE", "DOCCHAT_CHUNK_OVERLAP",
        "DOCCHAT_MAX_TOKENS")


def least_seconds(run: Callable[[], Any], runs: int = 3) -> float:
    """The least CPU seconds of ``runs`` calls: another process on a shared machine, or a garbage-collector pass in
    one call, only ever adds, and a single timing of a few milliseconds failed CI at 28 times its 16-times-longer
    twin."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return min(times)


def grows_linearly(read: Callable[[str], Any], make: Callable[[int], str], sizes: tuple[int, int]) -> list[float]:
    """The seconds ``read`` takes on ``make(n)`` for the two sizes, the second four times the first; fails when the
    time grows as the square (16 times), with room for a loaded machine's noise."""
    times = []
    for n in sizes:
        text = make(n)
        times.append(least_seconds(lambda: read(text), runs=2))
    assert times[1] < 8 * times[0] + 0.5, times  # 4 times the text: 16 times the time when quadratic
    return times


def chunks_of(name: str, text: str, size: int = 800, overlap: int = 100) -> list:
    """The chunks of a file ``name`` holding ``text``, as an update cuts them (the reader its suffix picks)."""
    from jupyter_docchat.indexing.chunking import Chunker
    from jupyter_docchat.indexing.readers import read_sections

    return Chunker(size, overlap).chunk(name, "hash", read_sections(Path(name), text.encode()))


def lever_answer(question: str, hits: list, levers: Any = None) -> str:
    """The offline answer's text (without its notice) to ``question`` from ``hits``, with ``levers`` (SHIPPED unless given):
    what an answer lever's tests compare on and off."""
    from jupyter_docchat.qa.answer_levers import SHIPPED
    from jupyter_docchat.qa.extractive import extractive_answer, without_notice

    return without_notice(extractive_answer(question, hits, levers=SHIPPED if levers is None else levers))


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """``root`` holding each file of ``files`` (a path below it -> its text), folders made as needed."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def first_update(folder: Path, store: Path) -> tuple[Any, list[str]]:
    """The report of a first update of ``folder`` into the empty ``store``, and the chunk ids it keeps: the reference
    a recovered or concurrently written store is held to. Its vectors are left unmade (the background pass is stopped
    at once): the counts and ids are the catalog's, written by the keyword pass, and making every vector again was
    a third of the fault tests' time."""
    from jupyter_docchat import DocIndex

    index = DocIndex(store)
    try:
        report = index.update(folder, background=True)
        index.stop_filling()
        return report, [row[0] for row in index.catalog.db.execute("SELECT id FROM chunks")]
    finally:
        index.close()


@pytest.fixture(scope="session", autouse=True)
def remembered_model_runs():
    """The MiniLM model's run answers an input it ran before in this process from memory (tests/onnx_memo.py): the
    same example documents were embedded again in over a hundred tests. DOCCHAT_TEST_RUN_MODEL_ALWAYS=1 runs it
    every time."""
    if os.environ.get("DOCCHAT_TEST_RUN_MODEL_ALWAYS") == "1":
        yield
        return
    import onnx_memo

    with pytest.MonkeyPatch.context() as patch:
        onnx_memo.install(patch)
        yield


def pytest_terminal_summary(terminalreporter) -> None:
    """DOCCHAT_TEST_MEMO_STATS=1: how many model runs this process made and answered from memory (in one process:
    ``-n 0``)."""
    if os.environ.get("DOCCHAT_TEST_MEMO_STATS") == "1" and "onnx_memo" in sys.modules:
        stats = sys.modules["onnx_memo"].STATS
        terminalreporter.write_line(f"model runs: {stats['runs']} run, {stats['remembered']} from memory "
                                    f"({stats['seconds_saved']:.1f} CPU-s of the calling thread saved)")


@pytest.fixture(autouse=True)
def offline_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts with no key, no server and no docchat settings from the environment."""
    for name in _ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A copy of the example documents the test may change."""
    target = tmp_path / "docs"
    shutil.copytree(EXAMPLE_DOCS, target)
    return target


@pytest.fixture(scope="session")
def shell():
    from IPython.core.interactiveshell import InteractiveShell

    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "docchat")
    return ip


@pytest.fixture
def ip(shell, tmp_path: Path):
    """The real shell with docchat loaded, a fresh store and history, and default settings."""
    magics = shell.magics_manager.registry["DocChat"]
    for name in ("model", "base_url", "api_key", "server", "server_token", "embeddings", "collection",
                 "chunk_size", "chunk_overlap", "k", "history_turns", "max_retries", "max_tokens", "timeout", "stream",
                 "auto_update"):
        magics.set_trait(name, magics.trait_defaults(name))
    magics._api_key_set_here = False  # as at start-up: the key, if any, came from the environment
    shell.run_line_magic("config", f"DocChat.store = {str(tmp_path / 'store')!r}")
    shell.run_line_magic("config", "DocChat.progress = False")
    shell.user_ns["docchat_history"] = []
    magics._indexes.clear()
    names = set(shell.user_ns)
    yield shell
    for name in set(shell.user_ns) - names:  # a test's variables do not reach the next test's namespace
        del shell.user_ns[name]


def run_stored(ip, code: str) -> None:
    """Run a cell kept in the history (In, Out), as a user's cell is; it must reach execution."""
    result = ip.run_cell(code, store_history=True)
    assert result.error_before_exec is None, result


def run_cell(ip, code: str):
    """Run a cell and return (result, the error it raised or None)."""
    result = ip.run_cell(code)
    return result, result.error_in_exec or result.error_before_exec


def ask(ip, question: str, options: str = ""):
    """Run a %%ask cell and return what it returned, raising what it raised."""
    result, error = run_cell(ip, f"%%ask {options}\n{question}")
    if error is not None:
        raise error
    return result.result


def sent_and_shown(ip, fake, folder: Path) -> tuple[str, str]:
    """What the model was sent, and that with all the session keeps of the turns: the history, and the chat saved as
    Markdown (to ``folder``/chat.md) as a user saves it. A secret must be in neither."""
    chat = folder / "chat.md"
    ip.run_line_magic("docchat_history", f"--save {chat}")
    sent = "".join(body.decode() for body in fake.bodies)
    return sent, sent + json.dumps(ip.user_ns["docchat_history"]) + chat.read_text()


@pytest.fixture(scope="session")
def fake_server():
    from fake_openai import FakeOpenAI

    server = FakeOpenAI().start()
    yield server
    server.stop()


@pytest.fixture
def fake(fake_server):
    """The scripted OpenAI-compatible server, reset to answer normally."""
    fake_server.reset()
    return fake_server


@pytest.fixture(scope="session")
def indexed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the example documents, built once per worker for ``indexed`` to copy."""
    from jupyter_docchat import DocIndex

    root = tmp_path_factory.mktemp("indexed")
    with DocIndex(store=root / "store") as index:
        index.update(shutil.copytree(EXAMPLE_DOCS, root / "docs"))
    return root / "store"


@pytest.fixture
def indexed(ip, corpus: Path, tmp_path: Path, indexed_store: Path):
    """The shell with the example documents indexed. Its store starts as a copy of one built once (each test
    writes to its own), so the magic finds the files unchanged: building it anew took 35 tests each the reading
    workers' start and the model's vectors."""
    from jupyter_docchat.store.catalog import Catalog

    shutil.copytree(indexed_store, tmp_path / "store")
    catalog = Catalog(tmp_path / "store" / "docchat.sqlite")
    try:
        built = catalog.collection("docs")
        assert built is not None
        with catalog.transaction():  # as if built from this test's folder: not a folder the collection leaves
            catalog.set_collection("docs", built.embeddings, str(corpus))
    finally:
        catalog.close()
    ip.run_line_magic("docchat_index", f"{corpus} --quiet")
    return ip


@pytest.fixture
def online(indexed, fake):
    """Indexed, and pointed at the scripted OpenAI-compatible server with a test key."""
    fake.answer = "SVB failed after depositors withdrew $42 billion in one day [2]. Losses on bonds mattered too [1]."
    indexed.run_line_magic("config", f"DocChat.base_url = {fake.url!r}")
    indexed.run_line_magic("config", "DocChat.api_key = 'sk-test-KEY-12345'")
    indexed.run_line_magic("config", "DocChat.model = 'test-model'")
    return indexed


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under DOCCHAT_REQUIRE_ALL=1 (set by scripts/test.sh, so by CI) a skipped test fails the run:
    a browser, model or package that is missing must not pass for a test that passed."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail") and os.environ.get("DOCCHAT_REQUIRE_ALL") == "1":
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped, and DOCCHAT_REQUIRE_ALL=1 requires every test to run: {reason}"

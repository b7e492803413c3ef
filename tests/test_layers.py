"""The package's layers: import-linter's contracts (pyproject.toml), and what loading the extension imports."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_contracts_hold() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert lint, "lint-imports (import-linter, in the test extra) is not installed"
    run = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 kept, 0 broken" in run.stdout


def fresh_process(code: str) -> object:
    """What ``code``, run in a new interpreter, printed as JSON on its last line."""
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_loading_the_extension_imports_no_heavy_library() -> None:
    # Each loads on first use: LangChain, Chroma, onnxruntime and pypdf are most of a slow start.
    code = (
        "import sys, json\n"
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "ip = InteractiveShell.instance()\n"
        "ip.run_line_magic('load_ext', 'docchat')\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    loaded = set(fresh_process(code))
    assert "jupyter_docchat" in loaded
    assert not loaded & {"langchain_core", "langchain_openai", "langchain_text_splitters", "chromadb",
                         "onnxruntime", "pypdf", "openai", "lxml"}, loaded


def test_importing_chroma_defers_the_iri_grammars_and_jsonschema_still_checks_iris() -> None:
    code = (
        "import sys, json\n"
        "from jupyter_docchat.store.chroma_import import import_chromadb\n"
        "import_chromadb()\n"
        "deferred = 'rfc3987_syntax.syntax_helpers' not in sys.modules\n"
        "from jsonschema import Draft202012Validator, FormatChecker\n"
        "check = Draft202012Validator({'format': 'iri'}, format_checker=FormatChecker())\n"
        "import rfc3987_syntax\n"
        "print(json.dumps([deferred, check.is_valid('https://例え.jp/パス'), check.is_valid('not an iri'),\n"
        "                  hasattr(rfc3987_syntax, 'syntax_parser')]))\n"
    )
    assert fresh_process(code) == [True, True, False, True]


def test_a_reading_worker_starts_without_compiling_the_iri_grammars() -> None:
    """nbformat imports jsonschema; the grammars were most of each worker's start (about 1.3 of 1.6 CPU-s). A
    notebook of format 4 is read from its JSON: a worker imports neither (tests/test_notebook_json.py)."""
    import subprocess
    import sys

    from jupyter_docchat.indexing.read_worker import READY

    worker = subprocess.run([sys.executable, "-X", "importtime", "-m", "jupyter_docchat.indexing.read_worker"],
                            stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    assert worker.stdout[:1] == READY and worker.returncode == 0  # ready, then end of input: it exits
    imports = worker.stderr.decode()
    assert "nbformat" not in imports and "rfc3987_syntax.syntax_helpers" not in imports

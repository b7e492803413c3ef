"""How fast docchat starts, in fresh processes (median of 5), beside the baselines from the same run.

    python bench/startup.py [--store DIR]     # DIR: an existing store (default: bench/stores.py's sqlite)

Prints: `python -c "import IPython"`; an IPython shell made and `%load_ext docchat` run in it (and the
shell alone); the first `%ask` in a fresh process on the existing store; and a cold `docchat search`.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from stores import DEFAULT_ROOT, store_of  # noqa: E402

SHELL = "from IPython.core.interactiveshell import InteractiveShell; ip = InteractiveShell.instance()"


def median_seconds(argv: list[str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, default=store_of(DEFAULT_ROOT, "sqlite"))
    args = parser.parse_args()
    py = sys.executable
    ipython = median_seconds([py, "-c", "import IPython"])
    shell = median_seconds([py, "-c", SHELL])
    load = median_seconds([py, "-c", SHELL + "; ip.run_line_magic('load_ext', 'docchat')"])
    print(f'python -c "import IPython": {ipython:.2f} s (baseline)')
    print(f"IPython shell alone: {shell:.2f} s; with %load_ext docchat: {load:.2f} s "
          f"({load - ipython:+.2f} s over the import baseline, {load - shell:+.2f} s over the shell)")
    config = f"DocChat.store = {str(args.store)!r}"
    ask = (SHELL + f"; ip.run_line_magic('load_ext', 'docchat'); ip.run_line_magic('config', {config!r})"
           "; r = ip.run_cell('%ask --no-stream What is the default maximum number of columns in a table?');"
           " assert r.error_in_exec is None, r.error_in_exec")
    first_ask = median_seconds([py, "-c", ask])
    # jsonschema imports rfc3987_syntax when it is installed (Jupyter Server's jupyter-events brings it),
    # which compiles 38 grammars at import (jsonschema issue 1428); Chroma imports jsonschema, and
    # store/chroma_import.py defers that package while it does. Beside the ask: the same ask as if the
    # package were not installed, and Chroma's import with and without the deferral.
    without = "import sys; sys.modules['rfc3987_syntax'] = None; " + ask
    first_ask_plain = median_seconds([py, "-c", without])
    python = median_seconds([py, "-c", "pass"])
    chroma = median_seconds([py, "-c", "import chromadb"])
    deferred = median_seconds([py, "-c", "from jupyter_docchat.store.chroma_import import import_chromadb; import_chromadb()"])
    search = median_seconds([py, "-m", "jupyter_docchat.cli", "--store", str(args.store), "search", "page size"])
    print(f"first %ask in a fresh process on {args.store} (shell and extension included): {first_ask:.2f} s")
    print(f"  the same where rfc3987-syntax is not installed: {first_ask_plain:.2f} s")
    print(f"importing Chroma, over a bare `python -c pass` ({python:.2f} s): `import chromadb` {chroma - python:.2f} s; "
          f"as docchat does (IRI grammars deferred) {deferred - python:.2f} s")
    print(f"docchat search, cold: {search:.2f} s")


if __name__ == "__main__":
    main()

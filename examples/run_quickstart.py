"""Run examples/quickstart.ipynb in a real Jupyter kernel and print what each cell shows.

    python examples/run_quickstart.py

The executed notebook is saved next to it as quickstart.executed.ipynb.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

HERE = Path(__file__).resolve().parent


def main() -> int:
    nb = nbformat.read(HERE / "quickstart.ipynb", as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(HERE)}})
    try:
        client.execute()
    except CellExecutionError as exc:
        print(exc, file=sys.stderr)
        return 1
    finally:
        nbformat.write(nb, HERE / "quickstart.executed.ipynb")
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        print(f">>> {cell.source}")
        for out in cell.get("outputs", []):
            text = out.get("text") or out.get("data", {}).get("text/plain", "")
            if text:
                print(text.rstrip())
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A notebook of format 4 is read from its JSON, as nbformat gives its cells, without importing nbformat (whose
jsonschema took 1.2 CPU-s to import); an older one is still converted by nbformat."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_docchat.indexing.readers.notebook import _cells_by_nbformat, _cells_of_version_4

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
_source = st.one_of(_text, st.lists(_text, max_size=4))
_output = st.one_of(
    st.fixed_dictionaries({"output_type": st.just("stream"), "name": st.sampled_from(["stdout", "stderr"]), "text": _source}),
    st.fixed_dictionaries({"output_type": st.sampled_from(["execute_result", "display_data"]), "metadata": st.just({}),
                           "data": st.fixed_dictionaries({"text/plain": _source})}),
    st.fixed_dictionaries({"output_type": st.just("error"), "ename": _text, "evalue": _text, "traceback": st.lists(_text)}),
)
_cell = st.one_of(
    st.fixed_dictionaries({"cell_type": st.just("markdown"), "metadata": st.just({}), "source": _source}),
    st.fixed_dictionaries({"cell_type": st.just("code"), "metadata": st.just({}), "source": _source,
                           "execution_count": st.none(), "outputs": st.lists(_output, max_size=3)}),
    st.fixed_dictionaries({"cell_type": st.just("raw"), "metadata": st.just({}), "source": _source}),
)


def _outputs_text(outputs: object) -> str:
    from jupyter_docchat.indexing.readers.notebook_outputs import outputs_text

    return outputs_text(outputs, 10_000)


@given(st.lists(_cell, max_size=6))
@settings(max_examples=150, deadline=None)
def test_the_cells_read_from_json_are_nbformats(cells: list[dict]) -> None:
    text = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    mine, theirs = _cells_of_version_4(text), _cells_by_nbformat(text)
    assert mine is not None
    assert [(kind, source) for kind, source, _ in mine] == [(kind, source) for kind, source, _ in theirs]
    assert [_outputs_text(outputs) for *_, outputs in mine] == [_outputs_text(outputs) for *_, outputs in theirs]


def test_an_older_notebook_is_left_to_nbformat() -> None:
    v3 = json.dumps({"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": [
        {"cell_type": "code", "input": "print(1)", "language": "python", "outputs": [], "metadata": {}}]}]})
    assert _cells_of_version_4(v3) is None
    assert _cells_by_nbformat(v3)[0][:2] == ("code", "print(1)")


def test_reading_a_notebook_imports_no_nbformat(tmp_path: Path) -> None:
    book = tmp_path / "book.ipynb"
    book.write_text(json.dumps({"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# Runs\n", "A bank run."]}],
                                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    code = ("import sys\nfrom pathlib import Path\nfrom jupyter_docchat.indexing.readers import read_sections\n"
            f"p = Path({str(book)!r})\nprint([s.text for s in read_sections(p, p.read_bytes())], 'nbformat' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "['# Runs\\nA bank run.'] False"

"""A passage a file repeats word for word is one chunk: a log of one block over and over filled the dense side's
candidates with copies and hid every other file (probe 16)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings, strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.chunking import Chunker
from jupyter_docchat.indexing.readers import read_sections

BLOCK = ("ERROR worker crashed: connection reset by peer while writing the batch to the queue\n"
         "  retrying in 5 seconds; the batch is kept on disk until the queue answers again\n\n")


def test_a_block_repeated_is_one_chunk_cited_at_its_first_lines(tmp_path):
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "worker.log").write_text("started at 09:00\n\n" + BLOCK * 400 + "stopped at 17:00\n")
    (folder / "runbook.md").write_text("# Queue outages\n\nWhen the queue is down, restart the broker with "
                                       "`systemctl restart broker` and the workers resend what they kept on disk.\n")
    index = DocIndex(tmp_path / "store")
    try:
        index.update(folder)
        chunks = index.file_chunks("worker.log")
        texts = [c.text for c in chunks]
        assert len(texts) == len(set(texts)) and len(chunks) < 10  # 400 copies were 100-odd chunks alike
        hits = index.search("How do I restart the queue broker when it is down?", k=3)
        assert "runbook.md" in [h.source for h in hits]
        starts = sorted(c.start_line for c in chunks)
        assert starts[0] == 1 and starts[-2] < 30  # each passage cited at its first copy; the last holds "stopped"
        assert "stopped at 17:00" in max(chunks, key=lambda c: c.start_line).text
    finally:
        index.close()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["same line of text here", "another line", "", "# Head", "x" * 90]), max_size=80),
       st.sampled_from([60, 120, 400]))
def test_no_two_chunks_of_a_file_are_the_same_passage(lines, size):
    text = "\n".join(lines)
    chunks = Chunker(size, size // 10).chunk("a.md", "h", read_sections(Path("a.md"), text.encode()))
    keys = [(c.heading, c.text) for c in chunks]
    assert len(keys) == len(set(keys))
    assert [c.index for c in chunks] == list(range(len(chunks)))

"""Probe 22: failures found attacking search's k, wordless questions, Sphinx titles and gone folders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.errors import DocChatError

from conftest import run_cell

ZEBRA = "# Zebra\n\nThe zebra stripes are unique to each animal, and no two zebras share a pattern.\n"
# Hangul fillers: letters by their category (Lo), blank on screen (Unicode's default-ignorable code points).
FILLERS = ["\u3164", "\uffa0", "\u115f", "\u1160", "\u3164 \u3164", "\u200b\u3164"]


@pytest.fixture(scope="module")
def zebra(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("probe22")
    (root / "docs").mkdir()
    (root / "docs" / "zebra.md").write_text(ZEBRA, encoding="utf-8")
    with DocIndex(root / "store") as built:
        built.update(root / "docs")
        yield built


@pytest.mark.parametrize("blank", FILLERS)
def test_a_question_of_hangul_fillers_is_empty(zebra: DocIndex, blank: str) -> None:
    """U+3164 and its kin show nothing, but are letters to unicodedata: a question of them was answered ("nothing
    matches" over a source ranked by the filler's vector) and a search listed hits."""
    for call in (lambda: zebra.ask(blank), lambda: zebra.search(blank)):
        with pytest.raises(DocChatError, match="empty") as refused:
            call()
        assert "\n" not in str(refused.value)
    with pytest.raises(DocChatError, match="no words"):
        zebra.search([(blank, 1.0), ("?", 1.0)])
    assert zebra.search("\u3164zebra")  # a filler beside a word is searched for the word


# What names nothing to search for: white space, controls, format characters, marks, punctuation, symbols, fillers.
WORDLESS = st.text(st.characters(categories=["Zs", "Cc", "Cf", "Mn", "Me", "Pc", "Pd", "Ps", "Pe", "Po", "Sm", "Sc", "Sk",
                                             "So", "Co"]) | st.sampled_from("\u3164\uffa0\u115f\u1160"), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(text=WORDLESS)
def test_whatever_shows_no_word_is_refused_by_ask_and_search_in_one_line(zebra: DocIndex, text: str) -> None:
    for call in (lambda: zebra.ask(text), lambda: zebra.search(text), lambda: zebra.search([(text, 1.0)])):
        with pytest.raises(DocChatError, match="empty|no words") as refused:
            call()
        assert "\n" not in str(refused.value)


def test_the_ask_magic_keeps_no_turn_for_a_question_of_fillers(ip, tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "zebra.md").write_text(ZEBRA, encoding="utf-8")
    ip.run_line_magic("docchat_index", f"{tmp_path / 'docs'} --quiet")
    for cell in ("%%ask\n\u3164", "%ask \u3164\u3164"):
        _, error = run_cell(ip, cell)
        assert error is not None and "empty" in str(error) and "\n" not in str(error)
    assert ip.user_ns["docchat_history"] == []


def test_a_question_over_an_emptied_folder_keeps_the_index(tmp_path: Path) -> None:
    """An emptied folder (a drive's mount point while the drive is unmounted) was mirrored by the check before a
    question: every file, vectors and all, was removed, and the question said "nothing indexed in collection 'docs'
    yet: index a folder first". It is answered from the index as it was, and says the folder is gone."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "zebra.md").write_text(ZEBRA, encoding="utf-8")
    with DocIndex(tmp_path / "store") as index:
        index.update(docs)
        shutil.move(str(docs / "zebra.md"), str(tmp_path / "zebra.md"))  # the folder stays, empty
        answer = index.ask("What is unique to each zebra?")
        assert [s.file for s in answer.sources] == ["zebra.md"]
        assert "is gone" in str(answer)
        assert index.catalog.chunk_count("docs") == 1
        assert index.status()[0].folder_gone
        shutil.move(str(tmp_path / "zebra.md"), str(docs / "zebra.md"))  # the drive is back
        assert not index.status()[0].folder_gone
        assert [h.source for h in index.search("zebra stripes")] == ["zebra.md"]
        (docs / "zebra.md").unlink()
        index.update(docs)  # named, the emptied folder is mirrored: an empty collection, its folder not gone
        assert index.catalog.chunk_count("docs") == 0 and not index.status()[0].folder_gone



def _zebra_folder(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "zebra.md").write_text(ZEBRA, encoding="utf-8")
    return docs


def test_a_folder_left_with_hidden_files_alone_keeps_the_index(tmp_path: Path) -> None:
    """Probe 23: a folder emptied but for ".DS_Store" (Finder's) was mirrored before a question, every file removed,
    where an empty one was answered from the index as it was."""
    docs = _zebra_folder(tmp_path)
    with DocIndex(tmp_path / "store") as index:
        index.update(docs)
        (docs / "zebra.md").unlink()
        (docs / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
        (docs / ".Trash-1000").mkdir()
        answer = index.ask("What is unique to each zebra?")
        assert [s.file for s in answer.sources] == ["zebra.md"] and "is gone" in str(answer)
        assert index.catalog.chunk_count("docs") == 1
        (docs / "notes.md").write_text("# Notes\n\nThe ferry sails at noon.\n", encoding="utf-8")  # a file again
        assert [s.file for s in index.ask("When does the ferry sail?").sources] == ["notes.md"]
        assert index.catalog.chunk_count("docs") == 1  # mirrored: zebra.md is gone now that the folder holds a file


@pytest.mark.parametrize("left", [{"app.min.js": "var a=1;"}, {".gitignore": "*.md\n", "notes.md": "# Notes\n\nIgnored.\n"},
                                  {"photo.png": b"\x89PNG\r\n\x1a\n\x00\x00"}])
def test_a_folder_left_with_skipped_files_alone_keeps_the_index(tmp_path: Path, left: dict) -> None:
    """Left 24: a folder whose files had all gone but for files the update skips (a minified script, files its
    .gitignore names, an image) was mirrored before a question: every file of the collection, vectors and all,
    was removed, where a folder left with hidden files alone was answered from the index as it was. It is kept,
    and the answer says so; docchat index of the folder still empties the collection."""
    docs = _zebra_folder(tmp_path)
    with DocIndex(tmp_path / "store") as index:
        index.update(docs)
        (docs / "zebra.md").unlink()
        for name, content in left.items():
            (docs / name).write_bytes(content.encode() if isinstance(content, str) else content)
        answer = index.ask("What is unique to each zebra?")
        assert [s.file for s in answer.sources] == ["zebra.md"] and index.catalog.chunk_count("docs") == 1
        assert "holds no file to index" in str(answer) and "answers come from the index as it was" in str(answer)
        assert answer.refreshed == ""
        index.update(docs)  # named, the folder is mirrored: an empty collection
        assert index.catalog.chunk_count("docs") == 0 and not index.catalog.files("docs")


class _CountingEmbedder:
    """The store's embedding model, counting the queries it embeds."""

    def __init__(self, model: object) -> None:
        self.model, self.queries = model, []

    def embed_query(self, text: str) -> list[float]:
        self.queries.append(text)
        return self.model.embed_query(text)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self.model, name)


@pytest.mark.parametrize("k", [5, 10, 11, 50])
def test_a_search_embeds_its_query_once_whatever_k(zebra: DocIndex, monkeypatch: pytest.MonkeyPatch, k: int) -> None:
    """Left 24: a search of more than ten (fusion.capped_hits) ranks the first ten, then reads deeper for the rest,
    and each ranking embedded the query again: two model calls for one query."""
    counting = _CountingEmbedder(zebra.embedder())
    monkeypatch.setattr(zebra, "_embedder", counting)
    assert [h.source for h in zebra.search("zebra stripes", k=k)] == ["zebra.md"]
    assert counting.queries == ["zebra stripes"]
    counting.queries.clear()
    zebra.search([("zebra stripes", 1.0), ("unique pattern", 0.5)], k=k)
    assert sorted(counting.queries) == ["unique pattern", "zebra stripes"]


@pytest.mark.parametrize("fusion", ["rrf", 1, {"method": "rrf"}])
def test_a_fusion_of_the_wrong_kind_is_named_not_blamed_on_the_store(zebra: DocIndex, fusion: object) -> None:
    """search(fusion="rrf") said "the store at ... failed: 'str' object has no attribute 'capped_hits'"."""
    with pytest.raises(DocChatError, match="fusion must be a Fusion") as refused:
        zebra.search("zebra", fusion=fusion)  # type: ignore[arg-type]
    assert "store" not in str(refused.value)


@pytest.mark.parametrize("k", [1, 5, 20])
def test_a_fusion_ranking_fewer_than_no_hits_is_refused(zebra: DocIndex, k: int) -> None:
    """Fusion(capped_hits=-3) listed every chunk but three whatever k: 46 hits of a search of 5 (a slice from the end)."""
    from dataclasses import replace

    from jupyter_docchat.retrieval.fusion import SHIPPED

    with pytest.raises(DocChatError, match="capped_hits") as refused:
        zebra.search("zebra", k=k, fusion=replace(SHIPPED, capped_hits=-3))
    assert "\n" not in str(refused.value)
    assert len(zebra.search("zebra", k=k, fusion=replace(SHIPPED, capped_hits=0))) == 1


@pytest.mark.parametrize("question", ["?!", "\u3164", "\x1b[31m...", "\u200b"])
def test_an_eval_question_without_words_is_named_by_its_line_before_any_is_searched(zebra: DocIndex, tmp_path: Path,
                                                                                   question: str) -> None:
    """Search and ask refuse a wordless question since today; an eval file holding one ran every question before it
    and then stopped with "the query has no words ...", naming no line (an empty one is named)."""
    import json

    questions = tmp_path / "q.jsonl"
    lines = [{"question": "What is unique to each zebra?", "expected": ["zebra.md"]},
             {"question": question, "expected": ["zebra.md"]}]
    questions.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    searched: list[str] = []
    original = zebra.search
    try:
        zebra.search = lambda query, *a, **kw: searched.append(query) or original(query, *a, **kw)  # type: ignore
        with pytest.raises(DocChatError, match=r"line 2: \"question\"") as refused:
            zebra.evaluate(questions)
    finally:
        del zebra.search
    assert "\n" not in str(refused.value) and searched == []
    with pytest.raises(DocChatError, match=r"question 2: \"question\""):
        zebra.evaluate(lines)


@pytest.mark.parametrize("k", ["11", "50", "51"])
def test_docchat_eval_names_its_own_limit_of_k(zebra: DocIndex, tmp_path: Path, k: str, capsys) -> None:
    """docchat eval -k 51 said "between 1 and 50", and -k 50 then "between 1 and 10"."""
    from jupyter_docchat.cli import main

    questions = tmp_path / "q.jsonl"
    questions.write_text('{"question": "zebra stripes", "expected": ["zebra.md"]}\n', encoding="utf-8")
    assert main(["eval", str(questions), "-k", k, "--store", str(zebra.store)]) == 1
    assert f"between 1 and 10, not {k}" in capsys.readouterr().err


UNCLOSED_SVG = ("<html><head><title>Walrus — Zoo 1.0 documentation</title></head><body><div role='main'><h1>Walrus</h1>"
                "<p>The walrus is a large flippered marine mammal of the Arctic.</p>{svg}"
                "<h2>Install</h2><p>Run pip install walrus to get the tool.</p><div><p>It needs Python 3.10.</p></div>"
                "</div></body></html>")


@pytest.mark.parametrize("svg", ["<svg viewBox='0 0 1 1'><title>Logo</title><path d='M0'/>",
                                 "<svg><g><title>Logo</title><path d='M0'/>", "<svg><svg><title>Logo</title>"])
def test_an_unclosed_svg_keeps_the_rest_of_the_page(svg: str) -> None:
    """A browser leaves an unclosed <svg> at the next <h2> or <p>; libxml2 put the rest of the page inside it, and the
    reader, which leaves inline icons out, lost all of it (a page of such an icon was skipped as "no text")."""
    from jupyter_docchat.indexing.readers.html import html_sections

    sections = html_sections(UNCLOSED_SVG.format(svg=svg))
    text = "\n".join(s.text for s in sections)
    assert "Run pip install walrus" in text and "It needs Python 3.10." in text and "Logo" not in text
    assert [s.heading for s in sections] == ["Walrus", "Walrus > Install"]


def test_html_in_an_svg_s_foreign_object_is_left_out_with_the_icon() -> None:
    from jupyter_docchat.indexing.readers.html import html_sections

    svg = "<svg><foreignObject><div><p>Label inside the drawing</p></div></foreignObject></svg>"
    text = "\n".join(s.text for s in html_sections(UNCLOSED_SVG.format(svg=svg)))
    assert "Label inside" not in text and "It needs Python 3.10." in text


@pytest.mark.parametrize("queries", [[], [("zebra stripes", 0.0)], [("zebra", 0.0), ("stripes", 0)]])
def test_a_list_of_queries_that_weighs_nothing_is_refused(zebra: DocIndex, queries: list) -> None:
    """search([]) listed nothing without a word, and weights all 0 listed hits of score 0 in no order of theirs."""
    with pytest.raises(DocChatError, match="quer") as refused:
        zebra.search(queries)
    assert "\n" not in str(refused.value)
    assert zebra.search([("zebra stripes", 1.0), ("zebra", 0.0)])  # one weight above 0 ranks


@pytest.mark.parametrize("spelling", ["-k", "--k"])
def test_k_is_spelled_either_way_in_the_shell_and_in_docchat_eval(zebra: DocIndex, tmp_path: Path, spelling: str,
                                                                   capsys, ip) -> None:
    """%%ask takes -k and --k; docchat took -k alone ("unrecognized arguments: --k 5") and %docchat_eval --k alone (README
    writes "%docchat_eval my_questions.jsonl --k 5"; -k 5 was "unrecognized arguments")."""
    import json

    from jupyter_docchat.cli import main

    questions = tmp_path / "q.jsonl"
    questions.write_text('{"question": "zebra stripes", "expected": ["zebra.md"]}\n', encoding="utf-8")
    store = ["--store", str(zebra.store)]
    assert main(["search", "zebra stripes", spelling, "1", "--json", *store]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
    assert main(["ask", "What is unique to each zebra?", spelling, "1", *store]) == 0
    assert main(["eval", str(questions), spelling, "3", "--json", *store]) == 0
    assert "R@3" in capsys.readouterr().out
    ip.run_line_magic("config", f"DocChat.store = {str(zebra.store)!r}")
    result, error = run_cell(ip, f"%docchat_eval {questions} {spelling} 3")
    assert error is None and "R@3" in str(result.result)

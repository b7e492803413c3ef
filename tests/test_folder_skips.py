"""What a user does not mean when they index a folder is left out and named, and can be brought back:
ignore files, build output, a Sphinx build's sources, machine-length lines, copies."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import run_cell, write_tree

from jupyter_docchat import DocIndex, IndexOptions
from jupyter_docchat.indexing.scan import scan_folder
from jupyter_docchat.indexing.skips import SkipRules, machine_length

PROSE = ("The committee met on Tuesday to discuss the reserve requirements of the regional banks, and after a long "
         "debate about liquidity, deposit insurance and the history of bank runs it agreed to publish its minutes. ")




def names(folder: Path, rules: SkipRules | None = None) -> tuple[list[str], dict[str, str]]:
    scan = scan_folder(folder, rules=rules)
    return [rel for rel, _ in scan.files], dict(scan.skipped)


def sources(index: DocIndex) -> set[str]:
    return set(index.catalog.files(index.collection))


def test_gitignore_and_ignore_files_are_honoured_as_git_does(tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "repo", {
        ".gitignore": "build/\n*.log\n!keep.log\n/top-only.md\n",
        "README.md": "# Readme\n", "top-only.md": "ignored at the top only\n", "sub/top-only.md": "kept\n",
        "run.log": "ignored\n", "keep.log.txt": "not a .log\n", "keep.log": "re-included\n",
        "build/out.md": "ignored folder\n", "sub/build/deep.md": "ignored folder at any depth\n",
        "sub/.gitignore": "draft.md\n!run.log\n", "sub/draft.md": "ignored below\n", "sub/run.log": "re-included below\n",
        "notes/.ignore": "secret.md\n", "notes/.gitignore": "!secret.md\nold.md\n", "notes/secret.md": "ignored\n",
        "notes/old.md": "ignored\n", "notes/new.md": "kept\n",
    })
    files, skipped = names(folder)
    assert files == ["README.md", "keep.log", "keep.log.txt", "notes/new.md", "sub/run.log", "sub/top-only.md"]
    assert skipped == {
        "build/": "ignored by .gitignore", "sub/build/": "ignored by .gitignore", "run.log": "ignored by .gitignore",
        "top-only.md": "ignored by .gitignore", "sub/draft.md": "ignored by .gitignore",
        "notes/secret.md": "ignored by .ignore", "notes/old.md": "ignored by .gitignore",
    }
    # The checkout's top is above the indexed folder: its .gitignore counts too, relative to it.
    (folder / ".git").mkdir()
    assert names(folder / "sub") == (["run.log", "top-only.md"], {"build/": "ignored by .gitignore",
                                                                  "draft.md": "ignored by .gitignore"})
    # --include brings back what it matches, even inside an ignored folder; --all everything.
    files, _ = names(folder, SkipRules(includes=("build/*", "*.log")))
    assert {"build/out.md", "run.log", "sub/run.log"} <= set(files) and "sub/build/deep.md" not in files
    assert "sub/build/deep.md" in names(folder, SkipRules(includes=("**/deep.md",)))[0]
    files, skipped = names(folder, SkipRules(all_files=True))
    assert len(files) == 13 and not skipped


def test_build_output_and_a_sphinx_builds_sources_are_skipped_and_named(tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "html", {
        "objects.inv": "x", "searchindex.js": 'Search.setIndex({"docnames":["guide"]})', "index.html": "<h1>Home</h1>",
        "guide.html": "<h1>Guide</h1>", "topic/deep.html": "<h1>Deep</h1>", "genindex.html": "<h1>Index</h1>",
        "search.html": "<p>Search</p>", "_sources/guide.rst.txt": "Guide\n=====\n", "_sources/topic/deep.md.txt": "# Deep",
        "_sources/orphan.rst.txt": "Orphan\n======\n", "_static/jquery.js": "var jQuery;", "_static/theme.css": "p{}",
        "app.min.js": "var a=1;", "app.js": "var a = 1;", "app.js.map": "{}", "style.min.css": "p{}",
        "package-lock.json": "{}", "poetry.lock": "", "search/search_index.json": "{}", "conda-lock.yml": "version: 1\n",
        "_modules/pkg/core.html": "<pre>def f(): pass</pre>", "_modules/index.html": "<h1>All modules</h1>",
    })
    files, skipped = names(folder)
    assert files == ["app.js", "guide.html", "index.html", "objects.inv", "_sources/orphan.rst.txt", "topic/deep.html"]
    assert skipped == {
        "_static/": "theme assets", "app.js.map": "source map", "app.min.js": "minified", "style.min.css": "minified",
        "genindex.html": "generated index page", "search.html": "generated index page",
        "searchindex.js": "search index of a documentation build", "package-lock.json": "lock file",
        "poetry.lock": "lock file", "search/": "search index of a documentation build",
        "conda-lock.yml": "lock file", "_sources/guide.rst.txt": "source of a rendered page", "_sources/topic/deep.md.txt": "source of a rendered page",
        "_modules/": "source code pages of a documentation build",
    }
    assert "_modules/pkg/core.html" in names(folder, SkipRules(includes=("_modules",)))[0]
    # Without the build's own files it is not a Sphinx build: a folder named _sources is the user's.
    (folder / "objects.inv").unlink()
    (folder / "searchindex.js").unlink()
    files, skipped = names(folder)
    assert "_sources/guide.rst.txt" in files and "genindex.html" in files and "_modules/pkg/core.html" in files
    assert names(folder, SkipRules(includes=("_static",)))[0].count("_static/jquery.js") == 1


def test_machine_length_lines_are_generated_but_a_paragraph_per_line_is_prose() -> None:
    minified = "!function(e,t){'use strict';var n=[],r=Object.getPrototypeOf,i=n.slice;" * 300
    assert machine_length(minified)
    assert machine_length(json.dumps({"docnames": [f"page{i}" for i in range(2000)], "titles": ["A b"] * 500}))
    assert not machine_length("\n\n".join(PROSE * 4 for _ in range(20)))  # paragraphs of 800 characters, one a line
    assert not machine_length("short line\n" * 100 + minified)  # one long line among many short ones
    assert not machine_length("")


def test_skips_are_named_in_the_summary_overridable_and_kept_for_a_refresh(tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "project", {
        ".gitignore": "build/\n", "guide.md": "# Guide\n\nThe reserve ratio is ten percent.\n",
        "build/guide-copy.md": "# Built\n\nThe vault opens at nine.\n",
        "vendor.js": "var a=" + "[1,2,3,{\"k\":\"v\"}]," * 400 + "0;\n",
        "book.txt": "\n".join(PROSE * 5 for _ in range(6)),
    })
    index = DocIndex(tmp_path / "store", collection="docs")
    report = index.update(folder)
    assert sources(index) == {"guide.md", "book.txt"}
    assert ("build/", "ignored by .gitignore") in report.skipped_files
    assert ("vendor.js", "machine-length lines") in report.skipped_files
    summary = report.summary()
    assert "1 ignored by .gitignore" in summary and "1 machine-length lines" in summary
    assert "--include GLOB or --all" in summary
    report = index.update(folder, IndexOptions(includes=["build/*", "vendor.js"]))
    assert sources(index) == {"guide.md", "book.txt", "build/guide-copy.md", "vendor.js"}
    assert "--all" not in report.summary()
    # A refresh keeps the options the collection was indexed with: the included file stays and is read again.
    (folder / "build" / "guide-copy.md").write_text("# Built\n\nThe vault opens at ten.\n")
    os.utime(folder / "build" / "guide-copy.md", ns=(1, 10**18))
    refreshed = index.refresh(background_min=10**6)
    assert refreshed is not None and refreshed.updated == 1 and refreshed.removed == 0
    assert any("at ten" in hit.text for hit in index.search("vault opens", k=3, mode="lexical"))
    index.update(folder)  # back to the defaults: what they skip leaves the index
    assert sources(index) == {"guide.md", "book.txt"}
    index.update(folder, IndexOptions(all_files=True))
    assert sources(index) == {"guide.md", "book.txt", "build/guide-copy.md", "vendor.js"}
    index.close()


MANUAL = "# Reserve manual\n\nBanks hold reserves against deposits.\n\n## Ratios\n\nThe ratio is ten percent.\n"


def test_a_copy_is_indexed_once_the_best_named_wins_and_another_takes_over_when_it_goes(tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "docs", {
        "backup/manual.md": MANUAL.replace("\n\n", "\n\n\n").replace(" ", "  "),  # white space aside, the same
        "Copy of manual.md": MANUAL,
        "other.md": "# Other\n\nSomething else entirely.\n",
    })
    index = DocIndex(tmp_path / "store", collection="docs")
    report = index.update(folder)
    assert sources(index) == {"Copy of manual.md", "other.md"}  # shallowest path first
    assert ("backup/manual.md", "copy of Copy of manual.md") in report.skipped_files
    assert report.skipped["copy of another file"] == 1
    assert index.refresh() is None  # a copy is checked by its size and time like any file: nothing changed

    # A better-named copy comes: it takes over, reusing the vectors of the text it shares.
    (folder / "manual.md").write_text(MANUAL)
    report = index.update(folder)
    assert sources(index) == {"manual.md", "other.md"}
    assert sorted(report.skipped_files) == [("Copy of manual.md", "copy of manual.md"),
                                            ("backup/manual.md", "copy of manual.md")]
    assert report.added == 1 and report.removed == 0 and report.reused == report.chunks_added > 0
    assert report.unchanged == 1  # other.md; the copies are named as skipped
    hits = index.search("reserves against deposits", k=3)
    assert [h.source for h in hits if "reserves" in h.text] == ["manual.md"]

    # The indexed copy is deleted: the next best is indexed in the same update, nothing embedded again.
    (folder / "manual.md").unlink()
    report = index.update(folder)
    assert sources(index) == {"Copy of manual.md", "other.md"}
    assert report.removed == 1 and report.added == 1 and report.embedded == 0
    assert ("backup/manual.md", "copy of Copy of manual.md") in report.skipped_files

    # The indexed copy is edited: it is no copy any more, and the other copy is indexed too.
    (folder / "Copy of manual.md").write_text(MANUAL + "\nA new paragraph.\n")
    index.update(folder)
    assert sources(index) == {"Copy of manual.md", "backup/manual.md", "other.md"}

    # The same folder indexed afresh gives the same index, whatever the history.
    fresh = DocIndex(tmp_path / "fresh", collection="docs")
    fresh.update(folder)
    assert sources(fresh) == sources(index)
    assert index.catalog.chunk_count("docs") == fresh.catalog.chunk_count("docs")
    index.close()
    fresh.close()


def test_include_and_all_index_every_copy(tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "docs", {"a.md": MANUAL, "b.md": MANUAL, "c.md": MANUAL})
    index = DocIndex(tmp_path / "store", collection="docs")
    index.update(folder, IndexOptions(includes=["c.md"]))
    assert sources(index) == {"a.md", "c.md"}
    index.update(folder, IndexOptions(all_files=True))
    assert sources(index) == {"a.md", "b.md", "c.md"}
    index.update(folder)  # back to the defaults: the copies already indexed go
    assert sources(index) == {"a.md"}
    index.close()


def test_the_magic_and_the_cli_take_include_and_all(ip, tmp_path: Path, capsys) -> None:
    folder = write_tree(tmp_path / "site", {"page.md": "# Page\n\nThe page text.\n", "_static/notes.md": "# Theme\n\nTheme notes.\n"})
    _, error = run_cell(ip, f"%docchat_index {folder} --wait")
    assert error is None
    assert "_static/ (theme assets)" in capsys.readouterr().out
    _, error = run_cell(ip, f"%docchat_index {folder} --wait --include '_static/*'")
    assert error is None and "1 added" in capsys.readouterr().out
    done = subprocess.run([sys.executable, "-m", "jupyter_docchat.cli", "index", str(folder), "--quiet", "--json", "--all"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["added"] == 2

"""What researchers and project checkouts hold beside Markdown and PDFs: LaTeX and BibTeX, R Markdown and
Quarto (with YAML front matter), configuration files, code in more languages, and a README, LICENSE or
Makefile without a suffix. Each was "unsupported type"; a Markdown file's front matter was a setext heading."""

from __future__ import annotations

from pathlib import Path

import pytest

from jupyter_docchat import DocIndex

FILES = {
    "thesis/main.tex": "\\documentclass{article}\n\\begin{document}\n\\section{Introduction}\nWe study the migration of"
                       " storks across the Sahara. % TODO: cite the flamingo survey\n\\begin{comment}\nOld draft: pelicans"
                       " were ringed in 2012.\n\\end{comment}\n\\section{Methods}\nStorks were tagged with GPS loggers in"
                       " 2019, 40\\% of them adults.\n\\end{document}\n",
    "thesis/refs.bib": "@article{berthold2001,\n  author = {Peter Berthold},\n  title = {Bird Migration: A General "
                       "Survey},\n  year = {2001}\n}\n",
    "report.Rmd": "---\ntitle: \"Growth report\"\nauthor: Ana\n---\n\n# Results\n\nSales grew 12 percent in 2024.\n\n"
                  "```{r}\nsummary(sales)\n```\n",
    "slides.qmd": "---\ntitle: Quarterly review\n---\n\n## Outlook\n\nHiring freezes until March.\n",
    "pyproject.toml": "[project]\nname = \"stork-tracker\"\nrequires-python = \">=3.10\"\n",
    "environment.yml": "name: storks\ndependencies:\n  - python=3.11\n  - geopandas\n",
    "setup.cfg": "[flake8]\nmax-line-length = 120\n",
    "README": "Stork tracker\n\nRun make maps to draw the flight paths.\n",
    "LICENSE": "MIT License\n\nCopyright (c) 2024 Ana\n",
    "Makefile": "maps:\n\tpython draw.py --out maps/\n",
    "tools/fetch.rb": "# Downloads the logger files\ndef fetch(url)\n  URI.open(url).read\nend\n",
    "data/points.json": "[{\"lat\": 1.0, \"lon\": 2.0}]\n",
}


@pytest.fixture
def index(tmp_path: Path):
    folder = tmp_path / "project"
    for name, text in FILES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    index = DocIndex(tmp_path / "store")
    report = index.update(folder)
    yield index, report
    index.close()


def test_project_files_are_read_and_data_stays_out(index) -> None:
    index, report = index
    indexed = set(index.catalog.files(index.collection))
    assert indexed == set(FILES) - {"data/points.json"}, indexed
    assert ("data/points.json", "unsupported type") in report.skipped_files


def test_each_answers_from_where_it_says(index) -> None:
    index, _ = index
    for query, source, words in [
        ("When were the storks tagged with GPS loggers?", "thesis/main.tex", "tagged with GPS loggers in 2019"),
        ("Who wrote Bird Migration: A General Survey?", "thesis/refs.bib", "Peter Berthold"),
        ("Which Python version does the project require?", "pyproject.toml", "requires-python"),
        ("How do I draw the flight paths?", "README", "make maps"),
        ("How much did sales grow?", "report.Rmd", "12 percent"),
    ]:
        hits = index.search(query, k=3, mode="lexical")
        assert hits and hits[0].source == source and words in hits[0].text, (query, [(h.source, h.text[:40]) for h in hits])


def test_front_matter_is_a_section_and_its_title_heads_the_trail(index, tmp_path: Path) -> None:
    from jupyter_docchat.indexing.readers import read_sections

    index, _ = index
    path = tmp_path / "project" / "report.Rmd"
    sections = [(s.heading, s.start_line, s.text.splitlines()[0]) for s in read_sections(path, path.read_bytes())]
    assert sections == [("Growth report", 1, "---"), ("Growth report > Results", 6, "# Results")]
    for name in ("report.Rmd", "slides.qmd"):  # the closing "---" made the front matter a heading
        assert all("title:" not in c.heading for c in index.file_chunks(name))
    slides = next(c for c in index.file_chunks("slides.qmd") if "Hiring" in c.text)
    assert slides.heading.startswith("Quarterly review")


@pytest.mark.parametrize("matter, title", [("title: >\n  Spread over\n  two lines", ""), ('title: "Sales: 2024"', "Sales: 2024"),
                                           ("title: 'Plain'", "Plain"), ("subtitle: Not this", ""), ("title:", "")])
def test_only_a_one_line_title_heads_the_trail(matter: str, title: str) -> None:
    from jupyter_docchat.indexing.readers.markdown import _matter_title

    assert _matter_title(matter) == title


def test_latex_comments_are_not_the_papers_text(index) -> None:
    """A comment or a comment environment is what the paper does not say: a draft answered questions."""
    index, _ = index
    chunks = index.file_chunks("thesis/main.tex")
    text = "\n".join(c.text for c in chunks)
    assert "flamingo" not in text and "pelicans" not in text and "40\\% of them adults" in text
    assert not index.search("When were the pelicans ringed?", k=3, mode="lexical")
    methods = next(c for c in chunks if "GPS loggers" in c.text)  # lines kept: the blanked ones still count
    first = methods.text.split("\n")[0]
    assert FILES["thesis/main.tex"].split("\n")[int(methods.location.split()[1].split("-")[0]) - 1].startswith(first)

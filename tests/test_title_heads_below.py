"""A title alone joins the section it heads, not the end of the one before (chunking._merge_small).

Mako's changelog (python-mako-doc, Sphinx with the changelog extension) writes each release as a heading and a
"Released:" line over subsections "bug", "changed", "misc". A release's title and date were joined to the end of
the short subsection above it, of the release before: "1.2.0 / Released: Thu Mar 10 2022" was cited under
"Changelog > 1.2 > 1.2.1 > misc", and 1.2.0's own chunks held neither its title nor its date. 26 of the page's
chunks held a title of another release this way.
"""

from __future__ import annotations

from pathlib import Path

from jupyter_docchat.indexing.chunking import Chunker
from jupyter_docchat.indexing.readers import read_sections
from jupyter_docchat.types import HeadingTrail

from conftest import chunks_of

ITEM = ("<li><p><strong>[{tag}]</strong></p><p>Fixed issue {n} where the lexer would mis-read a closing tag that had a "
        "large amount of white space in it, taking the rest of the template as the tag.</p></li>")


def release(version: str, date: str, parts: dict[str, int]) -> str:
    body = f'<section id="change-{version}"><h3>{version}</h3>\nReleased: {date}'
    for tag, items in parts.items():
        body += f'<section id="change-{version}-{tag}">\n<h4>{tag}</h4>\n<ul>'
        body += "".join(ITEM.format(tag=tag, n=n) for n in range(items)) + "</ul></section>\n"
    return body + "</section>\n"


def changelog() -> str:
    return ("<html><head><title>Changelog</title></head><body><div role='main'>"
            "<section><h1>Changelog</h1><section><h2>1.2</h2>\n"
            + release("1.2.1", "Thu Jun 30 2022", {"misc": 1})
            + release("1.2.0", "Thu Mar 10 2022", {"changed": 4, "bug": 3})
            + "</section></section></div></body></html>")


def test_a_release_title_heads_its_own_changes() -> None:
    chunks = chunks_of("changelog.html", changelog())
    dated = [c for c in chunks if "Released: Thu Mar 10 2022" in c.text]
    assert len(dated) == 1
    assert HeadingTrail.of("Changelog > 1.2 > 1.2.0").holds(HeadingTrail.of(dated[0].heading)), dated[0].heading
    assert "1.2.0" in dated[0].text and "[changed]" in dated[0].text
    before = [c for c in chunks if "Released: Thu Jun 30 2022" in c.text]  # 1.2.1's, under "Changelog" as before
    assert len(before) == 1 and "1.2.0" not in before[0].text


def test_a_markdown_title_heads_its_own_sections() -> None:
    item = "- Fixed an issue where the lexer would mis-read a closing tag with a lot of white space in it.\n"
    text = ("# Changes\n\n## 2.1\n\n### misc\n\n" + item + "\n## 2.0\n\nReleased 2022-03-10\n\n### changed\n\n"
            + item * 9)
    chunks = chunks_of("CHANGES.md", text)
    dated = [c for c in chunks if "Released 2022-03-10" in c.text]
    assert len(dated) == 1 and dated[0].heading.startswith("Changes > 2.0"), dated[0].heading
    assert all("2.0" not in c.text for c in chunks if "2.1" in c.heading)


def test_a_heading_joined_to_the_section_above_stays_a_line_apart() -> None:
    # Sections of an HTML page joined into one chunk: the heading on the markup's next line stood under the line
    # above with no blank line, as its paragraph's last line ("Released: Thu Mar 10 2022\nchanged").
    for html in ("<html><body><h1>Fixes</h1><p>Short text.</p>\n<h2>Lexer</h2><p>More text.</p></body></html>",
                 "<html><body><h1>Fixes</h1><p>Short text.</p><h2>Lexer</h2><p>More text.</p></body></html>",
                 "<html><body><section><h1>Fixes</h1>\nShort text.<section>\n<h2>Lexer</h2>\n<p>More text.</p>"
                 "</section></section></body></html>"):
        chunks = chunks_of("page.html", html)
        assert [c.text for c in chunks] == ["Fixes\n\nShort text.\n\nLexer\n\nMore text."], html
        assert (chunks[0].start_line, chunks[0].end_line) == (1, html.count("\n") + 1)


def test_a_title_alone_joined_with_the_one_section_it_heads_takes_that_section_s_trail() -> None:
    """Joined with one section under it, the chunk is cited under that section's trail (which names the title);
    joined with several, under the title's own, which holds them all."""
    intro = "White storks winter in Africa and breed in Europe, crossing the sea where it is narrowest. " * 5
    one = (f"# Storks\n\n{intro}\n\n## Methods\n\n### Data from GPS loggers\n\nForty storks were tagged near "
           f"Strasbourg.\n\n## Results\n\n{intro}\n")
    sections = Chunker(800, 100).chunk("paper.md", "h", read_sections(Path("paper.md"), one.encode()))
    tagged = next(c for c in sections if "Strasbourg" in c.text)
    assert HeadingTrail.of(tagged.heading).parts[-2:] == ("Methods", "Data from GPS loggers")
    several = one.replace("## Results", "### Analysis\n\nTracks were smoothed.\n\n## Results")
    sections = Chunker(800, 100).chunk("paper.md", "h", read_sections(Path("paper.md"), several.encode()))
    tagged = next(c for c in sections if "Strasbourg" in c.text)
    assert "Smoothed".lower() in tagged.text.lower() and HeadingTrail.of(tagged.heading).parts[-1] == "Methods"

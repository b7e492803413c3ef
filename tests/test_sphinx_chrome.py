"""What a Sphinx build adds to every page (readers 28): viewcode's "[source]" links, the site's name in page titles.

Found on Celery's manual (401 chunks), and in the bench's django (753) and sphinx (153) corpora: every autodoc entry
read "class celery.app.task.Context(*args, **kwargs)[source]", and answers quoted it so. On Debian's build of Black's
manual, pages without an h1 were headed "Black classes — Black 23.1.0 documentation > Enums" or "<no title> — ..."."""

from __future__ import annotations

from html import escape

from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_docchat.indexing.readers.html import html_sections

SOURCE_LINK = ("<a class='reference internal' href='../_modules/celery/app/task.html#{name}'>"
               "<span class='viewcode-link'><span class='pre'>[source]</span></span></a>")


def autodoc_page(name: str, description: str) -> str:
    """An API entry as Sphinx's autodoc with viewcode writes it."""
    return ("<html><body><div class='body' role='main'><section id='api'><h1>API</h1>"
            f"<dl class='py class'><dt class='sig sig-object py' id='{escape(name, quote=True)}'>"
            "<em class='property'><span class='pre'>class</span> </em>"
            f"<span class='sig-name descname'><span class='pre'>{escape(name)}</span></span>"
            "<span class='sig-paren'>(</span><em class='sig-param'><span class='pre'>*args</span></em>"
            "<span class='sig-paren'>)</span>" + SOURCE_LINK.format(name=escape(name, quote=True)) +
            f"<a class='headerlink' href='#{escape(name, quote=True)}' title='Permalink to this definition'>¶</a></dt>"
            f"<dd><p>{escape(description)}</p></dd></dl></section></div></body></html>")


def page_text(markup: str) -> str:
    return "\n".join(section.text for section in html_sections(markup))


def test_the_source_link_after_a_signature_is_left_out_and_the_signature_kept() -> None:
    text = page_text(autodoc_page("Context", "The task's request context."))
    assert "[source]" not in text
    assert "class Context(*args)" in text
    assert "The task's request context." in text


def test_source_as_a_word_of_the_page_stays() -> None:
    markup = ("<html><body><h1>Links</h1><p>Each entry ends in a [source] link to its code; "
              "<span class='viewcode-back'>[docs]</span> goes back.</p></body></html>")
    text = page_text(markup)
    assert "[source] link to its code" in text
    assert "[docs]" in text


def test_a_viewcode_mark_outside_a_link_goes_and_the_text_after_it_stays() -> None:
    markup = ("<html><body><h1>API</h1><p>run(task)<span class='viewcode-link'>[source]</span> and then "
              "some more words.</p></body></html>")
    text = page_text(markup)
    assert "[source]" not in text
    assert "run(task) and then some more words." in text


@settings(max_examples=60, deadline=None)
@given(name=st.from_regex(r"[A-Za-z_][A-Za-z0-9_.]{0,30}", fullmatch=True),
       description=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=200))
def test_any_entry_reads_its_name_and_description_without_the_link(name: str, description: str) -> None:
    text = page_text(autodoc_page(name, description))
    assert "[source]" not in text.replace(description, "")
    assert f"class {name}(*args)" in text
    for word in description.split():
        assert word in text


def titled_page(title: str) -> str:
    """A page without an h1, as Debian's build of Black's manual has them (its Markdown pages were not converted)."""
    return (f"<html><head><title>{title}</title></head><body><div role='main'><h2>Enums</h2>"
            "<p>Mode is an enum of the target versions.</p><h3>Mode</h3><p>The mode Black formats in.</p></div></body></html>")


def test_the_site_s_name_is_left_out_of_a_page_title_that_heads_the_trail() -> None:
    for title in ("Black classes — Black 23.1.0 documentation", "Black classes | Black documentation",
                  "Black classes - Black Documentation (23.x)"):
        assert [s.heading for s in html_sections(titled_page(title))] == ["Black classes > Enums",
                                                                           "Black classes > Enums > Mode"], title


def test_sphinx_s_no_title_heads_nothing_and_a_title_that_is_all_documentation_stays() -> None:
    assert [s.heading for s in html_sections(titled_page("&lt;no title&gt; — Black 23.1.0 documentation"))] == [
        "Enums", "Enums > Mode"]
    assert html_sections(titled_page("API documentation"))[0].heading == "API documentation > Enums"
    assert html_sections(titled_page("Sphinx documentation"))[0].heading == "Sphinx documentation > Enums"


def test_a_title_without_a_letter_or_digit_heads_nothing() -> None:
    for title in (")", "} — Black 23.1.0 documentation", "&lt;no title&gt;", "···"):
        assert [s.heading for s in html_sections(titled_page(title))] == ["Enums", "Enums > Mode"], title
    assert html_sections(titled_page("2.0 — Project documentation"))[0].heading == "2.0 > Enums"

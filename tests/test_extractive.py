"""The offline answer quotes the unit that answers: in a real IPython shell, and the unit splitter alone."""

from __future__ import annotations

from pathlib import Path

from conftest import ask

from jupyter_docchat.qa.answer_units import Unit, split_units
from jupyter_docchat.qa.sections import AskedSection, asked_section, overview
from jupyter_docchat.types import Hit
from jupyter_docchat.indexing.readers.html import html_sections
from jupyter_docchat.indexing.readers import read_sections
from jupyter_docchat.views.answer import highlight


def answer_of(ip) -> str:
    return ip.user_ns["docchat_history"][-1]["answer"].split("\n\n*Extractive answer")[0]


def index_files(ip, folder: Path, files: dict[str, str]) -> None:
    """Write ``files`` into a new ``folder`` and index it in the shell."""
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    ip.run_line_magic("docchat_index", f"\"{folder}\" --quiet")


def test_the_causes_question_quotes_the_causes(indexed) -> None:
    ask(indexed, "What caused the collapse of Silicon Valley Bank?", "--no-stream")
    answer = answer_of(indexed)
    assert answer.startswith("The main causes were:")
    assert "interest-rate risk" in answer and "uninsured" in answer and "supervision" in answer
    assert "[1]" in answer and len(answer) <= 1200
    notice = indexed.user_ns["docchat_history"][-1]["answer"].split("\n\n")[-1]
    assert notice.startswith("*Extractive answer") and "\n" not in notice  # one line


def test_a_follow_up_uses_the_last_turn_and_a_new_topic_does_not(indexed) -> None:
    ask(indexed, "What caused the collapse of Silicon Valley Bank?", "--no-stream")
    ask(indexed, "And how did the regulators respond?", "--no-stream")
    turn = indexed.user_ns["docchat_history"][-1]
    assert turn["standalone"].startswith("What caused the collapse")  # needs the last turn
    assert turn["sources"][0]["source"] == "regulators_response.html"
    # The question is the page's title: the whole page is the source, and each of its parts is summed up.
    assert turn["sources"][0]["location"] == "lines 11-20"  # its text ends on line 20; </main> is line 21
    answer = answer_of(indexed)
    assert answer.startswith("Over the weekend after Silicon Valley Bank closed, officials worked to stop the panic")
    for part in ("systemic risk exception", "Bank Term Funding Program", "First Citizens", "Michael Barr"):
        assert part in answer
    assert "- **A new lending facility**: The Federal Reserve created the Bank Term Funding Program (BTFP). [1]" in answer
    ask(indexed, "What is the Bank Term Funding Program?", "--no-stream")
    ask(indexed, "Who bought the bank?", "--no-stream")
    turn = indexed.user_ns["docchat_history"][-1]
    assert turn["standalone"] == "Who bought the bank?"  # a new question: the BTFP is not carried over
    assert "First Citizens" in answer_of(indexed) and "Funding Program" not in answer_of(indexed).split("\n")[0]


OUTAGE = (
    "# How the team responded to the outage\n\n"
    "The on-call engineer was paged at 02:10 and the status page went up ten minutes later.\n\n"
    "## Restoring service\n\nTraffic was moved to the standby region by 02:40.\n\n"
    "## Talking to customers\n\nSupport sent an email to every affected account the next morning.\n\n"
    "## Preventing a repeat\n\nThe disk alarms now fire at 80 percent instead of 95 percent.\n"
)


def test_a_question_naming_a_short_section_is_answered_with_all_its_parts(ip, tmp_path: Path) -> None:
    index_files(ip, tmp_path / "ops notes", {"outage.md": OUTAGE, "lunch.md": "# Lunch\n\nThe canteen serves soup on Fridays.\n"})
    ask(ip, "How did the team respond to the outage?", "--no-stream")
    turn = ip.user_ns["docchat_history"][-1]
    assert [s["source"] for s in turn["sources"]].count("outage.md") == 1
    assert turn["sources"][0]["location"] == "lines 1-15" and "Preventing a repeat" in turn["sources"][0]["text"]
    assert answer_of(ip) == (
        "The on-call engineer was paged at 02:10 and the status page went up ten minutes later. [1]\n\n"
        "- **Restoring service**: Traffic was moved to the standby region by 02:40. [1]\n"
        "- **Talking to customers**: Support sent an email to every affected account the next morning. [1]\n"
        "- **Preventing a repeat**: The disk alarms now fire at 80 percent instead of 95 percent. [1]")
    # A question about one fact in it, or asking what something is, gets the unit that answers it.
    ask(ip, "When was the on-call engineer paged?", "--no-stream")
    assert answer_of(ip).startswith("The on-call engineer was paged at 02:10") and "**" not in answer_of(ip)
    ip.user_ns["docchat_history"].clear()
    ask(ip, "What is the outage response?", "--no-stream")
    assert "**" not in answer_of(ip)


def test_a_section_too_long_to_sum_up_is_not_summed_up(ip, tmp_path: Path) -> None:
    filler = " ".join(["The runbook lists every dashboard, alarm and escalation contact in detail."] * 12)
    index_files(ip, tmp_path / "ops", {"outage.md": OUTAGE.replace("## Talking", f"{filler}\n\n## Talking")
                                       .replace("## Preventing", f"{filler}\n\n## Preventing")
                                       .replace("later.", f"later. {filler}")})
    ask(ip, "How did the team respond to the outage?", "--no-stream")
    assert "**" not in answer_of(ip)
    assert all("**" not in answer_of(ip) for s in ip.user_ns["docchat_history"][-1]["sources"])


def test_the_asked_section_is_the_one_whose_title_is_the_question() -> None:
    page = "The SQLite Amalgamation"
    chunks = [Hit(str(n), f"{heading.split(' > ')[-1]}\n\nSome text about what it says here.", "amalgamation.html", heading)
              for n, heading in enumerate([
                  page, f"{page} > Building it from canonical source code",
                  f"{page} > Building it from canonical source code > Dependencies",
                  f"{page} > Building it from canonical source code > See also", f"{page} > Download copies"])]

    def asked(question: str, hit: int):
        return asked_section(question, [chunks[hit]], lambda source: chunks)

    # The title names something narrower than the question: no overview.
    assert asked("How do I build the amalgamation?", 1) is None
    # The title is the question, but for the page's topic words: the section and its parts.
    section = asked("Tell me about building it from canonical source code", 2)
    assert section is not None and [title for title, _ in section.parts] == ["Dependencies", "See also"] and len(section.chunks) == 3
    assert [t for t, _ in asked("Tell me about the SQLite amalgamation", 0).parts] == ["Building it from canonical source code", "Download copies"]
    assert asked("What is the SQLite amalgamation?", 0) is None  # a definition is one unit's job


def test_a_short_sentence_is_quoted_not_called_missing(ip, tmp_path: Path) -> None:
    index_files(ip, tmp_path / "fruit", {"apples.txt": "Apples are red.",
                                         "other.txt": "The warehouse opens at nine in the morning on weekdays."})
    ask(ip, "What colour are apples?", "--no-stream")
    assert answer_of(ip) == "Apples are red. [1]"
    ask(ip, "Which planets have rings?", "--no-stream")
    assert answer_of(ip) == "The indexed documents contain nothing that matches this question."


def test_a_list_item_supporting_the_answer_is_one_bullet_not_two(ip, tmp_path: Path) -> None:
    # A changelog's item under "Also:" read "- - The ferry now leaves ...": the line's bullet and the item's own, an
    # empty bullet over a list of one in Markdown. A numbered item keeps its number (it says which step).
    index_files(ip, tmp_path / "ferry", {
        "timetable.txt": "The walrus ferry sails hourly from nine to five.",
        "CHANGES.rst": "Changelog\n=========\n\nVersion 2.1.0\n-------------\n\nReleased 2026-11-30\n\n"
                       "-   The ferry now leaves from the north pier at noon on weekdays.\n"
                       "-   Tickets can be bought on board with cash or card.\n"})
    ask(ip, "When does the ferry leave?", "--no-stream")
    said = answer_of(ip)
    assert "- The ferry now leaves from the north pier" in said and "- - " not in said
    from jupyter_docchat.qa.extractive import _alone

    assert _alone(Unit("1. Open the ferry app", "item", 0)) == "1. Open the ferry app"
    assert _alone(Unit("* Buy a ticket", "item", 0, intro="Then:")) == "Then: Buy a ticket"


def test_a_how_to_question_gets_the_configuration_block_as_code(ip, tmp_path: Path) -> None:
    index_files(ip, tmp_path / "net", {"network.md": (
        "# Network configuration\n\nThe interface needs an address and a mask, and the subnet mask tells which "
        "addresses are local.\n\nTo configure a static IP address, edit /etc/network/interfaces:\n\n"
        "```\nauto eth0\niface eth0 inet static\n    address 192.168.0.3/24\n    gateway 192.168.0.1\n```\n\n"
        "Then restart the networking service.\n")})
    view = ask(ip, "How do I configure a static IP address?", "--no-stream")
    answer = answer_of(ip)
    assert "```\nauto eth0\niface eth0 inet static" in answer and answer.startswith("To configure a static IP address")
    html = view._repr_mimebundle_()["text/html"]
    assert "<pre><code>auto eth0" in html  # rendered as code
    assert "<mark>configure</mark>" in html and "<mark>static</mark>" in html  # matched words in the snippet


def test_units_from_markdown_lists_tables_and_definitions() -> None:
    units = split_units("Intro line here.\n\nThe steps are:\n\n- stop the server;\n- copy the file;\n\n"
                        "| Name | Port |\n|---|---|\n| git | 9418 |\n\nmax_wal_senders (integer)\n"
                        "Specifies the maximum number of senders. The default is 10.\n")
    kinds = [(u.kind, u.quoted) for u in units]
    assert ("item", "The steps are: - stop the server;") in kinds and ("item", "The steps are: - copy the file;") in kinds
    assert ("row", "Name: git; Port: 9418") in kinds  # a row keeps its header
    assert ("definition", "max_wal_senders (integer): Specifies the maximum number of senders. The default is 10.") in kinds


def test_units_from_html_rest_pdf_text_and_notebooks(tmp_path: Path) -> None:
    page = html_sections("<html><body><h1>Daemon</h1><p>The daemon listens on port 9418 by default.</p>"
                         "<p>Start it with:</p><pre>git daemon --reuseaddr --base-path=/srv/git</pre></body></html>")
    units = [u for s in page for u in split_units(s.text, s.heading)]
    assert ("sentence", "The daemon listens on port 9418 by default.") in [(u.kind, u.text) for u in units]
    assert any(u.kind == "code" and "git daemon --reuseaddr" in u.text and u.intro == "Start it with:" for u in units)
    assert not any(u.text == "Daemon" for u in units)  # the heading says where, not what
    rst = tmp_path / "guide.rst"
    rst.write_text("Guide\n=====\n\nRun the tool::\n\n    tool --fast input.txt\n\nIt prints a summary.\n")
    rst_units = [u for s in read_sections(rst, rst.read_bytes()) for u in split_units(s.text, s.heading)]
    assert any(u.kind == "code" and "tool --fast input.txt" in u.text for u in rst_units)
    pdf_text = ("The bank sold its securities at a loss and announced a plan to raise new capi-\n"
                "tal, which alarmed depositors and investors alike over the next two days of trading.\n")
    sentences = [u.text for u in split_units(pdf_text)]
    assert sentences == ["The bank sold its securities at a loss and announced a plan to raise new capital, which "
                         "alarmed depositors and investors alike over the next two days of trading."]
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("Rates rose fast in 2022."),
                                         nbformat.v4.new_code_cell("loss = price(100, 0.02) - price(100, 0.05)")])
    path = tmp_path / "n.ipynb"
    path.write_text(nbformat.writes(nb))
    nb_units = [u for s in read_sections(path, path.read_bytes()) for u in split_units(s.text, s.heading)]
    assert any(u.text == "Rates rose fast in 2022." for u in nb_units)
    assert any("loss = price(100, 0.02)" in u.text for u in nb_units)


def test_highlight_escapes_and_never_breaks_entities() -> None:
    out = highlight("Tom & Jerry <b>amp</b> \"quote\"", ["amp", "quot", "jerry"])
    assert out == "Tom &amp; <mark>Jerry</mark> &lt;b&gt;<mark>amp</mark>&lt;/b&gt; &quot;<mark>quote</mark>&quot;"


def test_a_how_to_question_prefers_the_command_over_a_definition_of_the_topic() -> None:
    from jupyter_docchat.qa.extractive import rank_units
    from jupyter_docchat.types import Hit

    # Each pair shares the question's words equally: the form of the question decides.
    for question, definition, command in [
        ("How do I edit the crontab?", "The crontab is a table that you edit.", "Run crontab -e to edit it."),
        ("How do I configure the DHCP server?", "The DHCP server hands out addresses and configuration to clients.",
         "The server reads /etc/dhcp/dhcpd.conf at start."),
    ]:
        best = rank_units(question, [Hit("1", f"{definition}\n\n{command}", "notes.md")])[0]
        assert best.unit.quoted == command, question


def test_a_sentence_ending_in_a_colon_is_quoted_with_what_it_introduces(ip, tmp_path: Path) -> None:
    index_files(ip, tmp_path / "plans", {
        "plans.md": ("# Plans\n\nEvery account starts on the free plan. The free plan is limited as follows:\n\n"
                     "You may make sixty calls a minute and a thousand calls a day.\n\nPaid plans have no limit.\n"),
        "other.md": "# Backups\n\nCopy the database file while no connection writes to it.\n"})
    ask(ip, "How is the free plan limited?", "--no-stream")
    # The paragraph's first sentence leads (it names the subject), then the colon and what it introduces.
    assert answer_of(ip).startswith("Every account starts on the free plan. The free plan is limited as follows:\n\n"
                                    "You may make sixty calls a minute and a thousand calls a day. [1]")


def test_a_title_line_in_the_text_is_a_section_not_an_answer() -> None:
    units = split_units("TIP Listing a package contents and finding a file's package\n\n"
                        "Use dpkg -S file to find the package a file belongs to.\n\nApples are red.\n\nDefault: 300\n")
    assert [(u.text, u.section) for u in units] == [
        ("Use dpkg -S file to find the package a file belongs to.", "TIP Listing a package contents and finding a file's package"),
        ("Apples are red.", "TIP Listing a package contents and finding a file's package"),
        ("Default: 300", "TIP Listing a package contents and finding a file's package")]


def test_an_identifier_in_the_section_title_counts_in_full() -> None:
    from jupyter_docchat.qa.extractive import rank_units
    from jupyter_docchat.types import Hit

    # A reference entry: the setting is the title, "Default: ..." the answer; the other source merely names it.
    entry = "Default: 1209600 (2 weeks, in seconds)\n\nThe age of session cookies, in seconds.\n"
    mention = "Sessions expire at browser close, or else after SESSION_COOKIE_AGE seconds, in which case it defaults to it.\n"
    hits = [Hit(id="1", text=mention, source="sessions.html"), Hit(id="2", text=entry, source="settings.html",
                                                                       heading="Settings > SESSION_COOKIE_AGE")]
    best = rank_units("What is the default value of SESSION_COOKIE_AGE?", hits)[0]
    assert best.unit.text == "Default: 1209600 (2 weeks, in seconds)"


def test_a_permalinked_heading_glued_to_the_text_above_is_a_title() -> None:
    # Small Sphinx sections are merged into one chunk with their headings right after the text above.
    text = ("Settings for django.contrib.sessions.\nSESSION_CACHE_ALIAS¶\n\nDefault: 'default'\n\n"
            "Selects the cache to use.\nSESSION_COOKIE_AGE¶\n\nDefault: 1209600 (2 weeks, in seconds)\n")
    assert [(u.text, u.section) for u in split_units(text, "Settings¶ > Sessions¶")] == [
        ("Settings for django.contrib.sessions.", ""), ("Default: 'default'", "SESSION_CACHE_ALIAS"),
        ("Selects the cache to use.", "SESSION_CACHE_ALIAS"), ("Default: 1209600 (2 weeks, in seconds)", "SESSION_COOKIE_AGE")]


def test_a_unit_is_embedded_under_its_title() -> None:
    from jupyter_docchat.qa.extractive import rank_units
    from jupyter_docchat.types import Hit

    seen: list[str] = []

    def embed(texts: list[str]) -> list[list[float]]:
        seen.extend(texts)
        return [[1.0, 0.0] for _ in texts]

    rank_units("What is the default of SESSION_COOKIE_AGE?",
               [Hit(id="1", text="Intro.\nSESSION_COOKIE_AGE¶\n\nDefault: 1209600\n", source="settings.html")], embed=embed)
    assert "SESSION_COOKIE_AGE\nDefault: 1209600" in seen


def test_a_best_sentence_that_starts_with_it_is_quoted_with_the_one_before() -> None:
    from jupyter_docchat.qa.extractive import extractive_answer
    from jupyter_docchat.types import Hit

    text = "Backups are easy. The git daemon serves repositories over its own protocol. It listens on TCP port 9418."
    answer = extractive_answer("Which TCP port does it listen on?", [Hit(id="1", text=text, source="daemon.html")])
    assert answer.startswith("The git daemon serves repositories over its own protocol. It listens on TCP port 9418. [1]")


def test_a_how_to_question_prefers_the_entry_that_defines_the_command() -> None:
    from jupyter_docchat.qa.extractive import rank_units
    from jupyter_docchat.types import Hit

    entry = ("\\DeclareOption {name} {code}\nThis makes name a declared option of the package; the code runs "
             "when the option is given.\n")
    mention = "Options given to \\documentclass are declared options of the package too, and the code sees them.\n"
    hits = [Hit(id="1", text=mention, source="news.pdf"), Hit(id="2", text=entry, source="clsguide.pdf")]
    best = rank_units("How do I declare an option of my package?", hits)[0]
    assert best.unit.kind == "definition" and best.unit.text.startswith("\\DeclareOption")


def test_how_does_asks_for_an_explanation_not_a_command() -> None:
    from jupyter_docchat.qa.extractive import rank_units
    from jupyter_docchat.types import Hit

    text = ("The declared type of a column determines its affinity.\n\n"
            "For example:\n\n```\nCREATE TABLE t (a INTEGER, b TEXT); -- column affinity\n```\n")
    hits = [Hit(id="1", text=text, source="types.html")]
    assert rank_units("How does a column get its affinity?", hits)[0].unit.kind == "sentence"
    assert rank_units("How do I give a column its affinity?", hits)[0].unit.kind == "code"


def test_sql_with_comment_lines_is_one_code_unit() -> None:
    text = ("-- Create an fts5vocab table to query the full-text index belonging\n-- to FTS5 table \"ft1\".\n"
            "CREATE VIRTUAL TABLE ft1_v USING fts5vocab('ft1', 'row');\n")
    units = split_units(text)
    assert [u.kind for u in units] == ["code"] and units[0].text == text.strip()


def test_a_code_block_is_introduced_by_the_whole_sentence_before_it() -> None:
    text = ("Like any query, the example returns rows in any order. To sort results by relevance (most to least\n"
            "relevant), add an ORDER BY to the query as follows:\n\n    SELECT * FROM email WHERE email MATCH 'fts5' ORDER BY rank;\n")
    code = [u for u in split_units(text) if u.kind == "code"]
    assert code[0].intro == "To sort results by relevance (most to least relevant), add an ORDER BY to the query as follows:"


def test_a_hyphenated_command_holds_its_words() -> None:
    from jupyter_docchat.qa.extractive import rank_units
    from jupyter_docchat.types import Hit

    text = "Your changes are kept after a reboot.\n\nRun update-grub after editing.\n"
    best = rank_units("How do I update GRUB after my changes?", [Hit(id="1", text=text, source="boot.html")])[0]
    assert "update-grub" in best.unit.text


def test_a_default_question_prefers_the_unit_that_states_the_default() -> None:
    from jupyter_docchat.qa.extractive import rank_units
    from jupyter_docchat.types import Hit

    text = ("Old entries expire after 5 minutes at most on small machines.\n\n"
            "Default: 300\n\nThe number of seconds before a cache entry is considered stale.\n")
    best = rank_units("How long are cache entries kept by default?", [Hit(id="1", text=text, source="settings.html")])[0]
    assert best.unit.text == "Default: 300"


def test_a_text_of_title_like_lines_only_is_still_quoted() -> None:
    from jupyter_docchat.qa.extractive import extractive_answer
    from jupyter_docchat.types import Hit

    answer = extractive_answer("When is the meeting?", [Hit(id="1", text="Meeting moved to Tuesday", source="note.txt")])
    assert answer.startswith("Meeting moved to Tuesday [1]")


def test_a_supporting_sentence_that_starts_with_this_comes_with_the_one_before() -> None:
    from jupyter_docchat.qa.extractive import extractive_answer
    from jupyter_docchat.types import Hit

    hits = [Hit(id="1", text="Windows offices share folders and printers over the network every day.", source="intro.html"),
            Hit(id="2", text="Samba serves files. This is the tool that lets Windows offices share folders.", source="samba.html")]
    answer = extractive_answer("How do Windows offices share folders?", hits)
    assert "- Samba serves files. This is the tool that lets Windows offices share folders. [2]" in answer


def test_the_whole_rendered_answer_stays_within_its_length() -> None:
    from jupyter_docchat.qa.extractive import ANSWER_CHARS, extractive_answer
    from jupyter_docchat.types import Hit

    # Three matching sentences whose text alone fits (3 x 396 characters) but not with bullets and citations.
    start = "The vacuum command rebuilds the database file {} and repacks every page"
    sentence = start + " again" * ((ANSWER_CHARS // 3 - len(start) - 12) // 6) + " to reclaim space."
    hits = [Hit(id=str(n), text=sentence.format(n), source=f"v{n}.html") for n in (1, 2, 3)]
    assert ANSWER_CHARS - 12 <= sum(len(h.text) for h in hits) <= ANSWER_CHARS
    answer = extractive_answer("What does the vacuum command rebuild?", hits)
    body = answer.split("\n\n*Extractive answer", 1)[0]
    assert "Also:" in body and len(body) <= ANSWER_CHARS


def test_a_supporting_sentence_is_quoted_with_the_sentence_that_continues_it() -> None:
    from jupyter_docchat.qa.extractive import extractive_answer
    from jupyter_docchat.types import Hit

    hits = [Hit(id="1", text="The bank failed in March 2023 after a run on its deposits.", source="failure.md"),
            Hit(id="2", text="Regulators closed the bank in March 2023. The bank failed on March 10. Lunch was late.",
                source="timeline.md")]
    answer = extractive_answer("When did the bank fail in March 2023?", hits)
    assert "Regulators closed the bank in March 2023. The bank failed on March 10. [2]" in answer
    assert "Lunch" not in answer


def test_an_enumeration_of_clauses_after_a_colon_is_prose_not_configuration() -> None:
    text = ("Many tasks are scheduled for regular execution:\n\nrotating the logs;\n\nback-ups;\n\n"
            "Configure the interface like this:\n\niface eth0 inet static\naddress 192.168.0.3\n")
    kinds = {u.text: u.kind for u in split_units(text)}
    assert kinds["rotating the logs;"] == "sentence"
    assert kinds["iface eth0 inet static\naddress 192.168.0.3"] == "code"


def test_a_code_block_sharing_nothing_with_the_question_does_not_hide_a_unit_that_answers() -> None:
    from jupyter_docchat.qa import extractive
    from jupyter_docchat.types import Hit

    question = "How do I run several writes in one transaction?"
    hits = [Hit(id="1", text="```\nmake clean\n```\n", source="build.md"),
            Hit(id="2", text="Use atomic() for writes.", source="db.md")]

    def embed(texts: list[str]) -> list[list[float]]:  # the block means a little like the question, not enough
        return [[1.0, 0.0] if t == question else [0.44, 0.898] if "make clean" in t else [0.0, 1.0] for t in texts]

    ranked = extractive.rank_units(question, hits, embed=embed)
    assert ranked[0].unit.kind == "code" and ranked[0].lexical == 0 and ranked[0].meaning < 0.45
    answer = extractive.extractive_answer(question, hits, embed=embed)
    assert answer.startswith("Use atomic() for writes. [2]")


def test_code_paragraphs_a_blank_line_apart_are_one_code_unit() -> None:
    text = ("Here is an example:\n\nimport csv\nfrom django.http import HttpResponse\n\n"
            "def some_view(request):\n    response = HttpResponse(content_type='text/csv')\n\n"
            "    writer = csv.writer(response)\n\n    return response\n\nThat is all.\n")
    units = split_units(text)
    code = [u for u in units if u.kind == "code"]
    assert len(code) == 1 and code[0].intro == "Here is an example:"
    assert code[0].text.startswith("import csv") and code[0].text.endswith("    return response")
    assert units[-1].text == "That is all."


def test_the_second_sentence_of_a_paragraph_comes_with_the_first() -> None:
    from jupyter_docchat.qa.extractive import extractive_answer
    from jupyter_docchat.types import Hit

    text = ("Backups are copied nightly.\n\nanacron is the daemon that completes cron for computers that are not on "
            "at all times. Jobs scheduled for the night never run when the computer is off at night. Lunch is at noon.\n")
    answer = extractive_answer("What if my computer is off at night when jobs are scheduled?", [Hit(id="1", text=text, source="t.html")])
    assert answer.startswith("anacron is the daemon that completes cron for computers that are not on at all times. "
                             "Jobs scheduled for the night never run when the computer is off at night. [1]")


def test_a_short_title_line_glued_over_a_paragraph_is_its_section() -> None:
    text = ("Deposit insurance in the United States\n"
            "The Federal Deposit Insurance Corporation (FDIC) insures deposits at member banks.\n"
            "The standard insurance amount is $250,000 per depositor.\n")
    units = split_units(text)
    assert units[0].text.startswith("The Federal Deposit Insurance Corporation")
    assert all(u.section == "Deposit insurance in the United States" for u in units)
    wrapped = split_units("The quick brown fox jumps over the lazy dog and keeps\nRunning until the end of the line.\n")
    assert wrapped[0].text.startswith("The quick brown fox")  # a full-width wrapped line is no title


def test_an_overview_of_many_parts_stays_within_the_answer_length_and_says_what_it_left() -> None:
    parts = [(f"Part number {n}", [Unit(f"The {n}th part of the plan moves {n} servers to the new rack in the east hall.", "sentence", 0)])
             for n in range(1, 30)]
    section = AskedSection("The migration plan", [], [Unit("The plan has many parts.", "sentence", 0)], parts)
    text = overview(section, 2)
    assert len(text) <= 1200 and text.startswith("The plan has many parts. [2]\n\n- **Part number 1**: The 1th")
    assert text.endswith(" more parts in [2]")
    shown = text.count("- **Part number")
    assert text.endswith(f"- ... and {29 - shown} more parts in [2]")

"""The offline answer's general cues, each through the extractive answer on real unit splitting.

Each test names the lever it checks, so that it holds with the shipped levers and with the lever on."""

from __future__ import annotations

import dataclasses

import pytest

from jupyter_docchat.qa.answer_levers import SHIPPED, AnswerLevers
from jupyter_docchat.qa.extractive import extractive_answer
from jupyter_docchat.types import Hit


def body(question: str, texts: list[str], levers: AnswerLevers, heading: str = "Guide > Part") -> str:
    hits = [Hit(id=str(n), text=t, source=f"doc{n}.md", heading=heading) for n, t in enumerate(texts, 1)]
    return extractive_answer(question, hits, levers=levers).split("\n\n*Extractive answer")[0]


def test_levers_are_one_frozen_record() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        SHIPPED.support_share = 0.1  # type: ignore[misc]
    assert SHIPPED.but(support_share=0.1).support_share == 0.1 and SHIPPED.support_share == 0.5


PAGER = ("In some situations, you might want to show long texts on the terminal and let a user scroll through it. "
         "This can be achieved by using the `echo_via_pager` function which works similarly to the `echo` function.")


def test_a_how_answer_runs_on_from_the_problem_to_what_solves_it() -> None:
    question = "My tool prints pages of text; how can the user scroll through long texts on the terminal?"
    on = SHIPPED.but(how_reaches_action=3)
    assert "echo_via_pager" in body(question, [PAGER], on)
    assert "echo_via_pager" not in body(question, [PAGER], SHIPPED.but(how_reaches_action=0))


def test_a_cross_reference_does_not_lead() -> None:
    texts = ["See Ports for what the server does when its port is taken.",
             "When its port is taken, the server stops with an error."]
    answer = body("What does the server do when its port is taken?", texts, SHIPPED.but(cross_reference=0.1))
    assert answer.startswith("When its port is taken")


def test_an_introduction_with_nothing_after_it_does_not_lead() -> None:
    texts = ["To change the port of the server, edit the settings as follows:",
             "To change the port, set the PORT variable in the server's settings file."]
    answer = body("How do I change the port of the server?", texts, SHIPPED.but(dangling_intro=0.1))
    assert answer.startswith("To change the port, set")


def test_a_numbered_title_alone_does_not_lead() -> None:
    texts = ["16. Other commands\n\n17. Index recommendations: the .expert command",
             "The .expert command proposes indexes that might help a query run faster."]
    question = "What does the .expert command do?"
    assert body(question, texts, SHIPPED.but(title_alone=0.1)).startswith("The .expert command proposes")
    assert body(question, texts, SHIPPED.but(title_alone=0.0)).startswith("17. Index recommendations")
    # A numbered step answers "how": it keeps its score there.
    steps = ["1. Open the .expert command's shell\n\n2. Type the query on the next line",
             "The .expert command is issued first, then a query."]
    assert body("How do I run the .expert command?", steps, SHIPPED.but(title_alone=0.1)).startswith("1. Open")


def test_what_is_prefers_the_definition() -> None:
    texts = ["Several packages in Debian can provide the same virtual package, and you pick one.",
             "A virtual package is a generic name that applies to any one of a group of packages."]
    answer = body("What is a virtual package?", texts, SHIPPED.but(what_definition=0.2), heading="FAQ")
    assert answer.startswith("A virtual package is a generic name")


def test_where_prefers_the_place() -> None:
    texts = ["Passwords are kept secret and hashed so that other users cannot read them.",
             "The hashed passwords are kept in /etc/shadow, which only root can read."]
    answer = body("Where are the hashed passwords kept?", texts, SHIPPED.but(where_place=0.2), heading="Users")
    assert answer.startswith("The hashed passwords are kept in /etc/shadow")


def test_an_error_message_is_not_the_fix() -> None:
    texts = ["If you see this error:\n\n```\nRuntimeError: Python was configured to use ASCII\n```",
             "When Python was configured to use ASCII, set LC_ALL=C.UTF-8 before starting it."]
    answer = body("How do I get past Python being configured for ASCII?", texts, SHIPPED.but(symptom_not_fix=True))
    assert answer.startswith("When Python was configured")


def test_an_also_line_found_by_its_meaning_alone_is_dropped() -> None:
    question = "How do I run several writes in one transaction?"
    hits = [Hit(id="1", text="Use atomic() for writes.", source="db.md"),
            Hit(id="2", text="Grouping changes so that all or none apply is what databases promise.", source="acid.md")]

    def embed(texts: list[str]) -> list[list[float]]:  # the second source means much the same, in other words
        return [[1.0, 0.0] if t == question else [0.9, 0.436] for t in texts]

    def answer(levers: AnswerLevers) -> str:
        return extractive_answer(question, hits, embed=embed, levers=levers)

    assert answer(SHIPPED).startswith("Use atomic()") and "Also:" not in answer(SHIPPED)
    assert "Grouping changes" in answer(SHIPPED.but(support_shares_word=False))  # the line it drops


def test_a_comment_line_in_a_fenced_block_is_code_not_a_heading() -> None:
    from jupyter_docchat.qa.answer_units import split_units

    units = split_units("Rotate the logs with:\n\n```\n# as root\nlogrotate -f /etc/logrotate.conf\n```")
    code = [u for u in units if u.kind == "code"]
    assert len(code) == 1 and code[0].text == "# as root\nlogrotate -f /etc/logrotate.conf"


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_LINE = st.text(alphabet=st.sampled_from(list("abc #=:-_()/.\t")), min_size=1, max_size=30).filter(
    lambda line: line.strip() and not line.lstrip().startswith(("```", "~~~")))


@settings(max_examples=200, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=8))
def test_a_fenced_block_is_quoted_verbatim_whatever_its_lines(lines: list[str]) -> None:
    from jupyter_docchat.qa.answer_units import split_units

    body = "\n".join(lines)
    units = split_units(f"Run this:\n\n```\n{body}\n```")
    code = [u for u in units if u.kind == "code"]
    assert len(code) == 1 and code[0].text == body.strip("\n")


def test_a_negated_question_prefers_the_unit_that_negates_too() -> None:
    question = "Which backup formats do not work with incremental restores?"
    texts = ["The following backup formats work with incremental restores: tar, cpio.",
             "The following backup formats do not work with incremental restores: zip and 7z.",
             "Incremental restores read the change log of each backup."]
    assert body(question, texts, SHIPPED.but(negation=0.1)).startswith("The following backup formats do not work")
    assert body(question, texts, SHIPPED.but(negation=0.0)).startswith("The following backup formats work")
    # A question that negates nothing is answered as before.
    plain = "Which backup formats work with incremental restores?"
    assert body(plain, texts, SHIPPED.but(negation=0.1)) == body(plain, texts, SHIPPED.but(negation=0.0))


DECORATED = """The cases decorator runs one test once for each of several inputs.

@checks.several.inputs.cases(
    (1, 2),
    (3, 4),
)
def test_add(a, b):
    assert a < b"""


def test_a_paragraph_mostly_of_code_is_one_code_block() -> None:
    """code_majority: the decorator line that the line test misses (two symbols in 29 characters) stays at the
    head of its block, not quoted as a sentence after it."""
    question = "How do I run one test with several inputs?"
    assert "```\n@checks.several.inputs.cases(\n    (1, 2)," in body(question, [DECORATED], SHIPPED.but(code_majority=True))
    assert "```\n@checks" not in body(question, [DECORATED], SHIPPED.but(code_majority=False))
    # Hard-wrapped prose over a line of figures is not code.
    prose = "INTEGER as Unix Time, the number of seconds since\n1970-01-01 00:00:00 UTC."
    assert "```" not in body("What is Unix Time?", [prose], SHIPPED.but(code_majority=True))


BACKUPS = ["The backup tool copies the database every night.",
           "The backup tool keeps seven copies of the database.",
           "The backup tool writes its copies of the database to /var/backups.",
           "The backup tool compresses the database copies with gzip."]


def test_support_units_sets_how_many_also_lines_follow_the_lead() -> None:
    question = "What does the backup tool do with the database?"
    three = body(question, BACKUPS, SHIPPED.but(support_units=3))
    assert three.count("\n- ") == 3 and "gzip" in three
    two = body(question, BACKUPS, SHIPPED.but(support_units=2))
    assert two.count("\n- ") == 2 and "gzip" not in two

"""The offline answer's levers: one frozen record handed down, as ``retrieval/fusion.py``'s ``Fusion`` is.

``bench/answers.py --set NAME=VALUE`` tries a variant (``dataclasses.replace`` of ``SHIPPED``) on the
tuning halves; a lever is kept only when it wins or holds on every corpus's tuning half. The figure
that chose each value is beside it (bench/README.md has the history).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class AnswerLevers:
    """How the units of the sources are scored and how many of them are quoted."""

    # Units scored by meaning per question (16 and 24 answer the same, no faster; 10 lost on two corpora).
    embedded_units: int = 20
    # Of a shortlisted unit's score, the share of its meaning; the rest its words (0.4 and 0.6 each lost on
    # handbook and django).
    meaning_weight: float = 0.5
    # Below this cosine a unit that shares no word with the question answers nothing (0.45: a unit that only
    # "means much the same" as the question; set with the meaning score, not retuned since).
    min_meaning: float = 0.45
    # A word of the turn a follow-up continues counts this much against the question's own (0.25, 0.1: the same).
    context_weight: float = 0.5
    # A unit of the first source gets this much, of the nth this over n (0.15 lost on two corpora).
    source_rank: float = 0.05
    # A question word that this share of the sources holds names the topic, not what is asked about, and
    # counts topic_weight (0.3 lost one on django; 0.7 and 1.0 lost on the quickstart and latex).
    topic_share: float = 0.75
    topic_weight: float = 0.5
    # A word of the section a unit stands in counts for it at this weight, an identifier in full: under a
    # heading SESSION_COOKIE_AGE, "Default: 1209600" is about it.
    heading_weight: float = 0.5
    heading_identifier_weight: float = 1.0
    # A "how do I" question's bonus for a code block (or a definition entry naming a command or option), for a
    # named command, and for a list item. 0.12 / 0.08 let a definition of the topic ("cron is the daemon ...")
    # outrank the command that does it; 0.20 / 0.12 with paths and one-letter options lost nowhere and gained
    # on handbook and latex; 0.28 / 0.16 lost on django.
    how_code: float = 0.20
    how_actionable: float = 0.12
    how_item: float = 0.05
    # "Why" wants a cause, "who" a name, a value question a number (or a named value); the cues' bonuses.
    why_cause: float = 0.12
    who_name: float = 0.1
    value_number: float = 0.12
    value_named: float = 0.05
    # "What is the default ...": a unit that states a default ("Default: 300", "defaults to 10") (0.2 the same).
    default_cue: float = 0.1
    # The next unit of the best one's paragraph is quoted with it when it scores this share of it
    # (0.4 the same; 0.0 lost two on latex).
    continue_share: float = 0.6
    # At most this many supporting units ("Also:") follow the best one, within the answer's 1,200 characters.
    # Tuning halves: 3 144 -> 147 of 183 (s05, d32, d40), 4 -> 148 (and d34), none lost; not shipped: the answers
    # grow (median 580 -> 731 characters at 3) and the wins are mostly a keyword caught by the longer answer
    # (bench/README.md, "Answer levers on the tuning halves' misses").
    support_units: int = 2
    # A supporting unit scores at least this share of the best (0.75 lost 2 on handbook; 0.65 and 0.55 lost
    # one on sqlite, 0.45 the same as 0.5).
    support_share: float = 0.5
    # A supporting unit ("Also:") must share a word with the question (or the turn it continues), in its text or
    # its section's title, not only its meaning (its text alone lost two on handbook's tuning half: a code
    # block under "Configuring Virtual Hosts" names no word of "How do I set up virtual hosts?").
    support_shares_word: bool = True
    # Up to this many sentences after a supporting one continue it, as the best one's do (sqlite, handbook, git +1).
    support_continues: int = 1
    # The lead must answer. A "how do I" answer whose best unit names nothing to do (the problem, not the fix)
    # runs on through the units after it, up to this many, to the first that names a command, option or code.
    how_reaches_action: int = 3
    # The "how do I" bonuses also for a question that asks how after its first words ("My tool prints pages of
    # text; how can the user scroll through it?") or asks what to set, run or use.
    how_anywhere: bool = True
    # ... and none for an error message or traceback quoted in the text ("If you see something like this error::"):
    # the problem, not the fix.
    symptom_not_fix: bool = True
    # A cross-reference ("See Development Server for ...", "... is described in Chapter 5") answers nothing
    # itself: its score loses this much.
    cross_reference: float = 0.1
    # A numbered title standing alone ("21. Using sqlite3 in a shell script", "Example 6.5. Upgrade script"), an
    # entry of a table of contents or a caption, names a part and says nothing of it. 0.1, 0.2, 0.3: sqlite's
    # tuning half +1 each, the seven others the same.
    title_alone: float = 0.1
    # A line of a table of contents ("4.7 Check statement . . . . 39"): where a part is, not what it says. It led
    # "What does the check statement do?" over GLPK's manuals (walk 23); 0.2: the eight tuning halves the same.
    contents_line: float = 0.2
    # An introduction ending in ':' with nothing after it in its source promises what is not there.
    dangling_intro: float = 0.1
    # A unit of release notes (CHANGES, changelog, releases/...) names the option it changed, not what it
    # does: it loses this much unless the question asks about a release or a change. 0.05-0.2 the same on the
    # tuning halves (retrieval's own release_notes already moves such chunks down); it is what keeps a
    # changelog line out of the lead when one is among the sources: Mako's "How do I enable strict undefined?"
    release_notes: float = 0.1
    # "What is X?" wants a definition: a sentence whose subject holds a question word and says "is a",
    # "are", "refers to", "means"; or a definition entry whose term holds one.
    what_definition: float = 0.1
    # ... where a hyphenated term holds its words ("git-fsck" is what "What does git fsck check?" names), a manual page's
    # NAME line ("git-fsck - Verifies the connectivity and validity of the objects in the database") is a term and what
    # it is, and so is a sentence naming a term of a few words and then, after a colon or a dash, what it is. Tuning
    # halves: git +1 (g11), the seven others the same (bench/README.md, answers7).
    definition_forms: bool = True
    # "What does PONI stand for?", "What is WAL?": a unit writing an acronym the question names out (words in a row whose
    # initials spell it: "Acronym for Point Of Normal Incidence.", "write-ahead log") gets this. Tuning halves on the stores
    # built at readers 40 (quickstart, sqlite, handbook, sdist, pyfai, latex; django, sphinx, mixed were not yet): 0.2 and 0.3
    # pyfai +1 (y51a), the five others the same; 0.1 none. Test halves of the same six: every figure the same.
    acronym_expansion: float = 0.2
    # A notebook's code cell is quoted with what it printed (its "Output:" block), and an output with the code that
    # printed it: the number alone did not say what it measured, the code alone not what it gave (walk 28).
    cell_output: bool = True
    # "Where is X kept?" wants a place: a unit naming a file path, a folder or an address.
    where_place: float = 0.1
    # A question that asks what does not (or cannot, never) hold wants a unit that says so: "not" is a stopword,
    # so "The following features work in TestCase subclasses" outscored "... do not work". 0.1: latex's tuning
    # half +1, the eight others the same; 0.2 lost one on handbook.
    negation: float = 0.1
    # Offline, a source that is a piece of a table cut across chunks is read with the pieces of that table right
    # before and after it in its file (qa/table_pieces.py): the row a question names can stand in the next piece.
    table_neighbours: bool = True
    # A table row whose first cell is, as written, a name the question uses ("--port", "pytest-xdist") gets this:
    # the row is about it, where a row of "pytest-xdist-forked" or "forked from pytest-xdist" only mentions it
    # (tuning halves: 0.1 and 0.2 the same; it leads p12's answer with its row).
    row_named: float = 0.1
    # A table under a caption line as a PDF's text gives it ("Table 1: si base units." and its rows as lines)
    # is one block under its caption (answer_units.caption_table), not sentences glued across its cells.
    caption_tables: bool = True
    # A paragraph at least half of whose lines are code, none ending in '.', the others a few words ending no
    # sentence, is one code block (answer_units._mostly_code): the line test missed "@pytest.mark.parametrize("
    # over its arguments (the decorator was quoted as a sentence after the block) and "export NAME=value" over a
    # command. Tuning halves (bench/answer_sweep.py): 142 -> 144 of 183, sphinx +2 (p22, p44), none lost. A
    # first form (half the lines code, the rest ending no sentence, wrapped prose allowed) lost sqlite s17 and
    # sdist c29 on a replay of the sources %%ask recorded (a hard-wrapped sentence over "1970-01-01 00:00:00 UTC."
    # read as code).
    code_majority: bool = True
    # Offline, a question asking for several things, comparing rows or naming a table: a source that names a
    # table by its number ("(Table 1)") is read with the chunk near it where that table stands under its caption.
    named_tables: bool = True
    # ... and for such a question, a table (a row of one, or a table under its caption) gets this (the five table
    # levers together: tuning halves 140 -> 141 of 183, m13; 0.2 the same, 0.05 lost m13).
    several_table: float = 0.1
    # An entry's term line in a reference ("class HttpResponsePermanentRedirect", "tmp_path", "--soft") is the section
    # of the paragraphs below it (answer_units.entry_term): its description is about that name, and a sibling's
    # ("Acts just like HttpResponse but uses a 400 status code.") is not; the answer names the entry it quotes.
    # Tuning halves: django +1 (d08), git +1 (g13), sphinx +1 (p09), the five others the same.
    entry_terms: bool = True
    # An example's caption on a line of its own ("Example 6.5. Non-interactive upgrade script") introduces the code
    # block or table below it, as a line ending in ':' does: the block is found by the caption's words. Tuning halves:
    # handbook +1 (h50: "Example 6.5. Non-interactive upgrade script" over its DEBIAN_FRONTEND=noninteractive), the
    # seven others the same.
    caption_intro: bool = True
    # A field list's label and value ("Exit code 5:" over "No tests were collected"), two pairs in a row or more, are one
    # sentence: the value alone does not say what it is the value of, and "Exit code 5:" read as an introduction made
    # the value below it a block of configuration. Tuning halves: sphinx +1 (p02), the seven others the same.
    field_pairs: bool = True
    # A code block that opens its source with no line introducing it (the chunk was cut between the block and the text
    # saying what it does: a test's body, a fragment of a help page, an overridden save()) gets no "how do I" bonus: the
    # bonus is for a block the text offers as the way to do something. Only where a document marks its blocks and their
    # introductions: not a PDF's page (its code is guessed from the shape of lines; a synopsis opens a page with nothing
    # marked above it) nor a program's source (all of it code). Tuning halves: git +1 (g51), sphinx +1 (p45), the six
    # others the same; on PDFs too it lost latex l43 and mixed m29, m46.
    unintroduced_code: bool = True
    # ... and so does such a block anywhere in its source (not only first) when it shares less than this with the question
    # (its lexical score): nothing introduces it, and neither do its own words tie it to what is asked, so it is not offered
    # as the way to do it ("@xframe_options_exempt def ok_to_load_in_a_frame" after a chunk's import line, for "How can I
    # stop other sites from showing my pages inside a frame?"). A block that names the question's words keeps the bonus
    # (p45's monkeypatched Path.home, 0.157). Tuning halves (answers12): 0.05, 0.1 and 0.15 django +1 (d40: the lead is now
    # "The middleware is strongly recommended ..." and X-Frame-Options is quoted), the eight others the same; 0.2 lost
    # sphinx p45; without the word test (every unintroduced block) d40 won and p45 lost. Test halves: every figure and
    # every miss the same; but the held-out notebooks lost n13 (.417 -> .375), so it is off (a lever that loses any test
    # half is not kept).
    untold_words: float = 0.0
    # One-line paragraphs a blank line apart under a paragraph ending in ':' ("f - failed", "E - error"; "Parametrization;")
    # are the items of the list it introduces (answer_units._loose_items: "E - error" read as a title, "f - failed" as the
    # whole block), and an introduction quoted as an "Also:" line, or an item of such a list, brings the list's items.
    # Tuning halves: sphinx +2 (p13, p62b), the seven others the same. (The ';' items alone, branch answers2, moved no
    # tuning question: the introduction quoted as "Also:" still left its items out.)
    loose_lists: bool = True
    # A section headed by a member's name whose text holds its signature (Javadoc's "Method Detail > addParser" over
    # "public Subparser addParser(java.lang.String command)", Doxygen's, rustdoc's, YARD's): its description is that
    # member's, and the answer names it ("addMutuallyExclusiveGroup: Creates new mutually exclusive group ...", where it
    # quoted the description alone: walk 36).
    member_names: bool = True
    # An option's term line as a documentation build typesets it, an en dash for its "--" (Sphinx's smart quotes in a
    # manual page's option list: "-l DISTANCE, –distance DISTANCE"), is an entry's term line as "--distance" is
    # (entry_terms); the description under an option's line is its entry's, not a title, even unpunctuated or in lower
    # case ("SNR threshold for considering a pixel high when searching for peaks"); and a question word an option's entry
    # names counts in full for its description, as an identifier in a heading does. Before, "–cutoff-pick CUTOFF_PICK"
    # was a sentence of its own and its description a title: the answer was the name alone, or the usage synopsis.
    # Tuning halves (bench/answer_replay.py on a record made at 18bef29): 185 -> 187 of 220, pyfai +2 (y58, y73: "-l
    # DISTANCE, –distance DISTANCE: sample-detector distance in millimeter. Default: 100mm"), the nine others the same.
    typeset_dashes: bool = True
    # An introduction ending in ':' over titled parts ("Three levels of pixel splitting schemes are available:" over "No
    # splitting" and its paragraph, "Bounding box pixel splitting" and its ...) is quoted with each part's first unit named
    # by its title, within BEST_CHARS: it quoted the first part's paragraph alone, without its title, and left the others out.
    # Tuning halves (bench/answer_replay.py, typeset_dashes on): 187 -> 188 of 220, pyfai +1 (y63), the nine others the same.
    titled_parts: bool = True
    # A unit naming what its section's title names as a thing (a command, file or package written as such: "netstat" in
    # "Local Diagnosis: netstat", "/etc/shadow" in "... Password File: /etc/shadow", "squashmigrations") when the question,
    # a paraphrase, does not name it: the unit is about what the section is about. Tuning halves: handbook +1 (h64),
    # django +1 (d32), the six others the same; 0.15 lost sqlite s19 (bench/README.md, answers8). Off: on the test
    # halves it lost one question on handbook and won none (its gains were the tuning halves' own).
    title_subject: float = 0.0
    # "What is the difference between A and B?", "How does A differ from B?": a lead naming one side only answers half;
    # the first supporting line is the best unit naming the side the lead's group leaves out (in its text, entry or title).
    # Tuning halves: git +1 (g08: "--mixed: Resets the index but not the working tree ..."), the seven others the same.
    compare_sides: bool = True
    # ... and the lead of such a question takes the next units of its paragraph that score this share of it (continue_share
    # for other questions): the paragraph comparing the two goes on to the side its first sentence leaves out ("... complete
    # the normal dependencies" then "A normal dependency indicates ... A pre-dependency stipulates ... before execution of
    # the pre-installation script"). Tuning halves: handbook +1 (h81), the eight others the same; 0.3 and 0.2 the same as
    # 0.4 (and c32's lead takes one sentence more), 0.5 none.
    compare_continue: float = 0.4
    # "What is X?": when the "Also:" lines are chosen, a unit showing something concrete (a code block, a command, an
    # identifier, a hyphenated name; a link's target is none) or defining a word of the question counts this much more:
    # the lead says what X is, and what it looks like in use ("formset_factory(form, ...)", "... the WHERE clause
    # expression on the CREATE INDEX statement", 'the "virtual package" called www-browser') was left out for a third
    # paraphrase of the definition. The lead is chosen as before. Tuning halves: sqlite +1 (s14), django +1 (d52a), mixed
    # +1 (m63a: the hyphenated name), the six others the same; 0.3 the same, 0.15 not m63a, 0.1 none. Its first form (no
    # definitions counted) lost git's g11: the NAME line "git-fsck - Verifies ..." gave way to the synopsis (answers9).
    what_example: float = 0.2
    # A section up to this long is read whole (two answers' worth: its parts can be summed up in one) when it
    # has at least min_parts titled parts; a part is summed up by its first unit of summary_words words or more.
    section_chars: int = 2400
    min_parts: int = 2
    summary_words: int = 4

    # A "how do I" question's word run together into a command or identifier ("lvcreate" for "create", "squashmigrations"
    # for "squash", "worktree" for "working", "\generate" for "generate"; not a camelCase name, an English word the
    # embedding's vocabulary holds ("another", "format"), nor a name nearly every source holds, the topic's own: "pytest"):
    # the name of what does it, which neither the words (one token) nor the meaning sees (qa/compound_names.py).
    # Tuning halves (bench/answer_replay.py on a record made at 3c52422): 188 -> 192 of 220, handbook +1 (d19: lvcreate),
    # django +1 (d32: squashmigrations), latex +1 (l29: \generate), git +1 (g17: git worktree add), none lost; 31 answers'
    # texts change. 0.2 lost sqlite s17 and latex l21. A first form counting camelCase names and the topic's name lost
    # sphinx p20 at 0.1, p24 and latex l72 at 0.15 ("pytest", "ExceptionInfo", "\PrintChanges"). Live
    # (bench/answers.py --half tune --vs main): handbook .710 -> .742, django .559 -> .588, latex .625 -> .656, git .704 ->
    # .741, the six others the same.
    how_compound: float = 0.15

    def but(self, **changes: Any) -> "AnswerLevers":
        return replace(self, **changes)


# The eight general cues of issue 24 (how_reaches_action to support_shares_word) were tried together on the
# tuning halves against 5471088: sdist +2, mixed +1, django +1, the quickstart, handbook, sphinx and sqlite the
# same (bench/README.md, "General cues").
SHIPPED = AnswerLevers()

"""A folder of saved mail and transcripts (walk 35, bench/mail_walk.py): .eml, .mbox, .vtt and .srt were "unsupported
type". A message is a section under "mailbox > Subject" with a From/To/Date line, cited "message N" of a mailbox (its
lines in an .eml); quoted text and signatures an earlier message of the mailbox holds are left out; a transcript's cues
are joined into a speaker's paragraphs, cited by time ("00:12:05-00:14:30"). Every file here is made in the test.
"""

from __future__ import annotations

import base64
import quopri
import re
from email.header import Header
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import ask
from test_reading_properties import ANY_CHAR, chunker

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing import read_progress
from jupyter_docchat.indexing.chunking import Chunker
from jupyter_docchat.indexing.readers import read_sections
from jupyter_docchat.indexing.readers.clean import clean_text
from jupyter_docchat.types import Hit

THREAD = b"""From alice@example.org Tue Mar  5 10:00:00 2024
From: =?utf-8?q?Al=C3=ADce_Lind=C3=A9n?= <alice@example.org>
To: lab@example.org
Subject: =?utf-8?q?Caf=C3=A9_budget_for_March?=
Date: Tue, 05 Mar 2024 10:00:00 +0000
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

The caf\xc3\xa9 budget for March is 420 euros.
We should buy a new espresso grinder before the open day.

-- 
Al\xc3\xadce Lind\xc3\xa9n, lab treasurer
room 2.14, phone 555-0100

From bob@example.org Tue Mar  5 11:00:00 2024
From: Bob Stone <bob@example.org>
To: lab@example.org
Subject: Re: =?utf-8?q?Caf=C3=A9_budget_for_March?=
Date: Tue, 05 Mar 2024 11:00:00 +0000
Content-Type: multipart/mixed; boundary="XX"

--XX
Content-Type: text/html; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

<html><body><p>The grinder costs 90 =80 at the <b>Kaffeehaus</b> in M=FCnster.</p></body></html>
--XX
Content-Type: application/pdf; name="quote.pdf"
Content-Disposition: attachment; filename="quote.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQK
--XX
Content-Type: text/plain; charset=utf-8
Content-Disposition: attachment; filename="prices.txt"

Grinder: 90 euros. Descaler: 12 euros.
--XX--

From carol@example.org Tue Mar  5 12:00:00 2024
From: Carol Ng <carol@example.org>
To: lab@example.org
Subject: Re: =?utf-8?q?Caf=C3=A9_budget_for_March?=
Date: Tue, 05 Mar 2024 12:00:00 +0000
Content-Type: text/plain; charset=utf-8

On Tuesday Alice wrote:
> The caf\xc3\xa9 budget for March is 420 euros.
> We should buy a new espresso grinder before the open day.

Fine by me, if the descaler comes out of the same budget.
>From now on we vote at the Friday meeting.

-- 
Al\xc3\xadce Lind\xc3\xa9n, lab treasurer
room 2.14, phone 555-0100
"""

LECTURE = """WEBVTT
Kind: captions

NOTE recorded in room 2.14

00:00:01.000 --> 00:00:04.000
<v Dr. Okafor>Welcome back. Today we look at gradient descent

00:00:04.000 --> 00:00:07.500
<v Dr. Okafor>and why the learning rate matters &amp; how to pick it.

00:12:05.000 --> 00:12:09.000
<v Sam>Could you repeat the <i>learning rate</i> you used for the demo?

00:12:09.500 --> 00:12:20.000
<v Dr. Okafor>Zero point zero one, halved every ten epochs.
"""

SUBTITLES = """1
00:00:01,000 --> 00:00:02,500
Hello <i>world</i>, this is the first cue.

2
00:00:03,000 --> 00:00:05,000
{\\an8}A second cue
on two lines

a line cut from its cue by a blank line

3
01:02:03,000 --> 01:02:05,000
<LAUGHING & WHOOPS!> Much later.
"""


def location(chunk) -> str:
    return Hit(id="", text=chunk.text, source=chunk.source, heading=chunk.heading, page=chunk.page,
               start_line=chunk.start_line, end_line=chunk.end_line).location


def test_a_mailbox_is_a_section_a_message_under_its_subject_cited_by_its_number() -> None:
    sections = read_sections(Path("lab.mbox"), THREAD)
    assert [s.heading for s in sections] == ["lab.mbox > Café budget for March", "lab.mbox > Re: Café budget for March",
                                             "lab.mbox > Re: Café budget for March"]
    first, second, third = (s.text for s in sections)
    assert first.startswith("From: Alíce Lindén <alice@example.org> | To: lab@example.org | Date: Tue, 05 Mar 2024")
    assert "The café budget for March is 420 euros." in first
    assert "room 2.14, phone 555-0100" in first  # the first signature is kept: the only copy
    # The HTML part read as a page (charset and quoted-printable decoded), a text file attached read, a PDF named.
    assert "The grinder costs 90 € at the Kaffeehaus in Münster." in second
    assert "Attachment prices.txt:\nGrinder: 90 euros. Descaler: 12 euros." in second
    assert "Attachments: quote.pdf (application/pdf, 9 bytes)" in second
    # The reply's quote of the first message and the repeated signature are left out, a line saying so.
    assert "[2 quoted lines of an earlier message left out]" in third
    assert "espresso" not in third and "555-0100" not in third
    assert "From now on we vote at the Friday meeting." in third  # mboxrd's ">From" unescaped
    assert [s.page for s in sections] == [1, 2, 3]
    # Lines are the mailbox's: each message from its "From " line to its last line of text.
    assert (sections[0].file_line(1), sections[0].line_map[-1]) == (1, 14)
    assert sections[2].file_line(1) == THREAD.count(b"\n", 0, THREAD.index(b"From carol")) + 1
    chunks = Chunker(1000, 100).chunk("lab.mbox", "h", sections)
    assert [location(c) for c in chunks] == ["message 1", "message 2", "message 3"]


def test_a_quote_of_a_message_the_mailbox_lacks_is_kept() -> None:
    """A reply saved alone holds the only copy of what it answers."""
    reply = THREAD[THREAD.index(b"From: Carol"):]
    sections = read_sections(Path("reply.eml"), reply)
    text = sections[0].text
    assert "> The café budget for March is 420 euros." in text and "555-0100" in text
    assert sections[0].page is None
    chunk = Chunker(1000, 100).chunk("reply.eml", "h", sections)[0]
    last = reply.rstrip().count(b"\n") + 1
    assert location(chunk) == f"lines 1-{last}"


def test_a_forwarded_message_a_digest_and_a_list_archives_sender_name_are_read() -> None:
    forwarded = (b"From: Barry <barry@example.org>\nSubject: fwd\nContent-Type: message/rfc822\n\n"
                 b"From: Dora <dora@example.org>\nSubject: The plan\n\nMeet at the north gate at nine.\n")
    text = read_sections(Path("f.eml"), forwarded)[0].text
    assert "Forwarded message: The plan\nFrom: Dora <dora@example.org>" in text
    assert "Meet at the north gate at nine." in text
    archived = (b"From vit at example.org  Tue Jul 10 11:29:44 2012\n"
                b"From: vit at example.org (=?ISO-8859-2?Q?V=EDt_Ondruch?=)\nSubject: RPM macros\n\nHi,\n\nmacros.\n")
    section = read_sections(Path("list.mbox"), archived)[0]
    assert section.text.startswith("From: vit at example.org (Vít Ondruch)")


def test_a_lecture_is_cut_into_paragraphs_of_speakers_cited_by_time() -> None:
    sections = read_sections(Path("lecture.vtt"), LECTURE.encode())
    assert sections[0].text.split("\n") == [
        "Dr. Okafor: Welcome back. Today we look at gradient descent",
        "and why the learning rate matters & how to pick it.",
        "",
        "Sam: Could you repeat the learning rate you used for the demo?",
        "",
        "Dr. Okafor: Zero point zero one, halved every ten epochs.",
    ]
    chunks = Chunker(1000, 100).chunk("lecture.vtt", "h", sections)
    assert [location(c) for c in chunks] == ["00:00:01-00:12:09"]
    small = Chunker(130, 20).chunk("lecture.vtt", "h", sections)
    assert [location(c) for c in small] == ["00:00:01-00:00:04", "00:12:05-00:12:09"]


def test_subtitles_keep_text_in_brackets_and_a_line_cut_from_its_cue() -> None:
    text = read_sections(Path("film.srt"), SUBTITLES.encode())[0].text
    assert text.split("\n") == [
        "Hello world, this is the first cue.",
        "A second cue on two lines a line cut from its cue by a blank line",
        "",
        "<LAUGHING & WHOOPS!> Much later.",
    ]


def test_rolling_captions_are_read_once() -> None:
    rolling = ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nthe first words\n\n"
               "00:00:02.000 --> 00:00:03.000\nthe first words\nand the next ones\n"
               "00:00:03.000 --> 00:00:04.000\nand the next ones\nand the last\n")
    assert read_sections(Path("yt.vtt"), rolling.encode())[0].text == "the first words\nand the next ones\nand the last"


def test_a_mailbox_ticks_its_messages() -> None:
    ticks: list[tuple[int, int, str]] = []
    box = b"".join(b"From a@b Mon Jan  1 00:00:00 2001\nSubject: m%d\n\nbody %d\n\n" % (n, n) for n in range(5))
    with read_progress.listening(lambda *tick: ticks.append(tick)):
        read_sections(Path("a.mbox"), box)
    assert ticks[-1] == (5, 5, "messages")


def test_a_folder_of_mail_and_transcripts_asked_in_the_shell(ip, tmp_path: Path) -> None:
    folder = tmp_path / "lab"
    folder.mkdir()
    (folder / "lab.mbox").write_bytes(THREAD)
    (folder / "lecture.vtt").write_text(LECTURE)
    (folder / "broken.srt").write_bytes(bytes(range(256)) * 8)  # a binary file named .srt
    ip.run_line_magic("docchat_index", f'"{folder}" --quiet --wait')
    ask(ip, "What does the grinder cost at the Kaffeehaus?", "--no-stream")
    turn = ip.user_ns["docchat_history"][-1]
    assert "90" in turn["answer"]
    assert any(s["source"] == "lab.mbox" and s["location"] == "message 2" for s in turn["sources"]), turn
    ask(ip, "How often is the learning rate halved?", "--no-stream")
    turn = ip.user_ns["docchat_history"][-1]
    assert "halved every ten epochs" in turn["answer"]
    assert any(s["source"] == "lecture.vtt" and s["location"] == "00:00:01-00:12:09" for s in turn["sources"]), turn


def test_a_bad_file_is_named_in_one_line_and_the_rest_indexed(tmp_path: Path) -> None:
    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "good.eml").write_bytes(b"From: a@b\nSubject: Minutes\n\nThe board meets on Thursday.\n")
    (folder / "noise.mbox").write_bytes(bytes(range(1, 256)) * 64)
    (folder / "empty.vtt").write_text("WEBVTT\n\nNOTE nothing said\n")
    with DocIndex(tmp_path / "store") as index:
        report = index.update(folder)
        assert set(index.catalog.files(index.collection)) == {"good.eml"}
        assert dict(report.skipped_files) == {"noise.mbox": "binary", "empty.vtt": "no text"}
        summary = str(report)
        assert "noise.mbox (binary)" in summary and "\n" not in summary
        assert index.search("board meets Thursday", k=1, mode="lexical")[0].source == "good.eml"


def test_a_secret_in_a_mail_is_not_shown(ip, tmp_path: Path) -> None:
    folder = tmp_path / "ops"
    folder.mkdir()
    (folder / "deploy.eml").write_bytes(
        b"From: ops@example.org\nSubject: Deploy notes\n\nThe deploy bucket is in eu-west-1.\n"
        b"aws_secret_access_key = q8Vd2RtLx0Jm7KpZ4wYc9NfB3sHgT6uEaQ1oXiW5\n")
    ip.run_line_magic("docchat_index", f'"{folder}" --quiet --wait')
    ask(ip, "What is the aws secret access key for the deploy bucket?", "--no-stream")
    turn = ip.user_ns["docchat_history"][-1]
    assert any(s["source"] == "deploy.eml" for s in turn["sources"]), turn
    assert "q8Vd2RtLx0Jm7KpZ4wYc9NfB3sHgT6uEaQ1oXiW5" not in str(turn)
    assert "eu-west-1" in turn["answer"]


_WORD = re.compile(r"[A-Za-z0-9]+")
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# A line of a body: any character at all (surrogates, NUL, controls), or words, but not a quote or signature mark,
# a mailbox's "From " or a MIME boundary, whose handling the examples above pin.
BODY_LINE = st.one_of(st.text(ANY_CHAR, max_size=60), st.text(st.sampled_from("ab xy.,:"), max_size=60)).map(
    lambda line: line.replace("\r", " ").replace("\n", " ").lstrip("> -").replace("From ", "from "))
CHARSETS = st.sampled_from(["utf-8", "iso-8859-1", "cp1252", "koi8-r", "shift_jis", "us-ascii"])
ENCODINGS = st.sampled_from(["8bit", "quoted-printable", "base64"])


def _words(text: str) -> list[str]:
    return _WORD.findall(clean_text(text))


def _letters(text: str) -> str:
    """The ASCII letters and digits of ``text`` as readers clean it, in order: a control character or an undefined
    byte between two words may be dropped (joining them) or read as a sign (parting them)."""
    return "".join(_words(text))


def _message(subject: str, sender: str, lines: list[str], charset: str, encoding: str) -> bytes:
    body = "\n".join(lines).encode(charset, "replace")  # what the charset can hold of them
    if encoding == "base64":
        payload = base64.encodebytes(body)
    elif encoding == "quoted-printable":
        payload = quopri.encodestring(body)
    else:
        payload = body.replace(b"\r", b"")
    head = (f"From: {Header(sender, 'utf-8').encode()} <x@example.org>\nSubject: {Header(subject, 'utf-8').encode()}\n"
            f"Content-Type: text/plain; charset={charset}\nContent-Transfer-Encoding: {encoding}\n\n")
    return head.encode("ascii") + payload + b"\n"


@PROPERTY
@given(messages=st.lists(st.tuples(st.text(ANY_CHAR, max_size=40), st.text(ANY_CHAR, max_size=20),
                                   st.lists(BODY_LINE, max_size=12), CHARSETS, ENCODINGS), min_size=1, max_size=4),
       mailbox=st.booleans())
@example(messages=[("\ud800", "\x00", ["\x00\x01 a\ud83d", "caf\xe9"], "utf-8", "8bit")], mailbox=False)
def test_random_messages_lose_no_word(messages: list[tuple[str, str, list[str], str, str]], mailbox: bool) -> None:
    """Random headers in encoded words, bodies of any characters in any charset and transfer encoding: each message
    is a section, under its subject's words, and each word of its body (as its charset holds it) is in its text."""
    safe = [(subject.encode("utf-8", "replace").decode("utf-8"), sender.encode("utf-8", "replace").decode("utf-8"),
             lines, charset, encoding) for subject, sender, lines, charset, encoding in messages]
    if mailbox:
        data = b"".join(b"From x@example.org Mon Jan  1 00:00:00 2001\n" + _message(*m) + b"\n" for m in safe)
        sections = read_sections(Path("box.mbox"), data)
    else:
        safe = safe[:1]
        data = _message(*safe[0])
        sections = read_sections(Path("one.eml"), data)
    lines_in_file = data.count(b"\n") + 1
    assert len(sections) == len(safe)
    for section, (subject, sender, lines, charset, _) in zip(sections, safe, strict=True):
        heading_words = " ".join(_words(section.heading))
        assert " ".join(_words(subject))[:40] in heading_words or not _words(subject)
        held = "\n".join(lines).encode(charset, "replace").decode(charset)
        assert _letters(held) in _letters(section.text), (held, section.text)
        assert len(section.line_map or ()) == section.text.count("\n") + 1
        assert list(section.line_map or ()) == sorted(section.line_map or ())  # in the file's order, within it
        assert 1 <= min(section.line_map or (1,)) and max(section.line_map or (1,)) <= lines_in_file


CUE_TEXT = st.one_of(st.text(ANY_CHAR, max_size=40), st.text(st.sampled_from("ab xy.,"), min_size=1, max_size=40)).map(
    lambda t: " ".join(t.replace("-->", "").replace("<", "").replace("&", "").replace("{", "").split()))
CUES = st.lists(st.tuples(st.integers(0, 20 * 3600 * 1000), st.integers(0, 60_000), st.lists(CUE_TEXT, min_size=1,
                                                                                                max_size=3),
                          st.sampled_from(["", "Alice", "Dr. Bo"])), min_size=1, max_size=15)


def _stamp(ms: int, srt: bool) -> str:
    text = f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"
    return text.replace(".", ",") if srt else text


@PROPERTY
@given(cues=CUES, srt=st.booleans(), crlf=st.booleans())
@example(cues=[(0, 0, ["\x00"], "")], srt=False, crlf=False)
def test_random_cues_are_all_read_at_their_time(cues, srt: bool, crlf: bool) -> None:
    """Cues of any text (surrogates, NUL, controls), timings in any order, voices: every cue's words are read on a line
    cited at its start's second, and a chunk's time span holds its cues'."""
    blocks = [] if srt else ["WEBVTT"]
    for n, (start, length, lines, voice) in enumerate(cues, 1):
        text = "\n".join((f"<v {voice}>" if voice and not srt else "") + line for line in lines if line.strip())
        blocks.append(("" if not srt else f"{n}\n") + f"{_stamp(start, srt)} --> {_stamp(start + length, srt)}\n"
                      + (text or "."))
    source = "\n\n".join(blocks) + "\n"
    data = source.replace("\n", "\r\n" if crlf else "\n").encode("utf-8", "surrogatepass")
    sections = read_sections(Path("t.srt" if srt else "t.vtt"), data)
    if not any(_words(" ".join(lines)) for _, _, lines, _ in cues):
        return  # nothing said: no section, as a file of no text (read_file names it "no text")
    assert len(sections) == 1
    section = sections[0]
    lines = section.text.split("\n")
    assert section.line_map is not None and len(section.line_map) == len(lines)
    before = None
    for start, length, cue_lines, voice in cues:  # in the file's order: a rolling caption follows the cue above it
        said = [line for line in cue_lines if line.strip()]  # as written to the file
        seconds = {start // 1000 + 1}
        if before is not None and len(said) > 1 and voice == before[2] and abs(start - before[1]) <= 500 \
                and " ".join(_words(said[0])) == " ".join(_words(before[0])):
            said, seconds = said[1:], seconds | {before[3]}  # a rolling caption's line shown again: read once
        before = (said[-1], start + length, voice, start // 1000 + 1) if said else before
        at = [line for line, time in zip(lines, section.line_map, strict=True) if time in seconds]
        assert _letters(" ".join(said)) in _letters(" ".join(at)), (cue_lines, at)
    assert list(section.line_map) == sorted(section.line_map)
    for chunk in chunker(200).chunk(section.heading or "t.vtt", "h", sections):
        assert chunk.start_line <= chunk.end_line


def test_subrip_saved_beside_its_webvtt_is_built_from_it(tmp_path: Path) -> None:
    folder = tmp_path / "talks"
    folder.mkdir()
    (folder / "lecture.vtt").write_text(LECTURE)
    (folder / "lecture.srt").write_text("1\n00:00:01,000 --> 00:00:04,000\nWelcome back. Today we look at gradient descent\n")
    with DocIndex(tmp_path / "store") as index:
        report = index.update(folder)
        assert set(index.catalog.files(index.collection)) == {"lecture.vtt"}
        assert ("lecture.srt", "built from lecture.vtt") in report.skipped_files

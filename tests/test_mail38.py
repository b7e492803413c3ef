"""What a user's mail folder holds besides .eml and .mbox (mail38, bench/mail_walk.py): Outlook's .msg files, a Maildir
(cur/ new/ tmp/, a message a file without a suffix) and a Thunderbird profile's folders (mbox files without a suffix
beside their Mork .msf indexes). Each was "unsupported type"; a .msg of text (a Tcl message catalog) stays skipped, and
so do folders of deleted or junk mail (a default skip, named).

The Outlook messages are msg-parser's test messages (its sdist, BSD-2-Clause; sdist_fixtures downloads
it with pip beside the venv): a delivery failure from a Chinese mail server, with plain and RTF bodies and the failed
message attached as an Outlook item, and a newsletter with ten attachments. Every other file is made here.
"""

from __future__ import annotations

import base64
import subprocess
import sys
import tarfile
from functools import lru_cache
from pathlib import Path

import compressed_rtf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ask
from sdist_fixtures import sdist
from test_walk35 import BODY_LINE, CHARSETS, ENCODINGS, PROPERTY, _letters, _message, _words

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.skips import MAIL_BIN
from jupyter_docchat.indexing.readers import TEXT_MSG, UnreadableFile, read_sections
from jupyter_docchat.indexing.readers.mail_folders import BEING_DELIVERED, MORK_INDEX, TRASHED
from jupyter_docchat.indexing.readers.outlook import EXTRA, _rtf_text
from jupyter_docchat.types import Hit

MSG_PARSER = "msg-parser==1.2.0"
OLE = bytes.fromhex("D0CF11E0A1B11AE1")
MORK = b'// <!-- <mdb:mork:z v="1.4"/> -->\n< <(a=c)> // (f=iso-8859-1)\n  (B8=subject)>\n'
CATALOG = '::msgcat::mcset de "Cancel" "Abbrechen"\n::msgcat::mcset de "Open File" "Datei \u00f6ffnen"\n'


@lru_cache(maxsize=None)
def outlook(name: str) -> bytes:
    """One of msg-parser's test messages, from its sdist (sdist_fixtures)."""
    with tarfile.open(sdist(MSG_PARSER, "msg_parser-1.2.0.tar.gz")) as archive:
        stream = archive.extractfile(f"msg_parser-1.2.0/tests/files/{name}")
        assert stream is not None
        return stream.read()


def test_an_outlook_message_is_read_as_a_saved_mail_is() -> None:
    [section] = read_sections(Path("bounce.msg"), outlook("other.msg"))
    # The subject is a MAPI property in UTF-16, the sender an encoded word in GBK in the internet headers.
    assert section.heading == "bounce.msg > 投递状态通知 (Failure Notice)"
    first = section.text.split("\n")[0]
    assert first.startswith("From: Mail Delivery Subsystem <mailer-daemon@tjdpf.org.cn> | To: <yosipnps@model.com>")
    assert "Date: Mon, 27 Nov 2017 17:44:30 +0800" in first
    assert "The recipients is locked. (User Locked)" in section.text
    assert "到以下收信人地址的邮件投递失败" in section.text
    # The failed message, attached as an Outlook item, is read below the bounce, with its own attachment named.
    bounce, attached = section.text.split("\nAttached message: ")
    assert attached.startswith("回复：转发：反馈·北京 2017年12月02-03日 销售\nFrom: Meredith chen <yosipnps@model.com>")
    assert attached.endswith("Attachments: 北京 2017年12月02-03日 销售主管 确认n.pdf (application/octet-stream, 141 kB)")
    assert "Attachments" not in bounce
    assert Hit("1", "", "mail/bounce.msg", start_line=3, end_line=9).location == "lines 3-9"  # cited as an .eml is


def test_an_outlook_messages_attachments_are_named_with_their_sizes() -> None:
    [section] = read_sections(Path("news.msg"), outlook("complete.msg"))
    assert section.heading == "news.msg > Test Multiple attachments complete email!!"
    assert "Nokia Health is now Withings" in section.text
    assert "Cc: \"quarantine@hiddenfire.onmicrosoft.com\"" in section.text.split("\n")[0]
    own, *attached = section.text.split("\nAttached message: ")
    names = own.rsplit("Attachments: ", 1)[1]
    assert "[MS-OXPROPS].pdf (application/pdf, 6.6 MB)" in names and "[MS-OXPROPS].txt (text/plain, 672 kB)" in names
    assert [a.split("\n")[0] for a in attached][:2] == ["Create a database on Azure in 90 seconds",
                                                         "How fast can you deploy a web app?"]
    assert len(attached) == 6 and all("From: \"Microsoft Azure\" <azure-noreply@microsoft.com>" in a for a in attached)


def test_a_message_without_internet_headers_is_headed_by_its_properties() -> None:
    """outer.msg was never sent: no transport headers, no sender; its recipient is a property."""
    [section] = read_sections(Path("outer.msg"), outlook("outer.msg"))
    assert section.text.startswith("To: outer@foo.bar\n\nOuter body")
    assert section.text.endswith("\nAttached message: test\nTo: test@foobar.com\n\nbody")


def test_an_rtf_body_is_unpacked_and_read_as_text() -> None:
    """Outlook's RTF body (compressed, MS-OXRTFCP), here an HTML body it encapsulates (\\fromhtml1): the RTF's own
    text, in the code page it names; the encapsulated tags are no text."""
    rtf = (rb"{\rtf1\ansi\ansicpg1252\fromhtml1 \deff0{\fonttbl{\f0\fswiss Arial;}}"
           rb"{\*\htmltag19 <html>}{\*\htmltag64 <p class=x>}\htmlrtf {\htmlrtf0 Caf\'e9 budget: 420 \'80"
           rb"{\*\htmltag72 </p>}\htmlrtf \par \htmlrtf0 }Second line\par}")
    text = _rtf_text(compressed_rtf.compress(rtf))
    assert "Café budget: 420 €" in text and "Second line" in text
    assert "<p" not in text and "htmltag" not in text
    # The test messages' own RTF bodies (beside their plain ones) read as their plain bodies do.
    from oxmsg import Message

    packed = Message.load(outlook("outer.msg")).properties.binary_prop_value(0x1009)
    assert _rtf_text(packed).strip() == "Outer body"


def test_a_broken_outlook_file_is_named_not_read() -> None:
    with pytest.raises(UnreadableFile) as cut:
        read_sections(Path("cut.msg"), outlook("other.msg")[:5000])
    assert cut.value.reason.startswith("unreadable .msg (")
    with pytest.raises(UnreadableFile) as junk:
        read_sections(Path("junk.msg"), OLE + bytes(range(256)) * 8)
    assert junk.value.reason.startswith("unreadable .msg (")


def test_without_the_mail_extra_a_msg_is_named_with_the_extra_in_one_line(tmp_path: Path) -> None:
    """A Python without python-oxmsg (its import blocked, as where the extra is not installed)."""
    (tmp_path / "bounce.msg").write_bytes(outlook("other.msg"))
    code = ("import sys; sys.modules['oxmsg'] = None\n"
            "from pathlib import Path\n"
            "from jupyter_docchat.indexing.readers import UnreadableFile, read_sections\n"
            f"path = Path({str(tmp_path / 'bounce.msg')!r})\n"
            "try:\n    read_sections(path, path.read_bytes())\nexcept UnreadableFile as exc:\n    print(exc.reason)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == EXTRA + "\n" and "jupyter-docchat[mail]" in out


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.text(max_size=200), st.binary(max_size=200),
                 st.lists(st.sampled_from(["::msgcat::mcset fr", '"Open"', '"Ouvrir"', "\n", "# c", "From: a",
                                           "Subject: s", "\n\n", "x: y"]), max_size=12).map(" ".join)))
def test_a_msg_of_text_is_never_taken_for_outlook(text: str | bytes) -> None:
    """Whatever a .msg without the OLE signature holds, it is read as a mail message (a program's plain RFC 5322 save)
    or named (text, binary), never handed to the Outlook reader (whose failure it would be named with)."""
    data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    if data.startswith(OLE):
        return
    try:
        sections = read_sections(Path("strings.msg"), data)
    except UnreadableFile as exc:
        assert exc.reason in (TEXT_MSG, "binary"), exc.reason
        return
    assert all(s.heading.startswith("strings.msg") for s in sections)


def test_a_tcl_catalog_is_skipped_and_a_saved_text_message_read() -> None:
    with pytest.raises(UnreadableFile) as catalog:
        read_sections(Path("de.msg"), CATALOG.encode())
    assert catalog.value.reason == TEXT_MSG
    with pytest.raises(UnreadableFile, match="^binary$"):  # neither OLE nor text: binary, as any other file
        read_sections(Path("x.msg"), bytes(range(1, 256)) * 4)
    [section] = read_sections(Path("note.msg"), b"From: Dee <d@example.org>\nSubject: Keys\n\nThe keys are at the desk.\n")
    assert section.heading == "note.msg > Keys" and "The keys are at the desk." in section.text


def _maildir(top: Path) -> Path:
    for name in ("cur", "new", "tmp"):
        (top / name).mkdir(parents=True)
    return top


def test_a_maildirs_messages_are_read_by_their_files_and_tmp_is_named(tmp_path: Path) -> None:
    box = _maildir(tmp_path / "Maildir")
    seen = box / "cur" / "1709632800.M1P2.mail.example.sh:2,S"  # a host name ending as a shell script does
    seen.write_bytes(b"From: Ann <ann@example.org>\nSubject: Walrus budget\n\nThe walrus budget is 42 herrings.\n")
    [section] = read_sections(seen, seen.read_bytes())
    assert section.heading == "1709632800.M1P2.mail.example.sh:2,S > Walrus budget"
    assert section.text == "From: Ann <ann@example.org>\n\nThe walrus budget is 42 herrings."
    deleted = box / "cur" / "1709632900.M2P2.host:2,ST"
    deleted.write_bytes(b"From: Ann <ann@example.org>\nSubject: Old budget\n\nThe budget was 40 herrings.\n")
    with pytest.raises(UnreadableFile) as trashed:
        read_sections(deleted, deleted.read_bytes())
    assert trashed.value.reason == TRASHED
    half = box / "tmp" / "1709633000.M5P6.host"
    half.write_bytes(b"From: x\nSubj")
    with pytest.raises(UnreadableFile) as delivering:
        read_sections(half, half.read_bytes())
    assert delivering.value.reason == BEING_DELIVERED
    # A page in a Maildir-shaped folder is read as its name says; a folder named "cur" outside a Maildir is none.
    notes = box / "new" / "notes.md"
    notes.write_bytes(b"# Walrus notes\n\nTusks grow all life long.\n")
    [page] = read_sections(notes, notes.read_bytes())
    assert page.heading == "Walrus notes" and "Tusks grow" in page.text
    (tmp_path / "notes" / "cur").mkdir(parents=True)
    plain = tmp_path / "notes" / "cur" / "draft"
    plain.write_bytes(b"From: me\nSubject: not mail\n\nA draft.\n")
    with pytest.raises(UnreadableFile, match="unsupported type"):
        read_sections(plain, plain.read_bytes())


def test_a_thunderbird_folder_is_a_mailbox_cited_by_message_and_its_index_named(tmp_path: Path) -> None:
    folders = tmp_path / "Local Folders"
    (folders / "Inbox.sbd").mkdir(parents=True)
    inbox = folders / "Inbox"
    inbox.write_bytes(b"From - Tue Mar  5 10:00:00 2024\nFrom: Ann <ann@example.org>\nSubject: Seal census\n\n"
                      b"We counted 17 seals.\n\nFrom - Tue Mar  5 11:00:00 2024\nFrom: Bob <bob@example.org>\n"
                      b"Subject: Re: Seal census\n\n> We counted 17 seals.\nI counted 18.\n")
    first, second = read_sections(inbox, inbox.read_bytes())
    assert (first.heading, first.page, second.heading, second.page) == (
        "Inbox > Seal census", 1, "Inbox > Re: Seal census", 2)
    assert "I counted 18." in second.text and "[1 quoted line of an earlier message left out]" in second.text
    assert Hit("1", "", "Local Folders/Inbox", page=2).location == "message 2"
    assert Hit("1", "", "Local Folders/Inbox.sbd/Lists", page=1).location == "message 1"
    assert Hit("1", "", "report.pdf", page=2).location == "p. 2"
    # "News" is a README's name too: a Thunderbird folder of that name is read as the mailbox it is.
    news = folders / "News"
    news.write_bytes(inbox.read_bytes())
    assert [s.page for s in read_sections(news, news.read_bytes())] == [1, 2]
    with pytest.raises(UnreadableFile) as index:
        read_sections(folders / "Inbox.msf", MORK)
    assert index.value.reason == MORK_INDEX


def test_a_message_thunderbird_marks_deleted_is_left_out_and_the_others_keep_their_numbers(tmp_path: Path) -> None:
    """Thunderbird keeps a deleted message's bytes in the folder's mbox until it compacts it, flagged 0x0008 in
    X-Mozilla-Status; a message read (0x0001) or replied to (0x0002) is kept."""
    def message(status: str, subject: str) -> bytes:
        return (f"From - Tue Mar  5 10:00:00 2024\nX-Mozilla-Status: {status}\nX-Mozilla-Status2: 00000000\n"
                f"Subject: {subject}\n\nAbout {subject.lower()}.\n\n").encode()

    inbox = tmp_path / "Inbox"
    inbox.write_bytes(message("0001", "Seals") + message("0009", "Walruses") + message("0003", "Puffins"))
    sections = read_sections(inbox, inbox.read_bytes())
    assert [(s.heading, s.page) for s in sections] == [("Inbox > Seals", 1), ("Inbox > Puffins", 3)]
    assert not any("walruses" in s.text for s in sections)


def test_a_mail_folder_is_indexed_and_asked_in_the_shell(ip, tmp_path: Path) -> None:
    """Outlook, Maildir and Thunderbird side by side in a real shell; a broken .msg, a catalog, a Mork index and a
    half-delivered message are each named in the summary's one line, and the rest is indexed."""
    folder = tmp_path / "mail"
    box = _maildir(folder / "Maildir")
    (box / "new" / "1709632800.M1P2.mailhost").write_bytes(
        b"From: Ann <ann@example.org>\nSubject: Walrus budget\n\nThe walrus budget is 42 herrings a week.\n")
    (box / "tmp" / "1709633000.M5P6.mailhost").write_bytes(b"From: x\n")
    sent = _maildir(box / ".Sent")  # Maildir++ (Dovecot): a folder is a hidden Maildir inside the inbox's
    (sent / "cur" / "1709632900.M7P8.mailhost:2,S").write_bytes(
        b"From: Me <me@example.org>\nSubject: Seal permit\n\nThe seal permit number is SP-2291.\n")
    trash = _maildir(box / ".Trash")  # what the user deleted, and Thunderbird's beside its index: named, left out
    (trash / "cur" / "1709632000.M9P9.mailhost:2,S").write_bytes(b"From: a@b\nSubject: old\n\nThe tusks arrive Monday.\n")
    (box / ".cache").mkdir()  # any other hidden folder stays out
    (box / ".cache" / "state").write_bytes(b"From: Me <me@example.org>\nSubject: cached\n\nNot a folder of mail.\n")
    tb = folder / "Thunderbird"
    tb.mkdir()
    (tb / "Inbox").write_bytes(b"From - Tue Mar  5 10:00:00 2024\nFrom: Carl <c@example.org>\nSubject: Tusks\n\n"
                               b"Hello.\n\nFrom - Tue Mar  5 11:00:00 2024\nFrom: Dora <d@example.org>\n"
                               b"Subject: Re: Tusks\n\nThe new tusks arrive on Friday by ferry.\n")
    (tb / "Inbox.msf").write_bytes(MORK)
    (tb / "Junk").write_bytes(b"From - Tue Mar  5 09:00:00 2024\nFrom: win@example.com\nSubject: Prize\n\n"
                              b"The new tusks arrive today if you click here.\n")
    (tb / "Junk.msf").write_bytes(MORK)
    (folder / "bounce.msg").write_bytes(outlook("other.msg"))
    (folder / "cut.msg").write_bytes(outlook("other.msg")[:5000])
    (folder / "de.msg").write_text(CATALOG)
    ip.run_line_magic("docchat_index", f'"{folder}" --quiet --wait')
    ask(ip, "When do the new tusks arrive?", "--no-stream")
    turn = ip.user_ns["docchat_history"][-1]
    assert "Friday by ferry" in turn["answer"]
    assert any(s["source"] == "Thunderbird/Inbox" and s["location"] == "message 2" for s in turn["sources"]), turn
    ask(ip, "What error did the other server return?", "--no-stream")
    turn = ip.user_ns["docchat_history"][-1]
    assert "The recipients is locked" in turn["answer"]
    assert any(s["source"] == "bounce.msg" for s in turn["sources"]), turn
    with DocIndex(tmp_path / "store") as index:
        report = index.update(folder)
        skipped = dict(report.skipped_files)
        assert skipped["cut.msg"].startswith("unreadable .msg (")
        assert (skipped["de.msg"], skipped["Thunderbird/Inbox.msf"], skipped["Maildir/tmp/1709633000.M5P6.mailhost"]) \
            == (TEXT_MSG, MORK_INDEX, BEING_DELIVERED)
        assert skipped["Maildir/.Trash/"] == skipped["Thunderbird/Junk"] == MAIL_BIN
        assert "\n" not in str(report) and "cut.msg (unreadable .msg" in str(report)
        assert set(index.catalog.files(index.collection)) == {
            "bounce.msg", "Maildir/new/1709632800.M1P2.mailhost", "Maildir/.Sent/cur/1709632900.M7P8.mailhost:2,S",
            "Thunderbird/Inbox"}
        [hit] = index.search("walrus budget herrings", k=1, mode="lexical")
        assert (hit.source, hit.location) == ("Maildir/new/1709632800.M1P2.mailhost", "lines 1-4")


@PROPERTY
@given(messages=st.lists(st.tuples(st.text(max_size=40), st.text(max_size=20), st.lists(BODY_LINE, max_size=12),
                                   CHARSETS, ENCODINGS), min_size=1, max_size=3),
       thunderbird=st.booleans())
def test_random_maildir_and_thunderbird_messages_lose_no_word(tmp_path_factory, messages, thunderbird: bool) -> None:
    """Random headers and bodies (any characters, charsets and transfer encodings) as a Maildir's files or a
    Thunderbird folder: each message a section under its subject's words, holding its body's every word."""
    top = tmp_path_factory.mktemp("mail")
    safe = [(subject.encode("utf-8", "replace").decode("utf-8"), sender.encode("utf-8", "replace").decode("utf-8"),
             lines, charset, encoding) for subject, sender, lines, charset, encoding in messages]
    if thunderbird:
        inbox = top / "Inbox"
        inbox.write_bytes(b"".join(b"From - Mon Jan  1 00:00:00 2001\n" + _message(*m) + b"\n" for m in safe))
        sections = read_sections(inbox, inbox.read_bytes())
        assert [s.page for s in sections] == list(range(1, len(safe) + 1))
    else:
        box = _maildir(top / "Maildir")
        sections = []
        for n, message in enumerate(safe):
            path = box / ("cur" if n % 2 else "new") / f"17000000{n}.M{n}P1.host:2,S"
            path.write_bytes(_message(*message))
            sections += read_sections(path, path.read_bytes())
    assert len(sections) == len(safe)
    for section, (subject, _, lines, charset, _) in zip(sections, safe, strict=True):
        assert " ".join(_words(subject))[:40] in " ".join(_words(section.heading)) or not _words(subject)
        held = "\n".join(lines).encode(charset, "replace").decode(charset)
        assert _letters(held) in _letters(section.text), (held, section.text)


def test_a_parts_byte_order_mark_is_no_text() -> None:
    """mail._content decodes a part by its charset once (it decoded, encoded and decoded again)."""
    for charset, body in (("utf-8", "\ufeffGrüße aus Köln".encode("utf-8")), ("utf-16", "Grüße aus Köln".encode("utf-16"))):
        message = (f"From: a@b\nSubject: s\nContent-Type: text/plain; charset={charset}\n"
                   "Content-Transfer-Encoding: base64\n\n").encode() + base64.encodebytes(body)
        [section] = read_sections(Path("m.eml"), message)
        assert section.text.endswith("\n\nGrüße aus Köln"), (charset, section.text)


def test_a_multipart_whose_boundary_is_cut_is_read_as_written() -> None:
    """CPython's msg_25 (a bounce in a Thunderbird folder of walk mail38): its Content-Type's boundary parameter is cut
    to "bo", so email holds its parts as one text; the message read as its header line alone."""
    message = (b"From: Mail Delivery Subsystem <MAILER-DAEMON@example.org>\nSubject: Returned mail\n"
               b"Content-Type: multipart/report; report-type=delivery-status;\n\tbo\n\n"
               b"--JAB03225.986577786/example.org\n\n554 Too many hops 19 (17 max)\n"
               b"--JAB03225.986577786/example.org--\n")
    [section] = read_sections(Path("bounce.eml"), message)
    assert "554 Too many hops 19 (17 max)" in section.text


@settings(max_examples=150, deadline=None)
@given(edits=st.lists(st.tuples(st.integers(0, 47615), st.integers(0, 255)), min_size=1, max_size=30),
       cut=st.one_of(st.none(), st.integers(512, 47616)))
def test_a_corrupt_outlook_message_is_read_or_named_never_an_error(edits: list[tuple[int, int]], cut: int | None) -> None:
    """A real message with bytes changed anywhere (its OLE sectors, directory, property streams) and maybe cut: read
    as far as it reads, or named (UnreadableFile), never the reader's own failure."""
    data = bytearray(outlook("outer.msg"))
    for at, value in edits:
        data[at] = value
    data[:8] = OLE  # still an OLE file's signature: the Outlook reader's to take
    try:
        sections = read_sections(Path("outer.msg"), bytes(data[:cut]))
    except UnreadableFile as exc:
        assert exc.reason.startswith(("unreadable .msg (", "an OLE file but no Outlook message")), exc.reason
        return
    assert all(s.heading.startswith("outer.msg > ") for s in sections)


def test_a_bounces_delivery_status_is_read_each_line_once() -> None:
    """RFC 3464's report, a block per recipient: the remote server's reason was lost (email parses the blocks as
    messages of headers alone), and the reason for forty recipients is the same line."""
    blocks = "".join(f"Final-Recipient: rfc822; user{n}@example.org\nAction: failed\nStatus: 5.7.1\n"
                     "Diagnostic-Code: smtp; 550 5.7.1 BANNED: invoice.bat\n\n" for n in range(3))
    message = ("From: MAILER DAEMON <>\nSubject: Banned file\nMIME-Version: 1.0\n"
               'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\n\n'
               "--B\nContent-Type: text/plain\n\nYour mail was blocked.\n"
               f"--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n{blocks}--B--\n")
    [section] = read_sections(Path("bounce.eml"), message.encode())
    report = section.text.split("Your mail was blocked.\n", 1)[1].strip().split("\n")
    assert report == ["Reporting-MTA: dns; mx.example.org", "Final-Recipient: rfc822; user0@example.org",
                      "Action: failed", "Status: 5.7.1", "Diagnostic-Code: smtp; 550 5.7.1 BANNED: invoice.bat",
                      "Final-Recipient: rfc822; user1@example.org", "Final-Recipient: rfc822; user2@example.org"]


def test_a_trash_folder_is_indexed_when_included(tmp_path: Path) -> None:
    from jupyter_docchat.indexing.index_options import IndexOptions

    box = _maildir(tmp_path / "Maildir")
    trash = _maildir(box / ".Trash")
    (trash / "cur" / "1709632000.M9P9.host:2,S").write_bytes(b"From: a@b\nSubject: old\n\nThe old budget was 40.\n")
    (box / "cur" / "1709632100.M1P1.host:2,S").write_bytes(b"From: a@b\nSubject: new\n\nThe new budget is 42.\n")
    with DocIndex(tmp_path / "store") as index:
        report = index.update(box)
        assert dict(report.skipped_files) == {".Trash/": MAIL_BIN}
        assert "--include GLOB or --all" in str(report)
        index.update(box, IndexOptions(includes=[".Trash/**"]))
        assert set(index.catalog.files(index.collection)) == {"cur/1709632100.M1P1.host:2,S",
                                                              ".Trash/cur/1709632000.M9P9.host:2,S"}

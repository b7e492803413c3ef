"""Probe 40, an outside user's sweep of mail folders and old Office files: a Thunderbird folder named with a dot
("Project.2024" beside "Project.2024.msf") was "unsupported type" and would have been cited "p. 1"; the subfolders of
Thunderbird's Trash ("Trash.sbd/") and of a Maildir++ ".Trash" (".Trash.2023") were indexed as the user's mail; a
.doc table row whose middle cell was empty ended there, and a .doc's text deleted by tracked changes was read as text.

The .doc files are made by legacygen as Word writes them (a row's mark a paragraph of its own properties, sprmPFTtp
among its row's sprms; a deletion's run of character properties, sprmCFRMarkDel with its author and date).
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ask
from legacygen import doc_bytes
from test_walk35 import PROPERTY

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.readers import UnreadableFile, read_sections
from jupyter_docchat.indexing.readers.mail_folders import APPLE_MAIL_INDEX, MORK_INDEX
from jupyter_docchat.indexing.readers.office_tables import grid_lines
from jupyter_docchat.indexing.readers.word97_sprms import operand_byte
from jupyter_docchat.indexing.skips import MAIL_BIN
from jupyter_docchat.types import Hit

MORK = b'// <!-- <mdb:mork:z v="1.4"/> -->\n< <(a=c)> // (f=iso-8859-1)\n  (B8=subject)>\n'


def _mbox(*messages: tuple[str, str]) -> bytes:
    return b"".join(f"From - Tue Mar  5 10:00:00 2024\nFrom: Ann <ann@example.org>\nSubject: {subject}\n\n{body}\n\n"
                    .encode() for subject, body in messages)


def _folder(parent: Path, name: str, data: bytes) -> Path:
    """A Thunderbird folder: its mbox file and its Mork index beside it."""
    parent.mkdir(parents=True, exist_ok=True)
    (parent / name).write_bytes(data)
    (parent / f"{name}.msf").write_bytes(MORK)
    return parent / name


def test_a_thunderbird_folder_named_with_a_dot_is_a_mailbox_cited_by_message(tmp_path: Path) -> None:
    local = tmp_path / "Local Folders"
    _folder(local, "Project.2024", _mbox(("Budget", "The seal budget is 4711 euros."),
                                         ("Re: Budget", "The walrus budget is 42 herrings.")))
    _folder(local, "notes.md", _mbox(("Minutes", "The puffin census starts in May.")))  # named as a page is
    _folder(local, "Drafts", b"")  # a folder emptied: no text, as an empty .mbox
    (local / "release.2024").write_bytes(_mbox(("Old", "No index beside: a mailbox by its content alone.")))
    with DocIndex(tmp_path / "store") as index:
        report = index.update(tmp_path)
        skipped = dict(report.skipped_files)
        assert skipped == {"Local Folders/Project.2024.msf": MORK_INDEX, "Local Folders/notes.md.msf": MORK_INDEX,
                           "Local Folders/Drafts.msf": MORK_INDEX, "Local Folders/Drafts": "no text"}
        [hit] = index.search("walrus budget herrings", k=1, mode="lexical")
        assert (hit.source, hit.location, hit.heading) == (
            "Local Folders/Project.2024", "message 2", "Project.2024 > Re: Budget")
        [hit] = index.search("puffin census", k=1, mode="lexical")
        assert (hit.source, hit.location) == ("Local Folders/notes.md", "message 1")
        [hit] = index.search("index beside content alone", k=1, mode="lexical")
        assert (hit.source, hit.location) == ("Local Folders/release.2024", "message 1")


def test_other_paged_files_keep_their_citations() -> None:
    """A page of any file read as a mailbox is a message; a PDF's, a deck's and a book's keep theirs, gzipped too."""
    assert [Hit("1", "", name, page=2).location for name in (
        "Mail/Project.2024", "Mail/Inbox", "a.mbox", "a.mbox.gz", "r.pdf", "r.PDF.gz", "d.ppt", "d.odp", "d.docx")] == [
        "message 2", "message 2", "message 2", "message 2", "p. 2", "p. 2", "slide 2", "slide 2", "p. 2"]


@PROPERTY
@given(name=st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 ._-]{0,20}", fullmatch=True).filter(
    lambda n: not n.rstrip(". ").lower().endswith((".pdf", ".ppt", ".pps", ".pot", ".pptx", ".pptm", ".odp", ".fodp",
                                                   ".epub", ".docx", ".docm", ".odt", ".fodt", ".msf", ".gz"))
    and n.strip(". ") == n),
       count=st.integers(1, 3))
def test_any_thunderbird_folder_name_reads_as_its_mailbox(tmp_path_factory, name: str, count: int) -> None:
    """Whatever a folder is named (dots, a format's suffix: "v1.2", "notes.txt", "Q3.csv"), its index beside it says
    it is a folder of mail: each message a section cited by its number."""
    top = tmp_path_factory.mktemp("tb")
    path = _folder(top, name, _mbox(*[(f"Seal {n}", f"Count {n} seals.") for n in range(count)]))
    sections = read_sections(path, path.read_bytes())
    assert [(s.page, s.text.splitlines()[-1]) for s in sections] == [(n + 1, f"Count {n} seals.") for n in range(count)]
    assert Hit("1", "", f"Mail/{name}", page=count).location == f"message {count}"


def test_the_subfolders_of_trash_are_skipped_with_it(tmp_path: Path) -> None:
    local = tmp_path / "Local Folders"
    _folder(local, "Inbox", _mbox(("Tusks", "The new tusks arrive on Friday.")))
    _folder(local, "Trash", _mbox(("Old", "The tusks arrived last year.")))
    _folder(local / "Trash.sbd", "Old 2023", _mbox(("Older", "The tusks arrive Monday, wrongly.")))
    (local / "Junk.sbd").mkdir()  # Junk's subfolders, without its index beside (the mbox alone)
    (local / "Junk").write_bytes(b"")
    _folder(local / "Junk.sbd", "Lottery", _mbox(("Win", "The tusks arrive if you click.")))
    _folder(local / "Inbox.sbd", "Seals", _mbox(("Seals", "The seals stay.")))  # a user's subfolder: read
    _folder(tmp_path / "ImapMail" / "outlook.office365.com", "Junk Email", _mbox(("Win", "Tusks for you.")))
    box = tmp_path / "Maildir"
    for folder in (box, box / ".Trash", box / ".Trash.2023", box / ".Lists.trash-talk"):
        for part in ("cur", "new", "tmp"):
            (folder / part).mkdir(parents=True, exist_ok=True)
    (box / ".Trash.2023" / "cur" / "1709632000.M1P1.host:2,S").write_bytes(
        b"From: a@b\nSubject: old\n\nThe tusks arrive in spring, said the deleted mail.\n")
    (box / ".Lists.trash-talk" / "cur" / "1709632000.M2P1.host:2,S").write_bytes(
        b"From: a@b\nSubject: list\n\nThe list talks of tusks.\n")
    with DocIndex(tmp_path / "store") as index:
        skipped = dict(index.update(tmp_path).skipped_files)
        assert {name for name, why in skipped.items() if why == MAIL_BIN} == {
            "Local Folders/Trash", "Local Folders/Trash.sbd/", "Local Folders/Junk.sbd/", "Maildir/.Trash/",
            "Maildir/.Trash.2023/", "ImapMail/outlook.office365.com/Junk Email"}
        assert set(index.catalog.files(index.collection)) == {
            "Local Folders/Inbox", "Local Folders/Inbox.sbd/Seals",
            "Maildir/.Lists.trash-talk/cur/1709632000.M2P1.host:2,S"}


# --- .doc tables and tracked changes -------------------------------------------------------------------------------

def _table(rows: list[list[str]]) -> tuple[str, tuple[int, ...]]:
    """A table's characters as Word stores them (each cell's text and mark, then the row's own mark) and where each
    row's mark is."""
    text, ends = "", []
    for row in rows:
        text += "".join(f"{cell}\x07" for cell in row)
        ends.append(len(text))
        text += "\x07"
    return text, tuple(ends)


def _cell_paragraphs(text: str, start: int, table: str) -> tuple[int, ...]:
    """The "\r" marks of a table's cells' paragraphs, the table at ``start`` in ``text``."""
    return tuple(start + n for n, char in enumerate(table) if char == "\r")


def _doc_lines(data: bytes) -> list[str]:
    return "\n".join(s.text for s in read_sections(Path("report.doc"), data)).split("\n")


@pytest.mark.parametrize("compressed", [False, True])
def test_a_rows_empty_middle_cell_keeps_its_row(compressed: bool) -> None:
    rows = [["Name", "Count", "Place"], ["Harbour seal", "", "North bay"], ["", "", "Rock 7"]]
    table, ends = _table(rows)
    intro = "Seal report\r"
    data = doc_bytes(f"{intro}{table}After the table.\r", compressed=compressed,
                     row_ends=tuple(len(intro) + end for end in ends))
    assert _doc_lines(data) == ["Seal report", "", "| Name | Count | Place |", "|---|---|---|",
                                "| Harbour seal | | North bay |", "| | | Rock 7 |", "", "After the table."]


CELL = st.text(st.sampled_from("ab yz.,1-\r"), max_size=8)  # "\r": a cell of paragraphs, the first cell's too


@PROPERTY
@given(rows=st.integers(1, 4).flatmap(lambda width: st.lists(st.lists(CELL, min_size=width, max_size=width),
                                                             min_size=1, max_size=5)),
       compressed=st.booleans())
def test_any_table_reads_as_its_grid(rows: list[list[str]], compressed: bool) -> None:
    """Any cells, empty ones anywhere (a row of them, a column of them), of paragraphs: the rows Word marks, each
    whole, a cell's paragraphs one line."""
    table, ends = _table(rows)
    text = f"Above.\r{table}Below.\r"
    data = doc_bytes(text, compressed=compressed, row_ends=tuple(7 + end for end in ends),
                     cell_paragraphs=_cell_paragraphs(text, 7, table))
    shown = [[" ".join(cell.split()) for cell in row] for row in rows]
    assert _doc_lines(data) == ["Above.", "", *grid_lines(1, shown), "", "Below."]


@pytest.mark.parametrize("compressed", [False, True])
def test_text_deleted_by_tracked_changes_is_left_out(compressed: bool) -> None:
    text = "The walrus budget is 40 herrings42 herrings a week.\rA paragraph deleted whole.\rThe end.\r"
    old = text.index("40 herrings")
    whole = text.index("A paragraph")
    data = doc_bytes(text, compressed=compressed,
                     deleted=((old, old + len("40 herrings")), (whole, text.index("The end."))))
    assert _doc_lines(data) == ["The walrus budget is 42 herrings a week.", "The end."]


@PROPERTY
@given(words=st.lists(st.tuples(st.from_regex(r"[a-z]{1,8}", fullmatch=True), st.booleans()), min_size=1,
                      max_size=30),
       compressed=st.booleans())
def test_the_words_kept_are_read_and_the_deleted_never(words: list[tuple[str, bool]], compressed: bool) -> None:
    text, deleted = "", []
    for word, gone in words:
        if gone:
            deleted.append((len(text), len(text) + len(word) + 1))
        text += word + " "
    kept = " ".join(word for word, gone in words if not gone)
    lines = _doc_lines(doc_bytes(text + "\r", compressed=compressed, deleted=tuple(deleted)))
    assert " ".join(" ".join(lines).split()) == kept


@PROPERTY
@given(grpprl=st.binary(max_size=80), wanted=st.sampled_from([0x2417, 0x0800, 0xD608, 0xC615]))
def test_any_grpprl_is_walked_within_its_bytes(grpprl: bytes, wanted: int) -> None:
    found = operand_byte(grpprl, wanted)
    assert found is None or 0 <= found < 256


@PROPERTY
@given(edits=st.lists(st.tuples(st.integers(0, 20000), st.integers(0, 255)), min_size=1, max_size=30))
def test_a_corrupt_docs_property_pages_read_or_are_named(edits: list[tuple[int, int]]) -> None:
    """Bytes changed anywhere, the property pages and their lists among them: the text, or a one-line reason."""
    table, ends = _table([["a", "", "b"], ["", "c", ""]])
    data = bytearray(doc_bytes(f"Top.\r{table}Gone words.\r", row_ends=tuple(5 + e for e in ends),
                               deleted=((5 + len(table), 5 + len(table) + 6),)))
    for at, value in edits:
        data[at % len(data)] = value
    try:
        read_sections(Path("x.doc"), bytes(data))
    except UnreadableFile as exc:
        assert "\n" not in exc.reason


def test_a_mail_folder_and_an_old_doc_are_asked_in_the_shell(ip, tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    _folder(folder / "Local Folders", "Project.2024", _mbox(("Ferry", "The new tusks arrive on Friday by ferry.")))
    _folder(folder / "Local Folders", "Trash", _mbox(("Ferry", "The new tusks arrive on Monday by plane.")))
    table, ends = _table([["Animal", "Count", "Place"], ["Walrus", "", "North bay"]])
    text = f"Census\rThe walrus count is 40 herrings a week.\r{table}"
    gone = text.index("40 herrings")
    (folder / "census.doc").write_bytes(doc_bytes(text, row_ends=tuple(text.index(table) + e for e in ends),
                                                  deleted=((gone, gone + 3),)))
    ip.run_line_magic("docchat_index", f'"{folder}" --quiet --wait')
    ask(ip, "When do the new tusks arrive?", "--no-stream")
    turn = ip.user_ns["docchat_history"][-1]
    assert "Friday by ferry" in turn["answer"] and "plane" not in turn["answer"]
    assert any(s["source"] == "Local Folders/Project.2024" and s["location"] == "message 1" for s in turn["sources"])
    ask(ip, "Where is the walrus?", "--no-stream")
    turn = ip.user_ns["docchat_history"][-1]
    assert any(s["source"] == "census.doc" for s in turn["sources"]), turn
    with DocIndex(tmp_path / "store") as index:
        index.update(folder)
        [hit] = index.search("walrus north bay", k=1, mode="lexical")
        assert "| Walrus | | North bay |" in hit.text and "40 herrings" not in hit.text
        assert "herrings a week" in hit.text



# --- Gmail's Takeout and Apple Mail's export ------------------------------------------------------------------------

def _takeout(labels: str, subject: str, body: str) -> str:
    return (f"From 1784417223906238231@xxx Mon Dec 07 10:00:00 +0000 2026\r\nX-GM-THRID: 1784417223906238231\r\n"
            f"X-Gmail-Labels: {labels}\r\nFrom: Ann <ann@example.org>\r\nSubject: {subject}\r\n\r\n{body}\r\n"
            "X-Gmail-Labels: Trash\r\n\r\n")  # a body's line is no label


def test_gmails_trash_and_spam_are_left_out_of_its_export_and_the_rest_keep_their_numbers() -> None:
    data = (_takeout("Inbox,Opened", "Ferry", "The ferry leaves at 9.")
            + _takeout("Spam", "Prize", "The ferry leaves at 5 if you click.")
            + _takeout('Opened,\r\n "Category Updates",TRASH', "Old ferry", "The ferry left at 7.")
            + _takeout('"Trash talk",Inbox', "Banter", "The ferry talk goes on.")).encode()
    sections = read_sections(Path("All mail Including Spam and Trash.mbox"), data)
    assert [(s.heading.split(" > ")[-1], s.page) for s in sections] == [("Ferry", 1), ("Banter", 4)]
    assert not any("5" in s.text or "7" in s.text for s in sections)


@PROPERTY
@given(labels=st.lists(st.sampled_from(["Inbox", "Opened", "Important", '"Category Updates"', "Sent", "Trash", "Spam",
                                        "spam", '"Trash talk"', "Work/Spam reports"]), max_size=5))
def test_a_takeout_message_is_left_out_exactly_when_a_label_is_trash_or_spam(labels: list[str]) -> None:
    data = (_takeout(",".join(labels), "Note", "Some words.") + _takeout("Inbox", "Kept", "Kept words.")).encode()
    pages = [s.page for s in read_sections(Path("Takeout.mbox"), data)]
    binned = any(label.lower() in ("trash", "spam") for label in labels)
    assert pages == ([2] if binned else [1, 2])


def test_an_apple_mail_export_is_read_by_its_mailboxes_names(tmp_path: Path) -> None:
    plist = b'<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict/></plist>\n'
    for name in ("Inbox", "Work", "Deleted Messages", "Junk"):
        bundle = tmp_path / "Mail" / f"{name}.mbox"
        bundle.mkdir(parents=True)
        (bundle / "mbox").write_bytes(_mbox((f"{name} note", f"The {name} mailbox says the ferry leaves at 9.")))
        (bundle / "Info.plist").write_bytes(plist)
        (bundle / "table_of_contents").write_bytes(b"\x00\x00\x00\x01\x00\x00\x00\x02toc")
    (tmp_path / "Mail" / "Info.plist").write_bytes(plist)  # no bundle's: as any other file
    with DocIndex(tmp_path / "store") as index:
        skipped = dict(index.update(tmp_path).skipped_files)
        assert skipped == {"Mail/Deleted Messages.mbox/": MAIL_BIN, "Mail/Junk.mbox/": MAIL_BIN,
                           "Mail/Inbox.mbox/Info.plist": APPLE_MAIL_INDEX,
                           "Mail/Inbox.mbox/table_of_contents": APPLE_MAIL_INDEX,
                           "Mail/Work.mbox/Info.plist": APPLE_MAIL_INDEX,
                           "Mail/Work.mbox/table_of_contents": APPLE_MAIL_INDEX, "Mail/Info.plist": "unsupported type"}
        hits = index.search("mailbox ferry", k=5, mode="lexical")
        assert sorted((h.source, h.location, h.heading) for h in hits) == [
            ("Mail/Inbox.mbox/mbox", "message 1", "Inbox > Inbox note"),
            ("Mail/Work.mbox/mbox", "message 1", "Work > Work note")]


def test_a_heading_right_after_a_table_keeps_the_table_whole_above_it() -> None:
    """Its paragraph starts after the table's last row mark, not after the last "\\r" above it (inside the table)."""
    table, ends = _table([["Animal", "Count"], ["Walrus\rsecond line", "7"], ["Seal", "12"]])
    text = f"Census\r{table}Results\rThe count rose.\r"
    at = len("Census\r")
    data = doc_bytes(text, styles={0: 1, 2: 2}, row_ends=tuple(at + e for e in ends),
                     cell_paragraphs=_cell_paragraphs(text, at, table))
    sections = read_sections(Path("census.doc"), data)
    assert [(s.heading, s.text.split("\n")) for s in sections] == [
        ("Census", ["Census", "", "| Animal | Count |", "|---|---|", "| Walrus second line | 7 |", "| Seal | 12 |",
                    ""]),
        ("Census > Results", ["Results", "The count rose."])]


# --- 97-2003 templates --------------------------------------------------------------------------------------------

def test_word_and_powerpoint_templates_are_read_and_graphviz_and_gettext_templates_stay_out(tmp_path: Path) -> None:
    """oletools' Word template (.dot, Word saved it) reads as its .doc; a deck saved as .pot as its .ppt, cited by
    slide; a Graphviz graph and a gettext template, text files of the same suffixes, stay unsupported."""
    from legacy_files import oletools_file

    (tmp_path / "letter.dot").write_bytes(oletools_file("oleobj/embedded-simple-2007.dot"))
    (tmp_path / "deck.pot").write_bytes(oletools_file("oleobj/sample_with_lnk_file.ppt"))
    (tmp_path / "graph.dot").write_text("digraph G { walrus -> seal; }\n")
    (tmp_path / "messages.pot").write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n')
    with DocIndex(tmp_path / "store") as index:
        skipped = dict(index.update(tmp_path).skipped_files)
        assert skipped == {"graph.dot": "unsupported type", "messages.pot": "unsupported type"}
        [hit] = index.search("embedded file parsing fun", k=1, mode="lexical")
        assert (hit.source, hit.location) == ("letter.dot", "lines 1-3")
        [hit] = index.search("Test", k=1, mode="lexical")
        assert (hit.source, hit.location) == ("deck.pot", "slide 1")


# --- sealed mail ----------------------------------------------------------------------------------------------------

def test_an_encrypted_message_says_so_and_a_signed_one_is_read() -> None:
    head = "From: Ann <ann@example.org>\nTo: bob@example.org\nSubject: Plans\nMIME-Version: 1.0\n"
    smime = (head + 'Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"\n'
             "Content-Transfer-Encoding: base64\n\n" + base64.encodebytes(bytes(range(256)) * 4).decode())
    pgp = (head + 'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="YY"\n\n'
           "--YY\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n--YY\n"
           'Content-Type: application/octet-stream; name="encrypted.asc"\n\n-----BEGIN PGP MESSAGE-----\n\n'
           "hQEMA5p1x2Qw8GEUAQf/ZkO3l0\n=abcd\n-----END PGP MESSAGE-----\n--YY--\n")
    signed = (head + 'Content-Type: multipart/signed; protocol="application/pkcs7-signature"; boundary="XX"\n\n'
              "--XX\nContent-Type: text/plain\n\nThe plan: the ferry at 9.\n--XX\n"
              'Content-Type: application/pkcs7-signature; name="smime.p7s"\nContent-Transfer-Encoding: base64\n\n'
              "MIAGCSqGSIb3DQEHAqCAMIACAQExDzANBglghkgBZQMEAgEFADCABgkqhkiG9w0BBwEAAKCAMIIF\n--XX--\n")
    texts = [read_sections(Path(name), data.encode())[0].text.split("\n")
             for name, data in (("a.eml", smime), ("b.eml", pgp), ("c.eml", signed))]
    assert texts == [
        ["From: Ann <ann@example.org> | To: bob@example.org", "",
         "(S/MIME message: its text is encrypted or packed in its signature, and not read)"],
        ["From: Ann <ann@example.org> | To: bob@example.org", "", "(OpenPGP message: its text is encrypted, and not read)"],
        ["From: Ann <ann@example.org> | To: bob@example.org", "", "The plan: the ferry at 9.", "",
         "Attachments: smime.p7s (application/pkcs7-signature, 57 bytes)"]]


@PROPERTY
@given(data=st.one_of(st.binary(max_size=400), st.text(max_size=300).map(lambda t: ("From - " + t).encode("utf-8",
                                                                                                        "replace"))),
       name=st.sampled_from(["Inbox", "Project.2024", "notes.md", "v1.2.3"]))
def test_any_bytes_in_a_thunderbird_folder_are_read_or_named_in_one_line(tmp_path_factory, data: bytes,
                                                                        name: str) -> None:
    path = _folder(tmp_path_factory.mktemp("tb"), name, data)
    try:
        sections = read_sections(path, data)
    except UnreadableFile as exc:
        assert "\n" not in exc.reason and exc.reason
    else:
        assert all(s.page is not None for s in sections) or not name.endswith(("Inbox", "2024", "2.3"))


def _emlx(message: bytes) -> bytes:
    plist = (b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" '
             b'"http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0">\n<dict>\n\t<key>flags</key>\n'
             b'\t<integer>8590195713</integer>\n</dict>\n</plist>\n')
    return str(len(message)).encode() + b"        \n" + message + plist


def test_apple_mails_own_folders_are_read_a_message_a_file(tmp_path: Path) -> None:
    """~/Library/Mail: each mailbox a bundle of its Info.plist and its messages' .emlx files, deep inside it."""
    account = tmp_path / "Library" / "Mail" / "V10" / "6A2F0C1E-3B4D-4E5F-8A9B-0C1D2E3F4A5B"
    plist = b'<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict/></plist>\n'
    for box, number, text in (("INBOX", 123, b"The ferry leaves at 9 from pier 4."),
                              ("Deleted Messages", 124, b"The ferry leaves at 5 from pier 1.")):
        bundle = account / f"{box}.mbox"
        messages = bundle / "8C1E2D3F-1111-2222-3333-444455556666" / "Data" / "1" / "Messages"
        messages.mkdir(parents=True)
        (bundle / "Info.plist").write_bytes(plist)
        (messages / f"{number}.emlx").write_bytes(_emlx(
            b"From: Ann <ann@example.org>\nSubject: Ferry\nDate: Mon, 7 Dec 2026 10:00:00 +0000\n\n" + text + b"\n"))
    (account / "INBOX.mbox" / "8C1E2D3F-1111-2222-3333-444455556666" / "Data" / "1" / "Messages" /
     "125.partial.emlx").write_bytes(_emlx(b"From: Bob <bob@example.org>\nSubject: Photos\n\nPhotos of the pier.\n"))
    with DocIndex(tmp_path / "store") as index:
        skipped = dict(index.update(tmp_path).skipped_files)
        root = "Library/Mail/V10/6A2F0C1E-3B4D-4E5F-8A9B-0C1D2E3F4A5B"
        assert skipped == {f"{root}/Deleted Messages.mbox/": MAIL_BIN, f"{root}/INBOX.mbox/Info.plist": APPLE_MAIL_INDEX}
        [hit] = index.search("ferry pier", k=1, mode="lexical")
        assert (hit.source.rsplit("/", 1)[-1], hit.location, hit.heading) == ("123.emlx", "lines 2-6", "123.emlx > Ferry")
        assert "pier 4" in hit.text and "plist" not in hit.text and "8590195713" not in hit.text
        [hit] = index.search("photos pier", k=1, mode="lexical")
        assert hit.source.endswith("125.partial.emlx")


@PROPERTY
@given(body=st.text(st.characters(blacklist_categories=("Cs",)), max_size=200), pad=st.text(" \t", max_size=9),
       count_delta=st.integers(-20, 20))
def test_any_emlx_is_read_or_named_and_never_its_property_list(body: str, pad: str, count_delta: int) -> None:
    """Any body, and a count that is wrong (a file cut, or edited): the message as far as the count or the file
    goes, never an error."""
    message = b"From: Ann <ann@example.org>\nSubject: Note\n\n" + body.encode()
    data = _emlx(message)
    data = (str(max(len(message) + count_delta, 0)).encode() + pad.encode() + b"\n"
            + data.partition(b"\n")[2])
    try:
        sections = read_sections(Path("9.emlx"), data)
    except UnreadableFile as exc:
        assert "\n" not in exc.reason
    else:
        assert all("8590195713" not in s.text for s in sections) or count_delta > 0


def test_a_mutt_folder_named_with_a_dot_is_a_mailbox_and_a_git_patch_is_not(tmp_path: Path) -> None:
    mail = tmp_path / "Mail"
    mail.mkdir()
    (mail / "lists.python").write_bytes(_mbox(("Walrus", "The walrus module ships in 3.14."),
                                              ("Re: Walrus", "The seal module ships later.")))
    (mail / "notes.md").write_bytes(_mbox(("Markdown", "Named as a page: read as the page it is named.")))
    patch = (b"From 3a1f9c0e5b7d2f4a6c8e0b1d3f5a7c9e1b3d5f7a Mon Sep 17 00:00:00 2001\nFrom: Ann <ann@example.org>\n"
             b"Date: Mon, 7 Dec 2026 10:00:00 +0000\nSubject: [PATCH] Add the walrus module\n\n---\n walrus.py | 1 +\n")
    (tmp_path / "0001-Add-the-walrus-module.patch").write_bytes(patch)
    with DocIndex(tmp_path / "store") as index:
        skipped = dict(index.update(tmp_path).skipped_files)
        assert skipped == {"0001-Add-the-walrus-module.patch": "unsupported type"}
        [hit] = index.search("seal module ships", k=1, mode="lexical")
        assert (hit.source, hit.location, hit.heading) == ("Mail/lists.python", "message 2", "lists.python > Re: Walrus")
        [hit] = index.search("named as a page", k=1, mode="lexical")
        assert (hit.source, hit.location) == ("Mail/notes.md", "lines 1-5")

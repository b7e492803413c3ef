"""Probe 34: a hostile but ordinary user's Office files and the strings a data scientist quotes.

.docx and .pptx (walk 32): python-docx and python-pptx read a package's parts whole into memory, so a zip bomb (a part
unpacking to gigabytes in a file of a few hundred kB) was read whole; a password-protected document was "unreadable
.docx (BadZipFile)"; a deck named .docx (or a report named .pptx) was "unreadable (ValueError)". The files are made
here by python-docx and python-pptx, and the password-protected one by msoffcrypto-tool (OOXMLFile.encrypt, as Office
writes it: an OLE compound file holding the encrypted package).
"""

from __future__ import annotations

import io
import re
import resource
import string
import struct
import time
import zipfile
from pathlib import Path

import docx
import pptx
import pytest
from hypothesis import given, settings
from conftest import ask, grows_linearly, run_stored, sent_and_shown
from hypothesis import strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.readers import UnreadableFile, read_sections
from jupyter_docchat.indexing.readers.office_package import TOTAL_LIMIT, XML_LIMIT, package_kind
from jupyter_docchat.qa.bare_keys import bare_key_values, reads_as_key
from jupyter_docchat.qa.cells import session_cells
from jupyter_docchat.qa.key_guard import without_secrets

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def saved(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def report(words: str = "The field season ran from May to August.") -> bytes:
    document = docx.Document()
    document.add_heading("Field Season", 1)
    document.add_paragraph(words)
    return saved(document)


def deck() -> bytes:
    presentation = pptx.Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    slide.shapes.title.text = "Infiltration"
    slide.placeholders[1].text = "Clay drains slowly"
    return saved(presentation)


def with_member(data: bytes, name: str, size: int) -> bytes:
    """The package ``data`` with a member ``name`` of ``size`` zero bytes, written a MB at a time (a bomb's part
    packs to a thousandth of its size; the test never holds it whole)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in source.infolist():
            if info.filename != name:  # a part of the package itself may be the bomb
                package.writestr(info.filename, source.read(info.filename))
        with package.open(name, "w", force_zip64=size > 0xFFFFFFFF) as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(size // len(block)):
                member.write(block)
            member.write(b"\0" * (size % len(block)))
    return out.getvalue()


def test_a_deck_whose_media_unpacks_past_the_limit_is_named_a_zip_bomb_not_read() -> None:
    bomb = with_member(deck(), "ppt/media/video1.bin", TOTAL_LIMIT + 1)
    assert len(bomb) < 1024 * 1024  # a file of a few hundred kB: far under the file size limit
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.process_time()
    with pytest.raises(UnreadableFile, match=r"^zip bomb: unpacks to over 256 MB$"):
        read_sections(Path("lecture.pptx"), bomb)
    assert time.process_time() - start < 2  # unpacking 256 MB took seconds: nothing of it was unpacked
    # python-pptx read every part: the peak grew by the part's 256 MB (kB on Linux)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 64 * 1024


def test_a_report_whose_xml_unpacks_past_the_text_limit_is_named_a_zip_bomb() -> None:
    bomb = with_member(report(), "word/document.xml", XML_LIMIT + 1)  # the body itself, which python-docx reads
    with pytest.raises(UnreadableFile, match=r"^zip bomb: unpacks to over 64 MB$"):
        read_sections(Path("report.docx"), bomb)


def test_a_part_whose_directory_lies_about_its_size_is_named_without_unpacking_it_whole() -> None:
    """A part said to be 100 bytes that unpacks to 300 MB: zipfile cuts it at 100, but only after unpacking what one
    read asks for, and python-pptx asks for a part whole (the read peaked at 835 MB). It fails its checksum here, a MB
    at a time."""
    size = 300 * 1024 * 1024
    bomb = with_member(deck(), "ppt/media/video1.bin", size)
    lying = bomb.replace(struct.pack("<I", size), struct.pack("<I", 100))  # its local header and directory entry
    assert lying.count(struct.pack("<I", 100)) >= 2 and zipfile.ZipFile(io.BytesIO(lying)).getinfo(
        "ppt/media/video1.bin").file_size == 100
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(UnreadableFile, match=r"^unreadable \.pptx \(BadZipFile\)$"):
        read_sections(Path("lecture.pptx"), lying)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 64 * 1024  # kB


def test_a_package_just_under_the_limits_is_read() -> None:
    data = with_member(deck(), "ppt/media/image9.bin", 8 * 1024 * 1024)
    assert [s.text for s in read_sections(Path("lecture.pptx"), data)] == ["Infiltration\n- Clay drains slowly"]


def _encrypted_docx() -> bytes:
    import docx
    from msoffcrypto.format.ooxml import OOXMLFile

    plain, encrypted = io.BytesIO(), io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Budget 2025: 42 units.")
    document.save(plain)
    plain.seek(0)
    OOXMLFile(plain).encrypt("pw123", encrypted)
    return encrypted.getvalue()


def test_a_password_protected_document_is_named_so() -> None:
    data = _encrypted_docx()
    with pytest.raises(UnreadableFile, match=r"^password-protected \.docx \(encrypted\): save it without a password"):
        read_sections(Path("budget.docx"), data)
    # the same file named .pptx: still the encrypted package it is
    with pytest.raises(UnreadableFile, match=r"^password-protected \.pptx"):
        read_sections(Path("budget.pptx"), data)


def test_an_old_binary_office_file_renamed_is_named_so() -> None:
    ole = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(4096)  # a compound file's header, as a Word 97 .doc begins
    with pytest.raises(UnreadableFile, match=r"old binary Office file \(Word 97-2003 \.doc\?\) named \.docx"):
        read_sections(Path("thesis.docx"), ole)


def test_a_deck_named_docx_and_a_report_named_pptx_are_read_as_what_they_are() -> None:
    as_docx = read_sections(Path("lecture.docx"), deck())
    assert [(s.text, s.page, s.kind) for s in as_docx] == [("Infiltration\n- Clay drains slowly", 1, "pptx")]
    as_pptx = read_sections(Path("report.pptx"), report())
    assert [(s.text, s.start_line, s.kind) for s in as_pptx] == [
        ("Field Season\nThe field season ran from May to August.", 1, "docx")]


def test_a_folder_of_hostile_office_files_indexes_the_good_ones_and_names_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "good.docx").write_bytes(report())
    (folder / "bomb.pptx").write_bytes(with_member(deck(), "ppt/media/x.bin", TOTAL_LIMIT + 1))
    (folder / "budget.docx").write_bytes(_encrypted_docx())
    (folder / "slides.docx").write_bytes(deck())
    nested = "<w:p><w:r><w:t>deep text</w:t></w:r></w:p>"
    for _ in range(300):  # past lxml's 256 levels: named, the index goes on
        nested = f"<w:tbl><w:tr><w:tc>{nested}</w:tc></w:tr></w:tbl>"
    source = zipfile.ZipFile(io.BytesIO(report()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for info in source.infolist():
            body = f"<w:document {W}><w:body>{nested}</w:body></w:document>".encode()
            package.writestr(info.filename, body if info.filename == "word/document.xml" else source.read(info.filename))
    (folder / "deep.docx").write_bytes(out.getvalue())
    with DocIndex(tmp_path / "store") as index:
        result = index.update(folder)
        skipped = dict(result.skipped_files)
        assert set(index.catalog.files(index.collection)) == {"good.docx", "slides.docx"}
    assert skipped["bomb.pptx"] == "zip bomb: unpacks to over 256 MB"
    assert skipped["budget.docx"].startswith("password-protected .docx")
    assert skipped["deep.docx"] == "unreadable .docx (XMLSyntaxError)"


@settings(max_examples=40)
@given(st.binary(max_size=64), st.sampled_from(["docx", "pptx"]), st.booleans())
def test_any_bytes_or_zip_are_read_or_named_never_raise_else(junk: bytes, kind: str, zipped: bool) -> None:
    data = junk
    if zipped:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as package:
            package.writestr("word/document.xml" if junk[:1] < b"\x80" else "ppt/presentation.xml", junk)
        data = out.getvalue()
    try:
        assert package_kind(data, kind) in ("docx", "pptx")  # type: ignore[arg-type]
        read_sections(Path(f"x.{kind}"), data)
    except UnreadableFile as exc:
        assert exc.reason and "\n" not in exc.reason


def deck_with_table(rows: int) -> bytes:
    """A slide holding a table of ``rows`` rows of three cells, its rows written in its XML as PowerPoint does."""
    import copy

    presentation = pptx.Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[6])
    table = slide.shapes.add_table(2, 3, 0, 0, pptx.util.Inches(6), pptx.util.Inches(2)).table
    table.cell(0, 0).text, table.cell(0, 1).text, table.cell(0, 2).text = "Sample", "Depth", "Clay"
    tbl = table._tbl
    template = tbl.tr_lst[1]
    tbl.remove(template)
    for n in range(rows):
        tr = copy.deepcopy(template)
        for column, tc in enumerate(tr.tc_lst):
            tc.get_or_add_txBody().add_p().add_r().text = f"s{n}c{column}"
        tbl.append(tr)
    return saved(presentation)


def test_a_slides_table_of_thousands_of_rows_reads_in_linear_time() -> None:
    """python-pptx's rows have no iterator: a loop asked for each row by its number, which lists the rows again (a table
    of 4,000 rows took 11 CPU-s, 16 times its quarter's)."""
    grows_linearly(lambda data: read_sections(Path("x.pptx"), data), deck_with_table, (500, 2000))  # type: ignore[arg-type]
    text = read_sections(Path("x.pptx"), deck_with_table(3))[0].text
    assert text.split("\n") == ["| Sample | Depth | Clay |", "|---|---|---|", "| s0c0 | s0c1 | s0c2 |",
                                 "| s1c0 | s1c1 | s1c2 |", "| s2c0 | s2c1 | s2c2 |", ""]


def test_a_reports_table_of_thousands_of_rows_reads_in_linear_time() -> None:
    def make(rows: int) -> bytes:
        document = docx.Document()
        table = document.add_table(rows=rows, cols=3)
        for n, row in enumerate(table.rows):
            for column, cell in enumerate(row.cells):
                cell.text = f"s{n}c{column}"
        return saved(document)

    grows_linearly(lambda data: read_sections(Path("x.docx"), data), make, (500, 2000))  # type: ignore[arg-type]


# The no-name key rule (keys34, qa/bare_keys.py): ordinary strings a data scientist quotes that it hid.
_DRIVE_ID = "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms"  # the id Google's Sheets API quickstart reads
_FILE_ID = "1fV6wQZkz0b8cH2yJmX4nR7tP9sL3dG5a"
_SVG = "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4="  # base64 of '<svg xmlns="http://www.w3.org/2000/svg"/>'
_KEY = "Zq7Xv2Lm9Pw4Rt8Yb3Nc6Hd1"


@pytest.mark.parametrize("code", [
    f"gdown.download(id='{_FILE_ID}', output='data.zip')", f"file_id = '{_FILE_ID}'", f'FILE_ID = "{_FILE_ID}"',
    f"downloaded = drive.CreateFile({{'id': '{_FILE_ID}'}})", f"SAMPLE_SPREADSHEET_ID = '{_DRIVE_ID}'",
    f"sheet = gc.open_by_key('{_DRIVE_ID}')", f"service.files().get(fileId='{_FILE_ID}').execute()",
    f'{{"folderId": "{_FILE_ID}"}}', f"icon = '{_SVG}'", f"display(Image(b64decode('{_SVG}')))"])
def test_a_drive_or_sheet_id_and_an_image_in_base64_keep_their_text(code: str) -> None:
    assert bare_key_values(code) == set()
    assert without_secrets(code) == code
    assert session_cells(["", code], {})[0].text.endswith(code)


@pytest.mark.parametrize("code", [
    f"c = Client('{_KEY}')", f"secret_id = '{_KEY}'", f"role.login(secret_id='{_KEY}')", f"token_id = '{_KEY}'",
    f"{{'apiKeyId': '{_KEY}'}}", f"if user.id == '{_KEY}':", f"valid = '{_KEY}'", f"paid = '{_KEY}'",
    f"file_id = 'x'\nc = Client('{_KEY}')"])
def test_a_key_not_given_to_an_id_or_given_to_a_secrets_id_stays_hidden(code: str) -> None:
    assert _KEY not in without_secrets(code) and _KEY not in session_cells(["", code], {})[0].text


_ALPHABET = string.ascii_letters + string.digits


@settings(max_examples=150)
@given(key=st.text(_ALPHABET, min_size=20, max_size=44).filter(reads_as_key),
       name=st.sampled_from(["secret_id", "SECRET_ID", "token_id", "apiKeyId", "password_id", "client_secret"]),
       form=st.sampled_from(["{n} = {q}{k}{q}", "f({n}={q}{k}{q})", "{{{q}{n}{q}: {q}{k}{q}}}", "{n}: {q}{k}{q}"]),
       quote=st.sampled_from(["'", '"']), before=st.text(max_size=100))
def test_a_key_given_to_a_secrets_id_is_never_shown(key: str, name: str, form: str, quote: str, before: str) -> None:
    """The id exception hides nothing a secret's name says: any key read as one, given to such a name in any form,
    after any text, is in no cell's text."""
    code = before + form.format(n=name, q=quote, k=key)
    assert key not in session_cells(["", code], {})[0].text


@settings(max_examples=150)
@given(key=st.text(_ALPHABET, min_size=20, max_size=44).filter(reads_as_key), before=st.text(max_size=100),
       after=st.sampled_from(["", " == x", ")"]))
def test_a_key_is_shown_only_when_given_to_an_id(key: str, before: str, after: str) -> None:
    """A key quoted after any text is found by the no-name rule unless that text ends giving it to an id."""
    code = f"{before}'{key}'{after}"
    assert (key in bare_key_values(code)) != bool(re.search(r"(?:(?<!\w)|_)(?:id|ID|Id)'?[ \t]*[:=][ \t]*$|[a-z0-9]Id'?[ \t]*"
                                                             r"[:=][ \t]*$|\bopen_by_key\([ \t]*$", before[-80:]))


def test_drive_ids_and_an_inline_icon_reach_the_model_whole_through_ask_notebook(ip, fake) -> None:
    """Through the user's path: cells downloading a Drive file by its id and showing a base64 icon, then %ask --notebook
    with a model at a real HTTP server: the request holds the ids and the icon whole, and the key cell's key not."""
    ip.run_line_magic("config", f"DocChat.base_url = {fake.url!r}")
    ip.run_line_magic("config", "DocChat.api_key = 'local-test-key'")
    run_stored(ip, f"file_id = '{_FILE_ID}'\nurl = f'https://drive.google.com/uc?id={{file_id}}'")
    run_stored(ip, f"SAMPLE_SPREADSHEET_ID = '{_DRIVE_ID}'")
    run_stored(ip, f"icon = '{_SVG}'")
    run_stored(ip, f"class Client:\n    def __init__(self, key):\n        self.key = key\nc = Client('{_KEY}')")
    for question in ("What is file_id in drive.google.com?", "What is SAMPLE_SPREADSHEET_ID?", "What is the icon?",
                     "What does Client hold?"):  # one question a cell: the session's shell holds other tests' cells too
        ask(ip, question, "--no-stream --notebook")
    sent = "".join(body.decode() for body in fake.bodies)
    assert _FILE_ID in sent and _DRIVE_ID in sent and _SVG in sent and "Client(" in sent
    assert _KEY not in sent


def test_the_configured_key_in_a_slides_speaker_notes_is_never_sent_or_shown(ip, fake, tmp_path: Path) -> None:
    """A deck whose speaker notes hold the user's own key, once whole and once broken by a soft line break (PowerPoint's
    Shift+Enter, "\\v" in python-pptx), beside a slide that answers: the notes' slide is withheld from the model, the
    answer, the history and the saved chat."""
    key = "sk-proj-Hc4Wq9Zr2Lx7Nv5Tb8Kd3Mf6Pj5Rk8Ws2X"
    presentation = pptx.Presentation()
    for title, body, notes in (("Lab server", "Log in to the lab server before the practical.",
                                f"Lab server key: {key}\nBackup: {key[:20]}\v{key[20:]}"),
                               ("Infiltration", "Clay drains slowly: 0.06 cm per hour.", "Mention the clay pit.")):
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text = title
        slide.placeholders[1].text = body
        slide.notes_slide.notes_text_frame.text = notes
    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "lecture.pptx").write_bytes(saved(presentation))
    ip.run_line_magic("config", f"DocChat.base_url = {fake.url!r}")
    ip.run_line_magic("config", f"DocChat.api_key = {key!r}")
    ip.run_line_magic("docchat_index", f'"{folder}" --quiet --wait')
    ask(ip, "What is the lab server key in the speaker notes?", "--no-stream")
    ask(ip, "How fast does clay drain?", "--no-stream")
    sent, shown = sent_and_shown(ip, fake, tmp_path)
    assert any("lecture.pptx (slide 1)" in notice for notice in ip.user_ns["docchat_history"][-2]["notices"])
    assert "0.06 cm per hour" in sent  # the other slide was asked about and sent
    assert key not in shown and key[:20] not in shown and key[20:] not in shown


@pytest.mark.parametrize("code", [
    "obj = s3.get_object(Bucket='lab-data', Key='raw/2024-01-15/events_000123.csv.gz')",
    "key = 'data/train/shard-00017-of-00128.tfrecord'",
    "s3.download_file('lab-data', 'exports/2024/part-00000-7b3c2e1a.snappy.parquet', 'local.parquet')",
    "KEY = 'models/run_3kx9p2qz/checkpoints/epoch=12-step=3900.ckpt'"])
def test_an_object_stores_key_of_a_data_file_keeps_its_text(code: str) -> None:
    assert without_secrets(code) == code


@settings(max_examples=150)
@given(key=st.text(_ALPHABET + "/+", min_size=40, max_size=40).filter(lambda k: sum(c.isdigit() for c in k) > 1),
       name=st.sampled_from(["aws_secret_access_key", "SECRET_KEY", "api_key", "key", "password"]),
       quote=st.sampled_from(["'", '"']))
def test_a_secret_with_slashes_under_a_secrets_name_is_still_hidden(key: str, name: str, quote: str) -> None:
    """An AWS secret access key holds "/" and "+" and no suffix: the data file exception hides none."""
    code = f"{name} = {quote}{key}{quote}"
    assert key not in without_secrets(code)


def with_macros(data: bytes, main: str, old_type: str, new_type: str) -> bytes:
    """The package ``data`` as Word or PowerPoint saves it with macros: its main part's content type the macro-enabled
    one, and a macro project beside it (never read)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in source.infolist():
            blob = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                assert old_type.encode() in blob
                blob = blob.replace(old_type.encode(), new_type.encode())
            package.writestr(info.filename, blob)
        package.writestr(f"{main}/vbaProject.bin", bytes.fromhex("D0CF11E0A1B11AE1") + bytes(512))
    return out.getvalue()


def test_a_report_and_a_deck_with_macros_are_read_as_without(tmp_path: Path) -> None:
    office = "application/vnd.openxmlformats-officedocument."
    docm = with_macros(report(), "word", office + "wordprocessingml.document.main+xml",
                       "application/vnd.ms-word.document.macroEnabled.main+xml")
    pptm = with_macros(deck(), "ppt", office + "presentationml.presentation.main+xml",
                       "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml")
    assert [s.text for s in read_sections(Path("r.docm"), docm)] == [s.text for s in read_sections(Path("r.docx"), report())]
    assert [(s.text, s.page) for s in read_sections(Path("d.pptm"), pptm)] == [("Infiltration\n- Clay drains slowly", 1)]
    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "season.docm").write_bytes(docm)
    (folder / "lecture.pptm").write_bytes(pptm)
    with DocIndex(tmp_path / "store") as index:
        result = index.update(folder)
        assert result.skipped_files == []
        hits = index.search("clay drains slowly", k=1)
    assert hits[0].source == "lecture.pptm" and hits[0].location == "slide 1"

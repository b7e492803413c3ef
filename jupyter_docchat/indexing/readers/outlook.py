"""Outlook's saved messages (.msg: an OLE compound file of MAPI properties; python-oxmsg, the optional "mail" extra),
read as a saved .eml is: one section under "name > Subject", its first line From, To, Cc and Date, then its plain
body, else its HTML body through the HTML reader, else its RTF body, then a line naming its attachments, then the
messages attached to it as Outlook items, read below it.

python-oxmsg (MIT, by python-docx's author, the one ``unstructured`` reads .msg with) rather than extract-msg, which
reads more (embedded messages, RTF de-encapsulation) but is GPL-3.0: docchat is BSD-3-Clause. It gives the plain and
HTML bodies, not the RTF one, which Outlook alone writes in many messages (Outlook's own "Rich Text" format, and a
message whose HTML body a program left out): that one is stored compressed (MS-OXRTFCP), unpacked by
``compressed-rtf`` (MIT), and its text taken by ``striprtf`` (BSD-3-Clause), which reads the RTF's own rendering of an
HTML body (\\fromhtml1) and drops the HTML tags encapsulated beside it, in the code page the RTF names.

Only a file with the OLE signature is Outlook's: ``.msg`` is also the suffix of Tcl's message catalogs, gettext-like
text, and of messages some programs save as plain RFC 5322 text: readers/__init__.py reads those as text or as mail.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jupyter_docchat.indexing.readers.base import UnreadableFile, decode, short_heading
from jupyter_docchat.indexing.readers.clean import clean_text
from jupyter_docchat.indexing.readers.mail import (HEADERS, NO_SUBJECT, attachment_label, header_line, header_text,
                                                   html_text)
from jupyter_docchat.types import HeadingTrail, Section

EXTRA = "needs the mail extra: pip install 'jupyter-docchat[mail]'"
# MAPI property ids (MS-OXPROPS) python-oxmsg reads but gives no name to.
_DISPLAY_TO, _DISPLAY_CC = 0x0E04, 0x0E03
_HTML = 0x1013
_RTF_COMPRESSED = 0x1009
_ATTACH_METHOD = 0x3705
_EMBEDDED_MESSAGE = 5  # ATTACH_EMBEDDED_MSG: a message attached as an Outlook item, not as a file
_EMBEDDED_HEADER = 24
_NESTED = 8  # attached messages read inside one another, at most (as mail.py's forwarded ones)


def read_outlook(path: Path, data: bytes) -> list[Section]:
    """An Outlook .msg's message, one section. Raises UnreadableFile without the extra, or for a file it cannot open."""
    try:
        import olefile
        from oxmsg import Message
    except ImportError as exc:
        raise UnreadableFile(EXTRA) from exc
    try:
        with olefile.OleFileIO(data) as ole:
            if not ole.exists("__properties_version1.0"):
                raise UnreadableFile("an OLE file but no Outlook message (an old Office file named .msg?)")
        message = Message.load(data)
        subject = short_heading(header_text(message.subject)) or NO_SUBJECT
        text = "\n".join(_message_lines(message, 0)).strip("\n")
    except UnreadableFile:
        raise
    except Exception as exc:  # noqa: BLE001 - what a corrupt file makes the parsers raise is theirs to choose
        # olefile and python-oxmsg raise a dozen kinds for a compound file cut short or changed (KeyError for a stream
        # its directory lost, OleFileError, OverflowError, python-oxmsg's own UnrecognizedCodePageError...): each is
        # this file's fault, named as the file's, not as a failure of docchat's reader.
        raise UnreadableFile(f"unreadable .msg ({type(exc).__name__})") from None
    return [Section(text, 1, str(HeadingTrail((short_heading(path.name), subject))))]


def _message_lines(message: Any, depth: int) -> list[str]:
    """A message's header line, body and attachments' names, then the messages attached to it as Outlook items (a
    bounce's original, a forward "as attachment"), each under "Attached message: Subject", as an .eml's forwarded
    messages are read below it."""
    header = header_line(_headers(message))
    lines = [header, ""] if header else []
    lines += _body(message).split("\n")
    names, attached = [], []
    for attachment in message.attachments:
        inner = _embedded(attachment) if attachment.properties.int_prop_value(_ATTACH_METHOD) == _EMBEDDED_MESSAGE \
            else None
        if inner is not None and depth < _NESTED:
            attached.append(inner)
        elif inner is not None:
            names.append("an attached Outlook message (not read: nested too deep)")
        else:
            name = " ".join((attachment.file_name or "").split())
            names.append(attachment_label(name, attachment.mime_type or "application/octet-stream", attachment.size))
    if names:
        lines += ["", "Attachments: " + ", ".join(names)]
    for inner in attached:
        subject = header_text(inner.subject)
        lines += ["", f"Attached message{': ' + subject if subject else ''}", *_message_lines(inner, depth + 1)]
    return lines


def _embedded(attachment: Any) -> Any:
    """The message an attachment holds as an Outlook item (its storage "__substg1.0_3701000D"), None for none. Read
    with python-oxmsg's Message over that storage, whose property stream opens with an embedded message's shorter
    header (MS-OXMSG 2.4.1.2: 24 bytes, not the top message's 32): python-oxmsg reads top messages only."""
    from oxmsg import Message
    from oxmsg.properties import Properties

    class Embedded(Message):
        @property
        def properties(self) -> Properties:
            return Properties(self._storage, properties_header_offset=_EMBEDDED_HEADER)

    storage = next((s for s in attachment._storage.storages if s.name == "__substg1.0_3701000D"), None)
    return Embedded(storage) if storage is not None else None


def _headers(message: Any) -> Iterator[tuple[str, str]]:
    """From, To, Cc and Date as the message's internet headers give them (a message received); from its properties
    when it has none (a draft, one sent from Outlook and saved from Sent Items)."""
    given = message.message_headers  # parsed by email's compat32 parser: the raw text, encoded words and all
    props = message.properties
    own = {"From": message.sender or "", "To": props.str_prop_value(_DISPLAY_TO) or "",
           "Cc": props.str_prop_value(_DISPLAY_CC) or "",
           "Date": message.sent_date.strftime("%a, %d %b %Y %H:%M:%S +0000") if message.sent_date else ""}
    for name in HEADERS:
        value = next((str(v) for k, v in given.items() if k.lower() == name.lower()), "") or own[name]
        yield name, header_text(value) if value else ""


def _body(message: Any) -> str:
    """The plain body, else the HTML body read as a page, else the RTF body's text; "" for none."""
    plain = message.body
    if plain and plain.strip():
        return clean_text(plain.replace("\r\n", "\n"))
    html = _html(message)
    if html and html.strip():
        return html_text(html)
    packed = message.properties.binary_prop_value(_RTF_COMPRESSED)
    return _rtf_text(packed) if packed else ""


def _html(message: Any) -> str:
    """The HTML body in the code page the message names; one whose bytes do not fit it, decoded as a text file is."""
    try:
        return str(message.html_body or "")
    except (UnicodeError, LookupError):
        raw = message.properties.binary_prop_value(_HTML)
        return decode(raw) if raw else ""


def _rtf_text(packed: bytes) -> str:
    from compressed_rtf import decompress
    from striprtf.striprtf import rtf_to_text

    # RTF is 7-bit text: its other characters are escapes (\'e9, \u233) in the code page it names, which striprtf
    # reads; Latin-1 maps the few raw bytes a writer left one to one.
    rtf = decompress(packed).decode("latin-1")
    return "\n".join(line.rstrip() for line in rtf_to_text(rtf, errors="replace").split("\n"))



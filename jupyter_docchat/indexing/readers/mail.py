"""Saved mail: one message (.eml) or a mailbox of them (.mbox), a message a section under "mailbox.mbox > Subject".

Each message's text opens with a short header line (From, To, Cc, Date, as the message writes them, encoded words
decoded), then its text/plain part (the HTML part through the HTML reader when it has none), its other text parts (a
digest's topics, a text file attached: a log, a patch), then a line naming its other attachments. Those are named, not
read: a PDF or a .docx sent along is a document of its own, read by its own reader with its own limits when the user
saves it to the folder; read inside the mail it would be cited as the mail's lines. A forwarded message
(message/rfc822, a digest's messages) is the mail's own text and is read below it.

Quoted replies and signatures: a thread's every reply quotes the message before it, and a mailing list's every message
ends with the same signature and footer. Kept whole, one passage was indexed once per reply, and the five places of an
answer went to copies of it. So text a message repeats from an earlier message of the same mailbox (a run of ">"
lines, a signature below "-- ") is left out, a line saying how much; quoted text not found earlier is kept, as it is
the only copy the folder holds (a single saved reply, or a reply to a message the export lacks).

Cited as "message N" of a mailbox (Hit.location), the message's place in the file, which a mail client shows in the
order the file holds; a chunk's lines are the mailbox's own, from the message's "From " line to its last.

Python's ``email`` (EmailMessage, over compat32's headers: _POLICY) parses each message: charsets, encoded words, transfer encodings, multipart. The
mailbox is cut into messages here, at its "From " lines as RFC 4155 and the ``mailbox`` module's own table of contents
do: ``mailbox.mbox`` opens the file by its name, read again apart from the bytes whose digest and size limit docchat
checked, and holds no progress to tick.
"""

from __future__ import annotations

import bisect
import email
import email.policy
import re
from dataclasses import dataclass, field
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from pathlib import Path
from typing import Iterable, Iterator

from jupyter_docchat.indexing.read_progress import tick
from jupyter_docchat.indexing.readers.base import decode, short_heading
from jupyter_docchat.indexing.readers.clean import clean_text
from jupyter_docchat.indexing.readers.mail_folders import emlx_message, mailbox_name
from jupyter_docchat.types import MAILBOX_SUFFIXES, HeadingTrail, Section

NO_SUBJECT = "(no subject)"
HEADERS = ("From", "To", "Cc", "Date")  # on a message's first line, as given
_HEADER_CHARS = 300  # of each header on the line: a To of 400 addresses is no text to search
# A message's "From " line in a mailbox, after a blank line (or at the file's start): "From " with the sender and the
# date (RFC 4155: asctime's, a clock time in it), over the message's first header field, so a sentence a writer began
# with "From" on a line of its own in a mailbox that did not escape it ("From the committee.", "From here on it is
# body text 0.", "From 2019 to 2021 we ...") starts no message: one did, cited the messages after it a number late
# (the second of a file of two "message 3") and lost its own line (probe 38).
_FROM_LINE = re.compile(rb"^From \S+ +[^\n]*\d:\d\d[^\n]*\n[!-9;-~]+:", re.MULTILINE)
_ESCAPED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)  # mboxrd's escape of a body line starting "From "
_SIGNATURE = {"-- ", "--"}
_SHARE_SEEN = 0.8  # of a quoted run's lines found earlier in the mailbox, for it to be left out as a copy


class _Message(EmailMessage):
    """EmailMessage over compat32's headers: its one test that asks a header object for a field, asked of the text."""

    def is_attachment(self) -> bool:
        return self.get_content_disposition() == "attachment"


# email's own policy for parsing, less its header objects: policy.default parses a structured header again each time
# it is asked (Content-Type eight times a message, 60 % of reading a mailbox); compat32 keeps the header's text, which
# the reader decodes itself (_header), and its messages are EmailMessage's, with get_body and iter_attachments.
_POLICY = email.policy.compat32.clone(message_factory=_Message)
_NESTED = 8  # forwarded messages (and multiparts) read inside one another, at most
# Charsets a mail names for the one its writer's program used, as mail clients and browsers read them (WHATWG's
# Encoding Standard): a message "in ISO-8859-1" from Windows writes its euro sign and curly quotes in cp1252's bytes.
_AS_BROWSERS_READ = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "iso-8859-9": "cp1254",
                     "iso-8859-11": "cp874", "tis-620": "cp874"}
# Labels of a byte a character, which a mail client puts on a text file it attaches without looking at it: a UTF-8
# log or patch sent "charset=iso-8859-1" read "cafÃ© â€”" (probe 38). Bytes that are UTF-8 beyond ASCII are next to
# never such a charset's text ("Ã©" is the only way to write them there), so they are read as UTF-8.
_SINGLE_BYTE = frozenset({"cp1252", "cp1254", "cp874", "windows-1252", "iso-8859-15", "latin9", "iso-8859-2",
                          "cp1250", "windows-1250", "koi8-r", "cp1251", "windows-1251"})
TEXT_PART_BYTES = 1024 * 1024  # a text file attached is read with its message up to this size, named past it


@dataclass
class _Seen:
    """The lines of the mailbox's messages read so far, each as ``_key`` writes it: what a later quote repeats."""

    lines: set[str] = field(default_factory=set)

    def holds(self, lines: list[str]) -> bool:
        keys = [k for k in map(_key, lines) if k]
        return bool(keys) and sum(k in self.lines for k in keys) >= _SHARE_SEEN * len(keys)

    def add(self, lines: list[str]) -> None:
        self.lines.update(k for k in map(_key, lines) if k)


def _depth(line: str) -> int:
    """How deep a line is quoted: the ">" marks before its text (">> >" is three)."""
    return line[:len(line) - len(line.lstrip("> \t"))].count(">")


def _key(line: str) -> str:
    return " ".join(line.lstrip("> \t").split()).lower()


# How a message starts: a header field's name and its colon (RFC 5322: printable ASCII but the colon), or a mailbox's
# "From " line; what a binary file named .eml does not.
_MESSAGE_START = re.compile(rb"\A(?:\s*From |[!-9;-~]+:)")


def looks_like_mail(data: bytes) -> bool:
    return _MESSAGE_START.match(data) is not None


# The fields a message's header block holds one of at least: a text file that starts "Key: value" (a Tcl message
# catalog does not, a YAML or a properties file may) is no message without one.
_MESSAGE_FIELDS = ("from", "to", "subject", "date", "message-id")


def text_message(data: bytes) -> bool:
    """Whether a text file (a .msg some programs save as plain RFC 5322) is a mail message: it opens as one, and its
    header block holds a From, To, Subject, Date or Message-ID."""
    if not looks_like_mail(data):
        return False
    head = data[:64 * 1024].lstrip()
    if head.startswith(b"From "):
        head = head.partition(b"\n")[2]
    headers = email.message_from_bytes(head.partition(b"\n\n")[0].partition(b"\r\n\r\n")[0], policy=_POLICY)
    return any(key.lower() in _MESSAGE_FIELDS for key in headers.keys())


def read_mail(path: Path, data: bytes) -> list[Section]:
    """An .eml's message or an .mbox's messages, a section each."""
    return (read_mailbox if path.suffix.lower() in MAILBOX_SUFFIXES else read_message)(path, data)


def read_message(path: Path, data: bytes) -> list[Section]:
    """A message saved alone (an .eml, a Maildir's file), cited by its lines."""
    return [_section(short_heading(path.name), data, None, (1, 1, data.rstrip().count(b"\n") + 1), _Seen())]


def read_emlx(path: Path, data: bytes) -> list[Section]:
    """Apple Mail's message file (.emlx; readers/mail_folders.py): its message, cited by the file's lines, without the
    length above it and the property list below it."""
    found = emlx_message(data)
    if found is None:
        return read_message(path, data)
    message, first = found
    last = first + message.rstrip().count(b"\n")
    return [_section(short_heading(path.name), message, None, (first, first, last), _Seen())]


def read_mailbox(path: Path, data: bytes) -> list[Section]:
    """A mailbox's messages (an .mbox, a Thunderbird folder), a section each, cited "message N"."""
    name = short_heading(mailbox_name(path))
    seen = _Seen()
    spans = list(_messages(data))
    sections = []
    line = 1
    last_end = 0
    for number, (start, end) in enumerate(spans, 1):
        line += data.count(b"\n", last_end, start)
        last_end = start
        raw = data[start:end]
        if not _expunged(raw):
            from_line = raw.startswith(b"From ")  # the mailbox's, not the message's
            body = raw.partition(b"\n")[2] if from_line else raw
            lines = raw.rstrip().count(b"\n")  # to its last line of text, not the blank line before the next
            span = (line, line + from_line, line + lines)
            sections.append(_section(name, _ESCAPED_FROM.sub(rb"\1", body), number, span, seen))
        tick(number, len(spans), "messages")
    return [s for s in sections if s.text.strip()]


# Thunderbird's flags of a message in its folder's mbox, four hex digits; 0x0008 is MSG_FLAG_EXPUNGED: the user deleted
# it, and Thunderbird leaves its bytes in the file until the folder is next compacted. A mail client no longer shows it.
_MOZILLA_STATUS = re.compile(rb"^X-Mozilla-Status: *([0-9A-Fa-f]{1,4})[ \t]*\r?$", re.MULTILINE)
_EXPUNGED = 0x0008


# Gmail's export (Google Takeout) is one mailbox of all the mail, "All mail Including Spam and Trash.mbox": each
# message's labels in X-Gmail-Labels (folded over lines when many, a label with a comma quoted), its system labels
# named in English whatever the account's language. A message in Trash or Spam is one a mail folder of them holds
# (skips.MAIL_BIN): it was indexed and answered from as the user's mail (probe 40).
_GMAIL_LABELS = re.compile(rb"^X-Gmail-Labels:([^\n]*(?:\n[ \t][^\n]*)*)", re.MULTILINE | re.IGNORECASE)
_GMAIL_BINS = {"trash", "spam"}


def _expunged(raw: bytes) -> bool:
    """Whether a mailbox's message is one Thunderbird marks deleted (its header block's X-Mozilla-Status), or one in
    Gmail's Trash or Spam (its X-Gmail-Labels)."""
    head = raw[:min((at for at in (raw.find(b"\n\n"), raw.find(b"\n\r\n")) if at >= 0), default=len(raw))]
    status = _MOZILLA_STATUS.search(head)
    if status is not None and bool(int(status.group(1), 16) & _EXPUNGED):
        return True
    labels = _GMAIL_LABELS.search(head)
    return labels is not None and any(
        label.strip().strip('"').strip().lower() in _GMAIL_BINS
        for label in labels.group(1).decode("utf-8", "replace").split(","))


def _messages(data: bytes) -> Iterator[tuple[int, int]]:
    """The start and end of each message of a mailbox: at each "From " line after a blank line or at the top."""
    starts = [m.start() for m in _FROM_LINE.finditer(data)
              if m.start() == 0 or data.endswith(b"\n\n", 0, m.start()) or data.endswith(b"\n\r\n", 0, m.start())]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)  # text above the first "From " line (a mailbox without one is a message)
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(data)
        if data[start:end].strip():
            yield start, end


def _section(name: str, raw: bytes, number: int | None, span: tuple[int, int, int], seen: _Seen) -> Section:
    """The message ``raw`` as a section; ``span``: the file lines of its first line (a mailbox's "From " line, which
    ``raw`` is without), of ``raw``'s first and of its last."""
    first, top, last = span
    message = email.message_from_bytes(raw, policy=_POLICY)
    subject = short_heading(_header(message, "Subject")) or NO_SUBJECT
    text = "\n".join(_message_lines(message, seen, 0)).strip("\n")
    line_map = _file_lines(text.split("\n"), raw, top, first, last)
    return Section(text, 1, str(HeadingTrail((name, subject))), page=number, line_map=line_map)


def _file_lines(lines: list[str], raw: bytes, top: int, first: int, last: int) -> tuple[int, ...]:
    """The file line of each of ``lines``: the next line of the message's source that reads the same, after the one
    found for the line above (a quoted-printable or base64 body's lines, an HTML part's, stay at the line above: the
    source writes them otherwise); the message's first line for its header, its last for the last line."""
    where: dict[str, list[int]] = {}
    for n, source in enumerate(raw.decode("utf-8", "replace").split("\n")):
        key = " ".join(source.split())
        if key:
            where.setdefault(key, []).append(top + n)
    at, out = first, []
    for line in lines:
        numbers = where.get(" ".join(line.split()))
        if numbers:
            after = bisect.bisect_right(numbers, at)
            if after < len(numbers):
                at = numbers[after]
        out.append(at)
    if out:
        out[-1] = max(last, out[-1])
    return tuple(out)


# A message whose text is encrypted (S/MIME's enveloped data, OpenPGP/MIME) or packed inside its signature (S/MIME's
# opaque signed data): its parts are ciphertext a mail client opens with the reader's key. It read as its header line
# alone (S/MIME) or as blank lines over "Attachments: unnamed (application/pgp-encrypted, 10 bytes)" (OpenPGP), a
# message that seemed to hold nothing (probe 40).
_SMIME = "(S/MIME message: its text is encrypted or packed in its signature, and not read)"
_SEALED = {"application/pkcs7-mime": _SMIME, "application/x-pkcs7-mime": _SMIME,
           "multipart/encrypted": "(OpenPGP message: its text is encrypted, and not read)"}


def _message_lines(message: Message, seen: _Seen, depth: int) -> list[str]:
    header = header_line((h, _header(message, h)) for h in HEADERS)
    lines = [header, ""] if header else []
    sealed = _SEALED.get(message.get_content_type())
    if sealed:
        return lines + [sealed]
    body = _body(message)
    own = _trimmed(body.split("\n"), seen)
    lines += own
    seen.add(own)
    parts = _Parts()
    if isinstance(message, EmailMessage):
        try:
            # A message that is all a forwarded one (message/rfc822 at its top) has no body and no attachments
            top: Iterator[Message] = iter([message]) if message.get_content_type() == "message/rfc822" \
                else message.iter_attachments()
            parts.walk(top, 0)
        except (TypeError, KeyError, ValueError, LookupError):
            pass  # a multipart email cannot take apart: its body is read, its other parts not
    for text in parts.texts:
        lines += [""] + text
    if parts.names:
        lines += ["", "Attachments: " + ", ".join(parts.names)]
    for inner in parts.forwarded[:_NESTED - depth]:
        subject = _header(inner, "Subject")
        lines += ["", f"Forwarded message{': ' + subject if subject else ''}"] + _message_lines(inner, seen, depth + 1)
    return lines


def header_line(fields: Iterable[tuple[str, str]]) -> str:
    """A message's header line, "From: ... | To: ... | Date: ...", of the fields given a value."""
    return " | ".join(f"{name}: {value}" for name, value in fields if value)


def _header(message: Message, name: str) -> str:
    """A header as the message writes it, encoded words decoded, on one line; "" when missing. Read from its raw text
    rather than as email's policy parses it: an address's comment is its sender's name in a list archive's export
    ("vondruch at redhat.com (=?ISO-8859-2?Q?V=EDt_Ondruch?=)"), which the parsed address leaves out."""
    raw = next((value for key, value in _raw_items(message) if key.lower() == name.lower()), None)
    return "" if raw is None else header_text(raw)


def header_text(raw: str) -> str:
    """A header's raw text read as a mail client shows it: encoded words decoded, on one line, cut at _HEADER_CHARS."""
    try:
        text = str(make_header(decode_header(raw)))
    except (LookupError, UnicodeError, ValueError, HeaderParseError):
        text = raw  # an encoded word in a charset Python lacks, or broken: as written
    text = " ".join(decode(text.encode("utf-8", "surrogateescape")).split())
    return text if len(text) <= _HEADER_CHARS else text[:_HEADER_CHARS - 1] + "…"


def _raw_items(message: Message) -> list[tuple[str, str]]:
    raw_items = getattr(message, "raw_items", None)
    return [(str(k), str(v)) for k, v in raw_items()] if raw_items else [(str(k), str(v)) for k, v in message.items()]


def _body(message: Message) -> str:
    """The message's text: its plain part, else its HTML part read as a page, else "" (attachments only)."""
    try:
        part = message.get_body(preferencelist=("plain", "html")) if isinstance(message, EmailMessage) else None
    except (TypeError, KeyError, ValueError, LookupError, AttributeError):
        part = None  # a structure email cannot take apart: the message is its headers and named parts
    if part is None and message.get_content_maintype() == "multipart" and not message.is_multipart():
        # A multipart whose boundary email cannot find (a Content-Type cut short, a boundary its parts never use) is
        # one text to email: read as written, as a mail client shows it. It was the message's header line alone.
        return _content(message)
    if part is None:
        return ""
    text = _content(part)
    return html_text(text) if part.get_content_subtype() == "html" else text


def html_text(markup: str) -> str:
    """A mail's HTML body read as a page by the HTML reader, its sections a blank line apart."""
    from jupyter_docchat.indexing.readers.html import html_sections

    return "\n\n".join(s.text for s in html_sections(markup) if s.text.strip())


def _content(part: Message) -> str:
    """A text part decoded by the charset it names; one naming none (8-bit text sent without a Content-Type, which
    email reads as ASCII), one Python does not know or one whose bytes it does not fit is decoded as a text file is
    (UTF-8, else cp1252)."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset()
    charset = _AS_BROWSERS_READ.get(charset or "", charset)
    if charset in _SINGLE_BYTE and _utf8_beyond_ascii(payload):
        return decode(payload)  # a UTF-8 file attached under the mail client's default label (module doc)
    if charset and charset not in ("us-ascii", "ascii"):
        try:
            # Cleaned as ``decode`` cleans, less the byte-order mark its UTF-8 reading drops (a part in UTF-16 names
            # it in its bytes, and Python's "utf-16" takes it off itself).
            return clean_text(payload.decode(charset).removeprefix("\ufeff"))
        except (LookupError, UnicodeError, ValueError):
            pass
    return decode(payload)


def _utf8_beyond_ascii(payload: bytes) -> bool:
    if payload.isascii():
        return False
    try:
        payload.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _trimmed(lines: list[str], seen: _Seen) -> list[str]:
    """``lines`` less what repeats an earlier message of the mailbox: quoted runs and the signature (module doc)."""
    out: list[str] = []
    n = 0
    while n < len(lines):
        line = lines[n]
        if line.startswith(">"):
            # A run at one depth: a reply quoting a reply holds the earlier message at ">>" below the one it answers
            # at ">"; the first may be in the mailbox when the second is not.
            end, depth = n + 1, _depth(line)
            while end < len(lines) and lines[end].startswith(">") and _depth(lines[end]) == depth:
                end += 1
            run = lines[n:end]
            if seen.holds(run):
                out.append(f"[{len(run)} quoted line{'s' if len(run) != 1 else ''} of an earlier message left out]")
            else:
                out += run
            n = end
            continue
        if line in _SIGNATURE and seen.holds(lines[n + 1:]):
            break  # a signature (and list footer) as an earlier message ended with
        out.append(line)
        n += 1
    return out


@dataclass
class _Parts:
    """A message's parts besides its body: attachments by name, text parts read, forwarded messages."""

    names: list[str] = field(default_factory=list)
    texts: list[list[str]] = field(default_factory=list)
    forwarded: list[Message] = field(default_factory=list)

    def walk(self, parts: Iterator[Message], depth: int) -> None:
        for part in parts:
            kind = part.get_content_type()
            if kind == "message/rfc822":
                inner = part.get_payload()
                self.forwarded += [m for m in (inner if isinstance(inner, list) else [inner]) if isinstance(m, Message)]
            elif kind == "message/delivery-status":
                self.texts.append(_delivery_status(part))
            elif part.is_multipart():  # a digest, an alternative inside a mixed message: its parts are the message's
                if depth < _NESTED:
                    self.walk(iter(part.get_payload()), depth + 1)  # type: ignore[arg-type]
            elif kind in ("text/plain", "text/html") and self._readable(part):
                name = self._name(part)
                text = _content(part)
                if kind == "text/html":
                    text = html_text(text)
                if text.strip():
                    self.texts.append(([f"Attachment {name}:"] if name else []) + text.strip("\n").split("\n"))
            else:
                payload = part.get_payload(decode=True)
                self.names.append(attachment_label(self._name(part), kind, len(payload) if isinstance(payload, bytes) else 0))

    @staticmethod
    def _name(part: Message) -> str:
        try:
            filename = part.get_filename()
        except (TypeError, ValueError, LookupError):
            filename = None
        return " ".join(decode(filename.encode("utf-8", "surrogateescape")).split()) if filename else ""

    @staticmethod
    def _readable(part: Message) -> bool:
        """A text part read with the message: one sent inline (a digest's topics, a list's footer) or a text file
        attached (a log, a patch, the page of an error) up to TEXT_PART_BYTES; a page of HTML attached is named."""
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes) or len(payload) > TEXT_PART_BYTES:
            return False
        return part.get_content_disposition() != "attachment" or part.get_content_type() == "text/plain"


def _delivery_status(part: Message) -> list[str]:
    """A bounce's report (RFC 3464): its fields, each line once. email parses its blocks (one for the message, one for
    each recipient) as messages of headers without a body, which were read as nothing: a bounce's Diagnostic-Code, the
    remote server's reason ("550 5.7.1 Message content rejected ... BANNED: auto__mail.python.bat"), was lost, and a
    bounce to forty recipients repeats the same Action, Status and reason forty times."""
    blocks = part.get_payload()
    lines: list[str] = []
    seen: set[str] = set()
    for block in blocks if isinstance(blocks, list) else []:
        for key, value in _raw_items(block) if isinstance(block, Message) else []:
            line = f"{key}: {header_text(value)}"
            if line not in seen:
                seen.add(line)
                lines.append(line)
    return lines


def attachment_label(name: str, kind: str, size: int) -> str:
    """How a message's attachment is named in its "Attachments:" line: "report.pdf (application/pdf, 12 kB)"."""
    return f"{name or 'unnamed'} ({kind}{', ' + _size(size) if size else ''})"


def _size(n: int) -> str:
    return f"{n} bytes" if n < 1024 else f"{n / 1024:.0f} kB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"

"""Mail kept by a mail program in folders of its own, whose files have no suffix to say what they are, known by their
structure and their content instead of their names:

- a Maildir (Dovecot, Postfix, mutt, offlineimap, mbsync): a folder of cur/, new/ and tmp/, one message a file in cur/
  and new/ (named "1733580000.M1P2.host:2,S": the time, a unique part, the host and the message's flags), each read as
  a saved .eml and cited by its file; tmp/ holds messages still being delivered, half written, and is named, not read;
  its other folders are Maildirs inside it, hidden (Maildir++: ".Sent/cur/"), which the scan walks;
- a Thunderbird (or SeaMonkey) profile's folders: an mbox file named as the folder ("Inbox", "Sent"), its
  subfolders in "Inbox.sbd/", read as an .mbox and cited "message N"; beside each an "Inbox.msf", Thunderbird's index
  of the folder in Mork, a database of its summary lines (the mbox holds every message whole): named, not read. A
  folder's name may hold a dot ("Project.2024", "v1.2"): its index beside it tells it is a folder, not its name.

- an Apple Mail export: a folder of mail is a bundle, "Inbox.mbox/", of an "mbox" file (read as an .mbox, its
  messages under the bundle's name: every one was "mbox > Subject"), its "Info.plist" and "table_of_contents", Apple
  Mail's own records of it, named as its index in one reason (each was "unsupported type"); in Apple Mail's own
  folders (~/Library/Mail) the bundle holds a message a file, "123.emlx" (".partial.emlx" without its attachments):
  the message's length in bytes on the first line, the message, then an XML property list of its flags. Read as
  the message, cited by the file's lines; every one was "unsupported type".

A folder procmail or mutt keeps is an mbox file named as the user chose, a dot in it often ("lists.python"): a file
whose name's end is no format's and that opens as an mbox is one (a git patch, which opens so too, is not).

A file without a suffix was "unsupported type", and so was every Maildir message whose host name has no dot.
"""

from __future__ import annotations

import re
from pathlib import Path

MAILDIR_FOLDERS = ("cur", "new", "tmp")
# A Maildir message's flags follow ":2," in its name, in ASCII order (D draft, F flagged, P passed, R replied, S seen, T
# trashed): T is a message the user deleted, which a mail client hides until it expunges the folder.
TRASHED = "deleted (Maildir T flag)"
MORK_INDEX = "Thunderbird index (Mork .msf)"
APPLE_MAIL_INDEX = "Apple Mail mailbox index"
_APPLE_BUNDLE, _APPLE_MBOX = ".mbox", "mbox"
_APPLE_RECORDS = ("Info.plist", "table_of_contents")
BEING_DELIVERED = "Maildir tmp/ (being delivered)"
# The first line of an mbox (RFC 4155): "From " the sender and a date (its digits), then a header field on the next.
_MBOX_START = re.compile(rb"\AFrom \S+ +[^\n]*\d[^\n]*\r?\n[!-9;-~]+:")
# Mork's first line, in every version Thunderbird writes (1.4) and Netscape wrote before it.
_MORK = re.compile(rb"\A//\s*<!--\s*<mdb:mork")


def in_maildir(path: Path) -> str:
    """"cur", "new" or "tmp" for a file of a Maildir's one of those folders (its parent holds all three); else ""."""
    folder = path.parent
    if folder.name not in MAILDIR_FOLDERS:
        return ""
    return folder.name if _maildir(folder.parent) else ""


def _maildir(folder: Path) -> bool:
    return all((folder / name).is_dir() for name in MAILDIR_FOLDERS)


def maildir_folder(folder: Path) -> bool:
    """Whether a hidden folder is a Maildir++ folder (Dovecot's, Courier's: "~/Maildir/.Sent", ".Lists.python"): a
    Maildir itself, in a Maildir. Every hidden folder is left out of a scan, and so was all mail but the inbox."""
    return folder.name.startswith(".") and _maildir(folder) and _maildir(folder.parent)


def thunderbird_folder(path: Path) -> bool:
    """Whether a file has Thunderbird's index beside it ("Project.2024" beside "Project.2024.msf"): a folder of mail
    whatever its name ends with. A folder named with a dot was "unsupported type", its name's end taken for a suffix."""
    try:
        return path.with_name(path.name + ".msf").is_file()
    except (OSError, ValueError):  # a name too long to add to, or no name at all
        return False


def mbox_start(data: bytes) -> bool:
    """Whether ``data`` opens as an mbox: a "From " line, then a header field."""
    return _MBOX_START.match(data) is not None


# git format-patch's "From " line: the commit and a date fixed in git's code, the same in every patch. A patch series
# is a mailbox to git am, and no mail to read: its files stay what they were ("unsupported type").
_GIT_PATCH = re.compile(rb"\AFrom [0-9a-f]{40} Mon Sep 17 00:00:00 2001\r?\n")


def git_patch(data: bytes) -> bool:
    return _GIT_PATCH.match(data) is not None


def mork_index(data: bytes) -> bool:
    return _MORK.match(data) is not None


def trashed(path: Path) -> bool:
    """Whether a Maildir message's name flags it trashed (":2,ST")."""
    info = path.name.rpartition(":2,")
    return bool(info[1]) and "T" in info[2]


def apple_bundle(folder: Path) -> bool:
    """Whether a folder is an Apple Mail mailbox: "Inbox.mbox/" holding its "mbox" file (an export) or its Info.plist
    (Apple Mail's own)."""
    try:
        return folder.name.lower().endswith(_APPLE_BUNDLE) and any((folder / name).is_file()
                                                                   for name in (_APPLE_MBOX, _APPLE_RECORDS[0]))
    except OSError:
        return False


EMLX_SUFFIX = ".emlx"
# An .emlx's first line: the message's length in bytes, alone (spaces around it), then the message.
_EMLX_START = re.compile(rb"\A[ \t]*(\d{1,12})[ \t]*\r?\n")


def emlx_message(data: bytes) -> tuple[bytes, int] | None:
    """The message an .emlx holds and the file line it starts on; None when its first line is no length."""
    start = _EMLX_START.match(data)
    if start is None:
        return None
    return data[start.end():start.end() + int(start.group(1))], 2


def apple_record(path: Path) -> bool:
    """Whether a file is Apple Mail's record of the bundle it is in (its Info.plist, its table of contents)."""
    return path.name in _APPLE_RECORDS and apple_bundle(path.parent)


def mailbox_name(path: Path) -> str:
    """The name a mailbox's messages are headed by: the file's, or an Apple Mail bundle's ("Inbox" for
    "Inbox.mbox/mbox")."""
    if path.name == _APPLE_MBOX and path.parent.name.lower().endswith(_APPLE_BUNDLE) and \
            len(path.parent.name) > len(_APPLE_BUNDLE):
        return path.parent.name[:-len(_APPLE_BUNDLE)]
    return path.name

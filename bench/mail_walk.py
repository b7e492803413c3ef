"""Walk 35: a folder of saved mail and transcripts, made from real text that packages ship, asked 17 questions a user
would ask of them, offline (the extractive answer, no model).

    python bench/mail_walk.py make [--folder ~/.cache/docchat-bench/mail]
    python bench/mail_walk.py ask [--folder ...]        # index it in a fresh store, ask each question, print the answers

Mail: HyperKitty's test messages (its sdist: a Fedora packaging list's thread exported as a mailbox, encoded names and
subjects in ISO-8859-1 and UTF-8; a Mailman developers' message in a charset its bytes are not; Mailman 3 list
messages with a signature and a text file attached; a Fedora list message with a vCard and the list's footer), and
CPython's email test messages (its test suite: a Mailman digest, a delivery failure, messages with an image or a
bitmap attached, a forwarded message) as .eml files and a mailbox. Transcripts: pycaption's Einstein captions (SubRip
and WebVTT), webvtt-py's samples (youtube-dl's rolling captions, karaoke timestamps, a Netflix WebVTT in Spanish), and
pysrt's French film subtitles (UTF-8, and the same in cp1252: a copy). The questions were written before the folder
was first indexed (walk 35).

Mail38 adds what a user's mail folder also holds, and six questions written before the first run: Outlook .msg files
(msg-parser's sdist test messages, BSD: a delivery failure in Chinese and English whose bodies are plain and RTF, a
newsletter with ten attachments, one message embedding another), a Maildir (cur/, new/, tmp/; HyperKitty's Mailman 3
installation message with a text file attached, and more of its test messages) and a Thunderbird profile's folders
(mbox files without a suffix, "Inbox" and "Inbox.sbd/Bounces", beside their Mork .msf indexes; CPython's bounces).
"""

from __future__ import annotations

import ast
import subprocess
import sys
import sysconfig
import tarfile
from pathlib import Path

DOWNLOADS = Path.home() / ".cache/docchat-bench/downloads"
sys.path.insert(0, str(Path(__file__).parent))
import walk_ask  # noqa: E402

FOLDER = Path.home() / ".cache/docchat-bench/mail"
SDISTS = {"hyperkitty": "1.3.12", "pycaption": "2.3.14", "pysrt": "1.1.2", "webvtt-py": "0.6.0", "msg-parser": "1.2.0"}
EMAIL_DATA = Path(sysconfig.get_paths()["stdlib"]) / "test/test_email/data"

MAILDIR_INSTALL = "Maildir/cur/1717000000.M1P101.mailhost:2,S"
# (question, words the answer must hold to be right, the file it should cite)
QUESTIONS = [
    ("What did Vít Ondruch propose about RPM macros?", ["standardize"], "fedora-packaging.mbox"),
    ("Where are Perl's RPM macros kept?", ["perl-srpm-macros"], "fedora-packaging.mbox"),
    ("What does FHS stand for?", ["Filesystem Hierarchy Standard"], "fedora-packaging.mbox"),
    ("What would cross-compiling the QEMU bios roms require?", ["binutils"], "fedora-packaging.mbox"),
    ("Is it OK to build GTKada from generated Ada code?", ["generated"], "fedora-packaging.mbox"),
    ("Who sent the questionnaire for open source testing to Mailman?", ["Luyin"], "mailman-questionnaire.eml"),
    ("What Django version was in the Mailman 3 installation error?", ["1.8.12"], "mm3-installation.eml"),
    ("Where is the new Mailman 3 users list running?", ["lists.mailman3.org"], "mm3-announce.eml"),
    ("Why could the message to jangel1 not be delivered?", ["disk quota"], "delivery-failed.eml"),
    ("What were the topics of the Ppp digest?", ["testing #1"], "ppp-digest.eml"),
    ("What did gil attach to the gradle message?", ["puntogil.vcf"], "gradle.eml"),
    ("What image was attached to the dingus fish message?", ["dingusfish.gif"], "python-email-samples.mbox"),
    ("What file did Father Time attach in the IMAP file test?", ["clock.bmp"], "python-email-samples.mbox"),
    ("What is E equals m c-squared all about, according to the Einstein video?", ["eternal Einstein"], "einstein.srt"),
    ("Quand le présentateur local régnait-il en maître ?", ["avant l'existence du câble"], "anchorman-fr.srt"),
    ("¿Qué eran las mujeres en 1928?", ["adornos"], "chicas-del-cable.vtt"),
    ("What is it when the moon hits your eye like a big pizza pie?", ["amore"], "amore.vtt"),
    # mail38: Outlook .msg, Maildir and Thunderbird folders (written before the first run)
    ("Why could the mail to hp_lsz@tjdpf.org.cn not be delivered?", ["locked"], "undeliverable-tjdpf.msg"),
    ("What is Nokia Health called now?", ["Withings"], "withings-newsletter.msg"),
    ("Which Ubuntu version was Mailman 3 being installed on?", ["14.04"], MAILDIR_INSTALL),
    ("What does 5-1-2 mean in the vote counts?", ["abstentions"], MAILDIR_INSTALL),
    ("How many hops did the returned mail to scoffman take?", ["19"], "Thunderbird/Local Folders/Inbox"),
    ("Which file name was banned by the XS4ALL virus scanner?", ["auto__mail.python.bat"],
     "Thunderbird/Local Folders/Inbox.sbd/Bounces"),
]


def sdist(name: str) -> Path:
    """The sdist's tarball in the bench's downloads (pip downloads it there the first time)."""
    version = SDISTS[name]
    found = sorted(DOWNLOADS.glob(f"{name.replace('-', '_')}-{version}.tar.gz")) or \
        sorted(DOWNLOADS.glob(f"{name}-{version}.tar.gz"))
    if not found:
        DOWNLOADS.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-d",
                        str(DOWNLOADS), f"{name}=={version}"], check=True)
        return sdist(name)
    return found[0]


def member(name: str, path: str) -> bytes:
    with tarfile.open(sdist(name)) as archive:
        for info in archive.getmembers():
            if info.name.split("/", 1)[-1] == path:
                stream = archive.extractfile(info)
                assert stream is not None
                return stream.read()
    raise SystemExit(f"{path} is not in {sdist(name).name}")


def fixture(name: str, path: str, function: str) -> str:
    """The string a pytest fixture of the sdist returns (pycaption's samples are fixtures)."""
    tree = ast.parse(member(name, path))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == function:
            value = ast.literal_eval(next(n for n in ast.walk(node) if isinstance(n, ast.Return)).value)
            assert isinstance(value, str)
            return value
    raise SystemExit(f"no fixture {function} in {path}")


# The first lines of a Mork index as Thunderbird writes one beside each folder (its rows: the folder's summary lines).
MORK = b'// <!-- <mdb:mork:z v="1.4"/> -->\n< <(a=c)> // (f=iso-8859-1)\n  (B8=subject)(B9=sender)>\n'


def mailbox_of(messages: list[bytes], sender: bytes = b"walk35@example.org") -> bytes:
    """Messages as one mailbox, each under its "From " line (mboxrd: a body line starting "From " escaped); Thunderbird
    writes "From - " and the date."""
    out = []
    for n, message in enumerate(messages):
        body = b"\n".join(b">" + line if line.lstrip(b">").startswith(b"From ") else line
                          for line in message.replace(b"\r\n", b"\n").rstrip(b"\n").split(b"\n"))
        out.append(b"From %s Mon Jan  1 00:%02d:00 2001\n" % (sender, n) + body + b"\n\n")
    return b"".join(out)


def _unenveloped(path: Path) -> bytes:
    """A saved message without the "From " line of the mailbox it was cut from: Thunderbird writes its own."""
    data = path.read_bytes()
    return data.partition(b"\n")[2] if data.startswith(b"From ") else data


def make(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    testdata = "hyperkitty/tests/testdata"
    files = {
        "fedora-packaging.mbox": member("hyperkitty", f"{testdata}/non-ascii-headers.txt"),
        "mailman-questionnaire.eml": member("hyperkitty", f"{testdata}/another-wrong-encoding.txt"),
        "mm3-announce.eml": member("hyperkitty", f"{testdata}/attachment-2.txt"),
        "mm3-installation.eml": member("hyperkitty", f"{testdata}/attachment-3.txt"),
        "gradle.eml": member("hyperkitty", f"{testdata}/attachment-1.txt"),
        "ppp-digest.eml": (EMAIL_DATA / "msg_02.txt").read_bytes(),
        "delivery-failed.eml": (EMAIL_DATA / "msg_16.txt").read_bytes(),
        "python-email-samples.mbox": mailbox_of([(EMAIL_DATA / f"msg_{n}.txt").read_bytes()
                                                 for n in ("06", "07", "26", "32", "33", "36")]),
        "einstein.srt": fixture("pycaption", "tests/fixtures/srt.py", "sample_srt").encode(),
        "einstein.vtt": fixture("pycaption", "tests/fixtures/webvtt.py", "sample_webvtt").encode(),
        "anchorman-fr.srt": member("pysrt", "tests/static/utf-8.srt"),
        "anchorman-fr-cp1252.srt": member("pysrt", "tests/static/windows-1252.srt"),
        "chicas-del-cable.vtt": member("webvtt-py", "tests/samples/netflix_chicas_del_cable.vtt"),
        "youtube-captions.vtt": member("webvtt-py", "tests/samples/youtube_dl.vtt"),
        "amore.vtt": member("webvtt-py", "tests/samples/cue_tags.vtt"),
    }
    msgs = "tests/files"
    files |= {
        "undeliverable-tjdpf.msg": member("msg-parser", f"{msgs}/other.msg"),
        "withings-newsletter.msg": member("msg-parser", f"{msgs}/complete.msg"),
        "outer.msg": member("msg-parser", f"{msgs}/outer.msg"),
        # A Maildir: one message a file, named as a delivery agent names them; tmp/'s is half delivered.
        MAILDIR_INSTALL: member("hyperkitty", f"{testdata}/attachment-4.txt"),
        "Maildir/cur/1717000100.M2P102.mailhost:2,RS": member("hyperkitty", f"{testdata}/strange-in-reply-to-header.txt"),
        "Maildir/new/1717000200.M3P103.mailhost": member("hyperkitty", f"{testdata}/resent-date.txt"),
        "Maildir/tmp/1717000300.M4P104.mailhost": member("hyperkitty", f"{testdata}/bad-subject-header.txt")[:120],
        # A Thunderbird profile's local folders: mbox files without a suffix, a subfolder in Inbox.sbd/, Mork indexes.
        "Thunderbird/Local Folders/Inbox": mailbox_of([_unenveloped(EMAIL_DATA / f"msg_{n}.txt")
                                                       for n in ("25", "14")], sender=b"-"),
        "Thunderbird/Local Folders/Inbox.msf": MORK,
        "Thunderbird/Local Folders/Inbox.sbd/Bounces": mailbox_of([_unenveloped(EMAIL_DATA / "msg_43.txt")],
                                                                  sender=b"-"),
        "Thunderbird/Local Folders/Inbox.sbd/Bounces.msf": MORK,
    }
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    print(f"{len(files)} files in {folder}")


if __name__ == "__main__":
    walk_ask.main(__doc__, FOLDER, make, QUESTIONS)

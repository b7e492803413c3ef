"""Keys given with no secret's name and no service's prefix, found by how they read and where they are written: a string
that reads as a key wherever it is (``Client("...")``, ``Github("...")``, ``Auth.Token("...")``, ``x == "..."``,
``hmac.compare_digest(sig, "...")``), a word fed to a command's input by a here-string (``vault login - <<< ...``) or
alone on a heredoc's line (``passwd <<EOF``), and a .pgpass line's password. Each was quoted whole by ``%ask
--notebook`` (forms keys33 left): only a name or a known prefix was looked for.

Without a name to say so, only the value's look tells a key from an identifier, so the bar is high (``reads_as_key``):
a run of 20 letters and digits at least, digits and letters both, that is no digest and no identifier made of words.
"""

from __future__ import annotations

import re

from jupyter_docchat.checked_ids import checked_id
from jupyter_docchat.safe_text import has_key_run

_RUN = re.compile(r"[A-Za-z0-9]{12,}")


def random_run(value: str) -> bool:
    """Whether a value holds a key's run: twelve letters and digits at least, a digit among them (not a name:
    "sk-learn-tutorial-for-beginners", "hf_hub_download"). The bar where a name or a place says a secret goes."""
    return any(any(ch.isdigit() for ch in run) for run in _RUN.findall(value))


_TOKEN = re.compile(r"[A-Za-z0-9+/_.~=-]{20,}")
# A digest or an id written in hex, either case (a commit, an md5 a notebook checks a download against, a GPG key's
# fingerprint): a key in hex (an old GitHub token) is hidden only under a secret's name, as a notebook compares digests
# far more often than it writes a key in hex.
_HEX = re.compile(r"[0-9a-f]+|[0-9A-F]+")
# A subresource integrity's "sha384-...", and the ids a model's API gives its objects (a tool call's "call_...", a
# completion's "chatcmpl-...", Anthropic's "msg_..." and "toolu_..."): a notebook of an LLM application prints them in
# every response's repr, and none is a credential. Of the 13,610 .py files of the packages installed here, 21 held a
# string that read as a key, 17 without these ids: OAuth's and base64's samples, test data, images in base64.
_NOT_A_KEY_PREFIX = re.compile(r"(?i:sha(?:1|224|256|384|512)|md5)-|(?:call|chatcmpl|asst|thread|run|msg|step|file|batch|"
                               r"vs|resp|ftjob|toolu|req|msgbatch)[_-]")
# An identifier made of words: camel case (RemovedInDjango20Warning, PBKDF2SHA1PasswordHasher) or runs of one case's
# letters (resnet50v2imagenet224). A random key has few such runs: a mixed-case one of 20 characters has them for
# 60% of its letters and digits 6 times in 100, a lowercase one 16 times in 100 (keys34's simulation).
_MIXED_WORDS = re.compile(r"[A-Z]?[a-z]{3,}|[A-Z]{3,}")
_ONE_CASE_WORDS = re.compile(r"[a-z]{5,}|[A-Z]{5,}")
WORDY = 0.6
# An image in base64, as a notebook writes a small one inline (an icon's SVG, a PNG, a GIF pixel): its format's
# signature encoded, which no key begins with. Base64 of an SVG ("PHN2Zy...", "<svg") read as a key (probe 34).
_IMAGE_BASE64 = ("iVBORw0KGgo", "R0lGODdh", "R0lGODlh", "/9j/", "UklGR", "PHN2Zy", "PD94bWwg", "AAABAA")


def reads_as_key(value: str) -> bool:
    """Whether ``value``, written with no secret's name, reads as a key: one token of key characters, 20 at least,
    holding a run of letters and digits that reads as one (``has_key_run``), no hex digest, no sample (written in
    sequence: "abcdefghjk...23456789", an alphabet for random strings; or mostly one character) and no identifier
    made of words."""
    if not _TOKEN.fullmatch(value) or not has_key_run(value) or _HEX.fullmatch(value) or _NOT_A_KEY_PREFIX.match(value):
        return False
    if value.startswith(_IMAGE_BASE64) or checked_id(value):  # a Bitcoin address, an IPFS content id (probe 35)
        return False
    if _in_sequence(value) or max(map(value.count, set(value))) > len(value) / 4:
        return False  # a sample's: written in order, or mostly one character ("0x0000...dEaD", "AAAA...")
    return not wordy(value)


def wordy(value: str) -> bool:
    """Whether ``value`` is an identifier made of words: most of its letters and digits in runs of one case's letters
    (camel case's words when it mixes cases)."""
    alnum = sum(ch.isalnum() for ch in value)
    mixed = any(ch.islower() for ch in value) and any(ch.isupper() for ch in value)
    words = (_MIXED_WORDS if mixed else _ONE_CASE_WORDS).findall(value)
    return sum(map(len, words)) >= WORDY * alnum


def _in_sequence(value: str, length: int = 5) -> bool:
    """Whether ``value`` has ``length`` characters in a row each one past the last ("abcde", "34567"): a sample's."""
    row = 1
    for before, ch in zip(value, value[1:]):
        row = row + 1 if ord(ch) == ord(before) + 1 and ch.isalnum() else 1
        if row >= length:
            return True
    return False


# A string in code, output or Markdown (quotes or backticks): the value alone between them.
_QUOTED = re.compile(r"""(['"`])(?P<value>[A-Za-z0-9+/_.~=-]{20,})\1""")
# A here-string: what follows "<<<" is a command's input, where a password or a token goes (vault login -, a
# --password-stdin login, passwd --stdin).
_HERE_STRING = re.compile(r"""(?<!<)<<<[ \t]*(['"]?)(?P<value>[^\s'"]{8,})\1""")
# A heredoc's opening ("<<EOF", "<<-'END'", not a here-string) and a line of its body that is one word alone: what a
# command reads from its input (mysql's or passwd's password); the lines holding a name and a value are other rules'.
# Its word quoted or in capitals, as heredocs are written: Python's "bits << shift" opens none.
_HEREDOC = re.compile(r"""(?<!<)<<-?[ \t]*(?:(['"])(?P<quoted>\w{1,32})\1|(?P<word>[A-Z_][A-Z0-9_]{0,31})(?![\w(]))""")
_LINES = re.compile(r"\\n|\n")  # In holds a %%bash cell as one string of the magic, its line breaks written "\n"
# A password's characters only: a heredoc writing a script has lone lines of code ("main2024entrypoint()").
_LONE_WORD = re.compile(r"""[ \t]*(['"]?)(?P<value>[A-Za-z0-9+/_.~=!@#$%^&*-]{8,})\1[ \t]*""")
# A .pgpass line: host:port:database:user:password (a "*" for any of the first four), alone on a line or in a string.
_PGPASS = re.compile(r"""(?:^|(?<=['"\s]))[\w.*-]{1,253}:(?:\d{1,5}|\*):[\w.*-]{1,63}:[\w.*@-]{1,63}:(?P<value>[^\s:'"]{8,})""",
                     re.M)


# A string given to a name that says it is an id ("id=", "file_id = ", "'id': ", "SPREADSHEET_ID = ", "folderId: ") or
# to gspread's open_by_key: a Google Drive file's or a sheet's id ("1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms",
# Google's own quickstart), which reads as a key and is none: gdown.download(id=...) and the Sheets API's samples were
# answered with "(not shown)" (probe 34). A name that also says secret ("secret_id", "token_id", "api_key_id") is hidden
# by its name (key_guard), not here. Not a comparison ("x.id == '...'"), where a key is checked.
_NAMED_AN_ID = re.compile(r"""(?:(?<![\w])|(?<=_))(?:id|ID|Id)['"]?[ \t]*[:=][ \t]*$|(?<=[a-z0-9])Id['"]?[ \t]*[:=][ \t]*$"""
                          r"""|\bopen_by_key\([ \t]*$""")
_BEFORE = 80  # characters looked at before a string for the name it is given to


def _named_an_id(code: str, start: int) -> bool:
    """Whether the string quoted at ``start`` in ``code`` is given to a name that says it is an id."""
    return _NAMED_AN_ID.search(code, max(0, start - _BEFORE), start) is not None


def bare_key_values(code: str) -> set[str]:
    """The keys ``code`` gives with no name (this module's forms): a string that reads as a key anywhere but given to an
    id; a here-string's word, a heredoc's lone word and a .pgpass line's password when they hold a key's run
    (``random_run``)."""
    values = {m["value"] for m in _QUOTED.finditer(code)
              if reads_as_key(m["value"]) and not _named_an_id(code, m.start())}
    if "<<" in code:
        values |= {m["value"] for m in _HERE_STRING.finditer(code) if random_run(m["value"])}
        values |= _heredoc_words(code)
    if ":" in code:
        values |= {m["value"] for m in _PGPASS.finditer(code) if random_run(m["value"])}
    return values


def _heredoc_words(code: str) -> set[str]:
    """The words alone on a line of a heredoc's body that hold a key's run. One pass over the lines: the body runs to
    the line that is the opening's word alone (tabs before it for "<<-")."""
    values: set[str] = set()
    end = None
    for line in _LINES.split(code):
        if end is not None:
            if line.strip() == end:
                end = None
            elif (lone := _LONE_WORD.fullmatch(line)) and random_run(lone["value"]):
                values.add(lone["value"])
        elif "<<" in line and (opening := _HEREDOC.search(line)):
            end = opening["quoted"] or opening["word"]
    return values

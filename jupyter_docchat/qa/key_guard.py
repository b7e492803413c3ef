"""Whether a text holds one of the configured secrets, so it is never sent to a model or shown.

The secrets are the API key, the Chroma server token and any password in the model's or the
server's URL, as configured and as the environment holds them (a cell may read either). A secret
counts when written whole, split over lines or string literals (``"sk-" \\n "abc"``, a repr's
``\\n``), or, for a long one, as any run of about two blocks of it (``K[10:40]``): texts and secrets
are compared by their letters and digits alone.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from dataclasses import replace
from typing import Any, Callable, Iterable, Mapping, TypeVar
from urllib.parse import urlsplit

from jupyter_docchat.qa.bare_keys import bare_key_values, random_run, reads_as_key, wordy
from jupyter_docchat.safe_text import name_on_one_line, path_secrets, url_password, url_secrets
from jupyter_docchat.settings import Settings
from jupyter_docchat.table_text import cells_of, is_delimiter, is_table_line
from jupyter_docchat.types import Hit

T = TypeVar("T")
BLOCK = 12  # a long secret is looked for as blocks of this many letters and digits
# Fewer letters and digits than this would be found in ordinary words once punctuation is dropped: such a
# secret counts only written exactly, as a whole token ("pw1234" is not in "pw12345").
MIN_LETTERS = 10
# A short secret that is a word ("EMPTY", "none", "ollama", "lm-studio") is what a local server takes in place
# of a key, not a credential, and documents about that server name it: it withholds nothing.
_WORD = re.compile(r"[A-Za-z]+(?:[-_][A-Za-z]+)*")
_NOT_LETTERS = re.compile(r"\\(?:[nrtfvab]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})|[\W_]+")
_NOT_ALNUM = re.compile(r"[\W_]+")
SECRET_ENVIRON = ("OPENAI_API_KEY", "DOCCHAT_CHROMA_TOKEN")
URL_ENVIRON = ("OPENAI_BASE_URL", "DOCCHAT_CHROMA_URL")


def letters(text: str) -> str:
    """``text``'s letters and digits, once the backslash escapes a repr writes are dropped."""
    return _NOT_LETTERS.sub("", text)


# What a one-line message says in place of itself when it holds a secret written some other way than whole.
HIDDEN_MESSAGE = "(a message naming the configured API key or server token, not shown)"


class KeyGuard:
    def __init__(self, secrets: Iterable[str]) -> None:
        self._exact: list[re.Pattern[str]] = []
        self._blocks: list[str] = []
        self._whole: list[str] = []  # the long secrets as configured, to mask where written whole
        for secret in dict.fromkeys(s for s in secrets if s):
            plain = letters(secret)
            # a key pasted with a space or line break around it is the same key: the exact match would need them
            secret = secret.strip()
            if not secret:
                continue
            if len(plain) >= MIN_LETTERS:
                self._whole.append(secret)
            if len(plain) < MIN_LETTERS:
                if not _WORD.fullmatch(secret):
                    # A whole token: no letter or digit (any script's) runs on from the key's own letter or digit
                    # ends. An end that is punctuation needs no bound: "-pw12-" is whole in "x-pw12-y".
                    before = r"(?<![^\W_])" if secret[0].isalnum() else ""
                    after = r"(?![^\W_])" if secret[-1].isalnum() else ""
                    self._exact.append(re.compile(before + re.escape(secret) + after))
            elif len(plain) < 2 * BLOCK:
                self._blocks.append(plain)
            else:  # any run of 2 * BLOCK - 1 letters of it holds a whole block (the last one ends the secret)
                self._blocks += [plain[i:i + BLOCK] for i in range(0, len(plain) - BLOCK + 1, BLOCK)] + [plain[-BLOCK:]]

    @classmethod
    def of(cls, settings: Settings, environ: Mapping[str, str] = os.environ) -> "KeyGuard":
        """The secrets of ``settings`` and of the environment."""
        urls = [settings.base_url, settings.server, *(environ.get(name, "") for name in URL_ENVIRON)]
        return cls([settings.api_key, settings.server_token, *(environ.get(name, "") for name in SECRET_ENVIRON),
                    *(secret for url in urls for secret in url_secrets(url))])

    @classmethod
    def of_environ(cls, environ: Mapping[str, str] = os.environ, also: Iterable[str] = ()) -> "KeyGuard":
        """The environment's secrets (and ``also``'s) alone: where no settings could be made (a bad setting is the error)."""
        return cls([*also, *(environ.get(name, "") for name in SECRET_ENVIRON),
                    *(secret for name in URL_ENVIRON for secret in url_secrets(environ.get(name, "")))])

    def masked(self, text: str) -> str:
        """``text`` (a one-line message: an error, a folder's path in a status or a notice) with each secret
        written whole as ``***``; a text that still holds one (escaped, cut by punctuation) is not shown at all.
        A folder or store path holding the key was named whole by the errors, the status and answers."""
        for secret in self._whole:
            text = text.replace(secret, "***")
        for pattern in self._exact:
            text = pattern.sub("***", text)
        return HIDDEN_MESSAGE if self.holds(text) else text

    @property
    def splittable(self) -> bool:
        """Whether a secret could be cut between texts and be found so (a short one counts only whole)."""
        return bool(self._blocks)

    def __bool__(self) -> bool:
        return bool(self._exact or self._blocks)

    def holds(self, text: str, short: bool = True) -> bool:
        """Whether ``text`` holds a secret; without ``short``, only a secret of MIN_LETTERS or more: a short one
        may well be typed in a question by chance."""
        if short and any(secret.search(text) for secret in self._exact):
            return True
        if not self._blocks:
            return False
        plain = letters(text)
        # and as written, no escape dropped: a key after a real backslash (C:\keys\abc...) lost its first letters
        # to the "\a" dropped as a repr's escape
        raw = _NOT_ALNUM.sub("", text)
        return any(block in plain or block in raw for block in self._blocks)

    def holds_record(self, record: Mapping[str, Any]) -> bool:
        """Whether a record (a history turn's dict: question, answer, sources, model) holds a secret anywhere in it."""
        return self.holds(json.dumps(record, ensure_ascii=False))

    def split_between(self, texts: list[str]) -> set[int]:
        """The positions of the texts that hold a secret between them: one ends inside it and another begins
        with the rest (a chunk cut inside a key with no overlap to hold it whole), or, when the chunks are tiny,
        a chain of them does (the head of the key, chunks that are nothing but its middle, its tail). Quoted or
        sent together, they would show it, though none holds it alone."""
        if not self._blocks or len(texts) < 2:
            return set()
        plains = [letters(t) for t in texts]
        found: set[int] = set()
        for block in self._blocks:
            found |= _chained(block, plains)
        return found

    def withhold(self, items: list[T], text: Callable[[T], str], label: Callable[[T], str],
                 body: Callable[[T], str] | None = None) -> tuple[list[T], list[str]]:
        """(the items whose text holds no secret, the labels of the others). With ``body`` (the part of an
        item's text that runs on in another item, a chunk's own text), two items holding a secret between
        them are both left out."""
        if not self:
            return items, []
        split = self.split_between([body(item) for item in items]) if body is not None else set()
        kept, left_out = [], []
        for n, item in enumerate(items):
            if n in split or self.holds(text(item)):
                left_out.append(label(item))
            else:
                kept.append(item)
        return kept, left_out


def _chained(block: str, plains: list[str]) -> set[int]:
    """The texts that spell ``block`` between them and hold it no other way: one ends with its first letters
    (up to a cut), any number are wholly letters of its middle, one begins with the rest. Pairs alone missed a key
    cut three ways (a chunk of a few letters of it between the two that hold its ends)."""
    size = len(block)
    starts = {i: {n for n, p in enumerate(plains) if p.endswith(block[:i])} for i in range(1, size)}
    ends = {i: {n for n, p in enumerate(plains) if p.startswith(block[i:])} for i in range(1, size)}
    middles = [(n, i, i + len(p)) for n, p in enumerate(plains) if 0 < len(p) < size - 1
               for i in range(1, size - len(p)) if block.startswith(p, i)]
    reached = {i for i in starts if starts[i]}  # cuts a chain from a head can reach
    for _ in range(size):
        reached |= {b for _, a, b in middles if a in reached}
    finishing = {i for i in ends if ends[i]}  # cuts from which a chain can reach a tail
    for _ in range(size):
        finishing |= {a for _, a, b in middles if b in finishing}
    found: set[int] = set()
    for i in range(1, size):
        via_middle = any(a == i and b in finishing for _, a, b in middles)
        came_by_middle = any(b == i and a in reached for _, a, b in middles)
        for n in starts[i]:  # a text is no pair with itself: its own tail and head are not side by side
            if via_middle or ends[i] - {n}:
                found.add(n)
        for n in ends[i]:
            if came_by_middle or starts[i] - {n}:
                found.add(n)
    found |= {n for n, a, b in middles if a in reached and b in finishing}
    return found


def shown_of(hit: Hit) -> str:
    """What of a source (a ``Hit``) reaches a model, an answer, the history or a search's output: its file
    name, heading and text, and its whole path (a retriever's metadata and ``docchat search --json`` carry it: a
    folder named after a key showed it there)."""
    return f"{hit.source}\n{hit.heading}\n{hit.text}\n{hit.path}"


def withhold_hits(guard: KeyGuard, hits: list[Hit],
                  file_chunks: Callable[[str], list[Hit]] | None = None) -> tuple[list[Hit], list[str]]:
    """(the hits holding no secret, a label of each other: its file and lines, "a source" for a file whose
    name holds one). With ``file_chunks`` (a source's chunks in its file's order), a hit that holds a key between
    it and another chunk of its file is left out too, though that chunk was not found this time."""
    def label(h: Hit) -> str:
        return f"{'a source' if guard.holds(h.source) else name_on_one_line(h.source)} ({h.location})"

    cut = cut_in_files(guard, hits, file_chunks) if file_chunks is not None else set()
    kept, left_out = guard.withhold([h for h in hits if h.id not in cut], shown_of, label, body=_own_text)
    return [_secrets_not_shown(h) for h in kept], [label(h) for h in hits if h.id in cut] + left_out


def _secrets_not_shown(hit: Hit) -> Hit:
    """``hit`` with the values its text gives to a secret's name, and the keys it writes with no name, written
    NOT_SHOWN, as a notebook's cells are: a folder's ``.env``, a config or a note holding ``aws_secret_access_key =
    ...`` was quoted by answers, sent to the model and kept in a saved chat or a notebook's output (probe 35). The
    store keeps the document as written (it is the index of the user's own files, on their disk)."""
    if hit.origin != "document":
        return hit  # a variable's description is the kernel's, guarded where it is written (qa/variables.py)
    text = without_secrets(hit.text)
    return hit if text == hit.text else replace(hit, text=text)


def _own_text(hit: Hit) -> str:
    """The text of a hit that a key cut between it and another runs through: a chunk's text, or a variable's
    description without its first line ("b: str of 8 characters", this package's words): a key whose head ended a
    document's chunk and whose tail was a variable's value went to the model whole, in two sources."""
    return hit.text.split("\n", 1)[-1] if hit.origin == "variable" else hit.text


def cut_in_files(guard: KeyGuard, hits: list[Hit], file_chunks: Callable[[str], list[Hit]]) -> set[str]:
    """The ids of the hits that hold a key between them and other chunks of their file. Looking only among the
    hits found together missed a key cut between two chunks found by two searches or two questions: each was
    shown (printed, kept in a saved history) alone, and the two together spelt the key."""
    if not guard.splittable:
        return set()
    ids = {h.id for h in hits}
    cut: set[str] = set()
    for source in dict.fromkeys(h.source for h in hits if h.origin == "document"):
        chunks = file_chunks(source)
        # Only the chunks near a hit: a chain spelling a block has fewer pieces than the block has letters (a
        # whole file of thousands of chunks took a third of a second a search for a long key).
        near = sorted({m for n, c in enumerate(chunks) if c.id in ids
                       for m in range(max(n - 2 * BLOCK, 0), min(n + 2 * BLOCK + 1, len(chunks)))})
        cut |= {chunks[near[n]].id for n in guard.split_between([chunks[m].text for m in near])} & ids
    return cut


def left_out_notice(labels: list[str]) -> str:
    """The note naming the sources left out because they hold a secret."""
    return ("left out of the sources, as they hold the configured API key or server token: "
            + ", ".join(dict.fromkeys(labels)))


# A string a cell (or a text: --with a settings file read into a str) gives to a name that says it holds a secret
# (api_key="sk-...", os.environ["ANTHROPIC_API_KEY"] = "...", {"password": "..."}, setdefault("HF_TOKEN", "...")), or
# a %env, an export or a .env file's line of one (OPENAI_API_KEY=sk-...): not shown, as --with does not show a dict's
# item so named. A key set in a cell before docchat's own was configured, or another service's, was quoted
# whole by %ask --notebook, and sent to the model (probe 27). A value with a space in it, or of fewer than 8
# characters, or without a digit unless it is long, is a name's or a sentence's, not a secret's (sort_values(key="total")).
# Not a word going on past it in lower case (keyboard, keyword, tokenizer, secretary): apiKey, KEY_ID, keys are.
# Nor a name that says it holds something about the secret, not the secret: a count or a limit before it (max_tokens,
# n_tokens), a kind of thing after it (key_columns, token_count, key_path, password_length): "a1,b2,c3" given to
# key_columns, or a path given to key_file, was hidden as a key, and --with refused such a name (probe 28).
_ABOUT_AFTER = (r"(?![-_]?(?:cols?|columns?|counts?|len|length|size|types?|names?|patterns?|regex|fields?|index|"
                r"limits?|files?|paths?|dirs?|urls?|format|servers?)(?![a-z]))")
# A key that orders, joins or finds rows is no secret (sort_key, primary_key, partition_key, cache_key; probe 30).
# A count's short words only as a name's whole first part: "n_" ended aws_session_token, "min_" admin_password, and
# their secrets were taken for counts (probe 32).
# The first letter of a secret's name looked at before the lookbehinds: each pattern tried them all at every
# character of a text, and they took a third of its time (probe 37 added nine).
_ABOUT_BEFORE = (r"(?=[kKtTsSpPcCaA])(?<!(?<![a-z])max_)(?<!(?<![a-z])min_)(?<!(?<![a-z])num_)(?<!(?<![a-z])n_)(?<!total_)(?<!max)(?<!num)"
                 r"(?<!sort_)(?<!primary_)(?<!foreign_)(?<!partition_)(?<!cache_)(?<!lookup_)(?<!join_)(?<!group_)"
                 r"(?<!dict_)(?<!row_)(?<!sort)"
                 # A public key is no secret, nor a key an OpenPGP option names by its id or fingerprint (gpg's
                 # --recv-keys, --search-keys, --edit-key, --default-key): a release's signing key to import was "(not
                 # shown)" in an answer about verifying a download (probe 37).
                 r"(?<!public)(?<!public[_-])(?<!publishable[_-])(?<!recv-)(?<!search-)(?<!edit-)(?<!lsign-)"
                 r"(?<!default-)(?<!trusted-)")
# "key" ends a word that names no key (monkey, hockey, turkey, whiskey: their strings were hidden, probe 29 and 30):
# it starts a word, a camelCase part (apiKey), or follows a word that makes a key's name run together (apikey).
_KEY_WORD = (r"(?:(?<![a-z])|(?-i:(?<=[a-z])(?=K))|(?<=api)|(?<=access)|(?<=secret)|(?<=private)|(?<=auth)"
             r"|(?<=master)|(?<=client)|(?<=app)|(?<=license)|(?<=sign)|(?<=signing)|(?<=encryption)|(?<=session)|(?<=ssh)|(?<=priv)"
             r"|(?<=my)|(?<=hmac)|(?<=jwt)|(?<=gpg)|(?<=pgp)|(?<=aes))key")
_SECRET_NAME = (_ABOUT_BEFORE + r"(?:" + _KEY_WORD + r"|token|secret|password|passwd|passphrase|credential|authorization)"
                r"(?-i:(?![a-rt-z]))" + _ABOUT_AFTER)
_NAMED_SECRET = re.compile(_SECRET_NAME, re.I)


def secret_word(name: str) -> str | None:
    """The word of ``name`` that says it holds a secret (``_SECRET_NAME``), in lower case; None when none does."""
    found = _NAMED_SECRET.search(name)
    return found[0].lower() if found else None


# The string's prefix may be an f-string's (f"sk-..." was shown whole, probe 28), and it may open a list, a tuple or
# parentheses around a literal split over lines; a walrus gives it too.
_SECRET_LITERAL = re.compile(
    _SECRET_NAME + r"""\w{0,64}['"]{0,3}\]?\s*(?::\s*[\w.\[\]]{1,80}\s*)?(?::=|=|:|,)\s*[\[(]?\s*[rbufRBUF]{0,3}("""  # the name, what gives it the string
    + r'''"""|'''  # a string in three quotes
    + r"""'''|'|")(?:(?:Bearer|Basic|Token)\s+)?(?P<value>\S*?)\1""", re.I)  # a header's scheme is no secret
# The strings after the first (which may be short: "sk-" + "..."): the rest of a list (tokens = ["...", "..."]), the
# second line of a literal split over two ("sk-..." "..."), a concatenation. Not a dict's next key (a string followed
# by ":").
_MORE_LITERALS = re.compile(r"""\s*[,+]?\s*[rbufRBUF]{0,3}("{3}|'{3}|'|")(?P<value>\S{8,}?)\1(?!\s*:)""")
# A YAML, TOML-less or INI-like line in a string ("  api_key: sk-..."), also after a written "\n" in a one-line string.
# A header's name may run on with hyphens ("X-API-Key: ...", an HTTP request written in a cell's string; probe 29).
_SECRET_YAML = re.compile(r"""(?:^|(?<=\\n))[ \t]*(?:-[ \t]+)?['"]?[\w-]{0,64}""" + _SECRET_NAME
                          + r"""[\w-]{0,64}['"]?[ \t]*:[ \t]+(['"]?)(?P<value>[^\s'"#,}][^\s'",}]{7,})\1""", re.I | re.M)
# A value may hold "#" (YAML's comment begins at " #"): "password: Xk9#mQ2v..." was shown (probe 35).
# A string that opens with a secret's name and its value ('token=...', "password: ..."): an item of a list or a dict's
# value, as --with shows them (probe 28).
_SECRET_IN_STRING = re.compile(r"""(?<=['"])[ \t]*\w{0,64}""" + _SECRET_NAME
                               + r"""\w{0,64}[ \t]*[:=][ \t]*(?P<value>[^\s'"#,}]{8,})""", re.I)
# A URL's query ("?api_key=..."), and the password in a URL's user part ("https://user:pw@host").
_SECRET_QUERY = re.compile(r"[?&;]\w{0,64}" + _SECRET_NAME + r"\w{0,64}=(?P<value>[^\s&#'\"]{8,})", re.I)
_URL = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]{0,31}://[^\s'\"<>]+")
# A bearer token, whatever the name it is given to (headers = {"Authorization": f"Bearer {token}"} beside it).
_BEARER = re.compile(r"\bBearer\s+(?P<value>[\w.~+/-]{8,}=*)")
# A string a service's key starts with, whatever the name it is given to, or none ("sk-...", passed to OpenAI() as its
# first argument): OpenAI's and Anthropic's, GitHub's, Hugging Face's, Slack's, AWS's key ids, Google's, GitLab's,
# Stripe's secret keys (probe 29).
_PREFIXED_KEY = re.compile(r"(?<![\w-])(?P<value>(?:sk-|sk_(?:live|test)_|rk_(?:live|test)_|gh[pousr]_|github_pat_|hf_|"
                           r"xox[abprs]-|AKIA|ASIA|AIza|glpat-|npm_|pypi-AgE)[A-Za-z0-9_-]{16,}"
                           # SendGrid's key and a JSON web token (a signed session or API token), dots between their parts
                           r"|SG\.[\w-]{16,}\.[\w-]{16,}|eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,})")
# A private key's armoured block (an "!cat ~/.ssh/id_rsa" cell's output, a key pasted into a string, "gpg
# --export-secret-keys --armor"'s output): its body, between its opening and end lines. PGP's "PRIVATE KEY BLOCK" was
# shown, as was a PEM block without its end line (keys34).
_PRIVATE_KEY_BEGIN = re.compile(r"-----BEGIN [A-Z ]{0,40}PRIVATE KEY(?: BLOCK)?-----")
_PRIVATE_KEY_END = re.compile(r"-----END [A-Z ]{0,40}PRIVATE KEY(?: BLOCK)?-----")
# A line of a block's body: base64, or a header (Proc-Type: 4,ENCRYPTED; DEK-Info: ...; PGP's Version: ..., "=" checksum).
_ARMOUR_LINE = re.compile(r"[A-Za-z0-9+/=]+|[A-Za-z-]{1,32}: [^\n]{0,200}")
# A secret's name given a bare value: what a cell printed ("token=...", an INI file's "password = ..." under "!cat",
# a log line) and a connection string's "password=..." (probe 30). Bare, a value is Python's name or expression
# in a cell's code (key=itemgetter(1)): only one holding a key's run (random_run) is taken.
# The name is matched whole and then looked at (secret_word): a secret's name inside the pattern, between two runs of
# name characters, tried every split of a long name ("key-key-key...": the cube of its length).
_SECRET_PAIR = re.compile(r"""(?<![\w.-])(?P<name>[\w-]+)['"]?[ \t]*[=:][ \t]*"""
                          r"(?P<value>[A-Za-z0-9+/_.~-]{12,}={0,2})(?![\w(\[])")
# A string given to a secret's name through a call or a fallback on the same line (api_key = getpass() or "...",
# os.getenv("X", "..."), bytes.fromhex("..."), a value after a backslash's line break): any string there holding a
# key's run (probe 29 left them).
# A type annotation of a bounded length: scanned to the line's end for an "=", a line of "key: key: ..." took the square.
_SECRET_STATEMENT = re.compile(_SECRET_NAME + r"""\w{0,64}['"]?\]?[ \t]*(?::[^=\n]{1,80})?=(?!=)(?P<rest>(?:[^\n\\]|\\[\s\S])*)""",
                               re.I)
# A command line's user and password (curl -u user:password, --user), whatever the name around it; an option named
# for a secret (huggingface-cli login --token ..., --password ...), and a key given to a "login" command as its argument
# (wandb login ...); %env's "NAME VALUE" form, as In holds it (probe 30).
_USER_OPTION = re.compile(r"""(?:^|\s)(?:-u[ \t=]*|--user[ \t=]+)['"]?[^\s:'"]+:(?P<value>[^\s'"]{8,})""")
_SECRET_OPTION = re.compile(r"""(?:^|(?<=[\s'"]))--?(?P<name>[\w-]+)(?:=|[ \t]+)(['"]?)(?P<value>[^\s'"-][^\s'"]{7,})\2""")
# (and to a login call: huggingface_hub.login("..."), probe 31).
_LOGIN_ARGUMENT = re.compile(r"""(?<![A-Za-z0-9])login(?:[ \t]+|\(\s*(?:token\s*=\s*)?[rbufRBUF]{0,3}['"])(?P<value>[A-Za-z0-9_.~+/-]{20,})(?![\w.~+/-])""")
# A secret's name and its value in a sentence or a message, the value after a space, "is", "was" or a quote: "Your API
# key is ...", "ApiKey ...", "invalid token '...'", "Incorrect API key provided: ..." (what a cell printed, an error's
# line; probe 31). Only a value
# holding a key's run (random_run): "the token is valid", "key 42" are words.
_SECRET_SENTENCE = re.compile(r"""(?<![\w.-])(?P<name>[\w-]{1,64})[ \t]+(?:(?:is|was|of)[ \t]+|[A-Za-z]{1,32}:[ \t]+)?"""
                              r"""(?:['"‘“`][ \t]*)?"""
                              r"(?P<value>[A-Za-z0-9+/_.~-]{12,}={0,2})(?![\w(\[])")
# The short names of a password (pw, pwd, pass, db_pw, MYSQL_PWD) given a string or a bare value: not in
# _SECRET_NAME, where --with would refuse every variable so named (pwd = os.getcwd()); only a value holding a key's
# run is taken (probe 31).
_SHORT_PASSWORD = re.compile(r"""(?<![A-Za-z0-9])(?i:pw|pwd|pass)(?![A-Za-z0-9])['"]?\]?[ \t]*(?::=|=|:)[ \t]*"""
                             r"""[rbufRBUF]{0,3}(['"]?)(?P<value>[A-Za-z0-9+/_.~!?@#$%^&*-]{8,})\1""")
# A password given on a command line as a tool takes it: mysql's and mysqldump's -pPASSWORD (no space), sshpass -p ...
# Quoted too (-p'...', as a shell line quotes a password holding a $), -p after a registry login (docker login -u me
# -p ...), and zip's and unzip's -P (probe 32).
_PASSWORD_OPTION = re.compile(r"""(?:(?:(?<=\s)|^)-p|\bsshpass[ \t]+-p[ \t]*|\blogin\b[^\n|;&]*?[ \t]-p[ \t]+"""
                              r"""|\b(?:un)?zip\b[^\n|;&]*?[ \t]-P[ \t]*)(['"]?)(?P<value>[^\s'"-][^\s'"]{7,})\1""", re.M)
# A password a tool takes under an option of its own, after the tool's name in the same command: redis-cli's -a and
# --pass, ssh-keygen's -N (a new key's passphrase), openssl's -k; a secret echoed into a --password-stdin login; rclone's
# and a bare "pass VALUE" (probe 32 found them quoted whole). Read a command (a line's part between | ; &) at a time:
# a pattern running on from the tool's name to the line's end took the square of a line naming it again and again.
_COMMAND = re.compile(r"[^\n|;&]+")
# Each tool's name, then its option anywhere after it (searched once from the tool's first name in the command).
_TOOL_OPTIONS = {tool: (re.compile(r"(?<![\w-])" + re.escape(tool) + r"(?![\w-])"),
                        re.compile(r"""[ \t](?:""" + option + r""")(?:[ \t]+|(?=['"]))(['"]?)(?P<value>[^\s'"-][^\s'"]{7,})\1"""))
                 for tool, option in (("redis-cli", "-a|--pass"), ("ssh-keygen", "-N"), ("openssl", "-k"))}
_ECHOED = re.compile(r"""(?<![\w-])(?:echo|printf)(?:[ \t]+-[neE]{1,3})?(?:[ \t]+(['"])%s[^'"\n]{0,4}\1)?[ \t]+"""
                     r"""(['"]?)(?P<value>[^\s'"|;&]{8,})\2[ \t]*\|""")
_PASS_WORD = re.compile(r"""(?<![\w.-])pass[ \t]+(['"]?)(?P<value>[^\s'"#][^\s'"]{7,})\1""")
# A string compared with a secret's name (if token == "...", "..." != os.environ["API_KEY"]): the name is read whole
# and then looked at, as _SECRET_PAIR's is.
_NAME_OPERAND = r"""[\w.]{1,128}(?:\[[^\]\n]{1,64}\])?"""
_COMPARED = re.compile(r"""(?<![\w.])(?P<name>""" + _NAME_OPERAND + r""")[ \t]*[!=]=[ \t]*[rbufRBUF]{0,3}(['"])(?P<value>[^'"\s]{8,})\2"""
                       r"""|(?<![\w'"])[rbufRBUF]{0,3}(['"])(?P<left>[^'"\s]{8,})\4[ \t]*[!=]=[ \t]*(?P<right>""" + _NAME_OPERAND + ")")
_ENV_MAGIC = re.compile(r"""run_line_magic\(['"](?:env|set_env)['"],\s*['"][ \t]*(?P<name>\w+)[ \t]+(?P<value>[^\s'"=]{8,})""")
_STRING_VALUE = re.compile(r"""(["'])(?P<value>[^"'\s]{8,})\1""")
# The password of a pair given to an authentication ("auth=(user, password)", HTTPBasicAuth(user, password),
# keyring.set_password(service, user, password)), and the values of a dict given to a secret's name
# (secrets = {"openai": "..."}): no name of a secret beside the string itself (probe 29).
_STRING = r"""[rbufRBUF]{0,3}(?:"[^"\n]*"|'[^'\n]*')"""
_AUTH_PAIR = re.compile(r"(?:\bauth\w{0,64}\s*=\s*\(|\b\w{0,64}Auth\(|\bset_password\(\s*" + _STRING + r"\s*,)\s*" + _STRING
                        + r"""\s*,\s*[rbufRBUF]{0,3}(["'])(?P<value>[^"'\s]{8,})\1""")
_SECRET_DICT = re.compile(_SECRET_NAME + r"""\w{0,64}['"]?\s*(?::\s*[\w.\[\], ]{1,80}\s*)?(?:=|:)\s*(?:dict\(\s*)?\{(?P<items>[^{}]*)\}""",
                          re.I)
_DICT_VALUE = re.compile(r""":\s*[rbufRBUF]{0,3}(["'])(?P<value>[^"'\s]{8,})\1""")
_SECRET_ENV = re.compile(r"""(?:^|(?<=['"])|(?<=\\n))[ \t]*(?:%env[ \t]+|!?[ \t]*export[ \t]+)\w{0,64}""" + _SECRET_NAME
                         + r"""\w{0,64}(?:[ \t]*=[ \t]*|[ \t]+)(['"]?)(?P<value>[^\s'"]{8,})\1""", re.I | re.M)
# A .env line, also inside a string ("OPENAI_API_KEY=sk-..." in a list or after a written "\n").
_SECRET_DOTENV = re.compile(r"""(?:^|(?<=['"])|(?<=\\n))[ \t]*[A-Z0-9_]{0,64}(?<!PUBLIC_)(?<!PUBLISHABLE_)(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL)"""
                            r"""[A-Z0-9_]{0,64}[ \t]*=[ \t]*(['"]?)(?P<value>[^\s'"]{8,})\1""", re.M)
NOT_SHOWN = "(not shown)"


# Any of the names a secret is given to: a cell without one (most cells) is looked at by no pattern that needs one.
_ANY_NAME = re.compile(r"key|token|secret|passw|passphrase|credential|authorization", re.I)


def secret_values(code: str) -> set[str]:
    """The strings ``code`` gives to names that say they hold a secret (_SECRET_LITERAL, _SECRET_ENV, _SECRET_DOTENV,
    _SECRET_YAML, _SECRET_IN_STRING, _SECRET_QUERY), a URL's password and a Bearer token, and the keys it gives with no
    name (bare_keys: a string that reads as a key, a here-string's or a heredoc's word, a .pgpass password)."""
    values: set[str] = set()
    named = _ANY_NAME.search(code) is not None  # a secret's name in the text: most hits hold none
    if named:
        values |= {m["value"] for pattern in (_SECRET_LITERAL, _SECRET_ENV, _SECRET_DOTENV, _SECRET_YAML, _SECRET_QUERY,
                                              _SECRET_IN_STRING) for m in pattern.finditer(code)}
        for m in _SECRET_LITERAL.finditer(code):
            at = m.end()
            while more := _MORE_LITERALS.match(code, at):
                values.add(more["value"])
                at = more.end()
        values |= {m["value"] for m in _AUTH_PAIR.finditer(code)}
        values |= {m["value"] for d in _SECRET_DICT.finditer(code) for m in _DICT_VALUE.finditer(d["items"])}
        values |= {m["value"] for m in _SECRET_PAIR.finditer(code) if random_run(m["value"]) and secret_word(m["name"])}
        values |= _sentence_values(code)
        if "|" in code:
            values |= _table_values(code)
        values |= {m["value"] for pattern in (_SECRET_OPTION, _ENV_MAGIC) for m in pattern.finditer(code)
                   if secret_word(m["name"])}
        values |= {m["value"] for s in _SECRET_STATEMENT.finditer(code) for m in _STRING_VALUE.finditer(s["rest"])
                   if random_run(m["value"])}
    elif "Auth(" in code or "auth=" in code:
        values |= {m["value"] for m in _AUTH_PAIR.finditer(code)}
    values |= {m["value"] for m in _PREFIXED_KEY.finditer(code) if random_run(m["value"])}
    if "-u" in code:
        values |= {m["value"] for m in _USER_OPTION.finditer(code)}
    if re.search(r"(?i)pw|pass", code):
        # A folder is no password: PWD is the shell's working folder ("PWD=/home/me/run2024a" in !env's output).
        values |= {m["value"] for m in _SHORT_PASSWORD.finditer(code)
                   if _typed_password(m["value"]) and not m["value"].startswith(("/", "~/", "./", "../"))}
    if "-p" in code or "-P" in code:
        values |= {m["value"] for m in _PASSWORD_OPTION.finditer(code) if _typed_password(m["value"])}
    values |= _tool_passwords(code)
    if "==" in code or "!=" in code:
        for m in _COMPARED.finditer(code):
            value, name = (m["value"], m["name"]) if m["value"] else (m["left"], m["right"])
            if random_run(value) and secret_word(name):
                values.add(value)
    if "login" in code:
        values |= {m["value"] for m in _LOGIN_ARGUMENT.finditer(code) if random_run(m["value"])}
    if "-----BEGIN" in code:
        values |= private_key_lines(code)
    if "Bearer" in code:
        values |= {m["value"] for m in _BEARER.finditer(code)}
    if "://" in code:
        values |= {url_password(m[0]) for m in _URL.finditer(code)} | set(path_secrets(code)) | _url_users(code)
    values |= bare_key_values(code)
    if named:
        values |= _chosen_passwords(code)
    if named or _IDENTIFIED.search(code):
        values |= _sql_passwords(code)
    # a password without a digit ("aQycEii!umIpMiXM" in a JSON object or a table's cell) is one as well as a key is
    if "igningkey" in code or "igningKey" in code:
        values -= {m["value"] for m in _GIT_SIGNING_KEY.finditer(code)}
    return {value for value in values if (key_like(value) or _chosen_password(value)) and not _DATA_FILE.fullmatch(value)
            and not _REFERENCE.fullmatch(value) and not _KEY_ID.fullmatch(value)}


# A value that names where the secret is, not the secret: an environment variable ("$DB_PASSWORD", "${DB_PASSWORD}",
# whose "}" a YAML value's pattern leaves out: "password: ${DB_PASSWORD_2024}" was shown "(not shown)}"), an INI
# file's interpolation ("%(db_password)s"). Braced, any name; bare, a shell's upper-case one ("$ecret9" may be a password).
_REFERENCE = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}?|\$[A-Z_][A-Z0-9_]*|%\(\w+\)s")
# An OpenPGP key's id or fingerprint as gpg writes it ("0x3B5D0B179D03EC5F"), or an Ethereum address: public, to be
# imported or checked (a private key in hex is 64 digits).
_KEY_ID = re.compile(r"0x(?:[0-9A-Fa-f]{8}|[0-9A-Fa-f]{16}|[0-9A-Fa-f]{40})")
# git's user.signingKey: the id or fingerprint of the OpenPGP key that signs commits, in a .gitconfig or after "git
# config" ("signingkey = 3AA5C34371567BD2" was "(not shown)" in an answer about signing commits; probe 37). Only an
# OpenPGP id's length in hex: a JWT library's signingKey holding a secret stays hidden.
_GIT_SIGNING_KEY = re.compile(r"(?i:signingkey)['\"]?[ \t]*[=:]?[ \t]*['\"]?(?:0x)?(?P<value>[0-9A-Fa-f]{16}|[0-9A-Fa-f]{40})(?![\w])")
# A configuration's line giving a secret's name its value whole, to the line's end (an INI or .properties file's
# "password = ...", YAML's "password: ...", a JSON object's "password": "...", a comment after it), and an XML
# element so named (Maven's settings.xml: <password>...</password>). A password as people choose it holds symbols
# where a key holds digits, and a key in base64 is cut by "/" and "+" into runs too short for a key's run: a config's
# "password = dQjGrkWfCi%!u%8i" and "aws_secret_access_key = zbW/aeShs08A+DINudiZyvi+XH3UtpIEvU/nD/Gs" were quoted by
# answers and docchat search (probe 37). The value must read as a password (_chosen_password), not as code.
_CONFIG_LINE = re.compile(r"""^[ \t]*(?:-[ \t]+|(?i:set)[ \t]+)?(['"]?)(?P<name>[\w.-]{1,128})\1[ \t]*[=:][ \t]*(['"]?)(?P<value>[^\s'"]{8,200})\3"""
                          r"""[ \t]*,?[ \t]*(?:[#;].*)?$""", re.M)
_XML_ELEMENT = re.compile(r"<(?P<name>[\w:.-]{1,64})>[ \t]*(?P<value>[^<>\s]{8,200})[ \t]*</(?P=name)>")
_PASSWORD_SYMBOLS = frozenset("!#%^&*?~@$")
_CODE_CHARACTERS = frozenset("()[]{}<>\"'`,;|\\")
_DOTTED_NAME = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")


def _chosen_passwords(text: str) -> set[str]:
    """The values _CONFIG_LINE, _XML_ELEMENT, _FLOW_PAIR, _ADD_KEY and _CONNECTION_PAIR give to a secret's name that
    read as passwords."""
    found = set()
    for pattern in (_CONFIG_LINE, _XML_ELEMENT, _FLOW_PAIR, _ADD_KEY, _CONNECTION_PAIR):
        for m in pattern.finditer(text):
            if secret_word(m["name"]) and _chosen_password(m["value"]):
                found.add(m["value"])
    found |= {m["value"] for m in _PASSWORD_SENTENCE.finditer(text) if _typed_password(m["value"])}
    return found


# A sentence giving a password ("The default password is Adm1n#2024.", "the password was `Tr0ub4dor&3x`"): the key
# sentence rule's value holds no symbol, and such a password was quoted (probe 37). A symbol or a key's run is asked
# for (_typed_password): "the password is case-sensitive", "is stored in Vault2" are words.
_PASSWORD_SENTENCE = re.compile(r"""(?i:\b(?:password|passphrase|passwd)[ \t]+(?:is|was)[ \t]*:?[ \t]+)"""
                                r"""(['"`‘“]?)(?P<value>[^\s'"`‘’“”]{8,64}?)['"`’”]?[.,;:)]?(?=\s|$)""")


def _sql_passwords(text: str) -> set[str]:
    """SQL's passwords (_SQL_PASSWORD) that read as passwords or hold a key's run."""
    return {m["value"] for m in _SQL_PASSWORD.finditer(text) if _chosen_password(m["value"]) or random_run(m["value"])}


# A YAML flow mapping's pair ("{username: admin, password: ...}"), a .NET config's <add key="Password" value="..."/>,
# and SQL's "ALTER USER ... WITH PASSWORD '...'", "IDENTIFIED BY '...'" (MySQL's, Oracle's GRANT and CREATE USER):
# each was quoted whole by answers (probe 37).
_FLOW_PAIR = re.compile(r"""[{,][ \t]*(?P<name>[\w.-]{1,64})[ \t]*:[ \t]+(?P<value>[^\s,{}\[\]'"]{8,200})(?=[ \t]*[,}])""")
_ADD_KEY = re.compile(r"""\bkey[ \t]*=[ \t]*(['"])(?P<name>[^'"\n]{1,64})\1[ \t]+value[ \t]*=[ \t]*(['"])(?P<value>[^'"\s]{8,200})\3""")
# A connection string's pair after a ";" (ADO.NET's and ODBC's "...;Password=...;").
_CONNECTION_PAIR = re.compile(r"""(?<=;)[ \t]*(?P<name>[\w ]{1,64})=(?P<value>[^;\s'"]{8,200})(?=;|[ \t]*$|['"])""", re.M)
_IDENTIFIED = re.compile(r"(?i)identified")
_SQL_PASSWORD = re.compile(r"""(?i:\bpassword|\bidentified[ \t]+by)[ \t]+(['"])(?P<value>[^'"\s]{8,200})\1""")


def _typed_password(value: str) -> bool:
    """Whether a value a command line or a short name (-p, -a, PWD=) gives reads as a password: a key's run, or a
    password as people choose one holding a symbol ("Tr0ub4dor&3x", "p@ssW0rd2024": symbols cut their runs short of
    a key's, and mysql -p..., docker login -p, sshpass -p, redis-cli -a and ODBC's PWD= showed them; probe 37). A
    symbol, not only a digit: "pytest -p myPlugin2" names a plugin."""
    return random_run(value) or (_chosen_password(value) and not _PASSWORD_SYMBOLS.isdisjoint(value))


def _chosen_password(value: str) -> bool:
    """Whether ``value`` reads as a password: eight characters at least ("md5$" is a hash's prefix), three of lower
    case, upper case, digits and symbols, a digit or a symbol among them (a word, a name in capitals, "Ctrl+Shift+P"
    and "********" are none), and nothing of code, a path, a URL or a reference (``obj.attr``, ``getpass()``,
    ``~/.ssh/id_rsa``, ``$TOKEN``)."""
    if (len(value) < 8 or _CODE_CHARACTERS.intersection(value) or "://" in value or value.startswith(("/", "~/", "./", "../"))
            or _DOTTED_NAME.fullmatch(value) or _REFERENCE.fullmatch(value)):
        return False
    digit = any(ch.isdigit() for ch in value)
    symbol = not _PASSWORD_SYMBOLS.isdisjoint(value)
    lower, upper = any(ch.islower() for ch in value), any(ch.isupper() for ch in value)
    if digit + symbol + lower + upper >= 3 and (digit or symbol):
        return True
    # letters alone, of both cases, that make no words (a random key of letters: "ZirvItJWCRXfGVHV", not "PasswordField")
    return len(value) >= 16 and lower and upper and value.isalpha() and not wordy(value)


# A data file's path, as an object store names it under "Key" (S3's get_object(Bucket=..., Key="raw/2024/events.csv.gz"),
# a "key = 'data/train/shard-00017-of-00128.tfrecord'"): folders and a data format's suffix, which no key has (a key's
# characters hold no dot before a suffix after a "/"). S3 object keys were "(not shown)" in %ask --notebook (probe 34).
_DATA_FILE = re.compile(r"[\w.=-]+(?:/[\w.=-]+)*/[\w.=-]+\.(?:csv|tsv|txt|json|jsonl|ndjson|parquet|avro|orc|feather|arrow|"
                        r"tfrecords?|npy|npz|h5|hdf5|nc|zarr|pkl|pickle|pt|pth|ckpt|safetensors|bin|xlsx?|xml|yaml|yml|"
                        r"png|jpe?g|tiff?|wav|mp3|mp4|fastq|fq|bam|vcf|fasta|fa)(?:\.(?:gz|bz2|xz|zst|zip|snappy))?",
                        re.IGNORECASE)


def _table_values(text: str) -> set[str]:
    """The values a pipe table gives to a secret's name (a workbook's sheet, a document's table, as their readers write
    them): the cell right of a cell that names one ("| aws_secret_access_key | wJalr... |", a sheet of settings), and
    the cells of a column whose header names one ("| service | api key |" over "| stripe | Zq8v... |"). A workbook's
    keys were quoted whole by answers, as no name stood before them with "=" or ":" (probe 36). A value is one word:
    "see the vault" is no key; one of a column needs a key's run too (a "Key" column of a music table, of settings' names)."""
    values: set[str] = set()
    header: list[str] = []
    lines = text.splitlines()
    for n, line in enumerate(lines):
        if not is_table_line(line):
            header = []
            continue
        cells = cells_of(line)
        if is_delimiter(line):  # the rule under a header
            continue
        for name, value in zip(cells, cells[1:]):  # a header's too: a sheet of pairs has none, its first pair heads it
            if secret_word(name) and (_cell_key(value) or _chosen_password(value)):
                values.add(value)
        if n + 1 < len(lines) and is_delimiter(lines[n + 1]):
            header = [cell if secret_word(cell) else "" for cell in cells]
            continue
        for name, value in zip(header, cells):
            if name and _cell_key(value) and (random_run(value) or reads_as_key(value)):
                values.add(value)
    return values


def _cell_key(value: str) -> bool:
    """Whether a table's cell may hold a key: one word, long enough, letters in it, no number (a count, a date or
    "6.69e-31" is none)."""
    if not key_like(value) or any(ch.isspace() for ch in value) or not any(ch.isalpha() for ch in value):
        return False
    try:
        float(value)
    except ValueError:
        return True
    return False


def _url_users(code: str) -> set[str]:
    """The user parts of URLs that read as keys: a token given as the user, with a word for a password
    ("https://TOKEN:x-oauth-basic@github.com/..."); url_password took the word."""
    users = set()
    for m in _URL.finditer(code):
        try:
            user = urlsplit(m[0]).username
        except ValueError:
            continue
        if user and reads_as_key(user):
            users.add(user)
    return users


def private_key_lines(text: str) -> set[str]:
    """The lines of the private keys' armoured blocks in ``text`` (PEM's, PGP's "PRIVATE KEY BLOCK"), to their end
    line, or while they read as a block's lines when it was cut off (an output cut at its length, a chunk's end).
    Each block's lines are read from its opening to the next one's: linear however many blocks open and none ends."""
    starts = [m.end() for m in _PRIVATE_KEY_BEGIN.finditer(text)]
    found: set[str] = set()
    for n, start in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else len(text)
        end = _PRIVATE_KEY_END.search(text, start, stop)
        lines = [line.strip(" \t\r'\"(),+") for line in re.split(r"\\n|\n", text[start:end.start() if end else stop])]
        if end is None:  # cut off: the lines that are a block's, up to the first that is not
            lines = list(itertools.takewhile(lambda line: not line or _ARMOUR_LINE.fullmatch(line), lines))
        found |= {line for line in lines if len(line) >= 8}
    return found


def key_like(value: str) -> bool:
    """Whether a value given to a secret's name is long enough to be one: eight characters and a digit, or 24."""
    return len(value) >= 8 and (len(value) >= 24 or any(ch.isdigit() for ch in value))


def _tool_passwords(code: str) -> set[str]:
    """The passwords given to a tool's own option, echoed into a --password-stdin login or after a bare "pass"
    (_TOOL_OPTIONS, _ECHOED, _PASS_WORD), holding a key's run: "-N ''", "pass the key" are no secrets."""
    values: set[str] = set()
    for tool, (name, option) in _TOOL_OPTIONS.items():
        if tool in code:
            values |= {m["value"] for c in _COMMAND.finditer(code) if (at := name.search(c[0]))
                       for m in option.finditer(c[0], at.end())}
    if "--password-stdin" in code:
        values |= {m["value"] for line in code.splitlines() if "--password-stdin" in line for m in _ECHOED.finditer(line)}
    if "pass" in code:
        values |= {m["value"] for m in _PASS_WORD.finditer(code)}
    return {value for value in values if _typed_password(value)}


def _sentence_values(code: str) -> set[str]:
    """_SECRET_SENTENCE's values. A pair it rejects gives its value word a chance to be the next name: finditer
    went on after it, and "set aws_secret_access_key KEY" (aws configure) took "set" for the name and hid nothing
    (probe 32). Each retry starts further on, so the scan stays linear."""
    values: set[str] = set()
    at = 0
    while m := _SECRET_SENTENCE.search(code, at):
        if random_run(m["value"]) and secret_word(m["name"]):
            values.add(m["value"])
            at = m.end()
        else:
            at = m.start("value")
    return values


# A run a secret's value may be: what a cell that reads one shows (_shown_by_reading).
_VALUE_RUN = re.compile(r"[A-Za-z0-9+/_.~-]{12,}={0,2}")


def shown_by_reading(code: str, shown: str) -> set[str]:
    """The values in ``shown`` (a cell's result or what it printed) that hold a key's run, when the cell's last line
    reads a secret by its name: ``os.environ["HF_TOKEN"]``, ``os.getenv("ANTHROPIC_API_KEY")``, ``userdata.get(...)``,
    ``print(token)``. Its code gives the name no value, and the result is the value bare: it was quoted whole by
    ``%ask --notebook`` (probe 31). A count or a list of words (``len(tokens)``) holds no such run and is shown."""
    lines = [line for line in code.strip().splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not lines or not secret_word(lines[-1]):
        return set()
    return {m[0] for m in _VALUE_RUN.finditer(shown) if random_run(m[0])}


def without_secrets(text: str, secrets: set[str] | None = None) -> str:
    """``text`` with each string it gives to a secret's name, and each of ``secrets`` (another cell's, shown in this
    one's result), written NOT_SHOWN."""
    for secret in sorted((secrets or set()) | secret_values(text), key=len, reverse=True):
        text = text.replace(secret, NOT_SHOWN)
    return text

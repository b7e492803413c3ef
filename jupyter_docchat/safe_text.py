"""Text from documents and models made safe for where it goes: storage, terminals, Markdown files."""

from __future__ import annotations

import bisect
import functools
import re
import reprlib
import unicodedata
from typing import TYPE_CHECKING, Iterator
from urllib.parse import urlsplit

from jupyter_docchat.checked_ids import checked_id

if TYPE_CHECKING:
    import logging

    from markdown_it import MarkdownIt


_SURROGATE = re.compile("[\ud800-\udfff]")
# It only says where a line may break: left out of documents (readers.read_sections) and of questions (as_typed) alike,
# or a word holding one would not match the word without.
SOFT_HYPHEN = "\u00ad"
# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), other escapes (ESC 7, ESC ( B), C0/C1 controls but tab
# and newline: what a terminal would act on instead of printing; and the bidirectional marks, embeddings,
# overrides and isolates, which reorder the text after them on screen (a file name "txt.exe" can show
# as "exe.txt").
_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -/]{0,3}[0-~]")
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_TERMINAL = re.compile(f"{_ESCAPE.pattern}|{_CONTROL.pattern}|{_BIDI.pattern}")  # what a terminal must not be sent
# The user and password of a URL ("scheme://user:password@"): the password runs to the authority's last "@". A scheme
# of 32 characters at most: unbounded, a pattern was tried from each "." of a long run ("a.a.a...", 80 kB: 3.5 CPU-s).
_USERINFO = re.compile(r"(?P<scheme>\b[a-zA-Z][a-zA-Z0-9+.-]{0,31}://)(?P<user>[^/?#\s:@]*)(?P<password>:[^/?#\s]*)?@")
# ASCII punctuation that CommonMark gives a meaning to anywhere in a line.
_MD_INLINE = re.compile(r"([\\`*_{}\[\]<>&#|!~])")
# What markdown_html links to a source (_CITE; unless its "[" is escaped by an odd number of backslashes): a source's
# number, never 0 nor written with a leading zero, so a C manual's "der[0]" is quoted as written, not "der\[0]"
# (walk 24).
_CITATION = re.compile(r"(?<!\\)((?:\\\\)*)\[([1-9]\d{0,2})\]")
_TICKS_OR_ESCAPE = re.compile(r"\\[\s\S]|`+")


@functools.lru_cache(maxsize=1)
def _blocks() -> "MarkdownIt":
    """A CommonMark parser, of which only the block parser is used, to find where a code span may run. Made when first
    needed: a reading worker imports this module for has_words, and markdown-it was a tenth of its start."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


# Line starts that make a block: bullets, block quotes, setext underlines; "1." or "1)" items.
_MD_BULLET = re.compile(r"^(\s*)([-+=>])", re.M)
_MD_ORDERED = re.compile(r"^(\s*\d+)([.)])", re.M)


def clean_text(text: str) -> str:
    """Lone surrogates (from a broken stream or a bad file name) become U+FFFD, so the text always encodes."""
    return _SURROGATE.sub("\ufffd", text)


def for_terminal(text: str) -> str:
    """Text a terminal prints as is: escape sequences, control characters and bidirectional controls removed."""
    return _TERMINAL.sub("", clean_text(text))


# What str.splitlines breaks a line at (a terminal at "\n"; the others for_terminal removes or a reader may split at).
_LINE_BREAKS = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def name_on_one_line(name: str) -> str:
    """A file or folder name for one line of text output: each line break in it written as its escape
    (``\\n``, ``\\x85``), as an undecodable byte in a name is (``\\xff``), so that a name can neither
    break a line of output in two nor forge the next one. Other controls are for ``for_terminal``."""
    return _LINE_BREAKS.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), clean_text(name))


def as_typed(text: str) -> str:
    """A question or query as the user saw it when typing it: escape sequences (a colour code pasted from a
    terminal) and bidirectional controls removed, any other control character a space, so that "\\x1b[31mzebra"
    is searched as "zebra" and "zebra\\x00stripes" as two words. A soft hyphen, which shows nothing mid-line, is left
    out, as the readers leave it out of documents: "docu\\u00admentation" pasted from a page is "documentation"."""
    return _CONTROL.sub(" ", _BIDI.sub("", _ESCAPE.sub("", clean_text(text)))).replace(SOFT_HYPHEN, "")


# The compatibility characters that only style a letter, digit or mark (Unicode's decomposition tags): fullwidth and
# halfwidth forms, mathematical alphanumerics, circled and squared ones, small and vertical forms, no-break spaces.
# Not superscripts, fractions, ligatures or the micro sign (<super>, <fraction>, <compat>), which documents write
# themselves ("85 m²", a PDF's "ﬁle"), nor Arabic presentation forms.
_STYLES = ("<font>", "<wide>", "<narrow>", "<circle>", "<square>", "<small>", "<vertical>", "<noBreak>")


@functools.lru_cache(maxsize=4096)
def _plain(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch) if unicodedata.decomposition(ch).startswith(_STYLES) else ch


def searchable(text: str) -> str:
    """A question or query as it is searched: as typed (``as_typed``), its styled characters in their plain form
    (NFKC): fullwidth "ｄｅｐｏｓｉｔ" and styled "𝗱𝗲𝗽𝗼𝘀𝗶𝘁" are "deposit", as the documents write it (probe 22). The
    characters documents write themselves are kept: with all of NFKC, "m²" was searched as "m2" and a "ﬁle" pasted
    from a PDF as "file", and the keyword index, which holds the documents' own, found neither (probe 24)."""
    typed = as_typed(text)
    if typed.isascii():
        return typed
    plain = "".join(_plain(ch) for ch in typed)
    # composed where a form was replaced: halfwidth "ｶﾞ" is "カ" and a voicing mark, "ガ" as NFKC writes it
    return typed if plain == typed else unicodedata.normalize("NFC", plain)


# Letters by their category (Lo) that show nothing: the Hangul fillers, default-ignorable code points (probe 22: a
# question of U+3164 was answered and kept, over a source ranked by the filler's vector).
# The other default-ignorable code points that are no format character (the combining grapheme joiner, variation
# selectors, Khmer's inherent vowels, Mongolian's free variation selectors: marks with no base, which show nothing) and
# the blank Braille pattern: a file of them was a chunk that showed nothing, as one of zero-width spaces was before
# probe 26 (probe 27).
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u034f\u17b4\u17b5\u180b\u180c\u180d\u180f\u2800"
                               + "".join(map(chr, range(0xFE00, 0xFE10))) + "".join(map(chr, range(0xE0100, 0xE01F0))))


def is_blank(text: str) -> bool:
    """Whether ``text`` shows nothing: white space, escape sequences, control and format characters (a zero-width
    space, a byte-order mark) and Hangul fillers alone. Such a question or query has no word to search for."""
    return all(ch.isspace() or ch in _INVISIBLE_LETTERS or unicodedata.category(ch) == "Cf" for ch in for_terminal(text))


def has_words(text: str) -> bool:
    """Whether ``text`` holds a letter or a digit of any script: "?!...;;" or a row of emoji names nothing to look
    for (offline it was answered "nothing matches" over five sources ranked by the punctuation's vector). Letters
    as ``searchable`` reads them count: circled "ⓒⓐⓕⓔ" and squared "🄲🄰🄵🄴" (symbols) are searched as "cafe", and
    "㍿" as "株式会社"; they were refused as "no words, only punctuation or symbols" (probe 24)."""
    def letters(chars: str) -> bool:
        return any(unicodedata.category(ch)[0] in "LN" for ch in chars)

    return letters(text) or (not text.isascii() and letters(searchable(text)))


# A URL's query parameter whose name says it holds a secret (a gateway's "?api_key=", "&token=", a signed URL's "sig="):
# the error naming the model server's URL showed it whole ("could not connect to the model server at
# http://host/v1?api_key=sk-...", probe 28).
_QUERY_SECRET = re.compile(r"(?P<name>[?&;][\w.-]*(?:key|token|secret|password|passwd|credential|sig|signature)[\w.-]*=)"
                           r"(?P<value>[^&#\s'\"<>]+)", re.I)


# A URL's path, and in it a segment that reads as a key: a gateway or a webhook takes one there
# ("https://gw.example.com/v1/sk-proj-.../chat", Slack's "/services/T0.../B0.../XXXX", Telegram's "/bot123:AA.../"),
# and a cell's base URL showed it whole (probe 28). A run of KEY_RUN letters and digits or more, with digits and
# letters both, in one segment; not a run of lowercase hex alone (a commit, a digest: a repository's or a model
# hub's file URL names one) nor a word with a number (a run of one case's letters, then digits).
_URL_PATH = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]{0,31}://(?P<host>[^/\s'\"<>?#]*)(?P<path>/[^\s'\"<>?#]*)")
# Google's documents, Drive's files and folders and Colab's notebooks name a file by its id in the path
# ("docs.google.com/spreadsheets/d/1Bxi.../export?format=csv", "drive.google.com/drive/folders/1a2B...",
# "colab.research.google.com/drive/1X4y..."): a document's address, which takes no key there (an API key goes in
# "?key="). pd.read_csv of a shared sheet was sent and shown as "/d/(not shown)/export" (probe 35).
_GOOGLE_FILE_HOSTS = {"docs.google.com", "drive.google.com", "colab.research.google.com"}
_GOOGLE_FILE_ID = re.compile(r"/(?:d|folders|drive)/(?:e/)?$")  # "/d/e/2PACX-...": a published one
_SEGMENT = re.compile(r"(?<=/)[^/]+")
_ALNUM_RUN = re.compile(r"[A-Za-z0-9]{20,}")
_HEX_OR_WORD = re.compile(r"[0-9a-f]+|[a-z]+[0-9]+|[A-Z]+[0-9]+")


def has_key_run(segment: str) -> bool:
    """Whether ``segment`` holds a run of 20 letters and digits or more that reads as a key (two digits and two letters
    at least; no lowercase hex alone, no word with a number)."""
    return any(sum(ch.isdigit() for ch in run) >= 2 and sum(ch.isalpha() for ch in run) >= 2
               and not _HEX_OR_WORD.fullmatch(run) for run in _ALNUM_RUN.findall(segment))


def path_secrets(text: str) -> list[str]:
    """The segments of the paths of the URLs in ``text`` that read as keys (``has_key_run``)."""
    if "://" not in text:
        return []
    return [segment[0] for url in _URL_PATH.finditer(text) for segment in _SEGMENT.finditer(url["path"])
            if has_key_run(segment[0]) and not checked_id(segment[0]) and not _google_file_id(url, segment)]


def _google_file_id(url: re.Match[str], segment: re.Match[str]) -> bool:
    """Whether ``segment`` of ``url``'s path is the id of a Google document, Drive file or folder, or Colab notebook."""
    host = url["host"].rpartition("@")[2].partition(":")[0].lower()
    start = segment.start()  # the segments before it looked at as far as the longest form ("/folders/e/"), not all
    return host in _GOOGLE_FILE_HOSTS and _GOOGLE_FILE_ID.search(url["path"], max(0, start - 12), start) is not None


def hide_credentials(text: str) -> str:
    """``text`` with the password of every URL in it masked (``http://user:***@host``), or the whole
    user part when it has no password (``http://***@host``: a token alone), the value of each query parameter
    named for a secret (``?api_key=***``) and each segment of a path that reads as a key (``/v1/***/chat``)."""
    text = _USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:***@" if m["password"] else f"{m['scheme']}***@", text)
    for segment in sorted(set(path_secrets(text)), key=len, reverse=True):
        text = text.replace(f"/{segment}", "/***")
    return _QUERY_SECRET.sub(r"\g<name>***", text) if "=" in text else text


def url_secrets(url: str) -> list[str]:
    """The secrets a URL holds: its user part's (``url_password``), its secret query parameters' values and the
    segments of its path that read as keys."""
    return [url_password(url), *(m["value"] for m in _QUERY_SECRET.finditer(url or "")), *path_secrets(url or "")]


def url_password(url: str) -> str:
    """The secret in a URL's user part: its password, or the user part when it is a token alone."""
    try:
        parts = urlsplit(url or "")
    except ValueError:  # an unparsable URL is refused where it is used
        return ""
    return parts.password or (parts.username or "" if "@" in parts.netloc else "")


class HideCredentials:
    """A log filter that masks URL credentials in the records of the HTTP clients that log URLs. Any object with a
    ``filter`` method is one to logging: not a subclass of ``logging.Filter``, this module (which every reading worker
    imports) does not import logging, with threading and traceback, for a filter only the HTTP clients' loggers get."""

    LOGGERS = ("httpx", "httpx2")  # each logs "HTTP Request: POST <url>" at INFO; openai itself logs no URL

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        hidden = hide_credentials(message)
        if hidden != message:
            record.msg, record.args = hidden, None
        return True


_FILTER = HideCredentials()


def hide_credentials_in_logs() -> None:
    """Install the filter on the clients' loggers (once: a filter is kept by identity)."""
    import logging

    for name in HideCredentials.LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


def markdown_text(text: str, one_line: bool = False) -> str:
    """``text`` as Markdown that renders as exactly this text: no HTML, link, emphasis, heading or list
    (and, as for a terminal, no escape sequence or control character: a Markdown file is read with ``cat``)."""
    text = for_terminal(text)
    if one_line:
        text = " ".join(text.split())
    text = _MD_INLINE.sub(r"\\\1", text)
    text = _MD_ORDERED.sub(r"\1\\\2", _MD_BULLET.sub(r"\1\\\2", text))
    return "\n".join(line.lstrip() for line in text.split("\n"))  # an indent of four would make a code block


_BACKTICK_RUN = re.compile(r"`+")


def fenced(code: str) -> str:
    """``code`` as a fenced block, its fence longer than any run of backticks in it (CommonMark closes a block at a run
    as long): nothing in the code can close it, and its first line is the block's line 1."""
    fence = "`" * max(3, 1 + max((len(run) for run in _BACKTICK_RUN.findall(code)), default=0))
    return f"{fence}\n{code}\n{fence}"


_OPENING = re.compile(r"^(\s*)(`{3,}(?=[^`]*$)|~{3,})")  # a backtick fence's info string holds no backtick (CommonMark)


def fence_closes(opening: str, line: str) -> bool:
    """Whether ``line`` closes the block ``opening`` opens."""
    fences = Fences(lines=[opening, line])
    fences.step(opening)
    return fences.step(line) and not fences.inside


class Fences:
    """Where the fenced blocks of a text's lines run, as CommonMark reads them: a block closes at a line of its fence's
    character at least as long, nothing else on it. The answer's units took any line starting "```" or "~~~" to toggle a
    block: a notebook's code cell holding ``` (fenced with ````) or a ``` block holding a "~~~" line was cut there, and
    its code below quoted as prose (probe 28)."""

    def __init__(self, underlines: bool = True, lines: list[str] | None = None, markdown: bool = True) -> None:
        """``underlines``: a line of tildes under a title line as long is a reST title's underline, no block (the
        answer's units, of every format's text; not for Markdown alone, where it opens one). ``lines``: the text's
        lines, given when it may start inside a block (a chunk cut from a longer text): its first fence, bare, is that
        block's end when the next fence has an info string, which only an opening fence has (logrus' README: "```"
        then "To ensure this behaviour ...:" and "```go" read the sentence as code, and the Go code as prose)."""
        self.underlines = underlines
        self.markdown = markdown  # False: a text whose reader writes no fence (an HTML page's), where none opens
        self._closer = _leading_closer(lines) if lines is not None else -1
        self._closed_later = _closed_indented(lines) if lines is not None else set()
        self._items: list[int] = []  # the content columns of the list items the line is in, outermost first
        self._close_within = 3  # the open block's closing fence's columns of indentation at most
        self._chunk, self._seen = lines is not None, False  # a text that may be cut from a longer one; a line seen
        self._n = -1
        self.fence = ""  # the open block's fence ("" outside one)
        self.indent = ""  # its opening line's (a list item's block is closed inside the item)
        self.above = ""  # the line before, outside a block
        self._raw = ""  # what ends the HTML block the lines are in (_html_block); "" outside one
        self._paragraph = False  # whether the line before is a paragraph's, which a lone tag does not interrupt

    def step(self, line: str) -> bool:
        """Whether ``line`` opens or closes a block (``inside`` says which, after it)."""
        self._n += 1
        if not self.markdown:
            return False
        first, self._seen = not self._seen, self._seen or bool(line.strip())
        if self._n == self._closer:
            self.above = line
            return True  # the end of a block begun above the text: it leaves the text outside any block
        if self.fence:
            self.above, self._paragraph = "", False
            # A closing fence is indented three columns at most past its list item's content or the margin
            # (CommonMark): "    ```" in a block is a line of it, an indented example of a fence.
            if _closing(self.fence, line, self._close_within):
                self.fence = ""
                return True
            return False
        # An HTML block (CommonMark's) holds its lines whatever they are: a "```" line in a <pre> is its text, no fence.
        # Read as one, the prose below the </pre> was taken for code (probe 30's leftover). A <pre>, <script>, <style> or
        # <textarea> runs to the line that closes it, a comment to its "-->", a block's tag (<div>, </p>) or another tag
        # alone on its line (not in a paragraph) to the next blank line.
        if self._raw:
            if _ends(self._raw, line):
                self._raw = ""
            self.above, self._paragraph = line, False
            return False
        if end := _html_block(line, self._paragraph):
            self.above, self._paragraph = line, False
            if end == _TO_BLANK or not _ends(end, line[line.index("<") + 1:]):
                self._raw = end
            return False
        opening = _OPENING.match(line)
        above, self.above = self.above, line
        column = _columns(line)
        if line.strip():  # the list items it is in: those whose content column it reaches, or any when it runs on
            if not above.strip() or _ITEM.match(line):
                while self._items and column < self._items[-1]:
                    self._items.pop()
            if item := _ITEM.match(line):
                self._items.append(len(item[0].expandtabs(4)))
        # Indented four columns past its list item's content (or the margin) a line is an indented code block's or a
        # paragraph's, no fence (CommonMark): "    ```python", a Markdown page's example of a fence, opened a block that
        # ran to the page's end and read its prose as code (probe 29). Unless it is closed below, as a chunk cut from a
        # list's item has its fenced block, its item's line above the chunk.
        if opening and column > (self._items[-1] if self._items else 0) + 3 and self._n not in self._closed_later:
            opening = None
        if self.underlines and opening and opening[2][0] == "~" and line.strip() == opening[2] and above.strip() \
                and len(opening[2]) >= len(above.strip()) and not _OPENING.match(above):
            return False  # a reST title's underline ("pytest.fail" over "~~~~~~~~~~~"), not a block
        if opening:
            self.fence, self.indent = opening[2], opening[1]
            container = self._items[-1] if self._items else 0
            # a block opened past the margin by more (a chunk cut from a list item's) closes as far in as it opened;
            # one opened by a chunk's first line, which lost its indentation when the chunk was cut, at any
            self._close_within = (1 << 30 if self._chunk and first else
                                  max(column, container) + 3 if column >= 4 else container + 3)
        self._paragraph = bool(line.strip()) and opening is None and column < 4
        return opening is not None

    @property
    def inside(self) -> bool:
        return bool(self.fence)


_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?=\S)")
_RAW_HTML = re.compile(r"^ {0,3}<(?:pre|script|style|textarea)(?=[\s>]|$)", re.I)
_BLOCK_TAG = re.compile(r"^ {0,3}</?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|"
                        r"details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|"
                        r"header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|"
                        r"search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul)(?:\s|/?>|$)", re.I)
_LONE_TAG = re.compile(r"""^ {0,3}(?:<[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*"""
                       r"""\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>)\s*$""")
_TO_BLANK = "\n"  # an HTML block that ends at a blank line


def _html_block(line: str, in_paragraph: bool) -> str:
    """What ends the HTML block ``line`` opens (its closing tag, "-->", or _TO_BLANK); "" when it opens none."""
    if _RAW_HTML.match(line):
        return _RAW_END
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3 or not stripped.startswith("<"):
        return ""
    if stripped.startswith("<!--"):
        return _COMMENT_END
    if _BLOCK_TAG.match(line) or (not in_paragraph and _LONE_TAG.match(line)):
        return _TO_BLANK
    return ""


_RAW_END = "</raw>"  # a <pre>, <script>, <style> or <textarea> block ends at a line closing any of the four
_COMMENT_END = "-->"


def _ends(end: str, line: str) -> bool:
    """Whether ``line`` ends an HTML block that ``end`` ends."""
    if end == _TO_BLANK:
        return not line.strip()
    if end == _RAW_END:
        return bool(_RAW_CLOSE.search(line))
    return end in line


_RAW_CLOSE = re.compile(r"</(?:pre|script|style|textarea)>", re.I)


def _columns(line: str) -> int:
    """The columns of ``line``'s indentation, a tab to the next multiple of four (CommonMark)."""
    column = 0
    for ch in line:
        if ch == " ":
            column += 1
        elif ch == "\t":
            column += 4 - column % 4
        else:
            break
    return column


def _closed_indented(lines: list[str]) -> set[int]:
    """The indexes of the fence lines of ``lines`` indented four columns or more that a line below closes (a
    fence of its character, as long at least, indented three columns at most past it)."""
    found = set()
    for n, line in enumerate(lines):
        opening = _OPENING.match(line)
        if opening and _columns(line) >= 4 and any(_closing(opening[2], below, _columns(line) + 3)
                                                    for below in lines[n + 1:]):
            found.add(n)
    return found


def _closing(fence: str, line: str, within: int) -> bool:
    """Whether ``line`` closes a block opened by ``fence``: a run of its character as long at least, nothing else on
    it, indented ``within`` columns at most."""
    stripped = line.strip()
    return bool(stripped) and stripped == stripped[0] * len(stripped) and stripped.startswith(fence) \
        and _columns(line) <= within


def _leading_closer(lines: list[str]) -> int:
    """The index of the first fence line of ``lines`` when it is bare and the next fence line, as long at least, has an
    info string (so it must close a block begun above them); -1 otherwise."""
    found = [(n, match) for n, line in enumerate(lines) if (match := _OPENING.match(line))][:2]
    if len(found) < 2:
        return -1
    (first, bare), (_, then) = found
    # A fence no shorter than the first, of its character: had the first opened a block, its writer fenced it so that
    # the line would be its content (a code cell holding "```python", fenced with "````").
    if lines[first].strip() == bare[2] and lines[found[1][0]].strip() != then[2] and then[2].startswith(bare[2]):
        return first
    return -1


def fences_closed(text: str) -> str:
    """``text`` with a fenced block it leaves open closed at its end, as Jupyter renders a Markdown cell (each cell a
    document of its own): a notebook's cell joined to the cells after it left its block open over them, a code cell's
    fence closed it, and the Markdown cell below was quoted as code (probe 28). Only a top-level block: one in a list
    or a quote ends with it, at the next line outside it."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")  # markdown-it's lines
    fences = Fences(underlines=False)
    for line in lines:
        fences.step(line)
    if not fences.inside:  # the line scan finds every open top-level block, and more: markdown-it says which are
        return text
    shown = len("\n".join(lines).rstrip("\n").split("\n"))  # lines but the blank ones at the end
    last = next((token for token in reversed(_blocks().parse(text)) if token.type == "fence" and token.level == 0
                 and token.map), None)
    if last is None or last.map is None:
        return text
    first, end = last.map
    if end < shown or (first < end - 1 < len(lines) and fence_closes(lines[first], lines[end - 1])):
        return text
    indent = lines[first][:len(lines[first]) - len(lines[first].lstrip())]
    return f"{text.rstrip()}\n{indent}{last.markup}"


def code_blocks(text: str) -> list[tuple[int, int, str]]:
    """The code blocks CommonMark finds in ``text`` (fenced or indented, not in a list or quote): the line each starts
    at, the line after its end, and its content, without the fences or the indent."""
    tokens = _blocks().parse(text)
    return [(token.map[0], token.map[1], token.content.rstrip("\n")) for token in tokens
            if token.type in ("fence", "code_block") and token.level == 0 and token.map]


def quoted_text(text: str) -> str:
    """Text quoted into an answer's Markdown, each ``[n]`` outside code spans written ``\\[n]``: the
    answer's renderer links ``[n]`` to its source n, and a document's own "[1]" is not that source."""
    out, last = [], 0
    for start, end in _code_spans(text):
        out += [_CITATION.sub(r"\1\\[\2]", text[last:start]), text[start:end]]
        last = end
    return "".join(out) + _CITATION.sub(r"\1\\[\2]", text[last:])


def _code_spans(text: str) -> Iterator[tuple[int, int]]:
    """Where CommonMark finds code spans: a backtick run to the next run as long (a backslash-escaped
    backtick opens none; a run without its match is literal). A span may cross a line break only inside
    one paragraph or heading (its inline block, which markdown-it finds): a blank line or a new block
    ends it, and a "[1]" escaped in code only shows its backslash, while one left in text is linked."""
    if "`" not in text:
        return
    starts = [0, *(i + 1 for i, c in enumerate(text) if c == "\n")]
    block_end: dict[int, int] = {}  # line -> the offset where its inline block ends
    for token in _blocks().parse(text):
        if token.type == "inline" and token.map:
            first, last = token.map
            end = starts[last] - 1 if last < len(starts) else len(text)
            block_end.update(dict.fromkeys(range(first, last), end))
    at = 0
    while match := _TICKS_OR_ESCAPE.search(text, at):
        at = match.end()
        if match[0].startswith("\\"):
            continue
        line = bisect.bisect_right(starts, match.start()) - 1
        line_end = text.find("\n", at) % (len(text) + 1)  # -1 (no newline) becomes the end
        close = re.compile(rf"(?<!`){match[0]}(?!`)").search(text, at, max(line_end, block_end.get(line, line_end)))
        if close:
            yield match.start(), close.end()
            at = close.end()


def _limited() -> reprlib.Repr:
    limits = reprlib.Repr()
    limits.maxlevel, limits.maxlist, limits.maxtuple, limits.maxset, limits.maxdict = 3, 10, 10, 10, 10
    limits.maxstring = limits.maxother = limits.maxlong = 2000
    return limits


_REPR = _limited()


def safe_repr(value: object) -> str:
    """A ``repr`` of bounded size (containers show their first items, long strings their start, so a
    million-item list costs nothing), or a note naming the type when the object's ``__repr__`` raises."""
    try:
        return clean_text(_REPR.repr(value))
    except Exception as exc:  # a user's object must not fail the question
        return f"<{type(value).__name__} whose repr failed: {type(exc).__name__}>"


def cut(text: str, limit: int, at_word: bool = False, mark: str = "…") -> str:
    """``text`` shortened to ``limit`` characters, ``mark`` showing the cut; ``at_word`` cuts after the
    last whole word within the limit instead (and adds ``mark`` after it)."""
    if len(text) <= limit:
        return text
    if at_word:
        return text[:limit].rsplit(" ", 1)[0] + mark
    return text[: max(limit - len(mark), 0)] + mark

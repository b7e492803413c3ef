"""Lecture and meeting transcripts, subtitles: WebVTT (.vtt) and SubRip (.srt). Cues are joined into paragraphs (a
speaker's turn, cut at a pause or past a paragraph's length), each cue a line, so a chunk holds a minute or two of
talk rather than one two-second cue; a speaker WebVTT names (``<v Alice>``) opens the turn ("Alice: ..."). A chunk is
cited by the time of its first cue's start and its last cue's start ("00:12:05-00:14:30": Hit.location), where a
player seeks to: the section's line_map holds each line's second, counted from 1 as lines are.

Parsed here by the formats' specifications (W3C WebVTT's cue blocks and timestamps; SubRip's numbered blocks), not by
webvtt-py or srt: webvtt-py 0.6 refuses a file without its "WEBVTT" line, leaves "&amp;" as written and drops a block
without timings in silence; srt drops such a block with a logged warning; each would be an extra to install for a
format of a few lines. A block without timings (a cue's text cut by a blank line, as many .srt files hold) is read as
text of the cue before it, not lost; NOTE, STYLE and REGION blocks are the file's own comments and styles.

Rolling captions (YouTube's automatic ones) repeat the line before in each cue: a cue's line that its predecessor
ended with is left out, or the talk reads twice.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from jupyter_docchat.indexing.readers.base import decode_uncleaned
from jupyter_docchat.indexing.readers.clean import clean_text
from jupyter_docchat.types import Section

# A timestamp: hours optional (WebVTT's mm:ss.ttt), "." or SubRip's ","; lenient on the digits of each part.
_TIME = r"(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?"
_TIMING = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}")
# The cue markup WebVTT defines (classes, italics, bold, underline, ruby, voice, language, a karaoke timestamp) and
# SubRip's (its <font>): other text in angle brackets is the cue's own ("<LAUGHING & WHOOPS!>").
_TAG = re.compile(r"</?(?:c|i|b|u|v|ruby|rt|lang|font)(?:[.\s][^>\n]*)?>|<\d[\d:.]*>", re.IGNORECASE)
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+([^>\n]+)>")
_ASS_OVERRIDE = re.compile(r"\{\\[^}\n]*\}")  # SubRip's positioning ({\an8}) borrowed from ASS
_SKIPPED_BLOCKS = ("NOTE", "STYLE", "REGION")
PAUSE = 3.0  # seconds of silence between two cues that start a new paragraph
ROLL_GAP = 0.5  # seconds between a cue's end and the next's start, at most, for the next to roll on from it
PARAGRAPH_CHARS = 800  # a paragraph's text at most, past which a speaker's long turn goes on in the next


@dataclass
class Cue:
    start: float  # seconds
    end: float
    text: str  # its lines joined by spaces, tags and entities read
    voice: str = ""
    tail: str = ""  # its last line's text: what a rolling caption's next cue repeats


def read_transcript(path: Path, data: bytes) -> list[Section]:
    # In time order, as a player shows them: a file edited by hand may hold a cue out of place, and a chunk of it was
    # cited from a later time to an earlier one.
    cues = sorted(parse_cues(decode_uncleaned(data), entities=path.suffix.lower() == ".vtt"), key=lambda cue: cue.start)
    lines: list[str] = []
    seconds: list[int] = []
    speaker, chars, last_end = "", 0, None
    for cue in cues:
        turn = bool(cue.voice) and cue.voice != speaker
        pause = last_end is not None and cue.start - last_end >= PAUSE
        if lines and (turn or pause or chars >= PARAGRAPH_CHARS):
            lines.append("")
            seconds.append(seconds[-1])
            chars = 0
        if cue.voice:
            speaker = cue.voice
        text = f"{cue.voice}: {cue.text}" if cue.voice and (turn or chars == 0) else cue.text
        lines.append(text)
        seconds.append(int(cue.start) + 1)
        chars += len(text) + 1
        last_end = cue.end
    if not lines:
        return []
    return [Section("\n".join(lines), 1, "", line_map=tuple(seconds))]


def parse_cues(text: str, entities: bool = True) -> list[Cue]:
    """The cues of a WebVTT or SubRip text, in the file's order; a block without timings joins the cue before it.
    ``entities``: WebVTT's "&amp;" read as "&" (SubRip writes text as it is)."""
    cues: list[Cue] = []
    for n, lines in enumerate(_blocks(text)):
        head = lines[0].strip()
        if n == 0 and head.startswith("WEBVTT"):
            continue  # the header and what follows it in its block (Kind:, Language:)
        if head.split(" ", 1)[0] in _SKIPPED_BLOCKS:
            continue
        timing = next((i for i, line in enumerate(lines[:3]) if _TIMING.match(line)), None)
        if timing is None:
            words = _cue_text(lines, entities)[0]
            if words and cues:
                cues[-1].text = f"{cues[-1].text} {words}".strip()
            elif words:
                cues.append(Cue(0.0, 0.0, words))
            continue
        match = _TIMING.match(lines[timing])
        assert match is not None
        start, end = _seconds(match.groups()[:4]), _seconds(match.groups()[4:])
        body = lines[timing + 1:]
        words, voice = _cue_text(body, entities)
        if not words:
            continue
        previous = cues[-1] if cues else None
        if previous is not None and _rolls_on(previous, start, voice, body) and _cue_text(body[:1], entities)[0] == previous.tail:
            words = _cue_text(body[1:], entities)[0]  # a rolling caption's line repeated from the cue before
            if not words:
                previous.end = max(previous.end, end)
                continue
        cues.append(Cue(start, end, words, voice, _cue_text(body[-1:], entities)[0]))
    return cues


def _rolls_on(previous: Cue, start: float, voice: str, body: list[str]) -> bool:
    """Whether a cue may be a rolling caption's next: of two lines or more, by the same voice, shown as the one before
    goes (the first of its lines is then that one's last, shown again)."""
    return bool(previous.tail) and voice == previous.voice and len(body) > 1 and abs(start - previous.end) <= ROLL_GAP


def _blocks(text: str) -> list[list[str]]:
    """The file's blocks of lines: apart at blank lines, and, as WebVTT's parser reads them, at a timing line below
    a block's own (youtube-dl writes a cue's timings right under the text of the one before)."""
    blocks: list[list[str]] = []
    block: list[str] = []
    timed = False
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line.strip():
            if block:
                blocks.append(block)
            block, timed = [], False
            continue
        if _TIMING.match(line):
            if timed:
                # SubRip's counter of the next cue, written right under the text of the one before without its blank
                # line, is that cue's, not a line of the text above ("& friends 2"; probe 38): in a file that counts
                # its cues (the block above opens with its counter) and when the cue above keeps a line of text
                counter = [block.pop()] if len(block) > 3 and block[0].strip().isdigit() and _TIMING.match(block[1]) \
                    and block[-1].strip().isdigit() else []
                blocks.append(block)
                block = counter
            timed = True
        block.append(line)
    if block:
        blocks.append(block)
    return blocks


def _seconds(parts: tuple[str | None, ...]) -> float:
    hours, minutes, secs, millis = (int(p) if p else 0 for p in parts)
    return hours * 3600 + minutes * 60 + secs + millis / 10 ** len(parts[3] or "0")


def _cue_text(lines: list[str], entities: bool = True) -> tuple[str, str]:
    """A cue's text on one line, without its markup (tags, ASS overrides, entities), and the voice it names."""
    joined = " ".join(line.strip() for line in lines if line.strip())
    voice = _VOICE.search(joined)
    words = _TAG.sub("", _ASS_OVERRIDE.sub("", joined))
    words = clean_text(html.unescape(words) if entities else words)
    return " ".join(words.split()), " ".join(clean_text(voice.group(1)).split()) if voice else ""


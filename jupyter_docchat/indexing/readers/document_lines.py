"""A word processor's document as its reader walks it (readers/docx.py, readers/odf.py): lines cut into sections at
its headings, and the parts outside its body (headers, footers, notes, comments) as sections of their own."""

from __future__ import annotations

from jupyter_docchat.types import HeadingTrail, Section


class DocumentLines:
    """The lines read so far and the sections cut from them; a walk sets these in its ``__init__``."""

    lines: list[str]
    sections: list[Section]
    start: int  # the index in ``lines`` where the section being read begins
    heading: str
    title: str
    kind: str

    def flush(self, apart: bool = False) -> None:
        """The lines since the last section's as a section; ``apart``: a part outside the body, which joins no other
        in a chunk (a page header joined to the last paragraph read as the document's own text, under its heading)."""
        text = "\n".join(self.lines[self.start:])
        if text.strip():
            self.sections.append(Section(text, self.start + 1, self.heading, kind=self.kind, apart=apart))
        self.start = len(self.lines)

    def part_section(self, heading: str, lines: list[str]) -> None:
        """``lines`` of a part outside the body as a section under "Title > ``heading``", after a blank line."""
        if not lines:
            return
        self.flush()
        if self.lines and self.lines[-1].strip():
            self.lines.append("")
            self.start = len(self.lines)
        self.heading = str(HeadingTrail(tuple(part for part in (self.title, heading) if part)))
        self.lines.extend("\n".join(lines).split("\n"))  # the trail names the part: no words the document lacks
        self.flush(apart=True)

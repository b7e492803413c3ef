"""Write small real PDFs (text pages, Helvetica) without any PDF library."""

from __future__ import annotations

from pathlib import Path


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf_bytes(pages: list[list[str]], outline: list[tuple[int, str, int, float]] | None = None) -> bytes:
    """One PDF with a page per list of lines; ``outline``: bookmarks (level from 0, title, page index, the y of its
    place, 792 at the page's top), in order."""
    objects: list[bytes] = []
    count = len(pages)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(count))
    outlines = f" /Outlines {4 + 2 * count} 0 R" if outline else ""
    objects.append(f"<< /Type /Catalog /Pages 2 0 R{outlines} >>".encode())
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode())
    font_id = 3 + 2 * count
    for i, lines in enumerate(pages):
        content_id = 4 + 2 * i
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 {font_id} 0 R >> >> "
            f"/Contents {content_id} 0 R >>".encode()
        )
        stream = "BT /F1 11 Tf 14 TL 50 740 Td " + " ".join(f"({_escape(l)}) Tj T*" for l in lines) + " ET"
        data = stream.encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    if outline:
        objects.extend(_outline_objects(outline, 4 + 2 * count))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def write_pdf(path: Path, pages: list[list[str]]) -> Path:
    path.write_bytes(pdf_bytes(pages))
    return path


def _outline_objects(outline: list[tuple[int, str, int, float]], root: int) -> list[bytes]:
    """The outline's dictionaries, numbered from ``root`` (the outline itself) on, an item's children after it."""
    parents: list[int] = [root]  # the parent of each level's items, by level
    children: dict[int, list[int]] = {root: []}
    items: dict[int, tuple[int, str, int, float]] = {}
    parent_of: dict[int, int] = {}
    for number, entry in enumerate(outline, root + 1):
        level = min(entry[0], len(parents) - 1)
        del parents[level + 1:]
        parent = parents[level]
        children[parent].append(number)
        children[number] = []
        parent_of[number] = parent
        items[number] = entry
        parents.append(number)
    out = []
    first_last = lambda n: (f" /First {children[n][0]} 0 R /Last {children[n][-1]} 0 R /Count {len(children[n])}"
                            if children[n] else "")
    out.append(f"<< /Type /Outlines{first_last(root)} >>".encode())
    for number, (_, title, page, y) in items.items():
        siblings = children[parent_of[number]]
        at = siblings.index(number)
        links = (f" /Prev {siblings[at - 1]} 0 R" if at else "") + (
            f" /Next {siblings[at + 1]} 0 R" if at + 1 < len(siblings) else "")
        out.append(f"<< /Title ({_escape(title)}) /Parent {parent_of[number]} 0 R{links}{first_last(number)} "
                   f"/Dest [{3 + 2 * page} 0 R /XYZ 0 {y} 0] >>".encode("latin-1"))
    return out

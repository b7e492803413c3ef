"""Word .docx: sections at paragraphs styled as headings (python-docx, the optional "docx" extra)."""

from __future__ import annotations

from pathlib import Path

from jupyter_docchat.indexing.readers.base import UnreadableFile
from jupyter_docchat.types import HeadingTrail, Section


def read_docx(path: Path, data: bytes) -> list[Section]:
    try:
        import docx  # python-docx, the optional "docx" extra
    except ImportError as exc:
        raise UnreadableFile("needs the docx extra: pip install 'jupyter-docchat[docx]'") from exc
    import io

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise UnreadableFile(f"unreadable .docx ({type(exc).__name__})") from exc
    sections: list[Section] = []
    heading, buf = "", list[str]()
    for para in document.paragraphs:
        if para.style is not None and para.style.name.lower().startswith("heading") and para.text.strip():
            if "".join(buf).strip():
                sections.append(Section("\n".join(buf), 1, heading, kind="docx"))
            heading, buf = str(HeadingTrail((para.text.strip(),))), []  # one level, whatever ">" it holds
        buf.append(para.text)
    if "".join(buf).strip():
        sections.append(Section("\n".join(buf), 1, heading, kind="docx"))
    return sections



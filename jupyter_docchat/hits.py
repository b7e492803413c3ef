"""A retrieved chunk, with where it came from."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass
class Hit:
    id: str
    text: str
    source: str
    heading: str = ""
    page: int | None = None
    cell: int | None = None
    start_line: int = 1
    end_line: int = 1
    score: float = 0.0
    dense: float | None = None
    lexical: float | None = None
    path: str = ""
    explain: dict | None = None  # with search(..., explain=True): ranks, fused score, levers

    @property
    def location(self) -> str:
        """'p. 3', 'cell 4' or 'lines 10-24', for citations."""
        if self.page is not None:
            return f"p. {self.page}"
        if self.cell is not None:
            return f"cell {self.cell}"
        if self.start_line == self.end_line:
            return f"line {self.start_line}"
        return f"lines {self.start_line}-{self.end_line}"

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_row(cls, chunk_id: str, text: str, meta: dict, root: str = "") -> "Hit":
        source = meta.get("source", "")
        return cls(
            id=chunk_id, text=text, source=source, heading=meta.get("heading", ""), page=meta.get("page"),
            cell=meta.get("cell"), start_line=meta.get("start_line", 1), end_line=meta.get("end_line", 1),
            path=f"{root.rstrip('/')}/{source}" if root else source,
        )

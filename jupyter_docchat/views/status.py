"""What ``%docchat_status`` and ``docchat status`` show: the store, its collections and counts."""

from __future__ import annotations

import html
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from jupyter_docchat.displayable import Displayable
from jupyter_docchat.safe_text import for_terminal, hide_credentials, name_on_one_line
from jupyter_docchat.errors import with_command
from jupyter_docchat.indexing.scan import FROM_THE_INDEX
from jupyter_docchat.store.records import CollectionInfo


@dataclass
class StoreStatus(Displayable):
    store: Path
    server: str
    collections: list[CollectionInfo]
    commands: Mapping[str, str] = field(default_factory=dict)  # the front end's, for errors.Remedy
    # False: no store at that path yet (said as ask and search say it, not as a store with no collections)
    exists: bool = True

    @property
    def _no_store(self) -> bool:
        return not self.exists and not self.server

    def _where(self) -> str:
        return f"Chroma server {hide_credentials(self.server)}" if self.server else f"store {name_on_one_line(str(self.store))}"

    def _rows(self) -> list[tuple[str, str, str, str, str, str]]:
        return [
            (c.name, str(c.files), f"{c.chunks} ({c.waiting} waiting for vectors)" if c.waiting else str(c.chunks),
             c.embeddings, f"{c.root} (gone: {FROM_THE_INDEX})" if c.folder_gone else c.root,
             time.strftime("%Y-%m-%d %H:%M", time.localtime(c.updated)) if c.updated else "")
            for c in self.collections
        ]

    def __str__(self) -> str:
        where = self._where()
        if not self.collections:
            # the store named on one line, as ask names it (probe 23)
            empty = f"no store at {name_on_one_line(str(self.store))} yet" if self._no_store else f"{where}: no collections yet"
            return for_terminal(with_command(f"{empty}; index a folder first", "index", self.commands))
        lines = [f"{where}:"]
        for c, (name, _, _, emb, root, updated) in zip(self.collections, self._rows()):
            # "1229 (1101 waiting for vectors) chunks", "1 files": the counts are worded here, the table's cells above.
            waiting = f" ({c.waiting} waiting for vectors)" if c.waiting else ""
            lines.append(f"  {name}: {_count(c.files, 'file')}, {_count(c.chunks, 'chunk')}{waiting}, embeddings {emb}, "
                         f"folder {name_on_one_line(root)}, updated {updated}")
        return for_terminal("\n".join(lines))

    def to_html(self) -> str:
        esc = html.escape
        where = self._where()
        head = "".join(f"<th>{h}</th>" for h in ("collection", "files", "chunks", "embeddings", "folder", "updated"))
        body = "".join("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in row) + "</tr>" for row in self._rows())
        table = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>" if body else \
            "<p>no store here yet</p>" if self._no_store else "<p>no collections yet</p>"
        return f"<div class='docchat-status'><b>{esc(where)}</b>{table}</div>"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"

"""``IndexOptions``: what an update of a collection needs, stored with the collection so that a refresh
before a question indexes the folder the same way, and ``Reading``: how its files were read and cut."""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from typing import Any, Mapping, NamedTuple, Sequence

from jupyter_docchat.indexing.readers import READERS_VERSION
from jupyter_docchat.indexing.skips import SkipRules
from jupyter_docchat.errors import SettingError
from jupyter_docchat.settings import DEFAULT_CHUNK_OVERLAP, DEFAULT_CHUNK_SIZE


class Reading(NamedTuple):
    """How a collection's files were read and cut: when any of it differs, their chunks would too."""

    readers: int
    chunk_size: int
    chunk_overlap: int

    @classmethod
    def stored(cls, stored: Mapping[str, Any], sizes: "Reading") -> "Reading":
        """How the files of a store with these stored options were read. A store from before readers were
        recorded was read by version 1; one that recorded no chunk sizes is taken as cut with ``sizes``'."""
        return cls(stored.get("readers", 1), stored.get("chunk_size", sizes.chunk_size),
                   stored.get("chunk_overlap", sizes.chunk_overlap))


@dataclass(frozen=True)
class IndexOptions:
    """Which files of a folder to index and how to cut them. Lists given for the globs are kept as tuples.

    ``rebuild`` (drop the collection first) is an instruction for one update: it is neither stored nor
    compared.
    """

    globs: Sequence[str] | None = None  # only files matching these; None: every known type
    excludes: Sequence[str] | None = None
    includes: Sequence[str] = ()  # exempt from the default skips
    all_files: bool = False  # no default skips at all
    follow_links: bool = False  # also links that resolve outside the folder
    chunk_size: int = DEFAULT_CHUNK_SIZE
    chunk_overlap: int = DEFAULT_CHUNK_OVERLAP
    rebuild: bool = field(default=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("globs", "excludes", "includes"):
            value = getattr(self, name)
            if value is None and name == "includes":
                value = ()  # none, as None means for the other two
            if value is not None:
                # A string is iterable too: "*.md" would become the patterns '*', '.', 'm' and 'd'.
                if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)) \
                        or not all(isinstance(p, str) for p in value):
                    raise SettingError(f"{name} must be a list of patterns (such as ['*.md']), not {value!r:.80}")
                object.__setattr__(self, name, tuple(value))
        for name in ("chunk_size", "chunk_overlap"):  # checked by the update (Chunker), before the store is touched
            value = getattr(self, name)
            if isinstance(value, numbers.Integral) and not isinstance(value, (int, bool)):
                object.__setattr__(self, name, int(value))  # NumPy's int64 failed where the options are stored as JSON
        for name in ("all_files", "follow_links", "rebuild"):
            if not isinstance(getattr(self, name), bool):
                raise SettingError(f"{name} must be True or False, not {getattr(self, name)!r:.80}")

    @property
    def rules(self) -> SkipRules:
        return SkipRules(self.all_files, tuple(self.includes))

    @property
    def reading(self) -> Reading:
        """How this update reads and cuts files."""
        return Reading(READERS_VERSION, self.chunk_size, self.chunk_overlap)

    def to_stored(self, read_as: Reading | None = None) -> dict[str, Any]:
        """The JSON the catalog keeps (its keys are those of every earlier store); ``read_as`` says how
        the stored files were read when that is not how this update reads them (until they are read again)."""
        read_as = read_as or self.reading
        return {"globs": _listed(self.globs), "excludes": _listed(self.excludes), "includes": list(self.includes),
                "all_files": self.all_files, "follow_links": self.follow_links, "chunk_size": read_as.chunk_size,
                "chunk_overlap": read_as.chunk_overlap, "readers": read_as.readers}

    @classmethod
    def from_command_line(cls, args: Any, chunk_size: int, chunk_overlap: int) -> "IndexOptions":
        """The options of ``docchat index`` or ``%docchat_index`` (parsed from ``options.INDEX_OPTIONS``),
        with the chunk sizes their settings resolved."""
        return cls(globs=args.glob, excludes=args.exclude, includes=args.include or (), all_files=args.all_files,
                   follow_links=args.follow_links, chunk_size=chunk_size, chunk_overlap=chunk_overlap,
                   rebuild=args.rebuild)

    @classmethod
    def from_stored(cls, stored: Mapping[str, Any]) -> "IndexOptions":
        """The options a collection was indexed with (the defaults for what an older store did not record)."""
        return cls(globs=stored.get("globs"), excludes=stored.get("excludes"), includes=stored.get("includes") or (),
                   all_files=bool(stored.get("all_files")), follow_links=bool(stored.get("follow_links")),
                   chunk_size=stored.get("chunk_size") or DEFAULT_CHUNK_SIZE,
                   chunk_overlap=_overlap(stored.get("chunk_overlap")))


def _listed(globs: Sequence[str] | None) -> list[str] | None:
    return None if globs is None else list(globs)


def _overlap(stored: Any) -> int:
    # An overlap of 0 is a choice, kept; only a missing one takes the default.
    return DEFAULT_CHUNK_OVERLAP if stored is None else int(stored)

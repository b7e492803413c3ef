"""Which files of a folder to index: globs, excludes, and the default skips (``skips``)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_docchat.errors import FolderError
from jupyter_docchat.indexing import skips
from jupyter_docchat.indexing.ignore_files import IgnoreFiles
from jupyter_docchat.indexing.readers.base import SHEET_EXTS, ZIP_EXTS
from jupyter_docchat.indexing.readers.mail_folders import maildir_folder
from jupyter_docchat.indexing.readers.office_package import ole_file
from jupyter_docchat.indexing.skips import SkipRules
from jupyter_docchat.indexing.user_file import MAX_FILE_BYTES

DEFAULT_EXCLUDES = (".git", "__pycache__", ".ipynb_checkpoints", ".docchat")  # never documents, never named


@dataclass
class Scan:
    files: list[tuple[str, Path]] = field(default_factory=list)  # (stored name, absolute path), sorted
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (stored name, why) of files left out
    details: dict[str, str] = field(default_factory=dict)  # stored name -> what names it in the summary, if not why
    # A build left out for its source (stored name -> (the source's stored name, the build's path)): indexed after
    # all when its source reads to no text, which only reading it tells (a notebook that is not JSON).
    builds: dict[str, tuple[str, Path]] = field(default_factory=dict)


def scan_folder(folder: Path, globs: list[str] | None = None, excludes: list[str] | None = None,
                skip_dirs: list[Path] | None = None, follow_links: bool = False,
                rules: SkipRules | None = None) -> Scan:
    """Every file to consider. Links that resolve outside ``folder`` are left out (and named)
    unless ``follow_links``: a link to ``/etc/passwd`` must not put it in a shareable store.
    The default skips (``skips``: ignore files, build output, a Sphinx build's sources) are named
    too; ``rules`` turns them off, or exempts the files its include globs match."""
    if not folder.exists():
        raise FolderError(f"folder not found: {folder}")
    if not folder.is_dir():
        raise FolderError(f"not a folder: {folder}")
    folder = folder.resolve()
    rules = rules or SkipRules()
    skip = {p.resolve() for p in skip_dirs or []}
    scan = Scan()
    seen_dirs = {folder}  # a folder link back up the tree would otherwise loop
    ignores = IgnoreFiles(folder)
    # A default-skipped folder is walked only for the files an include glob brings back, and named (once)
    # if anything in it is left out: each folder inside it maps to that skipped folder's name and reason.
    skipped_dirs: dict[Path, tuple[str, str]] = {}
    left_out: dict[str, str] = {}
    sources: dict[Path, tuple[Path, Path]] = {}  # a folder in a Sphinx build's _sources -> (build top, _sources)
    within: dict[Path, Callable[[str], str]] = {}  # a build's top folder (MkDocs' assets/) -> why a folder in it goes
    def unlisted(exc: OSError) -> None:
        # A folder one may not list (another user's, a disk's lost+found): named, not passed over in silence. Its
        # first check failed the whole update as the store's fault ("cannot be written: Permission denied", probe 14).
        if exc.filename and Path(exc.filename) == folder:
            raise FolderError(f"cannot read the folder {folder}: {exc.strerror or type(exc).__name__}") from None
        if exc.filename:
            scan.skipped.append((_rel(Path(exc.filename), folder) + "/", f"unreadable folder ({exc.strerror or type(exc).__name__})"))

    for dirpath, dirnames, filenames in os.walk(folder, onerror=unlisted, followlinks=True):
        here = Path(dirpath)
        if not rules.all_files:
            ignores.load(here)
        restricted = skipped_dirs.get(here)
        builds = () if rules.all_files else skips.builds_at(here, set(filenames), set(dirnames))
        sphinx_top = any(kind.name == "sphinx" for kind in builds)
        for kind in builds:
            within.update((here / name, why) for name, why in kind.within.items())
        kept = []
        for d in sorted(dirnames):
            path = here / d
            rel = _rel(path, folder)
            if (d.startswith(".") and not maildir_folder(path)) or d in DEFAULT_EXCLUDES or _excluded(rel, excludes):
                continue
            if _too_long(path):
                scan.skipped.append((rel + "/", TOO_LONG))
                continue
            if why := _unstattable(path):
                scan.skipped.append((rel + "/", f"unreadable folder ({why})"))
                continue
            target = path.resolve()
            if target in skip or target in seen_dirs:
                continue
            if path.is_symlink() and not follow_links and not _inside(target, folder):
                scan.skipped.append((rel + "/", "link outside the folder"))
                continue
            why = "" if restricted or rules.exempt(rel) else (
                _skipped_folder(ignores, path, d) or skips.build_folder(builds, d)
                or (within[here](d) if here in within else ""))
            named = restricted or ((rel + "/", why) if why else None)
            if named and not rules.may_hold_included(rel):
                left_out.setdefault(*named)
                continue
            if named:
                skipped_dirs[path] = named
            if here in sources:
                sources[path] = sources[here]
            elif sphinx_top and d == "_sources":
                sources[path] = (here, path)
            seen_dirs.add(target)
            kept.append(d)
        dirnames[:] = kept
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = here / name
            rel = _rel(path, folder)
            if globs and not any(skips.glob_matches(rel, g, folders=False) for g in globs):
                continue
            if _excluded(rel, excludes):
                continue
            if _too_long(path):
                scan.skipped.append((rel, TOO_LONG))
                continue
            if why := _unstattable(path):
                scan.skipped.append((rel, f"unreadable ({why})"))
                continue
            if path.is_symlink() and not follow_links:
                link_target = _link_target(path)
                if link_target is None:
                    scan.skipped.append((rel, "link loop"))
                    continue
                if not _inside(link_target, folder):
                    scan.skipped.append((rel, "link outside the folder"))
                    continue
            if not path.is_file():
                if path.is_symlink() and not path.exists():
                    scan.skipped.append((rel, "broken link"))
                elif path.exists() and not path.is_dir():  # a FIFO, socket or device: never opened
                    scan.skipped.append((rel, "not a regular file"))
                continue
            if rules.exempt(rel):
                scan.files.append((rel, path))
            elif restricted:
                left_out.setdefault(*restricted)
            elif why := _skipped_file(ignores, path, name, builds, sources.get(here)):
                scan.skipped.append((rel, why))
            else:
                scan.files.append((rel, path))
    scan.skipped += sorted(left_out.items())
    if not rules.all_files:
        _leave_out_builds(scan, rules)
    return scan


def _leave_out_builds(scan: Scan, rules: SkipRules) -> None:
    """A file built from a source that is indexed beside it (paper.pdf from paper.tex) is left out, unless included."""
    built = skips.built_from_sources([rel for rel, _ in scan.files])
    if not built:
        return
    # A source that will give no text (empty, blank, binary, too large, not readable) does not stand for its build:
    # an empty paper.tex left paper.pdf out too, and the folder's text was lost with nothing indexed (probe 13).
    paths = dict(scan.files)
    dead = {source for source in set(built.values()) if not _may_give_text(paths[source])}
    if dead:
        built = skips.built_from_sources([rel for rel, _ in scan.files if rel not in dead])
    kept = []
    for rel, path in scan.files:
        if rel in built and not rules.exempt(rel):
            scan.skipped.append((rel, skips.BUILT))
            scan.details[rel] = f"built from {built[rel].rsplit('/', 1)[-1]}"
            scan.builds[rel] = (built[rel], path)
        else:
            kept.append((rel, path))
    scan.files = kept


def _may_give_text(path: Path) -> bool:
    """Whether a source file may give text, from its first bytes: not empty or blank, no NUL byte (binary) but in a
    zip package (.docx, .pptx, .epub, .odt, .odp), not over the size limit, readable. A gzipped source is taken on its size (its head is compressed)."""
    try:
        size = path.stat().st_size
        if size == 0 or size > MAX_FILE_BYTES:
            return False
        if path.name.lower().endswith(".gz"):
            return True
        with path.open("rb") as stream:
            head = stream.read(8192)
    except OSError:
        return False
    if path.suffix.lower() in ZIP_EXTS:
        return head.startswith(_ZIP_MAGIC)
    if path.suffix.lower() in SHEET_EXTS:  # a zip, or an OLE file (.xls)
        return head.startswith(_ZIP_MAGIC) or ole_file(head)
    return bool(head.strip()) and b"\x00" not in head


# Office sources are zip packages (a Word report, a deck), NUL bytes and all: one that does not open as a zip gives no
# text; one that opens but reads to none, or whose reader's extra is missing, has its build read after it (ingest.py).
_ZIP_MAGIC = b"PK\x03\x04"


# A path the system refuses to open (ENAMETOOLONG: over PATH_MAX, 4,096 bytes on Linux), in a tree nested that deep:
# its first check failed the whole update, said to be the store's fault ("cannot be written: File name too long").
TOO_LONG = "path too long to open"


def _path_max() -> int:
    try:
        return os.pathconf("/", "PC_PATH_MAX") if hasattr(os, "pathconf") else 0
    except (OSError, ValueError):  # a system that does not say: no path is taken for too long
        return 0


_PATH_MAX = _path_max()


def _too_long(path: Path) -> bool:
    return bool(_PATH_MAX) and len(os.fsencode(path)) >= _PATH_MAX


def _unstattable(path: Path) -> str:
    """Why ``path`` cannot even be looked at ("" when it can): in a folder one may list but not enter (mode r--),
    each name's first check raised PermissionError, and the whole update failed as the store's fault (probe 14)."""
    try:
        path.lstat()
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    return ""


def _skipped_folder(ignores: IgnoreFiles, path: Path, name: str) -> str:
    ignore_file = ignores.ignored_by(path, is_dir=True)
    return skips.IGNORED.format(ignore_file) if ignore_file else skips.generated_folder(path)


def _skipped_file(ignores: IgnoreFiles, path: Path, name: str, builds: tuple[skips.BuildKind, ...],
                  sources: tuple[Path, Path] | None) -> str:
    ignore_file = ignores.ignored_by(path, is_dir=False)
    if ignore_file:
        return skips.IGNORED.format(ignore_file)
    why = (skips.generated_file(name) or skips.not_found_page(path) or skips.mail_bin(path)
           or skips.build_file(builds, name))
    if not why and sources is not None:
        build, root = sources
        if skips.rendered_page(build, path.relative_to(root).as_posix()) is not None:
            why = skips.PAGE_SOURCE
    return why


# What a user is told of a collection whose folder was deleted, moved or replaced since it was indexed: its
# index is still searched and answered from (an answer's notice, the status table).
FROM_THE_INDEX = "answers come from the index as it was"


def folder_gone(root: str | None, empty_is_gone: bool = True) -> bool:
    """Whether a collection's folder, as it was given when indexed (a link is checked through), is gone, or holds
    nothing but hidden entries: a drive's mount point while the drive is unmounted, a synced folder offline. The
    check before a question mirrored such a folder, and removed every file of the collection, vectors and all (probe
    22); ``docchat index`` still does, and the collection it empties is not one whose folder is gone
    (``empty_is_gone=False``)."""
    if not root:
        return False
    if not empty_is_gone:
        return not Path(root).is_dir()
    try:
        with os.scandir(root) as entries:  # hidden entries alone (".DS_Store", ".Trash-1000"): as good as empty
            return all(entry.name.startswith(".") for entry in entries)
    except OSError:  # not a folder (gone, a file in its place); one it may not read is not gone (refresh says so)
        return not Path(root).is_dir()


def file_stamp(path: Path) -> tuple[int, int]:
    """(size, modification time in ns): what decides whether a file needs reading again. Raises OSError."""
    stat = path.stat()
    return (stat.st_size, stat.st_mtime_ns)


def _link_target(path: Path) -> Path | None:
    """Where a link leads, None for a loop of links (``a -> b -> a``): Python's resolve raises for one, and
    the whole update failed as if the store had."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):
        return None


def _inside(target: Path, folder: Path) -> bool:
    return target == folder or folder in target.parents


def stored_name(rel: str) -> str:
    """A name SQLite and Chroma can store: names that are not valid UTF-8 (os.walk hands them over
    with lone surrogates) get their undecodable bytes as backslash escapes, the same every run."""
    try:
        rel.encode("utf-8")
        return rel
    except UnicodeEncodeError:
        return os.fsencode(rel).decode("utf-8", "backslashreplace")


def _rel(path: Path, root: Path) -> str:
    return stored_name(path.relative_to(root).as_posix())


def _excluded(rel: str, excludes: list[str] | None) -> bool:
    if not excludes:
        return False
    return any(skips.glob_matches(rel, g) for g in excludes)

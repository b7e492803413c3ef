"""Time the keyword pass (read, split, FTS5) of a fresh index: when %docchat_index lets you ask.

    python bench/keyword_pass.py [--corpora sqlite handbook django latex] [--base REV] [--repeat N] [--no-profile]
                                 [--bytecode]

Each corpus alone, and all of them together in one store (bigger FTS5 tables behave differently), is
copied (as bench/stores.py does) and indexed into a new store with the vector pass deferred (the
notebook's background mode): the figure is the time from the update's start until keyword search covers
every chunk (the set-up before reading, the scan, the store's lock and whatever else came first, is part
of it and shown apart), then the time until the update returned (Chroma and the model's loading
included, wherever they come). Beside
each figure, the same pass by the code of ``--base`` (default: where this branch left main), run from
a temporary git worktree in the same session, the two alternating. Each run is a process of its own
and also reports its CPU seconds and its reading workers': on a shared machine the wall time says as
much about the neighbours, and the CPU a pass needs does not change with them (the CPU until keyword search is
ready is given apart, as the median of the runs). Then whether both stores
hold the same chunks and rank the same chunks first for the corpus's questions (keyword search), what
does not shrink with the folder (a reading worker's imports, Chroma's and the model's loading), and the
profile of one pass over all the corpora, read in one process so the readers' work shows too.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from corpus import DEVELOPMENT, build, questions_file  # noqa: E402

ALL = "all"  # every corpus given, in one store


def child(code: str, folder: str, store: str) -> None:
    """One keyword pass by the package at ``code``; prints its figures as JSON."""
    sys.path.insert(0, code)
    from jupyter_docchat import DocIndex
    from jupyter_docchat.indexing import ingest

    # The CPU when keyword search is ready: when the update's Updater.run returns (its reading workers reaped by
    # then), before Chroma's and the model's loads that follow in background mode on a fresh store.
    at_ready: list[float] = []
    run = ingest.Updater.run

    def timed_run(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return run(self, *args, **kwargs)
        finally:
            mine, theirs = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
            at_ready[:] = [mine.ru_utime + mine.ru_stime, theirs.ru_utime + theirs.ru_stime]

    ingest.Updater.run = timed_run  # type: ignore[method-assign]
    shutil.rmtree(store, ignore_errors=True)
    index = DocIndex(store)
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    report = index.update(folder, background=True)
    whole = time.perf_counter() - started
    # Before the vector pass the update just started gets far: its CPU is no part of this figure.
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    index.close()
    import jupyter_docchat

    if hasattr(report, "setup_seconds"):  # lexical_seconds counts from the update's start
        ready, setup = report.lexical_seconds, report.setup_seconds
    else:
        # Older code counted it from the reading's start, after the set-up (Chroma, the model), and did
        # nothing after the keyword pass but start the vector pass's thread: the update's whole time less
        # what followed the keyword pass is the same measure.
        ready = whole - (report.seconds - report.lexical_seconds)
        setup = ready - report.lexical_seconds
    print(json.dumps({"code": str(Path(jupyter_docchat.__file__).parents[1]), "seconds": ready, "setup": setup,
                      "whole": whole, "chunks": report.chunks_total,
                      "cpu": own.ru_utime + own.ru_stime, "workers_cpu": workers.ru_utime + workers.ru_stime,
                      "ready_cpu": at_ready[0] - before.ru_utime - before.ru_stime, "ready_workers_cpu": at_ready[1]}))


def run_pass(code: Path, folder: Path, store: Path, bytecode: Path | None = None) -> dict:
    """One pass in a process of its own; ``bytecode``: the folder Python keeps the modules' compiled code in
    (PYTHONPYCACHEPREFIX), as an installed package has it, rather than compiling docchat's modules in every process."""
    shutil.rmtree(store, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(code)}
    if bytecode is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(bytecode)
    done = subprocess.run([sys.executable, __file__, "--child", str(code), str(folder), str(store)],
                          capture_output=True, text=True, env=env, cwd=str(code))
    if done.returncode:
        raise SystemExit(f"the pass of {code} failed:\n{done.stderr[-3000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert Path(figures["code"]) == code.resolve(), f"the pass ran {figures['code']}, not {code}"
    return figures


def stored(store: Path) -> tuple[dict, sqlite3.Connection]:
    db = sqlite3.connect(f"{(store / 'docchat.sqlite').as_uri()}?mode=ro", uri=True)
    rows = {r[0]: r[1:] for r in db.execute("SELECT id, source, heading, text, meta FROM chunks")}
    return rows, db


def keyword_top(db: sqlite3.Connection, query: str, limit: int = 10) -> list[tuple[str, float]]:
    from jupyter_docchat.store.terms import fts_match

    match = fts_match(query)
    if not match:
        return []
    return [(r[0], round(r[1], 6)) for r in db.execute(
        "SELECT c.id, bm25(chunks_fts, 2.0, 1.0) FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid "
        "WHERE chunks_fts MATCH ? ORDER BY bm25(chunks_fts, 2.0, 1.0), c.id LIMIT ?", (match, limit))]


def compare(new: Path, old: Path, corpora: list[str]) -> str:
    """Whether two stores hold the same chunks and give the same keyword top 10 for the questions."""
    new_rows, new_db = stored(new)
    old_rows, old_db = stored(old)
    if new_rows != old_rows:
        differ = len(set(new_rows.items()) ^ set(old_rows.items()))
        return f"chunks DIFFER ({len(new_rows)} and {len(old_rows)}, {differ} rows not in both)"
    questions = [json.loads(line)["question"] for corpus in corpora if questions_file(corpus).exists()
                 for line in questions_file(corpus).read_text().splitlines() if line.strip()]
    same = sum(keyword_top(new_db, q) == keyword_top(old_db, q) for q in questions)
    return f"same {len(new_rows)} chunks; same keyword top 10 for {same} of {len(questions)} questions"


def profile(folder: Path, work: Path, top: int) -> str:
    """Where the CPU of a pass goes, reading included: one process, no workers, CPU time."""
    from jupyter_docchat import DocIndex
    from jupyter_docchat.indexing import reading
    from jupyter_docchat.indexing.readers import load_all
    from jupyter_docchat.indexing.reading import ChunkerSpec

    reading.POOL_MIN_FILES = 10**9  # read in this process, so the profile sees the readers
    index = DocIndex(work / "profiled")
    index.vectors(), index.embedder(), load_all(), ChunkerSpec(800, 100, "minilm").build()._splitter(".html")
    profiler = cProfile.Profile(time.process_time)  # the pass, not the imports: a kernel has those already
    profiler.enable()
    index.update(folder, background=True)
    profiler.disable()
    index.close()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    areas: dict[str, float] = {}
    for (filename, _, function), row in stats.stats.items():  # type: ignore[attr-defined]
        areas[_area(filename, function)] = areas.get(_area(filename, function), 0.0) + row[2]
    total = sum(areas.values())
    summary = ", ".join(f"{name} {seconds:.1f} s ({seconds / total:.0%})"
                        for name, seconds in sorted(areas.items(), key=lambda a: -a[1])[:8])
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if "ncalls" in line)
    return f"by area (own time, {total:.1f} s in all): {summary}\n" + "\n".join(lines[start : start + top + 1])


def startup(code: Path, formats: str = ".html", top: int = 5) -> str:
    """What does not shrink with the folder, in fresh processes: a reading worker's imports (``python -X
    importtime -m jupyter_docchat.indexing.read_worker``, started for ``formats``) by their largest
    imports, and the CPU of loading Chroma and the model (after the keyword pass, in background mode)."""
    env = {**os.environ, "PYTHONPATH": str(code), "DOCCHAT_READER_FORMATS": formats}
    env.pop("DOCCHAT_READER_PARENT", None)
    worker = subprocess.run([sys.executable, "-X", "importtime", "-m", "jupyter_docchat.indexing.read_worker"],
                            input=b"", capture_output=True, env=env, cwd=str(code))
    rows = []  # (cumulative microseconds, name) of each import made at the top level, not by another
    for line in worker.stderr.decode(errors="replace").splitlines():
        if line.startswith("import time:") and "cumulative" not in line:
            _, cumulative, name = line.split("|", 2)
            if len(name) - len(name.lstrip()) == 1:
                rows.append((int(cumulative), name.strip()))
    total = sum(us for us, _ in rows)
    biggest = ", ".join(f"{name} {us / 1e6:.2f} s" for us, name in sorted(rows, reverse=True)[:top])
    loads = subprocess.run([sys.executable, "-c", (
        "import resource, tempfile\n"
        "cpu = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])\n"
        "from jupyter_docchat import DocIndex\n"
        "index = DocIndex(tempfile.mkdtemp()); a = cpu(); index.vectors(); b = cpu(); index.embedder(); c = cpu()\n"
        "print(f'{b - a:.2f} {c - b:.2f}')")], capture_output=True, text=True, env=env, cwd=str(code))
    chroma, model = loads.stdout.split() if loads.returncode == 0 else ("?", "?")
    return (f"a reading worker's imports ({formats}): {total / 1e6:.2f} s in all (wall, -X importtime); the largest: "
            f"{biggest}\nChroma's import and open {chroma} CPU-s, the model's load {model} CPU-s")


def _area(filename: str, function: str) -> str:
    """Which package or docchat module a profile row's own time belongs to."""
    if filename == "~":  # "<method 'executemany' of 'sqlite3.Connection' objects>", "<built-in method posix.stat>"
        if function.startswith("<built-in method "):
            owner = function.removeprefix("<built-in method ")
        elif " of '" in function:
            owner = function.split(" of '")[1].split("'")[0]
        else:
            owner = "builtins"
        return owner.split(".")[0].strip("<>'_") or "builtins"
    path = Path(filename)
    if "site-packages" in path.parts:
        return path.parts[path.parts.index("site-packages") + 1].split(".")[0]
    if "jupyter_docchat" in path.parts:
        return "docchat " + ".".join(path.parts[path.parts.index("jupyter_docchat") + 1 :]).removesuffix(".py")
    return "python"


def base_worktree(base: str, where: Path) -> Path:
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(where), base], check=True,
                   capture_output=True)
    return where


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        return child(*sys.argv[2:5])
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpora", nargs="+", default=list(DEVELOPMENT))
    parser.add_argument("--base", default="", help="the commit to compare with (default: merge-base with main)")
    parser.add_argument("--repeat", type=int, default=1, help="passes of each code per store")
    parser.add_argument("--no-all", action="store_true", help="skip the store holding every corpus")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up figures (workers' imports, loads)")
    parser.add_argument("--top", type=int, default=15, help="profile lines")
    parser.add_argument("--profile-of", default=ALL, help="the corpus whose pass is profiled (default: all)")
    parser.add_argument("--bytecode", action="store_true",
                        help="passes use compiled modules, as an installed package does (a first pass of each code "
                             "per store, not counted, compiles them): with PYTHONDONTWRITEBYTECODE=1 and a checkout "
                             "without __pycache__, every process compiles docchat's modules from source")
    args = parser.parse_args()
    base = args.base or subprocess.run(["git", "-C", str(ROOT), "merge-base", "HEAD", "main"], check=True,
                                       capture_output=True, text=True).stdout.strip()
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True).stdout.strip()
    work = Path(tempfile.mkdtemp(prefix="docchat-keyword-"))
    old_code = base_worktree(base, work / "base-code")
    try:
        folders: dict[str, Path] = {}
        for corpus in args.corpora:
            folders[corpus] = build(work / "corpora" / corpus, corpus=corpus)
        sets = [[c] for c in args.corpora] + ([] if args.no_all or len(args.corpora) < 2 else [list(args.corpora)])
        if len(sets) > len(args.corpora):
            for corpus in args.corpora:  # one folder holding each corpus in its own subfolder, as the questions name them
                build(work / "corpora" / ALL, corpus=corpus)
            folders[ALL] = work / "corpora" / ALL
        print(f"keyword pass: this tree ({head}, uncommitted changes included) against {base[:7]}, "
              f"{args.repeat} pass(es) each, alternating; wall seconds, then CPU seconds of the process + its readers")
        for names in sets:
            name = names[0] if len(names) == 1 else ALL
            folder = folders[name]
            size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6
            runs: dict[str, list[dict]] = {"new": [], "old": []}
            bytecode = work / "bytecode" if args.bytecode else None
            if bytecode is not None:
                for label, code in (("new", ROOT), ("old", old_code)):
                    run_pass(code, folder, work / "stores" / f"{name}-{label}", bytecode)
            for n in range(args.repeat):
                order = [("new", ROOT), ("old", old_code)] if n % 2 == 0 else [("old", old_code), ("new", ROOT)]
                for label, code in order:
                    runs[label].append(run_pass(code, folder, work / "stores" / f"{name}-{label}", bytecode))

            def figures(label: str) -> str:
                best = min(runs[label], key=lambda r: r["seconds"])
                cpu = min(runs[label], key=lambda r: r["cpu"] + r["workers_cpu"])
                whole = min(r["whole"] for r in runs[label])
                middle = statistics.median(r["seconds"] for r in runs[label])
                ready = [r for r in runs[label] if "ready_cpu" in r]
                at_ready = (f"; CPU until ready, median {statistics.median(r['ready_cpu'] for r in ready):.2f} s + "
                            f"readers {statistics.median(r['ready_workers_cpu'] for r in ready):.2f} s" if ready else "")
                return (f"{best['seconds']:.2f} s = {size / best['seconds']:.2f} MB/s, median {middle:.2f} s = "
                        f"{size / middle:.2f} MB/s (set-up {best['setup']:.2f} s{at_ready}; "
                        f"CPU {cpu['cpu']:.1f} s + readers {cpu['workers_cpu']:.1f} s; the update returned after "
                        f"{whole:.1f} s = {size / whole:.2f} MB/s)")

            chunks = runs["new"][0]["chunks"]
            print(f"{name}: {size:.1f} MB, {chunks} chunks: now {figures('new')}; base {figures('old')}", flush=True)
            print(f"  {compare(work / 'stores' / f'{name}-new', work / 'stores' / f'{name}-old', names)}", flush=True)
        if not args.no_startup:
            print(f"\nstart-up (Chroma and the model load before the keyword pass at {base[:7]}; here, in background "
                  f"mode on a fresh store, after it), this tree:\n{startup(ROOT)}")
            print(f"start-up, {base[:7]}:\n{startup(old_code)}", flush=True)
        if not args.no_profile:
            target = folders.get(args.profile_of) or folders[args.corpora[0]]
            print(f"\nprofile of one pass over {target.name} in one process (CPU seconds, top {args.top} by own time):")
            print(profile(target, work, args.top))
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old_code)], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

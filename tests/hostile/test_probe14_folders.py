"""Probe 14: a folder one may not enter inside the indexed folder (another user's, a disk's lost+found) failed the
whole update as the store's fault: "the store ... cannot be written: Permission denied". It is named and left out;
the indexed folder itself unreadable is a one-line error, and a question is answered from the index as it was.

Permissions mean nothing to root, so as root the script runs as the user nobody (setpriv), in a folder it owns."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from conftest import ROOT

_SCRIPT = textwrap.dedent("""
    import json, os, sys
    from jupyter_docchat import DocIndex
    from jupyter_docchat.errors import DocChatError

    top = sys.argv[1]
    docs, private = os.path.join(top, "docs"), os.path.join(top, "docs", "private")
    out = {}
    with DocIndex(os.path.join(top, "store")) as index:
        index.update(docs)
        os.chmod(private, 0)
        os.chmod(os.path.join(docs, "listed"), 0o444)  # its names listed, none looked at
        with open(os.path.join(docs, "locked.md"), "w") as new:  # a file added since, one may not read
            new.write("# Locked\\n\\nThe bilby is nocturnal.\\n")
        os.chmod(os.path.join(docs, "locked.md"), 0)
        report = index.update(docs)
        out["files"] = sorted(index.catalog.files(index.collection))
        out["skipped"] = report.skipped_files
        os.chmod(private, 0o755)
        os.chmod(os.path.join(docs, "listed"), 0o755)
        os.chmod(os.path.join(docs, "locked.md"), 0o644)
        out["back"] = index.update(docs).added
        os.chmod(docs, 0)
        try:
            index.update(docs)
            out["top"] = "no error"
        except DocChatError as exc:
            out["top"] = str(exc)
        out["answer"] = index.ask("What does the numbat eat?", model="extractive").text
        os.chmod(docs, 0o755)
    print("REPORT " + json.dumps(out))
""")


def test_a_folder_one_may_not_enter_is_named_and_left_out() -> None:
    top = Path(tempfile.mkdtemp(prefix="docchat-perm-"))
    try:
        (top / "docs" / "private").mkdir(parents=True)
        (top / "docs" / "numbat.md").write_text("# Numbat\n\nThe numbat eats termites, up to 20,000 a day.\n")
        (top / "docs" / "private" / "quokka.md").write_text("# Quokka\n\nThe quokka is a small wallaby.\n")
        (top / "docs" / "listed").mkdir()
        (top / "docs" / "listed" / "wombat.md").write_text("# Wombat\n\nThe wombat digs burrows.\n")
        (top / "run.py").write_text(_SCRIPT)
        command = [sys.executable, str(top / "run.py"), str(top)]
        env = dict(os.environ, PYTHONPATH=str(ROOT), HOME=str(top))
        if os.geteuid() == 0:
            for path in [top, *top.rglob("*")]:
                os.chown(path, 65534, 65534)
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600, cwd=top)
        line = next((l for l in done.stdout.splitlines() if l.startswith("REPORT ")), None)
        assert line is not None, done.stdout + done.stderr
        out = json.loads(line[len("REPORT "):])
        assert out["files"] == ["numbat.md"]
        assert sorted(out["skipped"]) == [["listed/wombat.md", "unreadable (Permission denied)"],
                                          ["locked.md", "unreadable (Permission denied)"],
                                          ["private/", "unreadable folder (Permission denied)"]]
        assert out["back"] == 3
        assert out["top"] == f"cannot read the folder {top / 'docs'}: Permission denied"
        assert "termites" in out["answer"]
    finally:
        for path in [top, *top.rglob("*")] if top.exists() else []:
            if path.is_dir():
                path.chmod(0o755)
        shutil.rmtree(top, ignore_errors=True)

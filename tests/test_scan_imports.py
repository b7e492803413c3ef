"""The scan imports pathspec only for a folder holding an ignore file: the import came before the reading workers were
started, in every update of a folder without one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCAN = ("import json, sys; from pathlib import Path; from jupyter_docchat.indexing.scan import scan_folder; "
        "scan = scan_folder(Path(sys.argv[1])); "
        "print(json.dumps([sorted(rel for rel, _ in scan.files), 'pathspec' in sys.modules]))")


def _scan(folder: Path) -> tuple[list[str], bool]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", SCAN, str(folder)], capture_output=True, text=True, env=env, check=True)
    files, imported = json.loads(done.stdout)
    return files, imported


def test_a_folder_without_ignore_files_is_scanned_without_pathspec(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.md").write_text("# A\n")
    (tmp_path / "sub" / "b.md").write_text("# B\n")
    assert _scan(tmp_path) == (["a.md", "sub/b.md"], False)


def test_an_ignore_file_in_a_subfolder_still_leaves_its_files_out(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.md").write_text("# A\n")
    (tmp_path / "sub" / "b.md").write_text("# B\n")
    (tmp_path / "sub" / "c.md").write_text("# C\n")
    (tmp_path / "sub" / ".gitignore").write_text("c.md\n")
    files, imported = _scan(tmp_path)
    assert imported
    assert "sub/c.md" not in files and {"a.md", "sub/b.md"} <= set(files)

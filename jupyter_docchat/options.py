"""The options both front ends offer (``docchat ...`` and the magics), defined once.

Each entry is the flags and keyword arguments of ``argparse.add_argument``, which IPython's
``@argument`` takes too: an option added here reaches ``docchat index`` and ``%docchat_index`` alike.
Values are checked where they become ``Settings`` (settings.LIMITS), so both say the same.
"""

from __future__ import annotations

from typing import Any

Option = tuple[tuple[str, ...], dict[str, Any]]

# Where the index lives. (The CLI also takes these before its subcommand.)
WHERE_OPTIONS: list[Option] = [
    (("--store",), {"help": "store folder (default ./.docchat or $DOCCHAT_HOME)"}),
    (("--collection",), {"help": "collection name (default 'docs' or $DOCCHAT_COLLECTION)"}),
    (("--server",), {"help": "Chroma server URL, instead of the store folder's own Chroma"}),
]

# Building or updating the index of a folder.
INDEX_OPTIONS: list[Option] = [
    (("folder",), {"help": "folder of documents to index"}),
    (("--glob",), {"action": "append", "help": "only files matching this pattern (repeatable)"}),
    (("--exclude",), {"action": "append", "help": "skip files or folders matching this pattern (repeatable)"}),
    (("--include",), {"action": "append",
                      "help": "index files matching this pattern even if skipped by default (ignored, generated, copies)"}),
    (("--all",), {"action": "store_true", "dest": "all_files", "help": "no default skips: index every file of a known type"}),
    (("--chunk-size",), {"type": int, "help": "characters per chunk (default 800)"}),
    (("--chunk-overlap",), {"type": int, "help": "characters of overlap between chunks (default 100)"}),
    (("--embeddings",), {"help": "'minilm' (offline, the default) or 'openai:MODEL'"}),
    (("--rebuild",), {"action": "store_true", "help": "drop the collection and index everything again"}),
    (("--follow-links",), {"action": "store_true", "help": "also index links that resolve outside the folder"}),
    (("--quiet",), {"action": "store_true", "help": "no progress bars"}),
]

"""Plain settings handed from the magics (or any caller) to the core."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_EMBEDDINGS = "minilm"
DEFAULT_COLLECTION = "docs"
DEFAULT_CHUNK_SIZE = 800
DEFAULT_CHUNK_OVERLAP = 100


def default_store() -> Path:
    home = os.environ.get("DOCCHAT_HOME")
    return Path(home) if home else Path.cwd() / ".docchat"


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass(frozen=True)
class Settings:
    """Everything the core needs to know; no IPython, no traitlets."""

    store: Path = field(default_factory=default_store)
    collection: str = field(default_factory=lambda: os.environ.get("DOCCHAT_COLLECTION", DEFAULT_COLLECTION))
    embeddings: str | None = field(default_factory=lambda: os.environ.get("DOCCHAT_EMBEDDINGS") or None)
    chunk_size: int = field(default_factory=lambda: _env_int("DOCCHAT_CHUNK_SIZE", DEFAULT_CHUNK_SIZE))
    chunk_overlap: int = field(default_factory=lambda: _env_int("DOCCHAT_CHUNK_OVERLAP", DEFAULT_CHUNK_OVERLAP))
    model: str = field(default_factory=lambda: os.environ.get("DOCCHAT_MODEL", ""))
    # Left out of the repr as the secrets are: a URL may hold a password (http://user:KEY@host).
    base_url: str = field(default_factory=lambda: os.environ.get("OPENAI_BASE_URL", ""), repr=False)
    api_key: str = field(default_factory=lambda: os.environ.get("OPENAI_API_KEY", ""), repr=False)
    server: str = field(default_factory=lambda: os.environ.get("DOCCHAT_CHROMA_URL", ""), repr=False)
    server_token: str = field(default_factory=lambda: os.environ.get("DOCCHAT_CHROMA_TOKEN", ""), repr=False)
    temperature: float = 0.0
    k: int = 5
    history_turns: int = 4
    max_retries: int = 2
    timeout: float = 60.0
    lock_timeout: float = 30.0
    progress: bool = True
    # Before each question, re-index the files of the folder that changed (sizes and modification times).
    auto_update: bool = field(default_factory=lambda: os.environ.get("DOCCHAT_AUTO_UPDATE", "1").lower()
                              not in ("0", "false", "no", "off"))

    def with_(self, **changes: object) -> "Settings":
        """A copy with the non-None ``changes`` applied."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

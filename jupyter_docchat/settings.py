"""Plain settings handed from the magics (or any caller) to the core."""

from __future__ import annotations

import math
import numbers
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jupyter_docchat.errors import SettingError

DEFAULT_EMBEDDINGS = "minilm"
DEFAULT_COLLECTION = "docs"
DEFAULT_CHUNK_SIZE = 800
DEFAULT_CHUNK_OVERLAP = 100
# Below this many chunks to embed (about 10 s of work) a notebook's update, or the refresh before a
# question, waits for the vectors rather than answering from keywords alone in the meantime.
BACKGROUND_MIN_CHUNKS = 256


def default_store() -> Path:
    home = os.environ.get("DOCCHAT_HOME")
    return Path(home) if home else Path.cwd() / ".docchat"


def _env_int(name: str, setting: str, default: int) -> int:
    """``$name``'s whole number, within the limits of ``setting``; the error names the variable either way
    (a value out of limits named only the setting, which the user may never have set by that name)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingError(f"${name} must be a whole number, not {raw!r}") from None
    try:
        return check_setting(setting, value)
    except SettingError as exc:
        raise SettingError(f"{exc} (from ${name})") from None


@dataclass(frozen=True)
class Limit:
    """The values one number setting may take. ``LIMITS`` is the one table of them: ``Settings``, the
    magics' traits, the CLI's options and the API's arguments all check through ``check_setting``."""

    low: float
    high: float | None = None
    whole: bool = True
    above_low: bool = False  # the low end itself is not allowed (a timeout of 0 s)
    unit: str = ""

    def describe(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        kind = "a whole number" if self.whole else "a number"
        if self.high is not None:
            return f"{kind} between {self.low:g} and {self.high:g}{unit}"
        return f"{kind} {'above' if self.above_low else 'of at least'} {self.low:g}{unit}"


LIMITS: dict[str, Limit] = {
    "k": Limit(1, 50),
    "chunk_size": Limit(50, unit="characters"),
    "chunk_overlap": Limit(0, unit="characters"),  # and below the chunk size: check_chunking
    "temperature": Limit(0, 2, whole=False),
    "history_turns": Limit(0, 100),
    "max_retries": Limit(0, 20),
    "max_tokens": Limit(16, 32768),
    "timeout": Limit(0, whole=False, above_low=True, unit="s"),
    "lock_timeout": Limit(0, whole=False, unit="s"),
}
# How a setting is named in messages: as the user writes it (the CLI's and the magics' --chunk-size).
_LABELS = {"k": "k", "history_turns": "history turns", "max_retries": "max retries", "lock_timeout": "lock timeout",
           "max_tokens": "max tokens",
           "chunk_size": "chunk size", "chunk_overlap": "chunk overlap"}


def _whole(value: Any) -> bool:
    """Whether a real number that is no integer type (2.0, np.float32(2.0), Fraction(4, 2)) is whole."""
    try:
        return bool(value == int(value))
    except (OverflowError, ValueError):  # an infinity
        return False


def check_setting(name: str, value: Any) -> Any:
    """``value`` as an int (or a float, for a setting that is not whole) when it is within
    ``LIMITS[name]``; else a one-line SettingError saying what is allowed. A whole number may come as
    a float (2.0, as traitlets' Int takes it); a boolean is not a number here."""
    limit = LIMITS[name]
    label = _LABELS.get(name, name)
    # numbers.Real, not (int, float): NumPy's numbers (k=np.int64(3), from a loop over np.arange) were refused as
    # "not np.int64(3)". Booleans, Python's or NumPy's (np.bool_ is no numbers.Real), are not numbers here.
    # "value == value" is False for NaN alone, and never turns 10**400 or a huge Fraction into a float (OverflowError).
    number = isinstance(value, numbers.Real) and not isinstance(value, bool) and value == value
    if number and limit.whole and not isinstance(value, numbers.Integral):
        number = _whole(value)
    if not number:
        raise SettingError(f"{label} must be {limit.describe()}, not {value!r}")
    too_low = value <= limit.low if limit.above_low else value < limit.low
    if too_low or (limit.high is not None and value > limit.high):
        raise SettingError(f"{label} must be {limit.describe()}, not {value!r}")
    if limit.whole:
        return int(value)
    try:
        return float(value)
    except OverflowError:  # lock_timeout=10**400: no limit above, and past what a float holds
        raise SettingError(f"{label} must be {limit.describe()}, not {value!r:.40}") from None


def check_chunking(chunk_size: Any, chunk_overlap: Any) -> None:
    """Each within its limits, and the overlap below the size."""
    check_setting("chunk_size", chunk_size)
    check_setting("chunk_overlap", chunk_overlap)
    if chunk_overlap >= chunk_size:
        raise SettingError(f"chunk overlap must be below the chunk size ({chunk_size}), not {chunk_overlap}")


def check_url(name: str, value: Any) -> Any:
    """An http(s) URL, or empty for none; a Chroma server may also be given as host:port. The value is
    not repeated in the message: a URL may carry a key (user:KEY@host)."""
    if not isinstance(value, str):
        raise SettingError(f"{name} must be a URL, not a {type(value).__name__}")
    scheme, sep, _ = value.partition("://")
    allowed = scheme.lower() in ("http", "https") if sep else (name == "server" and "/" not in value)
    if value and (not allowed or any(c.isspace() for c in value)):
        raise SettingError(f"{name} must be an http:// or https:// URL" + (" or host:port" if name == "server" else ""))
    if value and sep:
        try:  # a port that is no number or out of range, an unclosed "[": the client would fail on every call
            parts = urlsplit(value)
            if not parts.hostname or (parts.port or 0) < 0:  # .port raises for what is no port
                raise ValueError
        except ValueError:
            raise SettingError(f"{name} must be an http:// or https:// URL with a host (and a port of 0-65535)") from None
    return value


@dataclass(frozen=True)
class Settings:
    """Everything the core needs to know; no IPython, no traitlets."""

    store: Path = field(default_factory=default_store)
    collection: str = field(default_factory=lambda: os.environ.get("DOCCHAT_COLLECTION", DEFAULT_COLLECTION))
    embeddings: str | None = field(default_factory=lambda: os.environ.get("DOCCHAT_EMBEDDINGS") or None)
    chunk_size: int = field(default_factory=lambda: _env_int("DOCCHAT_CHUNK_SIZE", "chunk_size", DEFAULT_CHUNK_SIZE))
    chunk_overlap: int = field(default_factory=lambda: _env_int("DOCCHAT_CHUNK_OVERLAP", "chunk_overlap", DEFAULT_CHUNK_OVERLAP))
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
    # A cap on a model's answer (and its rewrite of a follow-up); a local GGUF's is lower.
    max_tokens: int = field(default_factory=lambda: _env_int("DOCCHAT_MAX_TOKENS", "max_tokens", 1024))
    timeout: float = 60.0
    lock_timeout: float = 30.0
    progress: bool = True
    # Before each question, re-index the files of the folder that changed (sizes and modification times).
    auto_update: bool = field(default_factory=lambda: os.environ.get("DOCCHAT_AUTO_UPDATE", "1").lower()
                              not in ("0", "false", "no", "off"))

    def __post_init__(self) -> None:
        for item in fields(self):
            if item.name in LIMITS:  # frozen: a whole number given as 2.0 is stored as 2
                object.__setattr__(self, item.name, check_setting(item.name, getattr(self, item.name)))
        try:
            check_chunking(self.chunk_size, self.chunk_overlap)
        except SettingError as exc:  # say which of the two came from the environment, if one did
            given = [f"${name} is {value}" for name, value in (("DOCCHAT_CHUNK_SIZE", self.chunk_size),
                                                                ("DOCCHAT_CHUNK_OVERLAP", self.chunk_overlap))
                     if os.environ.get(name, "").strip() == str(value)]
            raise SettingError(f"{exc} ({', '.join(given)})" if given else str(exc)) from None
        for name in ("base_url", "server"):
            check_url(name, getattr(self, name))

    def with_(self, **changes: Any) -> "Settings":
        """A copy with the non-None ``changes`` applied."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

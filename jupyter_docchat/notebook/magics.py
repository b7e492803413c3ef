"""The IPython layer: parse arguments, call the core, render. Nothing else lives here."""

from __future__ import annotations

import contextlib
import functools
import os
import shlex
import sys
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, line_magic, magics_class, no_var_expand
from IPython.core.magic_arguments import argument, magic_arguments
from traitlets import Bool, Float, Int, TraitError, Unicode, observe, validate

from jupyter_docchat.notebook import shell_words
from jupyter_docchat.notebook.ask_args import parse_ask
from jupyter_docchat.qa.answer_levers import SHIPPED
from jupyter_docchat.qa.cells import (Cell, cell_secrets, notebook_markdown_cells, notebook_path, saved_printed,
                                      session_cells)
from jupyter_docchat.qa.conversation import AnswerFailed, Conversation
from jupyter_docchat.qa.key_guard import KeyGuard
from jupyter_docchat.qa.variables import parse_names, variable_hits
from jupyter_docchat.errors import DocChatError, SettingError, with_command
from jupyter_docchat.views.history import HistoryView, save, turns
from jupyter_docchat.index import DocIndex
from jupyter_docchat.indexing.index_options import IndexOptions
from jupyter_docchat.qa.llm import stop_local_models
from jupyter_docchat.notebook.input_hook import protect_ask_questions
from jupyter_docchat.notebook.live import LiveAnswer
from jupyter_docchat.views.answer import AnswerView
from jupyter_docchat.safe_text import for_terminal, hide_credentials, name_on_one_line
from jupyter_docchat.options import INDEX_OPTIONS, WHERE_OPTIONS, Option
from jupyter_docchat.settings import BACKGROUND_MIN_CHUNKS, LIMITS, Settings, check_chunking, check_setting, check_url
from jupyter_docchat.store.embedding_names import canonical_name
from jupyter_docchat.store.vectors import check_collection_name
from jupyter_docchat.views.status import StoreStatus
from jupyter_docchat.paths import user_path

HISTORY_VAR = "docchat_history"
REPORT_VAR = "docchat_report"  # the last %docchat_index run's IndexReport
SECRET_TRAITS = {"api_key", "server_token"}
# The notebook's command for each next step a core message names (errors.Remedy).
COMMANDS = {"index": "run %docchat_index <folder>", "finish_index": "run %docchat_index <folder>",
            "ask": "write it after %ask, or in the body of a %%ask cell",
            "key": "$OPENAI_API_KEY or %config DocChat.api_key", "model": "%config DocChat.model, or --model"}


def _masked_error(exc: Exception, guard: KeyGuard) -> Exception | None:
    """``exc`` again with the configured secrets its message repeats masked; None when it repeats none."""
    message = guard.masked(str(exc))
    return None if message == str(exc) else type(exc)(message)


def usage_errors(magic: Callable[..., Any]) -> Callable[..., Any]:
    """The one place the core's errors become IPython's UsageError: one line, no traceback."""

    @functools.wraps(magic)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return magic(*args, **kwargs)
        except DocChatError as exc:
            # A path holding the configured key (a folder named after it) is not shown: the error stays in the notebook.
            message = _key_guard(args[0] if args else None).masked(with_command(str(exc), exc.remedy, COMMANDS))
            raise UsageError(for_terminal(message)) from None
        except UsageError as exc:
            # An option's parser repeats what was typed: `--chunk-size $OPENAI_API_KEY` showed the key (probe 14).
            masked = _masked_error(exc, _key_guard(args[0] if args else None))
            if masked is None:
                raise
            raise masked from None

    return wrapper


def _key_guard(magics: Any) -> KeyGuard:
    """The secrets of the magics' settings, or of the environment where the settings are the error."""
    try:
        return KeyGuard.of(magics.settings())
    except Exception:  # a bad setting (an environment variable's): its error is what is shown
        return KeyGuard.of_environ()


def where_arguments(collection: bool = True) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--store, --collection (unless ``collection`` is False) and --server: the same for every magic."""
    return _arguments([o for o in WHERE_OPTIONS if collection or o[0] != ("--collection",)])


def _arguments(options: list[Option]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``@argument`` for each of ``options``, in their order (decorators apply from the last)."""

    def add(magic: Callable[..., Any]) -> Callable[..., Any]:
        for flags, kwargs in reversed(options):
            magic = argument(*flags, **kwargs)(magic)
        return magic

    return add


class HiddenStr(str):
    """A secret that shows as "set (hidden)" wherever IPython or a log would print it."""

    def __repr__(self) -> str:
        return "'set (hidden)'" if self else "''"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


class MaskedStr(str):
    """A value that shows with the configured keys masked wherever IPython would print it (``%config DocChat.store``
    after ``%docchat_index ... --store`` a folder named with the key: the line saying so masked it, Out[] did not)."""

    magics: Any = None

    def __repr__(self) -> str:
        return repr(_key_guard(self.magics).masked(str(self)))

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


def _masked_str(value: str, magics: Any) -> MaskedStr:
    shown = MaskedStr(value)
    shown.magics = magics
    return shown


class Secret(Unicode):
    """A Unicode trait whose value never prints (``%config DocChat.api_key`` shows "set (hidden)")."""

    def validate(self, obj: Any, value: Any) -> HiddenStr:
        return HiddenStr(super().validate(obj, value))


class ShownUrl(str):
    """A URL that shows without its password (``http://user:***@host``) wherever IPython would print it."""

    def __repr__(self) -> str:
        return repr(hide_credentials(str(self)))

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


class Url(Unicode):
    """A Unicode trait for a URL that may hold a password: ``%config`` shows it masked."""

    def validate(self, obj: Any, value: Any) -> ShownUrl:
        return ShownUrl(super().validate(obj, value))


def _env_default(name: str) -> Any:
    """A trait's default as ``Settings`` reads it from the environment: one place knows the variables."""
    value = getattr(Settings(), name)
    if value is None:
        return ""
    return str(value) if isinstance(value, Path) else value


class _FromSettings:
    """Mixed into a trait type: its default is ``Settings()``'s field of the same name, read when first
    used (so an environment variable set after ``%load_ext`` still counts)."""

    def default(self, obj: Any = None) -> Any:
        return _env_default(self.name)  # type: ignore[attr-defined]


class EnvUnicode(_FromSettings, Unicode):
    pass


class EnvInt(_FromSettings, Int):
    pass


class EnvBool(_FromSettings, Bool):
    pass


class EnvSecret(_FromSettings, Secret):
    pass


class EnvUrl(_FromSettings, Url):
    pass


@magics_class
class DocChat(Magics):
    """Chat with your documents. Every trait can be set with ``%config DocChat.<name> = ...``."""

    store = EnvUnicode(help="Store folder (default: $DOCCHAT_HOME or ./.docchat)").tag(config=True)
    collection = EnvUnicode(help="Collection name ($DOCCHAT_COLLECTION)").tag(config=True)
    embeddings = EnvUnicode(help="'minilm' (offline) or 'openai:MODEL' ($DOCCHAT_EMBEDDINGS)").tag(config=True)
    chunk_size = EnvInt(help="Characters per chunk ($DOCCHAT_CHUNK_SIZE)").tag(config=True)
    chunk_overlap = EnvInt(help="Characters of overlap ($DOCCHAT_CHUNK_OVERLAP)").tag(config=True)
    model = EnvUnicode(help="Chat model: an OpenAI model name, 'gguf:PATH', 'local' or 'extractive' ($DOCCHAT_MODEL)").tag(config=True)
    base_url = EnvUrl(help="OpenAI-compatible base URL ($OPENAI_BASE_URL)").tag(config=True)
    api_key = EnvSecret(help="API key ($OPENAI_API_KEY); never printed").tag(config=True)
    temperature = Float(Settings.temperature, help="Sampling temperature").tag(config=True)
    k = Int(Settings.k, help="Sources per answer").tag(config=True)
    history_turns = Int(Settings.history_turns, help="Past turns used to rewrite a follow-up").tag(config=True)
    max_retries = Int(Settings.max_retries, help="Retries on 429/5xx, with backoff").tag(config=True)
    max_tokens = EnvInt(help="Most tokens a model may write for one answer ($DOCCHAT_MAX_TOKENS)").tag(config=True)
    timeout = Float(Settings.timeout, help="Seconds before a model request times out").tag(config=True)
    server = EnvUrl(help="Chroma server URL ($DOCCHAT_CHROMA_URL)").tag(config=True)
    server_token = EnvSecret(help="Chroma server auth token ($DOCCHAT_CHROMA_TOKEN); never printed").tag(config=True)
    lock_timeout = Float(Settings.lock_timeout, help="Seconds to wait for another process's index lock").tag(config=True)
    progress = Bool(Settings.progress, help="Show progress bars while indexing").tag(config=True)
    stream = Bool(True, help="Stream answers token by token").tag(config=True)
    auto_update = EnvBool(help="Before each question, re-index the files that changed ($DOCCHAT_AUTO_UPDATE)").tag(config=True)

    def __init__(self, shell: Any = None, **kwargs: Any) -> None:
        super().__init__(shell=shell, **kwargs)
        self._indexes: dict[tuple, DocIndex] = {}
        self._chats: list = []
        self.answer_levers = SHIPPED  # the offline answer's; bench/answers.py asks with variants of it

    def _load_config(self, cfg: Any, section_names: Any = None, traits: Any = None) -> None:
        """Before %config (or a config file) sets a trait whose default comes from the environment, that default is
        read: traitlets compares a new value with, and rolls a refused one back to, the value it holds, and an
        unread default holds its type's ('' or 0). ``DocChat.collection = ''`` passed unchecked (it equals ''),
        and a refused ``DocChat.max_tokens = 5`` left 0, which every later question refused."""
        section = cfg.get(type(self).__name__) if hasattr(cfg, "get") else None
        for name in (section or {}):
            if isinstance(self.traits().get(name), _FromSettings) and name not in self._trait_values:
                try:
                    getattr(self, name)
                except (DocChatError, TraitError):
                    pass  # the environment's bad value: said by name when the settings are next read
        try:
            super()._load_config(cfg, section_names=section_names, traits=traits)
        except TraitError as exc:
            # traitlets' own type check repeats the value: `DocChat.k = $OPENAI_API_KEY` logged it (probe 14)
            masked = _masked_error(exc, _key_guard(self))
            if masked is None:
                raise
            raise masked from None

    @property
    def ip(self) -> Any:
        """The shell the extension is loaded into (``Magics.shell`` may be None only before that)."""
        if self.shell is None:
            raise UsageError("docchat's magics are not loaded into a shell: use %load_ext docchat")
        return self.shell

    # Checked where they are set (%config, a config file): a TraitError keeps the old value, and
    # %config shows its one line. The limits are settings.LIMITS, as for Settings, the CLI and the API.
    @validate(*LIMITS)
    def _check_number(self, proposal: Any) -> Any:
        name, value = proposal.trait.name, proposal.value
        with _trait_errors():
            value = check_setting(name, value)
            if name == "chunk_size" and self.chunk_overlap >= value:
                raise SettingError(f"chunk size must be above the chunk overlap ({self.chunk_overlap}), not {value}: "
                                   "set DocChat.chunk_overlap lower first")
            if name == "chunk_overlap":
                check_chunking(self.chunk_size, value)
        return value

    @validate("store", "collection", "embeddings", "base_url", "server")
    def _check_name(self, proposal: Any) -> Any:
        name, value = proposal.trait.name, proposal.value
        with _trait_errors():
            if name == "store":
                if not value.strip():  # Path("") is the working directory, not the default
                    raise SettingError("store must name a folder (by default ./.docchat, or $DOCCHAT_HOME)")
                return _masked_str(value, self)
            elif name == "collection":
                check_collection_name(value)
            elif name == "embeddings":
                if value:
                    canonical_name(value)
            else:
                check_url(name, value)
        return value

    @classmethod
    def class_get_trait_help(cls, trait: Any, inst: Any = None, helptext: str | None = None) -> str:
        """``%config DocChat`` lists current values: never the secret ones."""
        if inst is None:
            return super().class_get_trait_help(trait, inst, helptext)
        if trait.name not in SECRET_TRAITS:  # nor a key set where a name goes (DocChat.model = the key, probe 14)
            return _key_guard(inst).masked(super().class_get_trait_help(trait, inst, helptext))
        text = super().class_get_trait_help(trait, None, helptext)
        state = "set (hidden)" if getattr(inst, trait.name) else "not set"
        return "\n".join(line for line in text.splitlines() if "Default:" not in line) + f"\n    Current: {state}"

    # settings and shared objects
    def settings(self, **overrides: Any) -> Settings:
        Settings()  # an environment variable's bad value, said by its name before a trait's default meets it
        base = Settings(
            store=Path(self.store), collection=self.collection, embeddings=self.embeddings or None,
            chunk_size=self.chunk_size, chunk_overlap=self.chunk_overlap, model=self.model, base_url=self.base_url,
            api_key=self._key_for_base_url(), temperature=self.temperature, k=self.k, history_turns=self.history_turns,
            max_retries=self.max_retries, max_tokens=self.max_tokens, timeout=self.timeout, lock_timeout=self.lock_timeout, progress=self.progress,
            server=self.server, server_token=str(self.server_token), auto_update=self.auto_update,
        )
        return base.with_(**overrides)

    def settings_for(self, options: Mapping[str, Any], **overrides: Any) -> Settings:
        """Settings for a magic's --store, --collection and --server (those given), and ``overrides``."""
        return self.settings(store=_store_path(options.get("store")), collection=options.get("collection"),
                             server=options.get("server"), **overrides)

    # Whether api_key was set (by %config or a config file) rather than taken from the environment;
    # a default never notifies observers, so this stays False until someone sets the key.
    _api_key_set_here = False

    @observe("api_key")
    def _note_api_key_set(self, change: Any) -> None:
        self._api_key_set_here = True

    def _key_for_base_url(self) -> str:
        """The environment's key goes to OpenAI or the environment's base URL only: a server named just
        in ``%config`` gets a key only when one was set there too."""
        if self.base_url and self.base_url != Settings().base_url and not self._api_key_set_here:
            return ""
        return str(self.api_key)

    @staticmethod
    def _index_key(s: Settings) -> tuple:
        """One index per store (as resolved: ``--store .docchat`` is the default), collection and server."""
        return (str(user_path(s.store).resolve()), s.collection, s.server)

    def index_for(self, s: Settings, say: Callable[[str], None] = print) -> DocIndex:
        """The index of ``s``'s store, opened once; ``say`` tells the user it was opened again (a chat box's note:
        printed from a widget's callback, a line went to JupyterLab's log console, not the box)."""
        key = self._index_key(s)
        if key in self._indexes and self._indexes[key].store_gone():
            # Deleted or made again under this kernel: the one held open answered from a file no longer on disk.
            say(for_terminal(_key_guard(self).masked(f"docchat: the store at {s.store} was deleted or replaced since "
                                                     "it was opened here: opening it again")))
            with contextlib.suppress(DocChatError):  # forget_index drops it from _indexes before closing it
                self.forget_index(s)
        if key not in self._indexes:
            self._indexes[key] = DocIndex(
                s.store, s.collection, s.embeddings, api_key=s.api_key, base_url=s.base_url,
                server=s.server, server_token=s.server_token, lock_timeout=s.lock_timeout,
            )
        index = self._indexes[key]
        index.set_credentials(s.api_key, s.base_url)  # a key set after a failed openai: embedding counts
        if s.embeddings:
            index.request_embeddings(s.embeddings)
        return index

    def forget_index(self, s: Settings) -> None:
        index = self._indexes.pop(self._index_key(s), None)
        if index is not None:
            with contextlib.ExitStack() as paused:  # a chat box answering from it finishes first
                for box in self._chats:
                    if box.conversation.index is index:
                        paused.enter_context(box.paused())
                index.close()

    def close_all(self) -> None:
        """Close chat boxes (each returns once its worker has stopped), then indexes (their vector passes
        resume on the next %docchat_index), Chroma clients and any local model server this extension started."""
        for box in self._chats:
            box.close()
        self._chats.clear()
        for index in self._indexes.values():
            try:
                index.close()
            except DocChatError:
                pass  # unloading goes on; the store stays consistent whatever failed
        self._indexes.clear()
        stop_local_models()

    # %docchat_index
    @magic_arguments()
    @_arguments(INDEX_OPTIONS)
    @where_arguments()
    @argument("--wait", action="store_true", help="return only when every chunk has its vector")
    @argument("--background", action="store_true",
              help="return once keyword search covers everything; vectors fill in behind (the default in a notebook)")
    @line_magic
    @usage_errors
    def docchat_index(self, line: str) -> None:
        """Build or update a persistent index of a folder of documents.

        In a notebook it returns as soon as every chunk is searchable by keywords, and
        computes the vectors in the background with a progress line; %%ask works meanwhile.
        """
        args = _parse(self.docchat_index, line)
        if args.wait and args.background:
            raise UsageError("choose one of --wait and --background")
        live = _can_update_displays(self.shell)
        # --background always; a live notebook only when there is more to embed than is quick to wait for.
        background: bool | int = False
        if args.background:
            background = True
        elif live and not args.wait:
            background = BACKGROUND_MIN_CHUNKS
        s = self.settings_for(vars(args), embeddings=args.embeddings, chunk_size=args.chunk_size,
                              chunk_overlap=args.chunk_overlap)
        if args.rebuild:
            self.forget_index(s)
        index = self.index_for(s)
        try:
            report = index.update(args.folder, IndexOptions.from_command_line(args, s.chunk_size, s.chunk_overlap),
                                  progress=s.progress and not args.quiet, background=background)
        except KeyboardInterrupt:
            print("docchat: indexing interrupted; the store is consistent, run %docchat_index again to finish")
            # What it holds is asked there meanwhile, and the run again finishes it: the user asked for that store (probe 32).
            self._ask_where_indexed(vars(args), index)
            return
        self.ip.user_ns[REPORT_VAR] = report
        print(for_terminal(report.summary(listed_in=f"{REPORT_VAR}.skipped_files")))
        self._ask_where_indexed(vars(args), index)
        if report.background and index.job is not None:
            from jupyter_docchat.notebook.fill_progress import show_fill_progress

            show_fill_progress(index.job, s.collection, live=live)

    def _ask_where_indexed(self, options: Mapping[str, Any], index: DocIndex) -> None:
        """A store, collection or server just indexed becomes where later magics ask (jupysql's connections
        work so): a user who indexed ``--store X`` and then asked without it met "no store at ./.docchat"."""
        given: dict[str, str] = {name: str(options[name]) for name in ("store", "collection", "server") if options.get(name)}
        if "store" in given:  # absolute: a relative store remembered pointed elsewhere after %cd (probe 32)
            given["store"] = os.path.abspath(user_path(given["store"]))
        changed = {name: value for name, value in given.items() if value != getattr(self, name)}
        if "store" in changed and user_path(Path(changed["store"])).resolve() == user_path(Path(self.store)).resolve():
            del changed["store"]  # the same folder written another way
        if not changed:
            return
        for name, value in changed.items():
            setattr(self, name, value)
        # On one line as %docchat_status names the store: a newline in the folder's name cut the line in two (probe 32).
        shown = " ".join(f"--{name} {shlex.quote(name_on_one_line(index.key_guard().masked(str(value))))}"
                         for name, value in changed.items())
        # Every magic takes them, %docchat_index too: a later '--store X' meant locally went on to the server (probe 32).
        back = "; %config DocChat.server = '' for a local store again" if "server" in changed else ""
        print(for_terminal(f"docchat: %docchat_index, %docchat_status, %ask, %%ask and %docchat_chat now use {shown} "
                           f"(the index just built; %config DocChat.<name> sets them again{back})"))

    # %docchat_status
    @magic_arguments()
    @where_arguments(collection=False)
    @line_magic
    @usage_errors
    def docchat_status(self, line: str) -> StoreStatus:
        """Show the store, its collections, file and chunk counts, and embedding models."""
        args = _parse(self.docchat_status, line)
        s = self.settings_for(vars(args))
        # the store's path masked too: a project folder named with the key holds its default store
        index = self.index_for(s)
        store = Path(index.key_guard().masked(str(s.store)))
        return StoreStatus(store, s.server, index.status(), COMMANDS, exists=Path(s.store).exists())

    # %ask / %%ask
    @no_var_expand
    @line_cell_magic
    @usage_errors
    def ask(self, line: str, cell: str | None = None) -> AnswerView | None:
        """Ask a question about the indexed documents; follow-ups use the conversation.

        Usage: ``%ask [options] QUESTION`` or ``%%ask [options]`` with the question as the cell.
        Options: --k N, --collection NAME, --model NAME (gguf:PATH, local, extractive), --no-stream,
        --store PATH, --server URL, --explain; --with df,rates adds those kernel variables as sources,
        --notebook this notebook's cells.
        """
        try:
            opts, question = parse_ask(line, cell)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        s = self.settings_for(opts)
        variables = None
        if "with" in opts:  # described before anything else runs, so a bad name costs nothing
            variables = variable_hits(self.ip.user_ns, parse_names(opts["with"]), KeyGuard.of(s))
        cells = self._notebook_cells() if opts.get("notebook") else None
        live = self.stream and not opts.get("no_stream") and _can_update_displays(self.shell)
        sink = LiveAnswer(commands=COMMANDS) if live else None
        try:
            turn = Conversation(self.index_for(s), s, self.answer_levers).ask(
                question, self.history(), model=opts.get("model"), k=opts.get("k"),
                on_token=sink.token if sink else None, on_sources=sink.start if sink else None,
                explain=bool(opts.get("explain")), variables=variables, cells=cells,
            )
        except AnswerFailed as exc:
            if sink:
                sink.finish(exc.turn, error=str(exc))
            raise
        except KeyboardInterrupt:  # before any answer streamed (one that streams is kept, marked interrupted)
            print("docchat: question interrupted; the history is as it was")
            return None
        if sink:
            sink.finish(turn)
            return None
        return AnswerView(turn, commands=COMMANDS)

    def _notebook_cells(self) -> list[Cell]:
        """This session's code cells (not the asking one), and the saved notebook's Markdown cells."""
        ns = self.ip.user_ns
        inputs, outputs = ns.get("In"), ns.get("Out")
        inputs = inputs if isinstance(inputs, list) else []
        path = notebook_path(ns, os.environ, os.getcwd())
        cells = session_cells(inputs, outputs if isinstance(outputs, dict) else {}, skip=self.ip.execution_count,
                              printed=saved_printed(path, self.ip.transform_cell) if path else None)
        return (notebook_markdown_cells(path, cell_secrets(inputs)) if path else []) + cells

    def history(self) -> list:
        """The live history list in the user namespace: turns the user put there as a tuple become a list
        holding them (a question used to start a fresh one, and the next %docchat_history showed none of them);
        anything else that is no list is replaced by a fresh one."""
        history = self.ip.user_ns.get(HISTORY_VAR)
        if not isinstance(history, list):
            history = list(history) if isinstance(history, tuple) else []
            self.ip.user_ns[HISTORY_VAR] = history
        return history

    @magic_arguments()
    @argument("--clear", action="store_true", help="Empty the history")
    @argument("--save", metavar="FILE", help="Export to FILE (.md or .json)")
    @line_magic
    @usage_errors
    def docchat_history(self, line: str) -> HistoryView | None:
        """Show, clear or save the conversation (``docchat_history`` in the namespace)."""
        args = _parse(self.docchat_history, line)
        # A turn holding the configured key (asked before the key was set, or put in the list by hand) is neither
        # written nor shown: the save is a file that outlives the session, the view is kept in the notebook, and a
        # key is never stored. The list itself is the user's and stays as it is.
        guard, history = KeyGuard.of(self.settings()), self.history()

        def holds_key(entry: Any) -> bool:
            return any(guard.holds_record(t.to_dict()) for t in turns([entry]))

        entries = [e for e in history if not holds_key(e)] if guard and isinstance(history, list) else history
        if args.save is not None and not args.save.strip():
            # --save "$FILE" with FILE unset: the view was shown, and with --clear the history emptied, nothing saved
            raise UsageError("no file given: --save needs a file name ending in .md or .json; the history is as it was")
        if args.save:
            path = save(entries, user_path(args.save))
            saved = len(turns(entries))  # what was written: a note or a number put in the list is no turn
            left = len(turns(history)) - saved
            print(f"docchat: saved {saved} turn{'' if saved == 1 else 's'} to {path}"
                  + (f"; left out {left} holding the configured API key or server token" if left else ""))
        if args.clear:
            self.history().clear()
            print("docchat: history cleared")
        if args.save or args.clear:
            return None
        return HistoryView(entries, hidden=len(turns(history)) - len(turns(entries)))

    @magic_arguments()
    @argument("questions", help="JSONL file: one {\"question\": ..., \"expected\": [\"file\", ...]} a line")
    @argument("-k", "--k", type=int, default=5, help="Sources counted for R@k (default 5)")
    @argument("--model", help="Chat model that answers the questions with \"answer\" words (as for %%ask)")
    @where_arguments()
    @line_magic
    @usage_errors
    def docchat_eval(self, line: str) -> Any:
        """Measure retrieval on your own questions: R@1, R@k and MRR@10 for dense, lexical and hybrid."""
        args = _parse(self.docchat_eval, line)
        s = self.settings_for(vars(args))
        # A question's "answer" keywords are checked on the answer %ask gives, by the model %ask uses, or the one
        # --model names as docchat eval --model does ("--model extractive" was refused as an unknown argument).
        model = args.model if args.model is not None else s.model or None
        return self.index_for(s).evaluate(args.questions, k=args.k, model=model)

    @magic_arguments()
    @argument("--model", help="Chat model (as for %%ask)")
    @argument("--k", type=int, help="Sources per answer")
    @where_arguments()
    @line_magic
    @usage_errors
    def docchat_chat(self, line: str) -> Any:
        """Open a chat box on the same conversation as %%ask (``docchat_history``)."""
        from jupyter_docchat.notebook.chat_widget import ChatBox

        args = _parse(self.docchat_chat, line)
        where = {name: value for name, value in vars(args).items() if name in ("store", "collection", "server")}
        store = _store_path(where.get("store"))
        if store is not None:  # the folder it names now: a relative --store asked another one after %cd
            where["store"] = os.path.abspath(store)

        def conversation(say: Callable[[str], None] = print) -> Conversation:
            """Where %%ask would ask now: the box's own --store, --collection and --server, the rest as configured."""
            s = self.settings_for(where, k=args.k)
            return Conversation(self.index_for(s, say), s, self.answer_levers)

        self.last_chat = ChatBox(conversation(), self.history, model=args.model, k=args.k,  # a bad --k is said now
                                 commands=COMMANDS, follow=conversation)
        self._chats.append(self.last_chat)
        return self.last_chat


def _can_update_displays(shell: Any) -> bool:
    """Only a kernel front-end redraws an updated display; a terminal would print it again."""
    return getattr(shell, "kernel", None) is not None


def _parse(magic: Any, line: str) -> Any:
    """Arguments split as a shell would (``shell_words``: quotes group, so paths may hold spaces;
    ``$VAR`` expands outside single quotes), as ``%ask`` splits its options. IPython's own splitter
    keeps the quotes inside the values."""
    try:
        argv = shell_words.split(line)
    except ValueError as exc:  # an unclosed quote
        raise UsageError(f"could not parse arguments: {exc}") from None
    return magic.parser.parse_args(argv)


@contextlib.contextmanager
def _trait_errors() -> Iterator[None]:
    """A core error in a trait's validator as the TraitError traitlets expects (and rolls back on)."""
    try:
        yield
    except DocChatError as exc:
        raise TraitError(str(exc)) from None


def _store_path(value: str | None) -> Path | None:
    """--store's folder, None when not given. Given empty (--store "$UNSET"), it was taken as not given and the
    configured store was indexed or asked, as docchat --store "" no longer does (probe 16)."""
    if value is not None and not value.strip():
        raise DocChatError("no store given: --store needs a folder (DocChat.store, ./.docchat by default, without it)")
    return user_path(value) if value else None


def load(ipython: Any) -> None:
    refused = _drop_refused(ipython.config)
    if refused:
        print(f"docchat: left out DocChat.{', DocChat.'.join(refused)} from the configuration: "
              "values it refuses (see %config DocChat)", file=sys.stderr)
    magics = DocChat(shell=ipython)
    ipython.register_magics(magics)
    if magics not in ipython.configurables:
        ipython.configurables.append(magics)
    ipython.user_ns.setdefault(HISTORY_VAR, [])
    if protect_ask_questions not in ipython.input_transformers_cleanup:
        ipython.input_transformers_cleanup.append(protect_ask_questions)


def _drop_refused(config: Any) -> list[str]:
    """Remove the DocChat entries of the shell's ``config`` that its traits refuse, and name them.
    %config leaves a refused value there (IPython merges each statement into every configurable's
    config), as a config file may: either would stop every later %load_ext with a TraitError."""
    if "DocChat" not in config:
        return []
    section = config["DocChat"]
    refused = []
    for name in list(section):
        together = ("chunk_size", "chunk_overlap") if name in ("chunk_size", "chunk_overlap") else (name,)
        probe = DocChat(shell=None)
        try:
            with probe.hold_trait_notifications():  # the chunk pair is checked once both are set
                for key in together:
                    if key in section:
                        setattr(probe, key, section[key])
        except (TraitError, DocChatError):
            refused.append(name)
    for name in refused:
        del section[name]
    return refused


def unload(ipython: Any) -> None:
    manager = ipython.magics_manager
    magics = manager.registry.get("DocChat")
    if isinstance(magics, DocChat):
        magics.close_all()
    for kind in ("line", "cell"):
        for name in [n for n, fn in manager.magics[kind].items() if getattr(fn, "__self__", None).__class__ is DocChat]:
            del manager.magics[kind][name]
    manager.registry.pop("DocChat", None)
    ipython.configurables[:] = [c for c in ipython.configurables if not isinstance(c, DocChat)]
    if protect_ask_questions in ipython.input_transformers_cleanup:
        ipython.input_transformers_cleanup.remove(protect_ask_questions)

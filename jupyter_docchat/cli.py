"""``docchat`` on the command line: index a folder, search it, ask it, show status."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path
from typing import Any, NoReturn

from jupyter_docchat.errors import DocChatError, with_command
from jupyter_docchat.qa.key_guard import KeyGuard
from jupyter_docchat.options import INDEX_OPTIONS, WHERE_OPTIONS, Option
from jupyter_docchat.safe_text import for_terminal, hide_credentials, name_on_one_line
from jupyter_docchat.settings import LIMITS, Settings, default_store
from jupyter_docchat.types import SEARCH_MODES
from jupyter_docchat.paths import user_path


# The CLI's command for each next step a core message names (errors.Remedy).
COMMANDS = {"index": "run docchat index <folder>", "finish_index": "run docchat index <folder>",
            "ask": 'docchat ask "QUESTION"', "key": "$OPENAI_API_KEY", "model": "--model, or $DOCCHAT_MODEL"}
# The arguments that may be text starting with a dash (not the main parser's COMMAND).
_DASHABLE = ("query", "question", "questions", "folder")
# What argparse takes for a number, not an option, when no option looks like one: "-1" is a query, or -k's value.
_NEGATIVE_NUMBER = re.compile(r"^-\d+$|^-\d*\.\d+$")


class _Parser(argparse.ArgumentParser):
    """argparse's parser, whose errors say how to pass a query that starts with a dash (``--port``):
    argparse takes it for an option and says only that the query is missing."""

    argv: list[str] = []  # the command line being parsed, set by _parser

    def error(self, message: str) -> NoReturn:
        dashed = self._unknown_option()
        missing = re.search(r"required: (\w+)", message)  # a folder may start with a dash too (-drafts)
        if dashed and missing and missing[1] in _DASHABLE:
            remedy = f"text that starts with '-' goes last, after --, the options before it: {self.prog} -- {dashed}"
        else:
            remedy = f"see {self._help_for()} --help"
        # argparse repeats what was typed: a --server=URL's password, a pasted escape sequence, the line
        # breaks of a pasted question (the error is one line). Its usage block above the error is left out:
        # a screen of syntax hid the one line that says what was wrong; --help is named instead.
        # The environment's key too: `--chunk-size $OPENAI_API_KEY` was "invalid int value: 'sk-...'" (probe 14).
        line = for_terminal(KeyGuard.of_environ().masked(hide_credentials(f"{message} ({remedy})")))
        line = line.replace("\n", " ").replace("\r", " ")
        self.exit(2, f"{self.prog}: error: {line}\n")

    def _help_for(self) -> str:
        """Whose --help to name: the command's when one was given (argparse reports an unknown option of
        ``docchat search`` from the main parser)."""
        commands = next((a.choices for a in self._actions if isinstance(a, argparse._SubParsersAction)), None)
        given = next((arg for arg in self.argv if arg in commands), None) if commands else None
        return f"{self.prog} {given}" if given else self.prog

    def _unknown_option(self) -> str:
        """The first argument argparse took for an option it does not know, so not for the query ("" if none).
        An option it knows is not one, however written (--js for --json, --server=URL, -k3), nor the value
        that follows one (-k -1): the hint would name the wrong argument."""
        takes_value = False
        for arg in self.argv:
            if takes_value:
                takes_value = False
            elif arg == "--":
                break
            elif arg.startswith("-") and len(arg) > 1 and not _NEGATIVE_NUMBER.match(arg):
                known = self._known_option(arg)
                if known is None and " " not in arg:  # argparse takes "-x y" for text, not an option
                    return arg
                takes_value = bool(known)
        return ""

    def _known_option(self, arg: str) -> bool | None:
        """None when ``arg`` is no option of this parser; else whether its value is the next argument."""
        name, equals, _ = arg.partition("=")
        if not arg.startswith("--") and arg[:2] in self._option_string_actions:  # -k, -k3, -k=3, -h
            name, equals = arg[:2], "=" if len(arg) > 2 else ""
        elif name not in self._option_string_actions:  # an abbreviation, as argparse allows: --js
            matches = [o for o in self._option_string_actions if o.startswith("--") and o.startswith(name)]
            if len(matches) != 1 or not name.startswith("--"):
                return None
            name = matches[0]
        return self._option_string_actions[name].nargs is None and not equals


def _parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    argv = sys.argv[1:] if argv is None else argv
    parser = _Parser(prog="docchat", description="Chat with your documents.")
    parser.argv = argv
    _add(parser, WHERE_OPTIONS)  # before the subcommand ...
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        # ... or after it: SUPPRESS leaves a value given before the subcommand in place.
        subparser = sub.add_parser(name, help=help, description=help[0].upper() + help[1:] + ".")
        subparser.argv = argv
        _add(subparser, WHERE_OPTIONS, default=argparse.SUPPRESS)
        return subparser

    index = command("index", "build or update the index of a folder")
    _add(index, INDEX_OPTIONS)
    index.add_argument("--json", action="store_true", help="print the report as JSON")
    search = command("search", "search the index: the chunks that best match a query")
    search.add_argument("query", help="what to search for")
    most = LIMITS["k"].high
    search.add_argument("-k", "--k", type=int, default=5, help=f"how many chunks to show, 1 to {most} (default 5)")
    search.add_argument("--mode", choices=SEARCH_MODES, default="hybrid",
                        help="hybrid (the default), dense (vectors only) or lexical (words only)")
    search.add_argument("--json", action="store_true", help="print the hits as JSON")
    ask = command("ask", "ask a question (an offline extractive answer unless a model is configured)")
    ask.add_argument("question", help="the question, quoted as one argument")
    ask.add_argument("--model", default=None,
                     help="chat model: an OpenAI model name (with $OPENAI_API_KEY, and $OPENAI_BASE_URL for "
                          "another server), 'gguf:PATH', 'local' or 'extractive' (default $DOCCHAT_MODEL)")
    ask.add_argument("-k", "--k", type=int, default=None, help=f"how many sources the answer may use, 1 to {most} (default 5)")
    # The answer's note on the order of its sources says "--explain shows why": the magics had it, the CLI did not.
    ask.add_argument("--explain", action="store_true",
                     help="show why each source was chosen: its dense and lexical ranks, fused score and levers")
    evaluate = command("eval", "measure retrieval on a JSONL file of questions and expected files")
    evaluate.add_argument("questions", help='JSONL file: one {"question": ..., "expected": ["file", ...]} a line')
    evaluate.add_argument("-k", "--k", type=int, default=5, help="sources counted for R@k (default 5)")
    evaluate.add_argument("--model", default=None,
                          help='the model that answers the questions with "answer" words (as for ask; '
                               "default $DOCCHAT_MODEL, else quoted)")
    evaluate.add_argument("--json", action="store_true", help="print the report as JSON")
    command("status", "show the store's collections")
    return parser


def _add(parser: argparse.ArgumentParser, options: list[Option], **overrides: Any) -> None:
    for flags, kwargs in options:
        parser.add_argument(*flags, **{**kwargs, **overrides})


def main(argv: list[str] | None = None) -> int:
    _replace_unwritable(sys.stdout)
    args = _parser(argv).parse_args(argv)
    try:
        if args.store is not None and not args.store.strip():  # --store "$UNSET": the default store was indexed
            raise DocChatError("no store given: --store needs a folder (./.docchat or $DOCCHAT_HOME without it)")
        s = Settings().with_(store=user_path(args.store) if args.store else default_store(),
                             collection=args.collection, server=args.server,
                             k=getattr(args, "k", None) if args.command != "eval" else None,  # eval's own limit, 10
                             chunk_size=getattr(args, "chunk_size", None), chunk_overlap=getattr(args, "chunk_overlap", None),
                             embeddings=getattr(args, "embeddings", None))
        code = _run(args, s)
        sys.stdout.flush()  # a write that fails (a full disk) fails here, not in Python's flush at exit
        return code
    except DocChatError as exc:
        # A path or name holding the environment's key (a folder named after it) is not printed with the error.
        message = KeyGuard.of_environ().masked(with_command(str(exc), exc.remedy, COMMANDS))
        print(for_terminal(f"docchat: {message}"), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        # Only an update has anything to finish: a search or a question stopped by Ctrl-C was told to run again
        # "to finish" (probe 16).
        rest = "; the store is consistent, run the same command again to finish" if args.command == "index" else ""
        print(f"docchat: interrupted{rest}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader stopped reading (``| head``): nothing more to say. Standard output now points at
        # /dev/null, so that Python's own flush at exit does not fail on the closed pipe again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:
        # The core's own errors come funnelled as DocChatError: this is the output that cannot be written, a
        # redirect to a full disk (`docchat search ... > hits.txt`), which ended in a traceback (probe 16).
        print(f"docchat: cannot write the output: {exc.strerror or exc}", file=sys.stderr)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # what is left unwritten goes nowhere
        return 1


def _vectors_note(index: Any, mode: str) -> str:
    """What a search by meaning missed: chunks whose vector is not computed yet (an index stopped by Ctrl-C, or
    one still running). ``docchat ask`` said so under its answer; ``docchat search``, even ``--mode dense``, which
    then searched a fraction of the folder, said nothing (probe 33)."""
    from jupyter_docchat.views.answer import vectors_note

    waiting = index.vectors_waiting()
    return vectors_note(waiting, bool(waiting) and index.filling(), COMMANDS,
                        "not searched" if mode == "dense" else "searched by keywords only")


def _replace_unwritable(stream: Any) -> None:
    """An output whose encoding cannot write every letter (a Windows console piped to a file is cp1252,
    PYTHONIOENCODING=ascii) writes "?" for those it cannot: a document's "日本語" in a hit died with a
    UnicodeEncodeError traceback halfway through the output. (Standard error already writes them escaped.)"""
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "").replace("_", "")
    if encoding not in ("utf8", "utf8sig", "utf16", "utf32") and callable(getattr(stream, "reconfigure", None)):
        stream.reconfigure(errors="replace")


def _run(args: argparse.Namespace, s: Settings) -> int:
    from jupyter_docchat.index import DocIndex

    index = DocIndex(s.store, s.collection, s.embeddings, api_key=s.api_key, base_url=s.base_url, server=s.server,
                     server_token=s.server_token, lock_timeout=s.lock_timeout)
    if args.command == "index":
        from jupyter_docchat.indexing.index_options import IndexOptions

        report = index.update(args.folder, IndexOptions.from_command_line(args, s.chunk_size, s.chunk_overlap),
                              progress=not args.quiet and sys.stderr.isatty())
        print(json.dumps(report.to_dict()) if args.json else for_terminal(report.summary(listed_in="docchat index --json")))
    elif args.command == "search":
        from jupyter_docchat.indexing.scan import folder_gone
        from jupyter_docchat.qa.key_guard import left_out_notice, withhold_hits

        # A hit holding a configured key (a settings file in the folder) is printed no more than an answer quotes
        # it; what is left out is named on standard error, so that --json stays JSON. The index's own key check,
        # as its retrievers and its summary use: one place says which secrets count.
        hits, withheld = withhold_hits(index.key_guard(), index.search(args.query, k=args.k, mode=args.mode),
                                       index.file_chunks)
        if withheld:
            print(for_terminal(f"docchat: {left_out_notice(withheld)}"), file=sys.stderr)
        if args.mode != "lexical" and (note := _vectors_note(index, args.mode)):
            print(for_terminal(f"docchat: {note}"), file=sys.stderr)
        folder = index.ensure_ready()
        if folder and not s.server and folder_gone(folder):  # as ask says it: the hits may name files no longer there
            print(for_terminal(f"docchat: the folder {index.key_guard().masked(name_on_one_line(folder))} is gone: the hits come from the "
                               "index as it was"), file=sys.stderr)
        if args.json:
            print(json.dumps([h.to_dict() for h in hits], indent=2))
        for n, hit in enumerate(hits if not args.json else [], 1):
            print(for_terminal(f"[{n}] {name_on_one_line(hit.source)} ({hit.location}) score {hit.score:.4f}"))
            print("    " + for_terminal(" ".join(hit.text.split())[:200]))
    elif args.command == "eval":
        evaluation = index.evaluate(args.questions, k=args.k, model=args.model)
        print(json.dumps(evaluation.to_dict(), indent=2) if args.json else for_terminal(str(evaluation)))
    elif args.command == "ask":
        from jupyter_docchat.qa.conversation import SECRET_IN_ANSWER, Turn
        from jupyter_docchat.views.answer import AnswerView

        streamed: list[str] = []
        closed: list[OSError] = []  # the reader stopped reading (or the disk is full): the answer is not cut for that

        def show(token: str) -> None:
            if closed:
                return
            try:
                if not streamed:
                    print(for_terminal(f"You: {args.question}\n\ndocchat:"))
                streamed.append(token)
                print(for_terminal(token), end="", flush=True)
            except OSError as exc:  # a broken pipe, a full disk: said by main, not as "on_token raised OSError"
                closed.append(exc)

        answer = index.ask(args.question, model=args.model, k=s.k, explain=args.explain, on_token=show)
        if closed:
            raise closed[0]
        view = AnswerView(Turn.from_dict(answer.to_dict()), commands=COMMANDS)
        if streamed and SECRET_IN_ANSWER in answer.notices:
            # The stream stopped before the key; the rest of the answer, masked, follows what is on screen.
            shown = "".join(streamed)
            print(for_terminal(answer.text[len(shown):] if answer.text.startswith(shown) else f"\n{answer.text}"), end="")
        if streamed:  # the answer is on the screen already: only what follows it
            print()
            print(for_terminal(view.after_answer_text()))
        else:
            print(for_terminal(str(view)))
        if answer.status == "interrupted":  # Ctrl-C: the partial answer is shown, marked, and the exit says so
            return 130
    else:
        from jupyter_docchat.views.status import StoreStatus

        # the store's path masked too: a project folder named with the key holds its default store
        store = Path(index.key_guard().masked(str(s.store)))
        print(for_terminal(str(StoreStatus(store, s.server, index.status(), COMMANDS, exists=Path(s.store).exists()))))
    return 0


if __name__ == "__main__":
    sys.exit(main())

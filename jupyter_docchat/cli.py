"""``docchat`` on the command line: index a folder, search it, ask it, show status."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from jupyter_docchat.errors import DocChatError
from jupyter_docchat.safe_text import for_terminal
from jupyter_docchat.settings import Settings, default_store


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="docchat", description="Chat with your documents.")
    parser.add_argument("--store", type=Path, default=None, help="store folder (default ./.docchat or $DOCCHAT_HOME)")
    parser.add_argument("--collection", default=None, help="collection name")
    parser.add_argument("--server", default=None, help="Chroma server URL instead of the on-disk store")
    sub = parser.add_subparsers(dest="command", required=True)
    index = sub.add_parser("index", help="build or update the index of a folder")
    index.add_argument("folder")
    index.add_argument("--glob", action="append")
    index.add_argument("--exclude", action="append")
    index.add_argument("--include", action="append",
                       help="index files matching this pattern even if skipped by default (ignored, generated, copies)")
    index.add_argument("--all", action="store_true", dest="all_files",
                       help="no default skips: index every file of a known type")
    index.add_argument("--chunk-size", type=int)
    index.add_argument("--chunk-overlap", type=int)
    index.add_argument("--embeddings")
    index.add_argument("--rebuild", action="store_true")
    index.add_argument("--follow-links", action="store_true", help="also index links that resolve outside the folder")
    index.add_argument("--quiet", action="store_true", help="no progress bars")
    index.add_argument("--json", action="store_true", help="print the report as JSON")
    search = sub.add_parser("search", help="search the index")
    search.add_argument("query")
    search.add_argument("-k", type=int, default=5)
    search.add_argument("--mode", choices=["hybrid", "dense", "lexical"], default="hybrid")
    search.add_argument("--json", action="store_true")
    ask = sub.add_parser("ask", help="ask a question (offline extractive answer unless a model is configured)")
    ask.add_argument("question")
    ask.add_argument("--model", default=None)
    ask.add_argument("-k", type=int, default=None)
    evaluate = sub.add_parser("eval", help="measure retrieval on a JSONL file of questions and expected files")
    evaluate.add_argument("questions")
    evaluate.add_argument("-k", type=int, default=5)
    evaluate.add_argument("--json", action="store_true")
    sub.add_parser("status", help="show the store's collections")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    s = Settings().with_(store=args.store or default_store(), collection=args.collection, server=args.server)
    try:
        return _run(args, s)
    except DocChatError as exc:
        print(for_terminal(f"docchat: {exc}"), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("docchat: interrupted; the store is consistent, run the same command again to finish", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace, s: Settings) -> int:
    from jupyter_docchat.index import DocIndex

    index = DocIndex(s.store, s.collection, getattr(args, "embeddings", None) or s.embeddings, api_key=s.api_key,
                     base_url=s.base_url, server=s.server, server_token=s.server_token)
    if args.command == "index":
        report = index.update(args.folder, globs=args.glob, excludes=args.exclude, includes=args.include,
                              all_files=args.all_files,
                              chunk_size=args.chunk_size or s.chunk_size, chunk_overlap=args.chunk_overlap or s.chunk_overlap,
                              rebuild=args.rebuild, progress=not args.quiet and sys.stderr.isatty(),
                              follow_links=args.follow_links)
        print(json.dumps(report.to_dict()) if args.json else for_terminal(report.summary()))
    elif args.command == "search":
        hits = index.search(args.query, k=args.k, mode=args.mode)
        if args.json:
            print(json.dumps([h.to_dict() for h in hits], indent=2))
        for n, hit in enumerate(hits if not args.json else [], 1):
            print(for_terminal(f"[{n}] {hit.source} ({hit.location}) score {hit.score:.4f}"))
            print("    " + for_terminal(" ".join(hit.text.split())[:200]))
    elif args.command == "eval":
        report = index.evaluate(args.questions, k=args.k)
        print(json.dumps(report.to_dict(), indent=2) if args.json else for_terminal(str(report)))
    elif args.command == "ask":
        from jupyter_docchat.qa.conversation import Turn
        from jupyter_docchat.views.answer import AnswerView

        streamed: list[str] = []

        def show(token: str) -> None:
            if not streamed:
                print(for_terminal(f"You: {args.question}\n\ndocchat:"))
            streamed.append(token)
            print(for_terminal(token), end="", flush=True)

        answer = index.ask(args.question, model=args.model, k=args.k or s.k, on_token=show)
        view = AnswerView(Turn.from_dict(answer.to_dict()))
        if streamed:  # the answer is on the screen already: only what follows it
            print()
            print(for_terminal(view.after_answer_text()))
        else:
            print(for_terminal(str(view)))
    else:
        from jupyter_docchat.views.status import StoreStatus

        print(for_terminal(str(StoreStatus(s.store, s.server, index.status()))))
    return 0


if __name__ == "__main__":
    sys.exit(main())

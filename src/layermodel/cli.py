"""The ``layermodel`` command: a thin layer over the public API.

Exit codes: 0 success; 1 the model is invalid (or an analysis found what
``--fail-on`` asked about); 2 usage errors and unreadable input.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TextIO

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _version() -> str:
    from layermodel import __version__

    return f"layermodel {__version__}"


class _VersionAction(argparse.Action):
    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        print(_version())
        parser.exit(EXIT_OK)


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", action=_VersionAction)
    parser.add_argument(
        "--debug", action="store_true", help="show Python tracebacks for internal errors"
    )


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="layermodel",
        description="Model product portfolios as layers of reusable components.",
        epilog="Run 'layermodel COMMAND --help' for the options of a command.",
    )
    _add_common(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    validate = commands.add_parser(
        "validate",
        help="check model files and list every problem",
        description=(
            "Check one model, split across one or more YAML/JSON files, and list every "
            "problem with file:line:column. Exit 0 when valid, 1 when invalid, 2 when a "
            "file cannot be read."
        ),
    )
    validate.add_argument("models", nargs="+", metavar="MODEL", help="model files; - for stdin")
    validate.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default text)"
    )
    _add_common(validate)
    validate.set_defaults(run=_cmd_validate)

    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of model files",
        description=(
            "Print the JSON Schema of model files, for editors: save it and add "
            "'# yaml-language-server: $schema=layermodel.schema.json' to a YAML model."
        ),
    )
    schema.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    _add_common(schema)
    schema.set_defaults(run=_cmd_schema)

    demo = commands.add_parser(
        "demo",
        help="write the built-in Google example and summarise it",
        description=(
            "Write the built-in example (Google Search, Docs and Maps) into DIR as "
            "model.yaml, and print a short summary of it."
        ),
    )
    demo.add_argument(
        "directory",
        nargs="?",
        default="layermodel-demo",
        metavar="DIR",
        help="where to write (default: ./layermodel-demo)",
    )
    _add_common(demo)
    demo.set_defaults(run=_cmd_demo)
    return parser


# -- commands -------------------------------------------------------------------------


def _cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from layermodel import ModelError, ReadError, load

    try:
        eco = load(*args.models)
    except ModelError as exc:
        code = EXIT_USAGE if isinstance(exc, ReadError) else EXIT_INVALID
        if args.format == "json":
            _json_out(out, {"valid": False, "problems": [p.to_dict() for p in exc.problems]})
            return code
        for problem in exc.problems:
            print(f"{problem}", file=err)
        count = len(exc.problems)
        verdict = "could not be read" if code == EXIT_USAGE else "is not valid"
        print(f"{count} problem{'s' if count != 1 else ''}; the model {verdict}", file=err)
        return code
    summary = {
        "valid": True,
        "name": eco.name,
        "layers": len(eco.layers),
        "components": len(eco.components),
        "dependencies": sum(len(c.depends_on) for c in eco.components),
        "products": len(eco.products),
    }
    if args.format == "json":
        _json_out(out, summary)
    else:
        files = ", ".join(args.models)
        print(
            f"{files}: valid: {eco.name!r}, {summary['components']} components in "
            f"{summary['layers']} layers, {summary['dependencies']} dependencies, "
            f"{summary['products']} products",
            file=out,
        )
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from layermodel import model_file_schema
    from layermodel.model.files import write_atomic

    text = json.dumps(model_file_schema(), indent=2) + "\n"
    if args.output and args.output != "-":
        write_atomic(args.output, text)
        print(f"wrote {args.output}", file=err)
    else:
        out.write(text)
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from layermodel import example, example_text
    from layermodel.analysis.summary import summarize
    from layermodel.model.files import write_atomic

    directory = args.directory
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as exc:
        print(f"layermodel: {directory}: cannot create directory: {exc.strerror}", file=err)
        return EXIT_USAGE
    model_path = os.path.join(directory, "model.yaml")
    write_atomic(model_path, example_text())
    eco = example()
    out.write(summarize(eco).to_text())
    out.write("\nWrote:\n")
    out.write(f"  {model_path}  the model (edit it, then: layermodel validate {model_path})\n")
    return EXIT_OK


# -- plumbing -------------------------------------------------------------------------


def _json_out(out: TextIO, data: Any) -> None:
    out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (also the console-script entry)."""
    parser = _parser()
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace, TextIO, TextIO], int] | None = getattr(args, "run", None)
    if run is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    from layermodel.errors import LayermodelError

    try:
        return run(args, sys.stdout, sys.stderr)
    except LayermodelError as exc:
        print(f"layermodel: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("layermodel: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); nothing more to say.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # an internal error: say so plainly, traceback on request
        if getattr(args, "debug", False):
            raise
        inputs = " ".join(getattr(args, "models", None) or [])
        print(
            f"layermodel: internal error{' on ' + inputs if inputs else ''}: "
            f"{type(exc).__name__}: {exc}\n"
            "This is a bug in layermodel; run again with --debug for details and report it.",
            file=sys.stderr,
        )
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""The ``layermodel`` command: a thin layer over the public API.

Exit codes: 0 success; 1 the model is invalid (or an analysis found what
``--fail-on`` asked about); 2 usage errors and unreadable input.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
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

    analyze = commands.add_parser(
        "analyze",
        help="report reuse, layering rules, impact, availability and cost",
        description=(
            "Analyse a portfolio: reuse per product and layer, platform candidates, "
            "layering violations and cycles, blast radius and single points of failure, "
            "availability, cost shares and structure metrics. Exit 0 on success, 1 when "
            "--fail-on finds what it names, 2 when the model cannot be read or is invalid."
        ),
        epilog=(
            "With --format json on a model of 20,000 components or more, the blast radii "
            "are computed in a second process (POSIX), for the same output. "
            "LAYERMODEL_WORKERS=1 turns that off; LAYERMODEL_PARALLEL_MIN=N sets the size."
        ),
    )
    analyze.add_argument("models", nargs="+", metavar="MODEL", help="model files; - for stdin")
    analyze.add_argument(
        "--format",
        choices=("text", "json", "markdown"),
        default="text",
        help="text (tables on a terminal), json (schema_version 1) or markdown",
    )
    analyze.add_argument("--product", metavar="ID", help="focus the report on one product")
    analyze.add_argument(
        "--min-users",
        type=_positive_int,
        default=2,
        metavar="K",
        help="products that make a component reused (default 2)",
    )
    analyze.add_argument(
        "--cost-method",
        choices=("equal", "weighted"),
        default="equal",
        help="split shared costs equally or by product weight (default equal)",
    )
    analyze.add_argument(
        "--fail-on",
        action="append",
        choices=("violations", "cycles"),
        default=[],
        help="exit 1 when the model has layering violations or cycles (repeatable)",
    )
    analyze.add_argument(
        "--gateways",
        action="store_true",
        help="also compute every product's gateways (dominators); --product always does",
    )
    analyze.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE")
    _add_common(analyze)
    analyze.set_defaults(run=_cmd_analyze)

    whatif = commands.add_parser(
        "whatif",
        help="what changes if a component goes, is replaced, or a product comes or goes",
        description=(
            "Apply one change to the model and report what it does: what breaks, whose "
            "footprint changes, which components lose users or become orphans, or, for "
            "a new product, a launch plan of what it reuses and what must be built."
        ),
    )
    whatif.add_argument("models", nargs="+", metavar="MODEL", help="model files")
    change = whatif.add_mutually_exclusive_group(required=True)
    change.add_argument("--remove", metavar="ID", help="remove a component")
    change.add_argument("--replace", metavar="OLD=NEW", help="redirect everything from OLD to NEW")
    change.add_argument("--retire", metavar="ID", help="retire a product")
    change.add_argument(
        "--add-product",
        action="append",
        metavar="FILE",
        help="add the products (and new components) in FILE; repeatable",
    )
    whatif.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    whatif.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE")
    whatif.add_argument("--save", metavar="FILE", help="also save the changed model to FILE")
    _add_common(whatif)
    whatif.set_defaults(run=_cmd_whatif)

    diff = commands.add_parser(
        "diff",
        help="what changed between two versions of a model",
        description=(
            "Compare two models: components, dependencies, products and layers added, "
            "removed or changed, and how reuse, layering violations and availability moved."
        ),
    )
    diff.add_argument("old", metavar="OLD", help="the earlier model file")
    diff.add_argument("new", metavar="NEW", help="the later model file")
    diff.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    diff.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE")
    diff.add_argument(
        "--fail-on",
        action="append",
        choices=("violations",),
        default=[],
        help="exit 1 when the new model introduces layering violations",
    )
    _add_common(diff)
    diff.set_defaults(run=_cmd_diff)

    render = commands.add_parser(
        "render",
        help="draw a layered diagram: product, ecosystem, impact or reuse matrix",
        description=(
            "Draw one view of a model as SVG, PNG, PDF, DOT, Mermaid or a self-contained "
            "interactive HTML page. The format comes from --format, else from the suffix "
            "of -o, else SVG. SVG, PNG and PDF need Graphviz; DOT, Mermaid and HTML do not."
        ),
        epilog=(
            "Views: product:ID (one product's footprint), ecosystem (all products), "
            "impact:ID (what fails with a component), matrix (products by components). "
            "Examples: layermodel render model.yaml --view product:search -o search.svg; "
            "layermodel render model.yaml --view impact:distributed-db --format mermaid"
        ),
    )
    render.add_argument("models", nargs="+", metavar="MODEL", help="model files to merge")
    render.add_argument(
        "--view",
        default="ecosystem",
        metavar="VIEW",
        help="product:ID, ecosystem, impact:ID or matrix (default: ecosystem)",
    )
    render.add_argument(
        "--format",
        choices=("svg", "png", "pdf", "dot", "mermaid", "html"),
        help="output format (default: from the -o suffix, else svg)",
    )
    render.add_argument(
        "-o", "--output", metavar="FILE", help="where to write; - for stdout (default)"
    )
    render.add_argument(
        "--layer",
        action="append",
        default=[],
        metavar="ID",
        help="keep only this layer (repeatable)",
    )
    render.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="TAG",
        help="keep only components with this tag",
    )
    render.add_argument(
        "--owner",
        action="append",
        default=[],
        metavar="OWNER",
        help="keep only this owner's components",
    )
    render.add_argument(
        "--row-width",
        type=_positive_float,
        default=None,
        metavar="INCHES",
        help="wrap a layer wider than this onto more rows (default: 15, more for big models)",
    )
    render.add_argument(
        "--timeout",
        type=_positive_float,
        default=60.0,
        metavar="SECONDS",
        help="give up on Graphviz after this long (default: 60)",
    )
    _add_common(render)
    render.set_defaults(run=_cmd_render)

    demo = commands.add_parser(
        "demo",
        help="write the built-in Google example, its report and diagrams, and summarise it",
        description=(
            "Write the built-in example (Google Search, Docs and Maps) into DIR: the "
            "model, its analysis report, a launch plan, the Search product view, the "
            "ecosystem view, the impact view of the distributed database, the reuse "
            "matrix and the interactive HTML page. Then print a short summary."
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

    from layermodel._cli_interop import register as register_interop

    register_interop(commands)
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


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _load_or_report(paths: Sequence[str], err: TextIO) -> Any:
    """Load a model, or print every problem and return None."""
    from layermodel import ModelError, load

    try:
        return load(*paths)
    except ModelError as exc:
        for problem in exc.problems:
            print(f"{problem}", file=err)
        count = len(exc.problems)
        print(f"{count} problem{'s' if count != 1 else ''}; the model cannot be used", file=err)
        return None


def _emit(text: str, output: str | None, out: TextIO, err: TextIO) -> None:
    from layermodel.model.files import write_atomic

    if output and output != "-":
        write_atomic(output, text)
        print(f"wrote {output}", file=err)
    else:
        out.write(text)


def _cmd_analyze(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from layermodel.analysis.report import STEPS, analyze
    from layermodel.console import print_sections, progress

    eco = _load_or_report(args.models, err)
    if eco is None:
        return EXIT_USAGE
    if args.product is not None and args.product not in eco.product_index:
        from layermodel.errors import suggest

        near = suggest(args.product, eco.product_index)
        hint = f"; did you mean {near!r}?" if near else ""
        print(f"layermodel: no product {args.product!r} in the model{hint}", file=err)
        return EXIT_USAGE
    big = len(eco.components) >= 2_000
    with contextlib.ExitStack() as stack:
        if args.format == "json":
            from layermodel.analysis.worker import blast_worker

            # On a large model, the blast radii and their JSON text are computed in a
            # second process meanwhile (LAYERMODEL_WORKERS=1 turns that off). It is
            # started before the progress bar, whose thread would make forking unsafe,
            # and killed and reaped on the way out whatever happens.
            stack.enter_context(blast_worker(eco))
        with progress(STEPS if big else (), err) as step:
            report = analyze(
                eco,
                min_users=args.min_users,
                cost_method=args.cost_method,
                product=args.product,
                gateways=args.gateways,
                progress=step,
            )
        text = report.to_json() + "\n" if args.format == "json" else None
    if text is not None:
        _emit(text, args.output, out, err)
    elif args.format == "markdown":
        _emit(report.to_markdown(), args.output, out, err)
    elif args.output and args.output != "-":
        _emit(report.to_text(), args.output, out, err)
    else:
        print_sections(report.sections(), out)
    failed = []
    if "violations" in args.fail_on and report.layering.violations:
        failed.append(f"{len(report.layering.violations)} layering violations")
    if "cycles" in args.fail_on and report.cycles.cycles:
        failed.append(f"{len(report.cycles.cycles)} dependency cycles")
    if failed:
        print(f"layermodel: failing because of {' and '.join(failed)}", file=err)
        return EXIT_INVALID
    return EXIT_OK


def _report(
    result: Any, fmt: str, title: str, output: str | None, out: TextIO, err: TextIO
) -> None:
    """Print or write a result that has to_dict() and sections()."""
    from layermodel.analysis.sections import render_markdown, render_text
    from layermodel.console import print_sections

    if fmt == "json":
        _emit(json.dumps(result.to_dict(), ensure_ascii=False) + "\n", output, out, err)
    elif fmt == "markdown":
        _emit(f"# {title}\n\n" + render_markdown(result.sections()), output, out, err)
    elif output and output != "-":
        _emit(render_text(result.sections()), output, out, err)
    else:
        print_sections(result.sections(), out)


def _cmd_whatif(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from layermodel import ModelError, save
    from layermodel.analysis import whatif

    eco = _load_or_report(args.models, err)
    if eco is None:
        return EXIT_USAGE
    try:
        if args.remove is not None:
            result: Any = whatif.remove_component(eco, args.remove)
        elif args.replace is not None:
            old, sep, new = args.replace.partition("=")
            if not sep or not old or not new:
                print(f"layermodel: --replace takes OLD=NEW, got {args.replace!r}", file=err)
                return EXIT_USAGE
            result = whatif.replace_component(eco, old, new)
        elif args.retire is not None:
            result = whatif.retire_product(eco, args.retire)
        else:
            after = _load_or_report([*args.models, *args.add_product], err)
            if after is None:
                return EXIT_USAGE
            result = whatif.add_products(eco, after)
    except KeyError as exc:
        print(f"layermodel: {exc.args[0] if exc.args else exc}", file=err)
        return EXIT_USAGE
    except (ValueError, ModelError) as exc:
        print(f"layermodel: {exc}", file=err)
        return EXIT_USAGE
    _report(result, args.format, f"What if: {eco.name}", args.output, out, err)
    if args.save:
        save(result.after, args.save)
        print(f"saved the changed model to {args.save}", file=err)
    return EXIT_OK


def _cmd_diff(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from layermodel.analysis.diff import diff

    old = _load_or_report([args.old], err)
    new = _load_or_report([args.new], err)
    if old is None or new is None:
        return EXIT_USAGE
    result = diff(old, new)
    _report(result, args.format, f"Changes from {args.old} to {args.new}", args.output, out, err)
    if "violations" in args.fail_on and result.violations_introduced:
        count = len(result.violations_introduced)
        print(f"layermodel: failing because of {count} new layering violations", file=err)
        return EXIT_INVALID
    return EXIT_OK


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text!r}")
    return value


def _cmd_render(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from layermodel.diagrams.api import format_for, render

    eco = _load_or_report(args.models, err)
    if eco is None:
        return EXIT_USAGE
    to_file = args.output not in (None, "-")
    fmt = args.format or (format_for(args.output) if to_file else "svg")
    diagram = render(
        eco,
        args.view,
        fmt,
        layers=args.layer,
        tags=args.tag,
        owners=args.owner,
        row_width=args.row_width,
        timeout=args.timeout,
    )
    if to_file:
        path = diagram.save(args.output, fmt)
        print(f"wrote {path}", file=err)
        return EXIT_OK
    data = diagram.pipe(fmt)
    if fmt in ("png", "pdf"):
        if out.isatty():
            print(
                f"layermodel: not writing {fmt.upper()} to a terminal; use -o FILE, or pipe it",
                file=err,
            )
            return EXIT_USAGE
        out.flush()
        out.buffer.write(data)
        out.buffer.flush()
    else:
        out.write(data.decode("utf-8"))
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from layermodel import example_text, load
    from layermodel.analysis import add_products, analyze
    from layermodel.analysis.overview import summarize
    from layermodel.data import new_product_text
    from layermodel.model.files import write_atomic

    directory = args.directory
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as exc:
        print(f"layermodel: {directory}: cannot create directory: {exc.strerror}", file=err)
        return EXIT_USAGE
    written: list[tuple[str, str]] = []

    def write(name: str, text: str | bytes, what: str) -> str:
        path = os.path.join(directory, name)
        write_atomic(path, text)
        written.append((path, what))
        return path

    model_path = write("model.yaml", example_text(), "the model: edit it, then validate it")
    photos_path = write("google-photos.yaml", new_product_text(), "a new product to plan")
    eco = load(model_path)
    report = analyze(eco)
    write("analysis.md", report.to_markdown(), "the analysis report (Markdown)")
    write("analysis.json", json.dumps(report.to_dict(), indent=2) + "\n", "the same, as JSON")
    plan = add_products(eco, load(model_path, photos_path))
    notes = _demo_diagrams(eco, write)

    out.write(summarize(eco).to_text())
    out.write("\nLaunch plan for a new product (layermodel whatif --add-product):\n")
    for launch in plan.products:
        out.write(f"  {launch.summary()}\n")
    out.write("\nWrote:\n")
    width = max(len(path) for path, _ in written)
    for path, what in written:
        out.write(f"  {path:<{width}}  {what}\n")
    for note in notes:
        out.write(f"\n{note}\n")
    out.write(
        f"\nNext: layermodel analyze {model_path}\n"
        f"      layermodel whatif {model_path} --add-product {photos_path}\n"
        f"      layermodel render {model_path} --view product:maps -o maps.svg\n"
    )
    return EXIT_OK


DEMO_VIEWS = (
    ("product:search", "search", "Google Search's layers (product view)"),
    ("ecosystem", "ecosystem", "all three products and what they share"),
    ("impact:distributed-db", "impact-distributed-db", "what fails if the distributed DB fails"),
    ("matrix", "reuse-matrix", "products by components (reuse matrix)"),
)


def _demo_diagrams(eco: Any, write: Callable[[str, str | bytes, str], str]) -> list[str]:
    """Write the demo's diagrams; return notes for the reader."""
    from layermodel.diagrams.api import render
    from layermodel.diagrams.graphviz import GraphvizMissing, dot_program

    notes = []
    try:
        dot_program()
        fmt = "svg"
    except GraphvizMissing as exc:
        fmt = "dot"
        notes.append(f"Diagrams written as DOT, not SVG: {exc}")
    for view, name, what in DEMO_VIEWS:
        diagram = render(eco, view)
        write(f"{name}.{fmt}", diagram.pipe(fmt), what)
    write(
        "google.html",
        render(eco, "ecosystem").pipe("html"),
        "interactive page: click a component, filter by product",
    )
    return notes


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

    # A command is one short run over data that all stays alive to the end: the
    # cyclic garbage collector would only rescan it, for seconds on large models.
    gc.disable()
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

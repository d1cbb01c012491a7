"""The argparse tree of the ``layermodel`` command.

Options that several commands take (model files, ``--format``, ``-o/--output``,
``--product``, ``--fail-on``, ``--debug`` and ``--version``) are defined once here, by
the ``_add_*`` functions. Every command's ``--help`` ends with the exit codes of
:mod:`layermodel.cli.status`.

The tree names each command's code by its module under :mod:`layermodel.cli.commands`
and the function in it (``args.handler``); :func:`layermodel.cli.main.main` imports
only the one that runs, so ``--help`` imports no command and no analysis.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from layermodel.cli import status

__all__ = ["build_parser"]


class _Formatter(argparse.HelpFormatter):
    """Wraps each paragraph (separated by a blank line) of a description or an epilog
    on its own, so that the exit codes stay a paragraph of their own."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n\n".join(
            super(_Formatter, self)._fill_text(paragraph, width, indent)
            for paragraph in text.split("\n\n")
        )


class _Parser(argparse.ArgumentParser):
    """Every ``--help`` ends with the exit codes; usage errors exit with
    :data:`~layermodel.cli.status.UNREADABLE`."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        epilog = kwargs.pop("epilog", None)
        kwargs["epilog"] = status.EPILOG if epilog is None else f"{epilog}\n\n{status.EPILOG}"
        super().__init__(**kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(status.UNREADABLE, f"{self.prog}: error: {message}\n")


def _version() -> str:
    from layermodel import __version__

    return f"layermodel {__version__}"


class _VersionAction(argparse.Action):
    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        print(_version())
        parser.exit(status.OK)


# -- shared options -------------------------------------------------------------------


def _add_common(parser: argparse.ArgumentParser) -> None:
    """``--version`` and ``--debug``, which every command takes."""
    parser.add_argument("--version", action=_VersionAction)
    parser.add_argument(
        "--debug", action="store_true", help="show Python tracebacks for internal errors"
    )


def _add_models(parser: argparse.ArgumentParser, help: str = "model files") -> None:
    """The model files a command reads and merges."""
    parser.add_argument("models", nargs="+", metavar="MODEL", help=help)


def _add_format(
    parser: argparse.ArgumentParser,
    choices: Sequence[str] = ("text", "json", "markdown"),
    default: str | None = "text",
    help: str | None = None,
) -> None:
    parser.add_argument("--format", choices=choices, default=default, help=help)


def _ci_outputs(parser: argparse.ArgumentParser, name: str) -> None:
    """The report options of a command CI runs (``check``, ``drift``): the CI formats,
    ``-o``, the common options and the command's function."""
    _add_format(
        parser,
        ("text", "json", "markdown", "sarif", "junit", "github"),
        help="text, json, markdown, sarif (2.1.0), junit (XML) or github (workflow commands)",
    )
    _add_output(parser)
    _add_common(parser)
    _runs(parser, name)


def _add_output(
    parser: argparse.ArgumentParser,
    help: str = "write the report to FILE",
    metavar: str = "FILE",
    default: str | None = None,
) -> None:
    parser.add_argument("-o", "--output", metavar=metavar, default=default, help=help)


def _add_product(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument("--product", metavar="ID", help=help)


def _add_fail_on(parser: argparse.ArgumentParser, choices: Sequence[str], help: str) -> None:
    parser.add_argument("--fail-on", action="append", choices=choices, default=[], help=help)


def _add_cost_method(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cost-method",
        choices=("equal", "weighted"),
        default="equal",
        help="split shared costs equally or by product weight (default equal)",
    )


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _hops(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def _add_scoping(parser: argparse.ArgumentParser) -> None:
    """``--rollup``, ``--focus`` and ``--depth``: what a diagram view draws."""
    parser.add_argument(
        "--rollup",
        metavar="KEY",
        help="draw one node per group, owner or layer in each layer, with aggregated "
        "dependencies (KEY: group, owner or layer)",
    )
    parser.add_argument(
        "--focus",
        metavar="ID",
        help="draw only this component and its neighbourhood, highlighted",
    )
    parser.add_argument(
        "--depth",
        type=_hops,
        default=None,
        metavar="N",
        help="with --focus: how many hops along dependencies, either way (default: 1)",
    )


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text!r}")
    return value


def _runs(parser: argparse.ArgumentParser, module: str, function: str = "run") -> None:
    """Make ``function`` of ``layermodel.cli.commands.<module>`` run this command."""
    parser.set_defaults(handler=(module, function), help_of=parser)


def _group(parser: argparse.ArgumentParser) -> None:
    """A command that only holds subcommands: given alone, it prints its help."""
    parser.set_defaults(handler=None, help_of=parser)


# -- the tree -------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The parser of the ``layermodel`` command and all its subcommands."""
    parser = _Parser(
        prog="layermodel",
        description="Model product portfolios as layers of reusable components.",
        epilog="Run 'layermodel COMMAND --help' for the options of a command.",
    )
    _add_common(parser)
    _group(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    validate = commands.add_parser(
        "validate",
        help="check model files and list every problem",
        description=(
            "Check one model, split across one or more YAML/JSON files, and list every "
            "problem with file:line:column."
        ),
    )
    _add_models(validate, "model files; - for stdin")
    _add_format(validate, ("text", "json"), help="output format (default text)")
    _add_common(validate)
    _runs(validate, "validate")

    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of model files",
        description=(
            "Print the JSON Schema of model files, for editors: save it and add "
            "'# yaml-language-server: $schema=layermodel.schema.json' to a YAML model."
        ),
    )
    _add_output(schema, "write to FILE instead of stdout")
    schema.add_argument(
        "--pyproject",
        action="store_true",
        help="the schema of the [tool.layermodel] table of pyproject.toml instead",
    )
    _add_common(schema)
    _runs(schema, "schema")

    check = commands.add_parser(
        "check",
        help="check the model's rules in CI, against a baseline that only tightens",
        description=(
            "Run the rules in the model's checks: section (without any, the layering and "
            "cycle rules) and compare the findings with a baseline: a new finding fails, "
            "a baselined finding that has been fixed fails until the baseline is updated, "
            "and an entry past its expires date fails. Rules can also live in "
            "pyproject.toml under [tool.layermodel]. Bad rules or a bad baseline exit 2."
        ),
    )
    _add_models(check)
    check.add_argument(
        "--baseline",
        metavar="FILE",
        help="the baseline file (default layermodel-baseline.json beside the first model)",
    )
    check.add_argument(
        "--update-baseline",
        action="store_true",
        help="rewrite the baseline to today's findings, keeping owner, reason and expires",
    )
    check.add_argument(
        "--config",
        metavar="PYPROJECT",
        help="a pyproject.toml whose [tool.layermodel] table adds rules (and a baseline); "
        "default: the nearest pyproject.toml at or above the first model's folder",
    )
    _ci_outputs(check, "check")

    drift = commands.add_parser(
        "drift",
        help="compare the model with what runs: manifests, compose files, traces",
        description=(
            "Compare the model with reality: discovered model files, or folders and files "
            "that 'layermodel discover' reads. Lists undeclared dependencies (seen, not "
            "declared; with where each was seen), phantom ones (declared, not seen, where "
            "the sources could see them), components missing on either side with a "
            "suggested alias for each near miss, layer and owner mismatches, and the drift "
            "score overall and per product. Exits 0 when model and reality agree, 1 when "
            "they drift, 2 when an input cannot be read."
        ),
    )
    _add_models(drift)
    drift.add_argument(
        "--against",
        nargs="+",
        required=True,
        metavar="SOURCE",
        help="discovered model files, or files and folders discover reads",
    )
    drift.add_argument(
        "--layer-rules",
        metavar="FILE",
        help="a layer-rules file: its aliases (a source's name -> model id), ignore "
        "patterns and rules",
    )
    drift.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="PATTERN",
        help="a component id or wildcard to report on neither side (repeatable)",
    )
    _ci_outputs(drift, "drift")

    analyze = commands.add_parser(
        "analyze",
        help="report reuse, layering rules, impact, availability and cost",
        description=(
            "Analyse a portfolio: reuse per product and layer, platform candidates, "
            "layering violations and cycles, blast radius and single points of failure, "
            "availability, cost shares and structure metrics."
        ),
        epilog=(
            "With --format json on a model of 20,000 components or more, the blast radii "
            "are computed in a second process (POSIX), for the same output. "
            "LAYERMODEL_WORKERS=1 turns that off; LAYERMODEL_PARALLEL_MIN=N sets the size."
        ),
    )
    _add_models(analyze, "model files; - for stdin")
    _add_format(analyze, help="text (tables on a terminal), json (schema_version 1) or markdown")
    _add_product(analyze, "focus the report on one product")
    analyze.add_argument(
        "--min-users",
        type=_positive_int,
        default=2,
        metavar="K",
        help="products that make a component reused (default 2)",
    )
    _add_cost_method(analyze)
    _add_fail_on(
        analyze,
        ("violations", "cycles"),
        "exit 1 when the model has layering violations or cycles (repeatable)",
    )
    analyze.add_argument(
        "--gateways",
        action="store_true",
        help="also compute every product's gateways (dominators); --product always does",
    )
    analyze.add_argument(
        "--advice",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="find the platform opportunities, as 'layermodel advise' does (default: on "
        "models of at most 2,000 components; at most 5 of each kind)",
    )
    _add_output(analyze)
    _add_common(analyze)
    _runs(analyze, "analyze")

    advise = commands.add_parser(
        "advise",
        help="platform opportunities: duplicates to merge, components to share or move",
        description=(
            "Rank the changes a product leader can act on: likely duplicates across "
            "products (found without tags, from names, descriptions, vendor, technology, "
            "layer and dependencies), lower-layer components one product uses that others "
            "could share, and components to move down or up a layer. Each comes with its "
            "evidence and what it gains, measured by applying it as a what-if: components "
            "and monthly cost saved, reuse level per product, blast radius, availability "
            "and layering violations."
        ),
    )
    _add_models(advise, "model files; - for stdin")
    _add_cost_method(advise)
    advise.add_argument(
        "--limit",
        type=_positive_int,
        default=12,
        metavar="N",
        help="at most N opportunities of each kind (default 12)",
    )
    _add_format(advise, help="text (tables on a terminal), json or markdown")
    _add_output(advise)
    _add_common(advise)
    _runs(advise, "advise")

    whatif = commands.add_parser(
        "whatif",
        help="what changes if a component goes, is replaced, or a product comes or goes",
        description=(
            "Apply one change to the model and report what it does: what breaks, whose "
            "footprint changes, which components lose users or become orphans, the monthly "
            "cost it frees, orphans and adds, and each product's cost share and estimated "
            "availability before and after; for a new product, a launch plan of what it "
            "reuses, what must be built and what that costs, and its availability against "
            "its target."
        ),
    )
    _add_models(whatif)
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
    _add_cost_method(whatif)
    _add_format(whatif)
    _add_output(whatif)
    whatif.add_argument("--save", metavar="FILE", help="also save the changed model to FILE")
    _add_common(whatif)
    _runs(whatif, "whatif")

    diff = commands.add_parser(
        "diff",
        help="what changed between two versions of a model",
        description=(
            "Compare two models: components, dependencies, products and layers added, "
            "removed or changed, and how reuse, layering violations and availability moved."
        ),
    )
    diff.add_argument(
        "old",
        metavar="OLD",
        help="the earlier model file, or a git revision of NEW (HEAD~3), or REV:PATH",
    )
    diff.add_argument("new", metavar="NEW", help="the later model file")
    _add_format(diff)
    _add_output(diff)
    diff.add_argument(
        "--render",
        metavar="FILE",
        help="also draw the change as one layered picture (svg, png, pdf, dot, mmd or html, "
        "from the suffix)",
    )
    _add_fail_on(diff, ("violations",), "exit 1 when the new model introduces layering violations")
    _add_common(diff)
    _runs(diff, "diff")

    history = commands.add_parser(
        "history",
        help="a model's figures at every commit that changed it, and charts of the trends",
        description=(
            "Walk the git history of the model files (every file of a split model, "
            "following renames) and report, for each commit that changed them: components "
            "per layer, products, dependencies, reuse level per product and overall, shared "
            "components, layering violations, cycles, single points of failure, total cost "
            "and the model's check rules. A version that does not validate is listed with "
            "its first problem. Rows are oldest first."
        ),
        epilog=(
            "Examples: layermodel history model.yaml --format csv -o history.csv; "
            "layermodel history teams/*.yaml --rev v1.0..main --chart trends.png"
        ),
    )
    _add_models(history, "model files, as named at the newest commit (in a git work tree)")
    history.add_argument(
        "--rev",
        metavar="RANGE",
        default=None,
        help="a commit or a range such as v1.0..main (default HEAD); first parents only",
    )
    history.add_argument(
        "--every",
        type=_positive_int,
        default=None,
        metavar="N",
        help="keep every N-th version (and always the newest)",
    )
    history.add_argument(
        "--min-users",
        type=_positive_int,
        default=2,
        metavar="K",
        help="products that make a component reused (default 2)",
    )
    _add_format(
        history,
        ("text", "csv", "json", "markdown"),
        help="text (a table), csv (one row per version), json or markdown",
    )
    _add_output(history)
    history.add_argument(
        "--chart",
        metavar="FILE",
        help="also draw the trends into FILE (.png or .svg; needs layermodel[charts])",
    )
    _add_common(history)
    _runs(history, "history")

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
            "impact:ID (what fails with a component), matrix (products by components), "
            "diff:OLD (what changed since OLD). "
            "Components with a group are drawn in group boxes inside their layer. "
            "Examples: layermodel render model.yaml --view product:search -o search.svg; "
            "layermodel render model.yaml --view impact:distributed-db --format mermaid; "
            "layermodel render model.yaml --rollup group -o domains.svg; "
            "layermodel render model.yaml --focus ranking --depth 2 -o ranking.svg; "
            "layermodel render model.yaml --style stack --color-by owner -o stack.png; "
            "layermodel render model.yaml -o deck.pptx"
        ),
    )
    _add_models(render, "model files to merge")
    render.add_argument(
        "--view",
        action="append",
        default=[],
        metavar="VIEW",
        help="product:ID, ecosystem, impact:ID, matrix, or diff:OLD: the change from OLD (a "
        "model file, a git revision of the model files such as HEAD~3, or REV:PATH) "
        "(default: ecosystem); repeat it for a pptx deck, one slide per view (default "
        "deck: ecosystem, its stack, each product)",
    )
    _add_format(
        render,
        ("svg", "png", "pdf", "dot", "mermaid", "html", "pptx"),
        default=None,
        help="output format (default: from the -o suffix, else svg); pptx needs "
        "pip install 'layermodel[slides]'",
    )
    render.add_argument(
        "--style",
        choices=("layered", "stack"),
        default="layered",
        help="layered: bands, boxes and dependency arrows (default); stack: one box per "
        "component in its layer band and no arrows, for slides (svg, png, pdf, dot, pptx)",
    )
    render.add_argument(
        "--color-by",
        choices=("reuse", "owner", "sourcing", "lifecycle", "product"),
        default="reuse",
        help="what a component's fill shows (default: reuse, how many products use it)",
    )
    render.add_argument(
        "--highlight",
        nargs="+",
        default=[],
        metavar="ID",
        help="emphasise these components (the ones a talk is about) and fade the rest",
    )
    _add_output(render, "where to write; - for stdout (default)")
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
    _add_scoping(render)
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
    render.add_argument(
        "--layout-lock",
        metavar="FILE",
        help="keep each component's band, row and order in FILE (JSON): written when "
        "absent, then reused; components new to it are placed among the others and added",
    )
    render.add_argument(
        "--update-layout-lock",
        action="store_true",
        help="with --layout-lock: rewrite the lock as drawn, dropping components no longer "
        "in the model",
    )
    _add_common(render)
    _runs(render, "render")

    site = commands.add_parser(
        "site",
        help="write the portfolio site: static pages to browse and share",
        description=(
            "Write static pages of the portfolio into DIR: a home page with the summary, "
            "a picture and the headline numbers; a page per product, component, layer, "
            "group and owner; the reuse matrix, the layering violations and the check "
            "results; Explore (every component, group by group) and search. The pages "
            "work from file:// and any static host, with no network request. DIR must be "
            "new, empty or a previous site; it is replaced whole when the site is written."
        ),
        epilog="Example: layermodel site model.yaml -o site && open site/index.html",
    )
    _add_models(site, "model files to merge")
    site.add_argument(
        "-o", "--output", metavar="DIR", required=True, help="the site's folder (required)"
    )
    _add_site_inputs(site)
    _add_common(site)
    _runs(site, "site")

    serve = commands.add_parser(
        "serve",
        help="preview the site on this machine, redrawn as the model is saved",
        description=(
            "Serve the portfolio site on a loopback address, rebuild it within a second "
            "of a saved change to a model file and reload the browser; while the model "
            "is broken, the page lists its problems with their lines. Needs the "
            "watchfiles package (pip install 'layermodel[serve]'). Ctrl-C stops (exit 130)."
        ),
    )
    _add_models(serve, "model files to merge and watch")
    serve.add_argument(
        "--port", type=int, default=8000, metavar="N", help="the port (default 8000; 0: any free)"
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="a loopback address to serve on (default 127.0.0.1)",
    )
    _add_site_inputs(serve)
    _add_common(serve)
    _runs(serve, "serve")

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
    _runs(demo, "demo")

    _add_import(commands)
    _add_discover(commands)
    _add_export(commands)
    return parser


def _add_site_inputs(parser: argparse.ArgumentParser) -> None:
    """The optional inputs of the site: history rows and a drift report."""
    parser.add_argument(
        "--history",
        metavar="FILE",
        help="trends from the rows of 'layermodel history' (its CSV or JSON)",
    )
    parser.add_argument(
        "--drift",
        metavar="FILE",
        help="per-component drift from 'layermodel drift --format json'",
    )


def _add_import(commands: Any) -> None:
    importer = commands.add_parser(
        "import",
        help="import a model from another tool (Backstage, compose, Kubernetes, Structurizr, "
        "LikeC4, traces)",
        description="Import a model from another tool's files.",
    )
    _add_common(importer)
    _group(importer)
    sources = importer.add_subparsers(dest="source", metavar="FORMAT", parser_class=_Parser)
    backstage = sources.add_parser(
        "backstage",
        help="Backstage catalog-info YAML files or folders",
        description=(
            "Import Backstage catalog files (multi-document YAML, folders, Location "
            "entities followed) into a model. Components, Resources and APIs become "
            "components; Systems of type product become products. Prints an account of "
            "every entity: imported, skipped by kind, or reported."
        ),
    )
    backstage.add_argument("paths", nargs="+", metavar="PATH", help="catalog files or folders")
    _add_output(backstage, "model file to write; - for stdout", metavar="MODEL", default="-")
    backstage.add_argument("--layer-rules", metavar="FILE", help="YAML rules that place entities")
    backstage.add_argument(
        "--default-layer", metavar="ID", help="layer of entities no annotation or rule places"
    )
    backstage.add_argument(
        "--product-systems",
        metavar="TYPES",
        default="product",
        help="System spec.type values that make a product, comma-separated, or ALL "
        "(default: product)",
    )
    backstage.add_argument("--name", help="the model's name")
    _add_common(backstage)
    _runs(backstage, "import_", "backstage")

    def discovery(name: str, help: str, description: str, paths: str = "PATH") -> Any:
        parser = sources.add_parser(name, help=help, description=description)
        if paths == "PATH":
            parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
        else:
            parser.add_argument("path", metavar=paths, help="the workspace file")
        _add_discovery_options(parser)
        _runs(parser, "import_", name)
        return parser

    compose = discovery(
        "compose",
        "compose files (docker compose -f a -f b)",
        "Import one compose project: the files merge in order, later ones patching "
        "earlier ones, as 'docker compose -f a -f b' does, with the project folder's .env "
        "and any --env-file. Services become components; dependencies come from "
        "depends_on, links and environment values naming another service.",
    )
    compose.add_argument(
        "--env-file",
        action="append",
        default=[],
        metavar="FILE",
        help="variables for interpolation, after the project's .env (repeatable)",
    )
    compose.add_argument("--project-name", metavar="NAME", help="the compose project's name")
    discovery(
        "kubernetes",
        "Kubernetes manifests, folders, List objects and kustomizations",
        "Import Kubernetes manifests: workloads become components; Services map their DNS "
        "names to workloads; dependencies come from env values and ConfigMaps naming a "
        "Service, and from NetworkPolicy rules. A kustomization's resources decide what "
        "is read.",
    )
    structurizr = discovery(
        "structurizr",
        "a Structurizr workspace (DSL or JSON)",
        "Import a Structurizr workspace, DSL or JSON: containers, and software systems "
        "without containers, become components; components fold into their container "
        "unless --level component; people are not components.",
        paths="WORKSPACE",
    )
    structurizr.add_argument(
        "--level",
        choices=("container", "component"),
        default="container",
        help="what becomes a component (default container)",
    )
    discovery(
        "likec4",
        "the JSON 'likec4 export json' writes",
        "Import a LikeC4 model from the JSON its command line exports "
        "('likec4 export json --pretty'): the elements inside systems become components, "
        "relations are lifted to them.",
    )
    discovery(
        "traces",
        "OTLP JSON traces, Jaeger or Zipkin dependency links",
        "Import what calls what from traces: OTLP JSON (the collector's file exporter, "
        "JSON Lines), or Jaeger and Zipkin dependency links (parent, child, callCount). "
        "Call counts are kept in each dependency's provenance.",
    )


def _add_discovery_options(parser: argparse.ArgumentParser) -> None:
    """What every discovery importer (and ``discover``) takes."""
    _add_output(parser, "model file to write; - for stdout", metavar="MODEL", default="-")
    parser.add_argument(
        "--layer-rules",
        metavar="FILE",
        help="YAML rules that place components in layers, and aliases (a source's "
        "name -> model id); tried before the built-in defaults",
    )
    parser.add_argument("--name", help="the model's name")
    _add_common(parser)


def _add_discover(commands: Any) -> None:
    discover = commands.add_parser(
        "discover",
        help="discover one model from folders of manifests, compose files, workspaces, traces",
        description=(
            "Walk files and folders, recognise each file's kind (compose, Kubernetes, "
            "kustomize, Structurizr, LikeC4 JSON, traces, Backstage), import each and merge "
            "them into one model: the same service found in several sources is one "
            "component, with where each source saw it; the same object found twice counts "
            "once. Prints an account of everything read."
        ),
    )
    discover.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    _add_discovery_options(discover)
    _runs(discover, "import_", "discover")


def _add_export(commands: Any) -> None:
    exporter = commands.add_parser(
        "export",
        help="export a model for other tools (Backstage, ArchiMate, Wardley, JSON Schema)",
        description="Export a model in another tool's format.",
    )
    _add_common(exporter)
    _group(exporter)
    targets = exporter.add_subparsers(dest="target", metavar="FORMAT", parser_class=_Parser)

    def target(name: str, help: str, description: str, models: bool = True) -> Any:
        parser = targets.add_parser(name, help=help, description=description)
        if models:
            _add_models(parser)
        _add_output(parser, "file to write; - for stdout", default="-")
        _add_common(parser)
        _runs(parser, "export", name)
        return parser

    target(
        "backstage",
        "Backstage catalog YAML",
        "Write the model as multi-document Backstage catalog YAML; importing it again "
        "gives the same model.",
    )
    target(
        "archimate",
        "ArchiMate Open Exchange Format XML",
        "Write the model as an ArchiMate 3 Open Group exchange file with one layered view.",
    )
    wardley = target(
        "wardley",
        "OnlineWardleyMaps text",
        "Write the model, or one product's footprint, as an OnlineWardleyMaps map.",
    )
    _add_product(wardley, "map only this product's footprint")
    target(
        "jsonschema",
        "JSON Schema of model files",
        "Write the JSON Schema of model files, for editors.",
        models=False,
    )

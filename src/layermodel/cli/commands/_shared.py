"""What several commands do: load a model or report why not, write a result to a file
or to standard output, and check a product id."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from layermodel.cli import status
from layermodel.cli.terminal import print_problems, print_sections, say

if TYPE_CHECKING:
    from layermodel import Ecosystem

__all__ = ["check_product", "emit", "load_model", "load_version", "write_result"]

_MODEL_SUFFIXES = (".yaml", ".yml", ".json")


def load_model(paths: Sequence[str], err: TextIO) -> Ecosystem:
    """Load and merge the model files at ``paths``; when that fails, print every
    problem and stop with :data:`~status.FAILED` for an invalid model or
    :data:`~status.UNREADABLE` for a file that could not be read."""
    from layermodel import ModelError, load

    try:
        return load(*paths)
    except ModelError as exc:
        print_problems(exc.problems, "the model cannot be used", err)
        raise status.Stop(status.of_error(exc)) from None


def load_version(spec: str, paths: Sequence[str], err: TextIO) -> tuple[Ecosystem, str]:
    """An earlier version of a model and the name to show for it: ``spec`` is a model
    file, or a git revision (``HEAD~3``) of the model files ``paths``, or
    ``REV:PATH`` for another file at that revision. Stops as :func:`load_model` does,
    with :data:`~status.UNREADABLE` for a revision that cannot be read."""
    import os

    from layermodel import ModelError
    from layermodel.model import display_name, load_at

    rev, colon, path = spec.partition(":")
    looks_like_file = not colon and spec.lower().endswith(_MODEL_SUFFIXES)
    if spec == "-" or os.path.exists(spec) or looks_like_file:
        return load_model([spec], err), spec
    files = [path] if colon and path else list(paths)
    if "-" in files:
        say("standard input has no git history; give the model as a file", err)
        raise status.Stop(status.UNREADABLE)
    try:
        eco = load_at(rev, *files)
    except ModelError as exc:
        print_problems(exc.problems, f"the model at revision {rev} cannot be used", err)
        raise status.Stop(status.of_error(exc)) from None
    shown = display_name(rev, files[0]) if len(files) == 1 else f"{rev}"
    return eco, shown


def emit(text: str, output: str | None, out: TextIO, err: TextIO) -> None:
    """Write ``text`` atomically to the file ``output`` (and say so on ``err``), or to
    ``out`` when ``output`` is None or ``-``."""
    from layermodel.model import write_atomic

    if output and output != "-":
        write_atomic(output, text)
        print(f"wrote {output}", file=err)
    else:
        out.write(text)


def write_result(
    result: Any, fmt: str, title: str, output: str | None, out: TextIO, err: TextIO
) -> None:
    """Print or write a result that has ``to_dict()`` and ``sections()``: as JSON, as
    Markdown under ``# title``, as plain text to a file, or as tables on a terminal."""
    from layermodel.analysis import render_markdown, render_text

    if fmt == "json":
        emit(json.dumps(result.to_dict(), ensure_ascii=False) + "\n", output, out, err)
    elif fmt == "markdown":
        emit(f"# {title}\n\n" + render_markdown(result.sections()), output, out, err)
    elif output and output != "-":
        emit(render_text(result.sections()), output, out, err)
    else:
        print_sections(result.sections(), out)


def check_product(ecosystem: Ecosystem, product: str | None, err: TextIO) -> None:
    """Stop with :data:`~status.UNREADABLE` (naming the nearest id) when ``product`` is
    given and is not a product of ``ecosystem``."""
    if product is None or product in ecosystem.product_index:
        return
    from layermodel.errors import suggest

    near = suggest(product, ecosystem.product_index)
    hint = f"; did you mean {near!r}?" if near else ""
    say(f"no product {product!r} in the model{hint}", err)
    raise status.Stop(status.UNREADABLE)

"""Running Graphviz: finding ``dot``, and drawing DOT text as SVG, PNG or PDF."""

from __future__ import annotations

import os
import shutil
import subprocess

from layermodel.errors import LayermodelError

__all__ = ["GraphvizError", "GraphvizMissing", "dot_program", "run_graphviz"]


class GraphvizMissing(LayermodelError):
    """The ``dot`` program is not installed."""

    def __init__(self) -> None:
        super().__init__(
            "Graphviz's 'dot' program is needed to draw SVG, PNG and PDF, and it is not "
            "installed (or not on PATH). Install it with 'sudo apt-get install graphviz' "
            "(Debian/Ubuntu), 'brew install graphviz' (macOS) or from "
            "https://graphviz.org/download/, or run 'make demo', which installs it. "
            "DOT, Mermaid and HTML output work without it."
        )


class GraphvizError(LayermodelError):
    """``dot`` failed or ran out of time."""


def dot_program() -> str:
    """The path of Graphviz's ``dot``, or raise :class:`GraphvizMissing`."""
    found = shutil.which("dot")
    if found is None:
        raise GraphvizMissing()
    return found


def run_graphviz(
    dot_text: str, fmt: str, *, engine: str = "neato", timeout: float = 60.0, nodes: int = 0
) -> bytes:
    """Draw ``dot_text`` as ``fmt`` with Graphviz; raise :class:`GraphvizError` on
    failure or when it takes longer than ``timeout`` seconds.

    ``engine="neato"`` draws the positions stored in the DOT (``neato -n2``);
    ``engine="dot"`` lays the graph out with Graphviz's ``dot``."""
    program = dot_program()
    command = [program, f"-T{fmt}"]
    if engine == "neato":
        command = [program, "-Kneato", "-n2", f"-T{fmt}"]
    try:
        done = subprocess.run(
            command,
            input=dot_text.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
            env={**os.environ, "LC_ALL": "C.UTF-8"},
        )
    except subprocess.TimeoutExpired:
        size = f" of {nodes} components" if nodes else ""
        raise GraphvizError(
            f"Graphviz did not finish the layout{size} within {timeout:g} s. Draw a "
            "focused view instead (a product or impact view, or filter the components "
            "by layer, tag or owner), or allow more time (a larger timeout)."
        ) from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise GraphvizError(f"Graphviz failed: {message or f'exit status {done.returncode}'}")
    return done.stdout

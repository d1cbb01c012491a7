"""The live preview (``layermodel serve``): the site served on loopback, rebuilt when a
model file is saved, with the model's problems shown in the page while it is broken.

A watcher thread (``watchfiles``, the optional ``serve`` extra) watches the folders of
the model files (editors often save by writing a new file and renaming it over the
old) and rebuilds the site into a fresh folder; each build has a version number, which
the pages ask for (``/__layermodel__/version?after=N``, answered as soon as the
version is not N: a long poll) to reload themselves. While the model
cannot be loaded, every page is a list of its problems, each at its file and line,
until the next good save. The server is the standard library's
:class:`~http.server.ThreadingHTTPServer`, bound to a loopback address only, and it
answers only requests whose ``Host`` is a loopback name (no DNS rebinding).
"""

from __future__ import annotations

import contextlib
import http.server
import ipaddress
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from layermodel.errors import LayermodelError, Problem
from layermodel.site.build import ASSETS, build_site
from layermodel.site.inputs import read_drift, read_history
from layermodel.site.markup import Html, join, page

__all__ = ["VERSION_PATH", "Preview", "check_loopback"]

VERSION_PATH = "/__layermodel__/version"
"""Where the pages ask for the site's version."""
DRAWING_DELAY = 0.4
"""Seconds between the quick build after a save and the one with the drawings."""
LONG_POLL = 20.0
"""How long a page's question for a new version waits for one, in seconds."""
_LOOPBACK_NAMES = ("localhost",)


def check_loopback(host: str) -> None:
    """Refuse a host that is not a loopback address (or ``localhost``).

    Raises:
        LayermodelError: ``host`` would serve the portfolio beyond this machine.
    """
    if host in _LOOPBACK_NAMES:
        return
    try:
        loopback = ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise LayermodelError(
            f"--host {host!r} is not a loopback address; the preview serves this machine "
            "only (use 127.0.0.1, ::1 or localhost, and 'layermodel site' to publish)"
        )


@dataclass(frozen=True)
class _State:
    version: int
    folder: Path | None
    """The current site, or None when the model has never built."""
    problems: tuple[Problem, ...]
    """Why the last build failed; empty when it succeeded."""
    seconds: float = 0.0
    """How long the build took."""


class Preview:
    """The site of the model in ``paths``, rebuilt on demand into folders under one
    temporary folder, with the current version and problems.

    Args:
        paths: the model files.
        history: a history file to draw trends from.
        drift: a drift report to show per component.
    """

    def __init__(
        self,
        paths: Sequence[str],
        *,
        history: str | None = None,
        drift: str | None = None,
    ) -> None:
        self.paths = list(paths)
        self.history = history
        self.drift = drift
        self._base = Path(tempfile.mkdtemp(prefix="layermodel-serve-"))
        self._lock = threading.Lock()
        self._state = _State(0, None, ())
        self._old: list[Path] = []
        self._drawings: dict[str, str] = {}
        self._changed = threading.Condition()

    @property
    def state(self) -> _State:
        """The current version, site folder and problems."""
        return self._state

    def inputs(self) -> list[str]:
        """Every file the site is built from."""
        return [*self.paths, *(x for x in (self.history, self.drift) if x)]

    def rebuild(self, report: Callable[[_State], None] | None = None) -> _State:
        """Load the model and build the site again, in two steps: first without
        Graphviz's drawings (the pages reload with the change at once), then with them
        (they reload again with the pictures). A model that cannot be loaded, or inputs
        that cannot be read, give a state with problems and keep no site. ``report``
        is called after each step."""
        from layermodel.site.build import graphviz_installed

        quick = self._build(drawings=False)
        if quick.folder is None or not graphviz_installed():
            if report is not None:
                report(quick)
            return quick
        if report is not None:
            report(quick)
        # Let the open pages reload with the change before Graphviz takes the CPU.
        time.sleep(DRAWING_DELAY)
        full = self._build(drawings=True)
        if report is not None:
            report(full)
        return full

    def _build(self, *, drawings: bool) -> _State:
        """One build of the site, as a new version."""
        from layermodel.model import load

        with self._lock:
            started = time.perf_counter()
            version = self._state.version + 1
            folder = self._base / f"v{version}"
            try:
                eco = load(*self.paths)
                history = read_history(self.history) if self.history else None
                drift = read_drift(self.drift) if self.drift else None
                if len(self._drawings) > 256:
                    self._drawings.clear()
                build_site(
                    eco,
                    folder,
                    files=self.paths,
                    history=history,
                    drift=drift,
                    live=version,
                    svg_cache=self._drawings,
                    drawings=drawings,
                )
                state = _State(version, folder, (), time.perf_counter() - started)
            except LayermodelError as exc:
                problems = getattr(exc, "problems", None) or (Problem(str(exc)),)
                state = _State(version, None, tuple(problems), time.perf_counter() - started)
            previous = self._state.folder
            with self._changed:
                self._state = state
                self._changed.notify_all()
            # A page being served may still read the previous build: drop the one
            # before it.
            if previous is not None:
                self._old.append(previous)
            while len(self._old) > 1:
                shutil.rmtree(self._old.pop(0), ignore_errors=True)
            return state

    def wait_past(self, version: int, timeout: float) -> _State:
        """The state once its version differs from ``version``, or after ``timeout``
        seconds (a long poll: the page learns of a new build at once)."""
        with self._changed:
            self._changed.wait_for(lambda: self._state.version != version, timeout)
            return self._state

    def close(self) -> None:
        """Remove every build."""
        shutil.rmtree(self._base, ignore_errors=True)

    # -- watching -----------------------------------------------------------------------

    def watch(self, stop: threading.Event, rebuilt: Callable[[_State], None]) -> None:
        """Rebuild whenever an input file is written, until ``stop`` is set; call
        ``rebuilt`` after each build. Runs in the calling thread.

        Raises:
            LayermodelError: ``watchfiles`` is not installed.
        """
        try:
            from watchfiles import watch
        except ImportError:
            raise LayermodelError(
                "layermodel serve needs the watchfiles package: pip install 'layermodel[serve]'"
            ) from None
        targets = {os.path.realpath(p) for p in self.inputs()}
        folders = sorted({os.path.dirname(p) for p in targets})

        def relevant(_change: Any, path: str) -> bool:
            return os.path.realpath(path) in targets

        for _changes in watch(
            *folders,
            watch_filter=relevant,
            debounce=60,
            step=20,
            stop_event=stop,
            recursive=False,
            raise_interrupt=False,
        ):
            self.rebuild(rebuilt)

    # -- serving -------------------------------------------------------------------------

    def problems_page(self, state: _State) -> str:
        """The page shown for every page of the site while the model is broken."""
        items = join(
            Html("<li><code>{}</code> {}</li>").format(p.location, _message(p))
            for p in state.problems
        )
        body = Html(
            '<div id="live-problems"><h1>The model cannot be used</h1>'
            '<p>{}</p><ol>{}</ol><p class="muted">This page reloads by itself when the '
            "model is saved again.</p></div>"
        ).format(
            f"{len(state.problems)} problem{'s' if len(state.problems) != 1 else ''} in "
            + ", ".join(self.paths)
            + ":",
            items,
        )
        return page(
            title="Problems",
            site_name="layermodel serve",
            root="/",
            body=body,
            live=state.version,
            body_class="problems",
        )

    def handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        """The request handler class serving this preview."""
        preview = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            server_version = "layermodel-serve"

            def __init__(self, *args: Any, **kwargs: Any) -> None:
                self._state = preview.state
                folder = self._state.folder or preview._base
                super().__init__(*args, directory=str(folder), **kwargs)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet: the terminal shows rebuilds, not requests

            def end_headers(self) -> None:
                self.send_header("Cache-Control", "no-store")
                self.send_header("X-Content-Type-Options", "nosniff")
                super().end_headers()

            def _send(self, code: int, text: str, kind: str) -> None:
                data = text.encode("utf-8")
                self.send_response(code)
                self.send_header("Content-Type", f"{kind}; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    # The page may have gone away (it reloaded, or was closed).
                    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                        self.wfile.write(data)

            def _allowed_host(self) -> bool:
                host = (self.headers.get("Host") or "").strip()
                name = (
                    host.rsplit(":", 1)[0] if not host.startswith("[") else host.split("]")[0] + "]"
                )
                try:
                    check_loopback(name)
                except LayermodelError:
                    return False
                return True

            def do_GET(self) -> None:
                if not self._allowed_host():
                    self._send(403, "forbidden: not a loopback host\n", "text/plain")
                    return
                path, _, query = self.path.partition("?")
                path = path.split("#", 1)[0]
                if path == VERSION_PATH:
                    after = query.removeprefix("after=")
                    if after.isdigit():
                        self._state = preview.wait_past(int(after), LONG_POLL)
                    self._send(200, str(self._state.version), "text/plain")
                    return
                name = path.rsplit("/", 1)[-1]
                if path.startswith("/assets/") and name in ASSETS:
                    text = resources.files(__package__).joinpath("assets", name)
                    kind = "text/css" if name.endswith(".css") else "text/javascript"
                    self._send(200, text.read_text(encoding="utf-8"), kind)
                    return
                if self._state.folder is None:
                    if path.endswith((".html", "/")):
                        self._send(200, preview.problems_page(self._state), "text/html")
                    else:
                        self._send(404, "not found\n", "text/plain")
                    return
                super().do_GET()

            def do_HEAD(self) -> None:
                self.do_GET()

        return Handler

    def server(self, host: str, port: int) -> http.server.ThreadingHTTPServer:
        """A server for this preview, bound to ``host`` (a loopback address) and
        ``port`` (0 picks a free one).

        Raises:
            LayermodelError: the host is not loopback, or the port cannot be bound.
        """
        check_loopback(host)
        server_class = http.server.ThreadingHTTPServer
        if ":" in host:
            import socket

            class _V6(http.server.ThreadingHTTPServer):
                address_family = socket.AF_INET6

            server_class = _V6
        try:
            server = server_class((host.strip("[]"), port), self.handler())
        except OSError as exc:
            raise LayermodelError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None
        server.daemon_threads = True
        return server


def _message(problem: Problem) -> str:
    text = problem.message
    if problem.suggestion:
        text += f"; did you mean {problem.suggestion!r}?"
    return text

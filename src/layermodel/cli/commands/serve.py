"""``layermodel serve``: the site on loopback, rebuilt as the model is saved."""

from __future__ import annotations

import argparse
import os
import signal
import threading
from types import FrameType
from typing import TextIO

from layermodel.cli import status
from layermodel.cli.terminal import print_problems, say

TERMINATED = 128 + signal.SIGTERM
"""The exit code after a SIGTERM, as shells report it."""


class _Terminated(Exception):
    """Raised in the main thread by SIGTERM, to stop serving and clean up."""


def _terminate(_signum: int, _frame: FrameType | None) -> None:
    raise _Terminated


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Build the site, serve it, rebuild on every save; Ctrl-C stops (exit 130)."""
    from layermodel import LayermodelError
    from layermodel.site import Preview, check_loopback

    try:
        check_loopback(args.host)
    except LayermodelError as exc:
        say(str(exc), err)
        return status.UNREADABLE
    inputs = [*args.models, *(x for x in (args.history, args.drift) if x)]
    if "-" in inputs:
        say("serve watches files; standard input (-) cannot be watched", err)
        return status.UNREADABLE
    missing = [p for p in inputs if not os.path.isfile(p)]
    if missing:
        say(f"{missing[0]}: no such file", err)
        return status.UNREADABLE
    try:
        import watchfiles  # noqa: F401  (checked before serving, imported again to watch)
    except ImportError:
        say("serve needs the watchfiles package: pip install 'layermodel[serve]'", err)
        return status.UNREADABLE
    preview = Preview(args.models, history=args.history, drift=args.drift)
    stop = threading.Event()
    try:
        try:
            server = preview.server(args.host, args.port)
        except LayermodelError as exc:
            say(str(exc), err)
            return status.UNREADABLE

        def report(state: object) -> None:
            problems = getattr(state, "problems", ())
            if problems:
                print_problems(problems, "showing them in the page", err)
            else:
                version = getattr(state, "version", 0)
                say(
                    f"built the site (version {version}) in {getattr(state, 'seconds', 0):.2f} s",
                    err,
                )
            err.flush()

        preview.rebuild(report)
        watcher = threading.Thread(
            target=preview.watch, args=(stop, report), name="layermodel-watch", daemon=True
        )
        watcher.start()
        host, port = str(server.server_address[0]), int(server.server_address[1])
        shown = f"[{host}]" if ":" in host else host
        say(f"serving http://{shown}:{port}/ (Ctrl-C to stop)", err)
        err.flush()
        previous = signal.signal(signal.SIGTERM, _terminate)
        try:
            server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            say("stopped", err)
            return status.INTERRUPTED
        except _Terminated:
            say("stopped", err)
            return TERMINATED
        finally:
            signal.signal(signal.SIGTERM, previous)
            stop.set()
            server.server_close()
            watcher.join(timeout=2)
        return status.OK
    finally:
        preview.close()

"""The ``layermodel`` command line, a thin layer over the public API.

- :mod:`~layermodel.cli.main`: the entry point, :func:`main` (re-exported here, the
  console script ``layermodel = "layermodel.cli:main"``);
- :mod:`~layermodel.cli.parser`: the argparse tree, with the options several
  commands share defined once;
- :mod:`~layermodel.cli.status`: the exit codes, the same in every command;
- :mod:`~layermodel.cli.terminal`: tables, progress bars, messages and problems;
- :mod:`~layermodel.cli.commands`: one module per command.
"""

from layermodel.cli.main import main

__all__ = ["main"]

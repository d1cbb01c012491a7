"""The commands of ``layermodel``, one module each, named as in the parser
(:mod:`layermodel.cli.parser`). Each command reads its arguments, calls the public
API of layermodel, prints or writes the result and returns an exit code of
:mod:`layermodel.cli.status`; none holds analysis logic of its own.
"""

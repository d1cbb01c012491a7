"""``python -m layermodel`` runs the command line."""

import sys

from layermodel.cli import main

sys.exit(main())

"""``python -m dagkeeper`` runs the command line."""

import sys

from dagkeeper.cli import main

sys.exit(main())

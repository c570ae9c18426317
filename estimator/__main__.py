"""``python -m estimator``: the command line (see :mod:`estimator.cli`)."""

import sys

from estimator.cli import main

if __name__ == "__main__":
    sys.exit(main())

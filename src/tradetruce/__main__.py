"""``python -m tradetruce``: the same as the ``tradetruce`` command."""

import sys

from tradetruce.cli import main

sys.exit(main())

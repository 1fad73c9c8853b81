"""``python -m litscope``: the same as the ``litscope`` command."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())

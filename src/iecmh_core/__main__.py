"""
Run the ``iecmh`` command line as ``python -m iecmh_core``.
"""

import sys

from iecmh_core._cli import main

sys.exit(main())

"""The ``tracker`` command line: parser, shared context, one module per command group.

Importing this package loads only the standard library (see :mod:`tracker.cli.main`).
"""

from tracker.cli.errors import (
    EXIT_OK,
    EXIT_RUNTIME,
    EXIT_USAGE,
    RuntimeFailure,
    UsageError,
)
from tracker.cli.main import main

__all__ = ["EXIT_OK", "EXIT_RUNTIME", "EXIT_USAGE", "RuntimeFailure", "UsageError", "main"]

"""Exit codes and the errors a command raises; every failure becomes one line on stderr."""

from __future__ import annotations

EXIT_OK = 0
EXIT_RUNTIME = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad input from the person at the keyboard (exit 2). ``str()`` is one line."""


class RuntimeFailure(Exception):
    """Something failed that is not the user's input (exit 1). ``str()`` is one line."""


def classify(exc: BaseException) -> tuple[int, str]:
    """Map an exception to (exit code, one-line message)."""
    if isinstance(exc, UsageError):
        return EXIT_USAGE, str(exc)
    if isinstance(exc, RuntimeFailure):
        return EXIT_RUNTIME, str(exc)
    name = type(exc).__name__
    module = type(exc).__module__
    # Known errors of the core, matched by name so that this module imports nothing heavy.
    if name == "ConfigError" and module == "tracker.config":
        return EXIT_USAGE, str(exc)
    if name == "DateParseError" and module == "tracker.dates":
        return EXIT_USAGE, str(exc)
    if name == "IngestError":
        return EXIT_USAGE, str(exc)
    if module.startswith("tracker.store.services"):
        if name == "StaleWriteError":
            return EXIT_RUNTIME, str(exc)
        return EXIT_USAGE, str(exc)  # ServiceError, NotFoundError: bad input
    if name == "StoreError":
        return EXIT_RUNTIME, str(exc)
    if module.startswith("sqlalchemy"):  # never the SQL statement or its parameters
        orig = getattr(exc, "orig", None)
        first = (str(orig).strip().splitlines() or [""])[0] if orig is not None else ""
        return EXIT_RUNTIME, f"数据库错误：{first or name}"
    if isinstance(exc, OSError):
        where = f"{exc.filename}：" if getattr(exc, "filename", None) else ""
        return EXIT_RUNTIME, f"{where}{exc.strerror or exc}"
    return EXIT_RUNTIME, f"内部错误：{name}: {exc}"

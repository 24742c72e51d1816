"""Running a snippet in a fresh interpreter and asking what it compiled with ``re`` (start-up cost tests)."""

from __future__ import annotations

import subprocess
import sys

_COUNT_COMPILES = (
    "import re\n"
    "compiled = []\n"
    "real = re._compile\n"
    "def counting(pattern, flags):\n"
    "    compiled.append(pattern)\n"
    "    return real(pattern, flags)\n"
    "re._compile = counting\n"
)


def patterns_compiled(code: str, *, before: str = "") -> str:
    """The patterns ``code`` compiled (as printed: ``[]`` for none), run in a fresh interpreter after ``before``
    (imports whose own patterns are not the question); ``code`` may clear ``compiled`` itself."""
    script = before + _COUNT_COMPILES + code + "print(compiled)\n"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()

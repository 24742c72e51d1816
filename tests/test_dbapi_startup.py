"""tracker.store.dbapi is loaded by every command that opens a database: it compiles nothing at import (its one
pattern, for PostgreSQL's parameter style, is compiled when a PostgreSQL statement first needs it)."""

from __future__ import annotations

import subprocess
import sys

from tracker.store.dbapi import _pyformat


def test_named_parameters_become_psycopg_ones():
    sql = "SELECT :a, '100%', x::int, :b_2 FROM t WHERE y = :a"
    assert _pyformat(sql) == "SELECT %(a)s, '100%%', x::int, %(b_2)s FROM t WHERE y = %(a)s"


def test_importing_it_compiles_no_pattern():
    code = (
        "import re, sqlite3, datetime, pathlib\n"
        "compiled = []\n"
        "real = re._compile\n"
        "def counting(pattern, flags):\n"
        "    compiled.append(pattern)\n"
        "    return real(pattern, flags)\n"
        "re._compile = counting\n"
        "import tracker.store.dbapi\n"
        "print(compiled)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"

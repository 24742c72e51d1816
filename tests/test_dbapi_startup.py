"""tracker.store.dbapi is loaded by every command that opens a database: it compiles nothing at import (its one
pattern, for PostgreSQL's parameter style, is compiled when a PostgreSQL statement first needs it)."""

from __future__ import annotations

from tests.fresh_interpreter import patterns_compiled
from tracker.store.dbapi import _pyformat


def test_named_parameters_become_psycopg_ones():
    sql = "SELECT :a, '100%', x::int, :b_2 FROM t WHERE y = :a"
    assert _pyformat(sql) == "SELECT %(a)s, '100%%', x::int, %(b_2)s FROM t WHERE y = %(a)s"


def test_importing_it_compiles_no_pattern():
    before = "import sqlite3, datetime, pathlib\n"
    assert patterns_compiled("import tracker.store.dbapi\n", before=before) == "[]"

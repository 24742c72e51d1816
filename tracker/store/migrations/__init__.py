"""Alembic migrations of the tracker schema (``env.py``, ``versions/NNNN_name.py``), shipped with the package.

Running them is :mod:`tracker.store.migrate`; reading a database's version is :mod:`tracker.store.schema`.
"""

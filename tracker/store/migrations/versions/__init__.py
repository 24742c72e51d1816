"""Revision files ``NNNN_name.py`` with ``revision = "NNNN"`` and ``down_revision`` the previous number."""

"""tracker: a terminal task tracker for policy-document responsibility assignment."""

__version__ = "0.1.0"

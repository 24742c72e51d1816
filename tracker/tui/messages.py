"""Messages shared by the app and its screens."""

from __future__ import annotations

from textual.message import Message


class DataChanged(Message, bubble=False):
    """The database changed (this process or another one): screens that show data reload.

    The app posts it to every screen on its stack; a screen handles it with
    ``on_data_changed`` (or ``@on(DataChanged)``).
    """

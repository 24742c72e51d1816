"""What every screen needs: the database, the settings, "today" and who is working."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from tracker.config import Config

if TYPE_CHECKING:
    from tracker.store.database import DirectDatabase


@dataclass(frozen=True)
class AppContext:
    db: DirectDatabase  # every read and write goes through it (plain SQL, no ORM at run time)
    config: Config
    today: date
    user: str

    @property
    def due_soon_days(self) -> int:
        return self.config.due_soon_days

"""What every screen needs: the engine, the settings, "today" and who is working."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Engine

from tracker.config import Config


@dataclass(frozen=True)
class AppContext:
    engine: Engine
    config: Config
    today: date
    user: str

    @property
    def due_soon_days(self) -> int:
        return self.config.due_soon_days

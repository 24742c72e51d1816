"""The child side of bench/app_probe.py: the app driven through Textual's Pilot, figures printed as JSON.

Run by ``python bench/app_probe.py pilot …`` (see app_probe's docstring for the modes).
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

TIMEOUT = 120.0
SIZE = (160, 50)


async def _until(cond, what: str) -> None:
    deadline = time.perf_counter() + TIMEOUT
    while not cond():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(0.002)


def _find_table(app):
    screen = app.screen
    try:
        return screen.query_one("#tasks")
    except Exception:
        for widget in screen.query("*"):
            if hasattr(widget, "loaded_once") and hasattr(widget, "row_at"):
                return widget
    raise LookupError("no task table on the first screen")


class _LagMonitor:
    """The longest stall of the event loop (the UI thread): a 5 ms sleep that wakes up late."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._phase = ""  # what the probe is doing (named in the result: where the worst stall happened)
        self._phase_t0 = time.perf_counter()
        self.worst_phase = ""
        self.stalls: list[tuple[float, str, float]] = []  # (seconds, phase, seconds into the phase) over 50 ms
        self._task: asyncio.Task | None = None

    @property
    def phase(self) -> str:
        return self._phase

    @phase.setter
    def phase(self, name: str) -> None:
        self._phase, self._phase_t0 = name, time.perf_counter()

    async def _run(self) -> None:
        while True:
            t0 = time.perf_counter()
            await asyncio.sleep(0.005)
            stall = time.perf_counter() - t0 - 0.005
            if stall > 0.05:
                self.stalls.append((stall, self._phase, t0 - self._phase_t0))
            if stall > self.worst:
                self.worst, self.worst_phase = stall, self._phase

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _minimal(args) -> dict:
    """The floor: a bare Textual app that reads 200 task rows through SQLModel and shows them."""
    from sqlalchemy import text
    from sqlmodel import create_engine
    from textual.app import App
    from textual.widgets import DataTable

    engine = create_engine(f"sqlite:///{args.db}")

    class Minimal(App):
        def compose(self):
            yield DataTable()

        def on_mount(self) -> None:
            with engine.connect() as conn:
                rows = conn.execute(text("SELECT task.id, unit.name, task.status, task.due FROM task "
                                         "JOIN unit ON unit.id = task.unit_id ORDER BY task.id LIMIT 200")).all()
            table = self.query_one(DataTable)
            table.add_columns("编号", "单位", "状态", "截止")
            table.add_rows([tuple(str(v) for v in r) for r in rows])

    app = Minimal()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(DataTable)
        await _until(lambda: table.row_count > 0, "rows")
        await pilot.pause()
        return {"first": time.time() - args.t0}


async def _press_until(pilot, key: str, cond, what: str, *, painted: bool = False) -> float:
    """Seconds from pressing ``key`` until ``cond`` holds and the screen is drawn: by default until the process
    is idle (``pilot.press`` and ``pilot.pause()``); ``painted``: the key is sent as a terminal would and the
    clock stops once the screen has drawn what it holds, for a screen whose workers go on reading after it
    shows something (the process is then never idle: ``press`` and ``pause`` each wait up to a second)."""
    t0 = time.perf_counter()
    if painted:
        from textual import events

        key_event = events.Key(key, key if len(key) == 1 else None)
        key_event.set_sender(pilot.app)
        pilot.app._driver.send_message(key_event)
    else:
        await pilot.press(key)
    await _until(cond, what)
    await (_painted(pilot.app) if painted else pilot.pause())
    return time.perf_counter() - t0


async def _painted(app) -> None:
    """Until the screen has no layout, scroll or repaint pending (what is there has been drawn). Not
    ``call_after_refresh``: its callback waits for the screen to be idle, which a worker posting rows defers."""
    screen = app.screen
    await asyncio.sleep(0)
    while (screen._layout_required or screen._scroll_required or screen._repaint_required or screen._dirty_widgets
           or screen._update_timer._active.is_set()):
        await asyncio.sleep(0.002)


async def run_pilot(args) -> dict:
    from datetime import date
    from statistics import median

    if args.mode == "minimal":
        return await _minimal(args)

    from tracker.config import load_config
    from tracker.store.database import open_sqlite
    from tracker.tui.app import create_app
    from tracker.tui.context import AppContext

    config = load_config()
    # freeze_heap: as ``tracker`` runs the app (run_app)
    app = create_app(AppContext(open_sqlite(Path(args.db)), config, date.fromisoformat(args.today), "bench"),
                     freeze_heap=True)
    result: dict = {}
    lag = _LagMonitor()
    async with app.run_test(size=SIZE) as pilot:
        await _until(lambda: app.screen is not None and app.screen.is_current, "the first screen")
        table = None

        def filled() -> bool:
            nonlocal table
            if table is None:
                try:
                    table = _find_table(app)
                except LookupError:
                    return False
            return bool(table.loaded_once and table.total > 0 and table.row_at(0) is not None)

        await _until(filled, "rows in the task table")
        await pilot.pause()  # let the screen paint
        result["first"] = time.time() - args.t0
        result["rows"] = table.total
        if getattr(args, "gc_freeze", False):
            import gc

            gc.freeze()
        if args.mode == "block":
            lag.start()
        if args.mode in ("filter", "block"):
            lag.phase = "filter"
            t1 = time.perf_counter()
            await pilot.press("o")

            def updated() -> bool:
                c = table.counts
                return bool(table.filter.overdue and table.loaded_once and c.total == c.overdue
                            and (c.total == 0 or table.row_at(table.cursor) is not None))

            await _until(updated, "the overdue rows")
            await pilot.pause()
            result["filter"] = time.perf_counter() - t1
            result["overdue_rows"] = table.total
        if args.mode == "block":
            lag.phase = "panel"
            await _panel_options(app, pilot)
            table.focus()  # the keys below go to the table again
            await pilot.pause()
        if args.mode in ("end", "block"):
            lag.phase = "end"
            shown = lambda: table.row_at(table.cursor) is not None
            result["end"] = await _press_until(pilot, "end", lambda: table.cursor == table.total - 1 and shown(),
                                               "the last row")
            ups = [await _press_until(pilot, "pageup", shown, "the page above") for _ in range(5)]
            t1 = time.perf_counter()
            table.move_cursor(table.total // 2)  # a jump with the scroll bar
            await _until(shown, "the middle row")
            await pilot.pause()
            result["middle"] = time.perf_counter() - t1
            downs = [await _press_until(pilot, "pagedown", shown, "the page below") for _ in range(5)]
            result["pageup"], result["pagedown"] = median(ups), median(downs)
        if args.mode in ("matrix", "dashboard", "block"):
            for key, name in (("4", "matrix"), ("5", "dashboard")):
                if args.mode not in (name, "block"):
                    continue
                lag.phase = name
                if args.mode == "dashboard":  # its own stalls: opening the screen, showing each half
                    lag.start()
                t1 = time.perf_counter()
                result[name] = await _press_until(pilot, key, lambda name=name: _view_filled(app, name), f"the {name}",
                                                  painted=name == "dashboard")
                if name == "dashboard":  # chapters and targets may follow the first figures
                    await _until(lambda: getattr(app.screen, "filled", True), "the screen's chapters and targets")
                    await _painted(app)
                    result["dashboard_shown"] = time.perf_counter() - t1
                    await _until(lambda: getattr(app.screen.data, "complete", True), "every chapter counted")
                    await _painted(app)
                    result["dashboard_full"] = time.perf_counter() - t1
                    await pilot.pause()
                if args.mode == "dashboard":
                    lag.stop()
                    result["dashboard_stall"] = lag.worst
                    result["stalls"] = _stalls(lag)
                await pilot.press("1")
                await _until(lambda: app.screen is app.screen_stack[0], "the task list again")
                await pilot.pause()
                if args.mode != "block":  # a full collection is a stall of its own, not the app's
                    import gc

                    gc.collect()
                    result["rss_after"] = _rss_mib()
        if args.mode == "idle":
            await asyncio.sleep(2.0)  # let the first reads and the first poll finish
            c0, t0 = time.process_time(), time.perf_counter()
            await asyncio.sleep(10.0)
            result["cpu_pct"] = 100.0 * (time.process_time() - c0) / (time.perf_counter() - t0)
        if args.mode == "block":
            lag.stop()
            result["worst_stall"] = lag.worst
            result["worst_stall_in"] = lag.worst_phase
            result["stalls"] = _stalls(lag)
    return result


def _stalls(lag: _LagMonitor) -> str:
    """The longest stalls over 50 ms: ``0.120 dashboard@0.31`` = 120 ms, 0.31 s after the phase began."""
    return " ".join(f"{s:.3f} {phase}@{at:.2f}" for s, phase, at in sorted(lag.stalls, reverse=True)[:6])


def _view_filled(app, name: str) -> bool:
    screen = app.screen
    if name == "matrix":
        return type(screen).__name__ == "MatrixScreen" and getattr(screen, "loaded", False)
    return type(screen).__name__ == "DashboardScreen" and getattr(screen, "data", None) is not None


async def _panel_options(app, pilot) -> None:
    """Open the document and measure choices of the filter panel, as a user looking for a measure would."""
    from textual.widgets import Select

    await pilot.pause(0.5)  # the options are read in a worker
    for selector in ("#filter-document", "#filter-measure"):
        try:
            select = app.screen.query_one(selector, Select)
        except Exception:
            continue
        select.expanded = True
        await pilot.pause()
        select.expanded = False
        await pilot.pause()

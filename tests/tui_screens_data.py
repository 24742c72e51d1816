"""Test data and a host app for the secondary screens (matrix, dashboard, by unit, by measure, unassigned).

The documents are built by hand (no parser): three chapters of measures with agencies, a group unit and the
11 街镇, deadlines around a frozen today of 2022-11-15, a few statuses and target actuals, and a news-style
document without any responsibility clause whose measures wait for assignment.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.engine import Engine
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from tracker.config import QINGPU_TOWNS, Config, load_config
from tracker.ingest.model import ParsedDocument, ParsedMeasure, ParsedTarget, ParsedUnit
from tracker.store import queries as q
from tracker.store import services as s
from tracker.store.engine import make_engine, read_tx, write_tx
from tracker.store.filters import TaskFilter
from tracker.store.models import Task, TaskEvent
from tracker.tui.context import AppContext
from tracker.tui.widgets.footer import NARROW as FOOTER_NARROW

TODAY = date(2022, 11, 15)
REPO = Path(__file__).resolve().parents[1]

CHAPTERS = {"三": "推动市场主体稳定发展", "四": "促进重点群体就业", "五": "强化就业服务保障"}


def _unit(name: str, role: str = "support", kind: str = "agency") -> ParsedUnit:
    return ParsedUnit(name=name, kind=kind, role=role, raw=name)


def _towns() -> list[ParsedUnit]:
    return [_unit(t, "support", "town") for t in QINGPU_TOWNS]


def _measure(code: str, title: str, units: list[ParsedUnit], order: int, due: date | None,
             targets: list[ParsedTarget] | None = None) -> ParsedMeasure:
    chapter = code[0]
    return ParsedMeasure(
        code=code, chapter_code=chapter, chapter=CHAPTERS.get(chapter, ""), title=title,
        text=f"{title}。具体举措由各责任单位按职责分工落实，定期报送工作进展。", order=order, line=order * 4,
        units=units, targets=targets or [], due=due, due_phrase=due.isoformat() if due else None,
    )


def clause_document() -> ParsedDocument:
    m = [
        _measure("三（一）", "加大纾困减负力度", [_unit("区人力资源社会保障局", "lead"), _unit("区财政局")] + _towns(), 1,
                 date(2022, 12, 31),
                 [ParsedTarget("2022年全区正规就业不少于40万人", ">=", 400000.0, "人", 2022, date(2022, 12, 31), "全区正规就业")]),
        _measure("三（二）", "支持中小微企业稳岗扩岗", [_unit("区经委", "lead"), _unit("区商务委")], 2, date(2022, 10, 31)),
        _measure("三（三）", "发挥重大项目带动就业作用", [_unit("区发展改革委", "lead")] + _towns(), 3, date(2022, 11, 20)),
        _measure("四（一）", "鼓励国有企业扩大招聘规模", [_unit("各区属公司", "lead", "group"), _unit("区国资委")], 4,
                 date(2022, 11, 30)),
        _measure("四（二）", "做好高校毕业生就业服务", [_unit("区教育局", "lead"), _unit("团区委"), _unit("区人力资源社会保障局")], 5,
                 date(2022, 9, 30)),
        _measure("四（三）", "强化困难人员就业援助", [_unit("区民政局", "lead"), _unit("区残联")], 6, date(2022, 12, 31),
                 [ParsedTarget("帮扶长期失业青年不少于910个", ">=", 910.0, "个", 2022, date(2022, 12, 31), "帮扶长期失业青年")]),
        _measure("五（一）", "开展就业服务专项行动", [_unit("区人力资源社会保障局", "lead")] + _towns(), 7, date(2022, 11, 10)),
        _measure("五（二）", "落实税费减免政策", [_unit("区税务局", "lead"), _unit("区财政局")], 8, date(2023, 6, 30)),
        _measure("五（三）", "加强农村劳动力就业帮扶", [_unit("区农业农村委", "lead")] + _towns(), 9, date(2022, 12, 31),
                 [ParsedTarget("农村劳动力就业比例大于80%", ">", 80.0, "%", 2022, date(2022, 12, 31), "农村劳动力就业比例")]),
        _measure("五（四）", "保障劳动者合法权益", [_unit("区人力资源社会保障局", "lead"), _unit("区总工会")], 10, None),
    ]
    return ParsedDocument(
        path="seeds/002_实施意见.txt", content_hash=hashlib.sha256(b"clause-doc").hexdigest(),
        title="关于做好我区当前和今后一个时期稳就业工作的实施意见", doc_number="青府规发〔2022〕4号",
        issuer="青浦区人民政府", issued=date(2022, 8, 29), has_clauses=True, measures=m,
    )


def news_document() -> ParsedDocument:
    texts = [
        ("E1", "一是加强重点企业用工服务", "一是加强重点企业用工服务，建立重点企业用工需求清单。"),
        ("E2", "二是扩大公益性岗位规模", "二是扩大公益性岗位规模，兜底安置就业困难人员。"),
        ("E3", "三是提升职业技能培训质量", "三是提升职业技能培训质量，开展新职业培训。"),
    ]
    measures = [
        ParsedMeasure(code=code, chapter_code="", chapter="", title=title, text=text, order=i, line=i,
                      due=date(2022, 12, 31), due_phrase="年底前")
        for i, (code, title, text) in enumerate(texts, start=1)
    ]
    return ParsedDocument(
        path="seeds/003_新闻.txt", content_hash=hashlib.sha256(b"news-doc").hexdigest(),
        title="青浦区召开稳就业工作推进会", issued=date(2022, 9, 5), has_clauses=False, measures=measures,
    )


def load_test_config() -> Config:
    return load_config(REPO / "config.toml")


def _task(engine: Engine, code: str, unit: str) -> q.TaskRow:
    with read_tx(engine) as conn:
        rows = q.list_tasks(conn, TaskFilter(measure=code, units=(unit,)), TODAY)
    assert len(rows) == 1, (code, unit, rows)
    return rows[0]


# (measure code, unit, status) set after import
STATUSES = [
    ("三（一）", "区人力资源社会保障局", "doing"),
    ("三（一）", "区财政局", "done"),
    ("三（一）", "夏阳街道", "doing"),
    ("三（一）", "盈浦街道", "done"),
    ("三（二）", "区经委", "doing"),  # overdue (due 10-31)
    ("三（二）", "区商务委", "done"),
    ("三（三）", "夏阳街道", "blocked"),  # due soon and blocked
    ("四（一）", "各区属公司", "doing"),
    ("四（二）", "区教育局", "done"),
    ("四（二）", "团区委", "blocked"),  # overdue (due 09-30)
    ("五（一）", "区人力资源社会保障局", "done"),
    ("五（一）", "盈浦街道", "done"),
    ("五（一）", "朱家角镇", "done"),
    ("五（三）", "夏阳街道", "done"),
    ("五（二）", "区税务局", "dropped"),
]


def build_engine(db_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{db_path}")
    s.import_document(engine, clause_document(), by="tester")
    s.import_document(engine, news_document(), by="tester")
    for code, unit, status in STATUSES:
        s.set_status(engine, _task(engine, code, unit).id, status, by="tester", note="测试进展")
    with read_tx(engine) as conn:
        targets = {t.label: t for t in q.list_targets(conn)}
    s.set_target_actual(engine, targets["全区正规就业"].id, 320000.0, date(2022, 10, 31))
    s.set_target_actual(engine, targets["帮扶长期失业青年"].id, 455.0, date(2022, 10, 31))
    # every write above is stamped with the real clock: pin it so that screens and snapshots are stable
    pinned = datetime(2022, 11, 10, 2, 0, tzinfo=timezone.utc)
    with write_tx(engine) as conn:
        conn.execute(update(Task).values(created_at=pinned, updated_at=pinned))
        conn.execute(update(TaskEvent).values(at=pinned))
    return engine


def make_ctx(engine: Engine) -> AppContext:
    from tests.tui_helpers import app_context

    return app_context(engine, config=load_test_config(), today=TODAY, user="tester")


class ScreenHost(App):
    """Stands in for the tracker app: pushes one screen and records open_task / set_filter calls.

    It loads the app's stylesheet and palette key so that a view looks here as it does in the app.
    """

    CSS_PATH = str(REPO / "tracker" / "tui" / "app.tcss")
    BINDINGS = [Binding("ctrl+p", "command_palette", "命令", show=False, priority=True)]

    def __init__(self, ctx: AppContext, make_screen: Callable[[AppContext], Screen]) -> None:
        super().__init__()
        self.ctx = ctx
        self.make_screen = make_screen
        self.opened: list[int] = []
        self.filters: list[TaskFilter] = []

    def on_mount(self) -> None:
        self.set_class(self.size.width < FOOTER_NARROW, "-narrow")
        self.push_screen(self.make_screen(self.ctx))

    def on_resize(self, event) -> None:
        self.set_class(event.size.width < FOOTER_NARROW, "-narrow")

    def open_task(self, task_id: int) -> None:
        self.opened.append(task_id)

    def set_filter(self, flt: TaskFilter) -> None:
        self.filters.append(flt)

"""Shared fixtures for the TUI tests: an AppContext on a temp SQLite DB with realistic data.

The data is built from ``tracker.ingest.model`` dataclasses (no parser involved) and written
through ``services``; timestamps are then pinned so that screens and snapshots are stable.
"""

from __future__ import annotations

import hashlib
import weakref
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import select, update

from tracker.config import QINGPU_TOWNS, Config, UnitGroup, default_config
from tracker.ingest.model import ParsedDocument, ParsedMeasure, ParsedTarget, ParsedUnit
from tracker.store import services
from tracker.store.engine import make_engine, write_tx
from tracker.store.models import Task, TaskEvent, Unit
from tracker.tui.context import AppContext

TODAY = date(2022, 11, 15)
USER = "区人社局督查科"
LEAD = "区人力资源社会保障局"

CHAPTERS = {
    "三": "推动市场主体稳定发展",
    "四": "推动就业容量持续扩大",
    "五": "推动重点群体更好就业",
}


def _u(name: str, role: str = "support", kind: str = "agency") -> ParsedUnit:
    return ParsedUnit(name=name, kind=kind, role=role, raw=name)


def _towns() -> list[ParsedUnit]:
    return [_u(t, "support", "town") for t in QINGPU_TOWNS]


# (code, title, text, units, due, due phrase, targets)
MEASURES: list[tuple] = [
    (
        "三（一）", "加大纾困减负力度",
        "全面、准确、快速落实上海市、青浦区加快经济恢复和重振行动方案，做好阶段性缓缴“五险一金”、扩大房屋租金减免范围等减负措施的落地执行，"
        "切实降低企业运营成本。强化金融助企纾困，加快80亿元金融助企纾困融资额度落地。"
        "（责任单位：区发展改革委、区经委、区商务委、区财政局、区税务局）",
        [_u("区发展改革委", "lead"), _u("区经委"), _u("区商务委"), _u("区财政局"), _u("区税务局")],
        date(2022, 10, 31), "2022年10月底前",
        [ParsedTarget("加快80亿元金融助企纾困融资额度落地", ">=", 8_000_000_000, "元", 2022, date(2022, 12, 31), "金融助企纾困融资额度")],
    ),
    (
        "三（二）", "实施稳岗专项政策",
        "加快落实我区餐饮、零售、旅游、交通运输、文体娱乐、住宿、会展等困难行业企业稳就业补贴政策，帮助企业稳定就业岗位、缓解经营压力。"
        "支持企业以训稳岗，加大线上培训补贴政策执行力度。"
        "(责任单位：区人力资源社会保障局、区财政局、区商务委、区文化旅游局、各街镇)",
        [_u(LEAD, "lead"), _u("区财政局"), _u("区商务委"), _u("区文化旅游局")] + _towns(),
        date(2022, 11, 30), "2022年11月底前", [],
    ),
    (
        "三（三）", "指导企业规范用工",
        "坚持“源头治理”，加大对特殊时期企业用工指导，做好涉疫相关劳动关系领域政策的宣传解释。对恶意欠薪行为开展专项治理，"
        "有效保障农民工合法权益。(责任单位：区人力资源社会保障局、区总工会)",
        [_u(LEAD, "lead"), _u("区总工会")],
        date(2022, 12, 31), "年内", [],
    ),
    (
        "四（一）", "积极创造联动性岗位",
        "全力推动我区经济恢复和产业发展，将扩大就业岗位作为宏观调控的优先考量，千方百计创造更多就业岗位，"
        "2022年全区正规就业不少于40万人。（责任单位：区人力资源社会保障局、区发展改革委、区经委、各区属公司、各街镇）",
        [_u(LEAD, "lead"), _u("区发展改革委"), _u("区经委"), _u("各区属公司", kind="group")] + _towns(),
        date(2022, 12, 31), "2022年",
        [ParsedTarget("2022年全区正规就业不少于40万人", ">=", 400_000, "人", 2022, date(2022, 12, 31), "全区正规就业")],
    ),
    (
        "四（二）", "主动提供政策性岗位",
        "鼓励国有企业、机关事业单位、基层服务项目、基层就业岗位吸纳高校毕业生。区属国有企业要安排不低于50%的就业岗位面向本市高校毕业生。"
        "（责任单位：区公务员局、区人力资源社会保障局、区国资委、区民政局、各街镇）",
        [_u("区公务员局", "lead"), _u(LEAD), _u("区国资委"), _u("区民政局")] + _towns(),
        date(2022, 11, 20), "2022年11月20日前",
        [ParsedTarget("不低于50%的就业岗位面向本市高校毕业生", ">=", 50, "%", 2022, None, "国企岗位面向高校毕业生比例")],
    ),
    (
        "四（三）", "支持创业带动就业岗位",
        "加大创业政策扶持力度，在落实创业贷款贴息、房租场地费补贴、带动就业社会保险费补贴等一系列支持创业的政策基础上，制定更多适合本区的创业扶持政策。"
        "（责任单位：区人力资源社会保障局、区经委、区科委）",
        [_u(LEAD, "lead"), _u("区经委"), _u("区科委")],
        date(2023, 6, 30), "2023年上半年", [],
    ),
    (
        "四（四）", "鼓励发展多种形式岗位",
        "在区内挖掘一批规模较大、经济社会效益好的就业创业见习基地，2022年募集就业见习岗位不少于910个。"
        "（责任单位：区人力资源社会保障局、区市场监管局、团区委、区促进就业创业工作领导小组各成员单位）",
        [_u(LEAD, "lead"), _u("区市场监管局"), _u("团区委"), _u("区促进就业创业工作领导小组各成员单位", kind="group")],
        date(2022, 12, 31), "2022年",
        [ParsedTarget("2022年募集就业见习岗位不少于910个", ">=", 910, "个", 2022, date(2022, 12, 31), "就业见习岗位")],
    ),
    (
        "五（一）", "加大高校毕业生等青年就业支持",
        "将本区高校毕业生等青年实现就业作为重中之重，努力确保我区2022届离校未就业毕业生实现就业比例大于80%。"
        "（责任单位：区人力资源社会保障局、团区委、区征兵办、各街镇）",
        [_u(LEAD, "lead"), _u("团区委"), _u("区征兵办")] + _towns(),
        date(2022, 11, 10), "2022年11月10日前",
        [ParsedTarget("2022届离校未就业毕业生实现就业比例大于80%", ">", 80, "%", 2022, None, "离校未就业毕业生就业比例")],
    ),
    (
        "五（二）", "加大失业人员和困难人员就业支持",
        "落实用人单位吸纳失业人员一次性就业补贴政策，鼓励本区用人单位在本年度吸纳失业3个月及以上人员。"
        "（责任单位：区人力资源社会保障局、区财政局、区民政局、区残联）",
        [_u(LEAD, "lead"), _u("区财政局"), _u("区民政局"), _u("区残联")],
        None, None, [],
    ),
    (
        "五（三）", "加大农村富余劳动力就业支持",
        "落实跨区就业补贴、被征地人员就业补贴、农村富余劳动力非农就业补贴等专项政策。"
        "（责任单位：区人力资源社会保障局、区政府合作交流办、区农业农村委）",
        [_u(LEAD, "lead"), _u("区政府合作交流办"), _u("区农业农村委")],
        date(2022, 11, 25), "2022年11月25日前", [],
    ),
]

# (measure code, unit, status, note, days before today of the last update)
STATUS_SCRIPT: list[tuple[str, str, str, str, int]] = [
    ("三（一）", "区发展改革委", "done", "融资额度已全部落地", 20),
    ("三（一）", "区经委", "doing", "已走访重点企业 36 家", 12),
    ("三（一）", "区财政局", "blocked", "等待市级资金拨付", 30),
    ("三（二）", LEAD, "doing", "补贴申领平台已上线", 3),
    ("三（二）", "夏阳街道", "done", "辖区企业补贴已发放", 5),
    ("三（二）", "盈浦街道", "doing", "", 8),
    ("三（三）", LEAD, "doing", "专项治理第二阶段", 2),
    ("四（一）", LEAD, "doing", "1-10月新增正规就业 38.2 万人", 1),
    ("四（一）", "朱家角镇", "blocked", "重点项目延期开工", 25),
    ("四（二）", "区公务员局", "done", "招录计划已发布", 40),
    ("四（二）", "区国资委", "doing", "", 6),
    ("四（四）", "团区委", "done", "", 15),
    ("五（一）", LEAD, "doing", "离校未就业毕业生就业率 76%", 4),
    ("五（一）", "区征兵办", "dropped", "与征兵工作合并推进", 35),
    ("五（三）", "区农业农村委", "doing", "", 10),
]


def build_document() -> ParsedDocument:
    measures = [
        ParsedMeasure(
            code="二（一）", chapter_code="二", chapter="总体要求", title="指导思想",
            text="以习近平新时代中国特色社会主义思想为指导，坚持稳中求进工作总基调。", order=1, line=21, is_context=True,
        )
    ]
    for i, (code, title, text, units, due, phrase, targets) in enumerate(MEASURES, start=2):
        measures.append(
            ParsedMeasure(
                code=code, chapter_code=code[0], chapter=CHAPTERS[code[0]], title=title, text=text, order=i,
                line=30 + 4 * i, units=list(units), targets=list(targets), due=due, due_phrase=phrase,
            )
        )
    return ParsedDocument(
        path="seeds/002_qingpu.txt", content_hash=hashlib.sha256(b"tui-test-doc").hexdigest(),
        title="关于做好我区当前和今后一个时期稳就业工作的实施意见", doc_number="青府规发〔2022〕4号",
        issuer="上海市青浦区人民政府", issued=date(2022, 8, 29), has_clauses=True, measures=measures,
    )


def build_news_document() -> ParsedDocument:
    """A second document whose measures await assignment (no clause)."""
    return ParsedDocument(
        path="seeds/004_news.txt", content_hash=hashlib.sha256(b"tui-test-news").hexdigest(),
        title="青浦区召开稳就业工作推进会", issuer="青浦区融媒体中心", issued=date(2022, 9, 20), has_clauses=False,
        measures=[
            ParsedMeasure(code="E1", chapter_code="", chapter="", title="一是强化岗位挖掘",
                          text="一是强化岗位挖掘，组织专场招聘会不少于 20 场；", order=1, line=5),
            ParsedMeasure(code="E2", chapter_code="", chapter="", title="二是做好困难人员托底安置",
                          text="二是做好困难人员托底安置，确保零就业家庭动态清零。", order=2, line=6),
        ],
    )


def sample_config() -> Config:
    base = default_config()
    return base.replace(
        today=TODAY,
        user=USER,
        groups={"各街镇": UnitGroup("各街镇", "town", QINGPU_TOWNS)},
        aliases={"区文旅局": "区文化旅游局", "区人社局": LEAD},
    )


def populate(engine, *, by: str = "导入") -> None:
    services.import_document(engine, build_document(), by=by)
    services.import_document(engine, build_news_document(), by=by)
    pinned = datetime(2022, 9, 1, 1, 0, tzinfo=timezone.utc)
    with write_tx(engine) as conn:
        conn.execute(update(Task).values(created_at=pinned, updated_at=pinned))
        conn.execute(update(TaskEvent).values(at=pinned))
        ids = {
            (code, name): tid
            for tid, code, name in conn.execute(
                select(Task.id, _measure_code(), Unit.name).join(Unit, Unit.id == Task.unit_id)
            )
        }
    for code, unit, status, note, days_ago in STATUS_SCRIPT:
        tid = ids[(code, unit)]
        change = services.set_status(engine, tid, status, by=unit, note=note)
        at = datetime.combine(TODAY - timedelta(days=days_ago), datetime.min.time(), tzinfo=timezone.utc) + timedelta(hours=2)
        with write_tx(engine) as conn:
            conn.execute(update(Task).where(Task.id == tid).values(updated_at=at))
            conn.execute(update(TaskEvent).where(TaskEvent.id.in_(change.event_ids)).values(at=at))


def _measure_code():
    from tracker.store.models import Measure

    return (
        select(Measure.code).where(Measure.id == Task.measure_id).scalar_subquery()
    )


def make_context(tmp_path: Path, *, populated: bool = True, user: str = USER, today: date = TODAY) -> AppContext:
    """An AppContext on ``tmp_path/tracker.db`` (filled with the sample data unless ``populated=False``)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    if populated:
        populate(engine)
    return app_context(engine, config=sample_config(), today=today, user=user)


_ENGINES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def app_context(engine, *, config, today: date, user: str) -> AppContext:
    """The app's context on the database ``engine`` created: the app gets its own bare connections
    (as ``tracker`` opens it); the test keeps ``engine`` for its own reads and writes (``engine_of``)."""
    from tracker.store.database import open_sqlite

    db = open_sqlite(Path(engine.url.database))
    _ENGINES[db] = engine
    return AppContext(db=db, config=config, today=today, user=user)


def engine_of(ctx: AppContext):
    """The SQLAlchemy engine a test reads and writes the app's database through (like another program)."""
    return _ENGINES[ctx.db]


def task_id(ctx: AppContext, code: str, unit: str) -> int:
    """The id of the task of ``unit`` on measure ``code``."""
    from tracker.store.engine import read_tx
    from tracker.store.models import Measure

    with read_tx(engine_of(ctx)) as conn:
        return int(
            conn.execute(
                select(Task.id).join(Measure, Measure.id == Task.measure_id).join(Unit, Unit.id == Task.unit_id)
                .where(Measure.code == code, Unit.name == unit)
            ).scalar_one()
        )


def run_async(fn):
    """Run an ``async def`` test with asyncio (no async pytest plugin needed)."""
    import asyncio
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return asyncio.run(fn(*args, **kwargs))

    return wrapper


def shown_text(widget) -> str:
    """The plain text a Static shows (wrapped prose or plain content)."""
    from tracker.tui.widgets.prose import Prose

    content = getattr(widget, "content", None)
    if isinstance(content, Prose):
        return content.plain
    return str(widget.render())


def screen_lines(app) -> list[str]:
    """The whole screen as text lines, as a user reads it."""
    return [strip.text.rstrip() for strip in app.screen._compositor.render_strips()]


# ---------------------------------------------------------------- Pilot helpers for the app's tests


async def settle(pilot, rounds: int = 3, *, replaced_loads: bool = False) -> None:
    """Let workers finish and their messages be handled (page loads start further workers).
    ``replaced_loads``: an exclusive load replaced by a newer one (resizing, switching views) is expected."""
    from textual.worker import WorkerCancelled

    for _ in range(rounds):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            if not replaced_loads:
                raise
        await pilot.pause()


def table(app):
    """The home screen's task table."""
    from tracker.tui.widgets.task_table import TaskTable

    return app.home.query_one(TaskTable)


async def cursor_to(pilot, app, tid: int) -> None:
    """Move the task table's cursor onto task ``tid`` (as a user would with the arrow keys)."""
    t = table(app)
    index = next(i for i in range(t.total) if t.row_at(i) is not None and t.row_at(i).id == tid)
    t.move_cursor(index)
    await settle(pilot)
    assert t.current_row.id == tid


def text_of(widget) -> str:
    return shown_text(widget)


def get(ctx, tid):
    """Task ``tid`` as the store has it now."""
    from tracker.store import queries
    from tracker.store.engine import read_tx

    with read_tx(engine_of(ctx)) as conn:
        return queries.get_task(conn, tid)


def choose_status(screen, code: str) -> None:
    """Press the status dialog's radio button for ``code`` (as a click would)."""
    from textual.widgets import RadioButton

    for button in screen.query(RadioButton):
        if button.name == code:
            button.value = True

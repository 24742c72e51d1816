"""Command palette (Ctrl+P): every action of the app, as thin wrappers over ``action_*`` methods,
and every unit and measure by name."""

from __future__ import annotations

import asyncio
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tracker.config import UNIT_KIND_LABELS
from tracker.store import queries
from tracker.store.queries import DocumentRow, MeasureRow, UnitRow

# (title, help, action run on the app)
COMMANDS: list[tuple[str, str, str]] = [
    ("视图：任务", "全部任务的列表（1）", "view('tasks')"),
    ("视图：按单位", "各单位的进展（2）", "view('units')"),
    ("视图：按措施", "各措施的进展（3）", "view('measures')"),
    ("视图：责任矩阵", "措施 × 单位（4）", "view('matrix')"),
    ("视图：看板", "总体进展与逾期（5）", "view('dashboard')"),
    ("视图：待分配", "尚无责任单位的措施（6）", "view('unassigned')"),
    ("视图：催报", "本期未报送的单位及其任务（7）", "view('remind')"),
    ("视图：待办审批", "延期申请与待销号（8）", "view('queue')"),
    ("新增督办事项", "领导批示、会议议定事项等（任务列表中按 n）", "add_item"),
    ("筛选：只看逾期", "切换“仅看逾期”（o）", "home('toggle_overdue')"),
    ("筛选：本单位", "只看本单位的任务（m）", "home('my_unit')"),
    ("筛选：选择责任单位", "按单位名称搜索（u）", "home('pick_unit')"),
    ("筛选：搜索", "编号、措施、单位或备注中的文字（/）", "home('search')"),
    ("筛选：清除全部", "显示全部任务（c）", "home('clear_filters')"),
    ("筛选：显示/隐藏筛选面板", "（f）", "home('toggle_filters')"),
    ("排序：切换", "逾期优先 / 截止日期 / 措施 / 单位 / 最近更新（t）", "home('cycle_sort')"),
    ("更新状态", "当前任务或已标记的任务（s）", "home('set_status')"),
    ("查看详情", "当前任务的详情（回车 / d）", "home('detail')"),
    ("撤销上一次修改", "（z）", "undo"),
    ("导出进展报告", "当前筛选范围，Markdown 文件（e）", "export"),
    ("重新载入", "从数据库重新读取（r）", "reload"),
    ("帮助：快捷键", "（?）", "help"),
    ("退出", "（q）", "quit"),
]


class TrackerCommands(Provider):
    """Every app action by its Chinese name."""

    async def discover(self) -> Hits:
        for title, help_text, action in COMMANDS:
            yield DiscoveryHit(title, partial(self._run, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, action in COMMANDS:
            score = max(matcher.match(title), matcher.match(help_text) * 0.5)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self._run, action), help=help_text)

    async def _run(self, action: str) -> None:
        await self.app.run_action(action)


class DirectoryCommands(Provider):
    """Units and measures by name: choosing one opens its view (按单位 / 按措施)."""

    async def startup(self) -> None:
        self.units: list[UnitRow] = []
        self.measures: list[MeasureRow] = []
        self.documents: dict[int, DocumentRow] = {}
        ctx = getattr(self.app, "ctx", None)
        if ctx is None:
            return

        def read():
            with ctx.db.read_tx() as conn:
                units = [u for u in queries.list_units(conn, ctx.today, ctx.config) if u.tasks]
                measures = [m for m in queries.list_measures(conn) if not m.is_context]
                documents = {d.id: d for d in queries.list_documents(conn)}
            return units, measures, documents

        self.units, self.measures, self.documents = await asyncio.to_thread(read)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for u in self.units:
            title = f"单位：{u.name}"
            score = matcher.match(title)
            if score > 0:
                late = f" · 逾期 {u.overdue}" if u.overdue else ""
                help_text = f"{UNIT_KIND_LABELS.get(u.kind, u.kind)} · 任务 {u.tasks} · 已完成 {u.done}{late}"
                yield Hit(score, matcher.highlight(title), partial(self._open_unit, u.name), help=help_text)
        several = len({m.document_id for m in self.measures}) > 1
        for m in self.measures:
            title = f"措施：{m.code} {m.title}"
            score = matcher.match(title)
            if score > 0:
                doc = self.documents.get(m.document_id)
                source = (doc.doc_number or doc.title) if doc else m.document_title
                help_text = (f"{source} · " if several else "") + (f"任务 {m.task_count}" if m.task_count else "待分配")
                yield Hit(score, matcher.highlight(title), partial(self._open_measure, m.id), help=help_text)

    async def _open_unit(self, name: str) -> None:
        self.app.open_unit(name)

    async def _open_measure(self, measure_id: int) -> None:
        self.app.open_measure(measure_id)


class DocumentCommands(Provider):
    """Archive a document (it leaves lists and reports, tasks and history kept) or restore an archived one."""

    async def startup(self) -> None:
        self.documents: list[DocumentRow] = []
        ctx = getattr(self.app, "ctx", None)
        if ctx is None:
            return

        def read() -> list[DocumentRow]:
            with ctx.db.read_tx() as conn:
                return queries.list_documents(conn, include_archived=True)

        self.documents = await asyncio.to_thread(read)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for d in self.documents:
            verb = "恢复文件" if d.archived_at else "归档文件"
            title = f"{verb}：#{d.id} {d.title}"
            score = matcher.match(title)
            if score > 0:
                help_text = ("已归档，恢复后重新出现在列表和报告中" if d.archived_at
                             else f"任务 {d.tasks} 项；归档后不再出现在列表和报告中，任务与历史保留")
                yield Hit(score, matcher.highlight(title), partial(self._set, d.id, d.title, not d.archived_at),
                          help=help_text)

    async def _set(self, document_id: int, title: str, archive: bool) -> None:
        self.app.ask_archive(document_id, title, archive)

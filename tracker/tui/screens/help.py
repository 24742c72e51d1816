"""``?``: every key of the app, in Chinese."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

KEYS: list[tuple[str, list[tuple[str, str]]]] = [
    ("任务列表", [
        ("↑ ↓ PgUp PgDn Home End", "移动光标"),
        ("回车 / d", "查看任务详情"),
        ("s", "更新状态（填写进展说明、可改截止日期）"),
        ("空格", "标记/取消标记当前行；标记后按 s 批量更新"),
        ("Esc", "清除所有标记"),
        ("t", "切换排序：逾期优先 / 截止日期 / 措施 / 单位 / 最近更新"),
        ("n", "新增督办事项（领导批示、会议议定事项、督办单）"),
    ]),
    ("筛选", [
        ("/", "搜索：编号（247 或 #247）、措施、单位、备注；回车回到列表"),
        ("o", "只看逾期 / 取消"),
        ("m", "只看本单位（设置中的用户对应的单位）"),
        ("u", "选择责任单位"),
        ("c", "清除全部筛选"),
        ("f", "显示/隐藏筛选面板"),
    ]),
    ("视图", [
        ("1", "任务"),
        ("2", "按单位"),
        ("3", "按措施"),
        ("4", "责任矩阵"),
        ("5", "看板"),
        ("6", "待分配"),
        ("7", "催报：本期未报送的单位及其任务"),
        ("8", "待办审批：延期申请与待销号"),
    ]),
    ("各视图中", [
        ("Esc", "返回任务列表"),
        ("a", "按措施 / 待分配：增加责任单位（第一个为牵头单位）"),
        ("x", "按措施：移除当前单位（连同其进展记录，需确认）"),
        ("l", "按单位 / 按措施：在任务列表中查看"),
        ("k", "责任矩阵：切换单位类别（全部 / 部门 / 街镇）"),
        ("u / m", "责任矩阵：打开光标所在的单位 / 措施"),
        ("e", "催报：导出所选单位的催报通知"),
        ("a", "待办审批：同意延期 / 销号"),
        ("x", "待办审批：驳回延期 / 退回销号（须填写理由）"),
        ("Tab", "待办审批：在延期申请与待销号之间切换"),
    ]),
    ("其他", [
        ("z", "撤销上一次修改"),
        ("e", "导出进展报告（Markdown，范围为任务列表当前的筛选）"),
        ("r", "重新载入"),
        ("Ctrl+P", "命令面板：按名称找命令、单位或措施"),
        ("?", "本帮助"),
        ("q", "退出"),
    ]),
]


def help_table() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for section, rows in KEYS:
        table.add_row(Text(section, style="bold underline"), "")
        for key, text in rows:
            table.add_row(key, text)
        table.add_row("", "")
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "close", "关闭")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box", classes="modal-box"):
            yield Label("快捷键", classes="modal-title")
            yield Static(help_table(), id="help-keys")
            yield Label("Esc 关闭", classes="modal-hint")

    def action_close(self) -> None:
        self.dismiss(None)

"""The grammar of the supervision cycle's commands: 延期申请 (``extend``), 销号 (``verify``), 佐证材料
(``evidence`` and ``--evidence`` on the writes), hand-entered 督办 items (``add``) and reporting cadence
(``cadence``). Standard library only, like :mod:`tracker.cli.parser`.

Evidence is given as ``--evidence 路径或网址``, repeatable, each optionally followed by ``--caption 说明``
for that piece: a caption never has to be split out of a path or URL (which may hold ``=`` or ``#``).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from tracker.cli.help_format import HelpFormatter


class _EvidenceAction(argparse.Action):
    """``--evidence REF``: one more ``[ref, caption]`` pair (caption empty until ``--caption``)."""

    def __call__(self, parser, namespace, values, option_string=None):
        items = [list(item) for item in (getattr(namespace, self.dest, None) or [])]
        items.append([values, ""])
        setattr(namespace, self.dest, items)


class _CaptionAction(argparse.Action):
    """``--caption TEXT``: the caption of the ``--evidence`` just before it."""

    def __call__(self, parser, namespace, values, option_string=None):
        items = getattr(namespace, self.dest, None) or []
        if not items:
            parser.error("--caption 应紧跟在 --evidence 之后（为这份佐证材料写说明）")
        if items[-1][1]:
            parser.error(f"佐证材料 {items[-1][0]} 已有说明；每个 --evidence 只能跟一个 --caption")
        items[-1][1] = values


def evidence_options() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False, formatter_class=HelpFormatter)
    g = p.add_argument_group("佐证材料（记录路径或网址，不复制文件）")
    g.add_argument("--evidence", dest="evidence", action=_EvidenceAction, default=[], metavar="路径或网址",
                   help="附上一份佐证材料（可重复）")
    g.add_argument("--caption", dest="evidence", action=_CaptionAction, metavar="说明",
                   help="前一个 --evidence 的说明，如 --evidence 培训签到表.pdf --caption 第一批签到表")
    return p


AddCommand = Callable[..., argparse.ArgumentParser]


def add_cycle_commands(add: AddCommand, who_sub: argparse.ArgumentParser, int_type: Callable[[str], int],
                       evidence: argparse.ArgumentParser) -> None:
    """The cycle's sub-commands, through ``build_parser``'s ``add(name, help, examples, *parents)``."""
    p = add("extend", "延期申请：单位申请新的截止日期（说明理由），协调人批准或驳回；批准前截止日期不变",
            ("tracker extend 12 2023-03-31 --reason 资金下月到位",
             "tracker extend 12 +1m --reason 等待上级批复 --evidence 请示.pdf --caption 延期请示",
             "tracker extend --list                        # 待审批的延期申请",
             "tracker extend 12 --approve --note 同意",
             "tracker extend 12 --reject --note 理由不充分，请按期完成"), who_sub, evidence)
    p.add_argument("task", nargs="?", metavar="任务", help="任务编号（12 或 #12）")
    p.add_argument("date", nargs="?", metavar="日期", help="申请的新截止日期（须晚于今天和现行截止日期）")
    p.add_argument("--reason", default="", metavar="理由", help="申请延期的理由（申请时必填）")
    decision = p.add_mutually_exclusive_group()
    decision.add_argument("--approve", action="store_true", help="批准待审批的申请：截止日期改为申请的日期")
    decision.add_argument("--reject", action="store_true", help="驳回待审批的申请（须用 --note 写明理由）")
    decision.add_argument("--list", action="store_true", help="列出待审批的延期申请")
    p.add_argument("--note", default="", metavar="说明", help="审批意见（驳回时必填）")
    p.add_argument("--version", type=int_type, metavar="N", help="你读到的任务版本；任务已被他人修改则拒绝")
    p.add_argument("--json", action="store_true", help="输出 JSON")

    p = add("verify", "销号：核实单位报完成（待销号）的任务，通过则为已完成，否则退回原状态",
            ("tracker verify --list                        # 待销号的任务",
             "tracker verify 12 --note 佐证材料齐全",
             "tracker verify 12 --reject --note 缺少验收报告"), who_sub, evidence)
    p.add_argument("task", nargs="?", metavar="任务", help="任务编号（12 或 #12）")
    decision = p.add_mutually_exclusive_group()
    decision.add_argument("--reject", action="store_true", help="退回：任务回到报完成前的状态（须用 --note 写明理由）")
    decision.add_argument("--list", action="store_true", help="列出待销号的任务")
    p.add_argument("--note", default="", metavar="说明", help="销号意见（退回时必填）")
    p.add_argument("--version", type=int_type, metavar="N", help="你读到的任务版本；任务已被他人修改则拒绝")
    p.add_argument("--json", action="store_true", help="输出 JSON")

    p = add("evidence", "为任务附上佐证材料（文件路径或网址，原样记录，不复制文件）",
            ("tracker evidence 12 //共享盘/督办/签到表.pdf --caption 培训签到表",
             "tracker evidence 12 https://www.shqp.gov.cn/news/123.html"), who_sub)
    p.add_argument("task", metavar="任务", help="任务编号（12 或 #12）")
    p.add_argument("ref", metavar="路径或网址")
    p.add_argument("--caption", default="", metavar="说明", help="材料说明")
    p.add_argument("--version", type=int_type, metavar="N", help="你读到的任务版本")
    p.add_argument("--json", action="store_true", help="输出 JSON")

    p = add("add", "录入督办事项（领导批示、会议议定事项、督办单）：在“督办事项”文件中新建措施并分配责任单位",
            (("tracker add '加快推进零工市场建设' --unit 区人力资源社会保障局 --unit 各街镇 --due 2022-12-31 "
             "--source '区长批示 2022-11-10'"),
             "tracker add '研究出台稳岗补贴细则' --lead 区人力资源社会保障局 --unit 区财政局 --due eom --text '…'"),
            who_sub)
    p.add_argument("title", metavar="事项标题")
    p.add_argument("--unit", dest="units", action="append", default=[], metavar="单位",
                   help="责任单位（可重复，或用、分隔；“各街镇”等集合会展开）")
    p.add_argument("--lead", metavar="单位", help="牵头单位（默认第一个 --unit）")
    p.add_argument("--due", metavar="日期", help="办理时限（2022-12-31、eom 月底、+2w 等）")
    p.add_argument("--text", default="", metavar="内容", help="事项内容（默认同标题）")
    p.add_argument("--source", default="", metavar="来源", help="来源，如“区长批示 2022-11-10”“常务会议议定事项”")
    p.add_argument("--new", action="store_true", help="允许从未出现过的单位名称（否则视为笔误）")
    p.add_argument("--json", action="store_true", help="输出 JSON")

    p = add("cadence", "查看或设置文件的报送周期（月报:25 每月25日前、周报:周五、季报:25、none 不报、default 恢复默认）",
            ("tracker cadence                              # 各文件的报送周期",
             "tracker cadence 2 月报:20", "tracker cadence 2 weekly:5", "tracker cadence 2 default"))
    p.add_argument("document", nargs="?", metavar="文件", help="文件编号（见 tracker summary）")
    p.add_argument("cadence", nargs="?", metavar="周期", help="monthly:日 | weekly:星期几 | quarterly:日 | none | default")
    p.add_argument("--json", action="store_true", help="输出 JSON")

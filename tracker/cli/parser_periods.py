"""The grammar of the reporting-period commands: ``remind`` (催报) and the period options of ``export``.
Standard library only, like :mod:`tracker.cli.parser`."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from tracker.cli.help_format import HelpFormatter


def period_options() -> argparse.ArgumentParser:
    """``--period 2022-11`` or ``--since DATE [--until DATE]``: add 本期进展 to the report."""
    p = argparse.ArgumentParser(add_help=False, formatter_class=HelpFormatter)
    g = p.add_argument_group("报告期（加入“本期进展”）")
    g.add_argument("--period", metavar="报告期", help="报告期：2022-11、2022年11月、2022-Q4、2022-W46")
    g.add_argument("--since", metavar="日期", help="自定义报告期的开始日期（含）")
    g.add_argument("--until", metavar="日期", help="自定义报告期的结束日期（含，默认今天）")
    return p


def add_remind_command(add: Callable[..., argparse.ArgumentParser]) -> None:
    p = add("remind", "催报：列出各单位本期尚未报送进展的任务（逾期未报的单位在前），或为每个单位写一份催报通知",
            ("tracker remind", "tracker remind --unit 夏阳街道", "tracker remind --document 1 --json",
             "tracker remind -o 催报通知/   # 每个单位一份 .md 和 .xlsx"))
    p.add_argument("--unit", action="append", default=[], metavar="单位",
                   help="只看这些单位（可重复；“各街镇”等集合会展开）")
    p.add_argument("--document", "--doc", dest="document", metavar="编号", help="只看这个文件（见 tracker summary）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("-o", "--output", metavar="目录", help="在该目录为每个单位写一份催报通知（.md 和 .xlsx）")

"""The command line's grammar (argparse): every command, option and help text, in Chinese, in one place.

argparse's own words (``usage:``, ``options``, its error messages) are translated through its gettext
hook, so a coordinator never meets English in ``--help`` or an error line.
"""

from __future__ import annotations

import argparse

from tracker.cli.errors import UsageError
from tracker.cli.help_format import HelpFormatter
from tracker.cli.parser_cycle import add_cycle_commands, evidence_options
from tracker.cli.parser_periods import add_remind_command, period_options

# argparse looks its messages up through the module-level ``_`` at call time.
_ARGPARSE_WORDS = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "the following arguments are required: %s": "缺少参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的%(type)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected at most one argument": "最多一个值",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "需要以下参数之一：%s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "int": "整数",
    "float": "数字",
}


def _translate(message: str) -> str:
    return _ARGPARSE_WORDS.get(message, message)


argparse._ = _translate  # type: ignore[attr-defined]
argparse.ngettext = lambda singular, plural, n: _translate(singular if n == 1 else plural)  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    """argparse, but errors are one line (no usage block) and never call sys.exit from deep inside."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str):  # type: ignore[override]
        raise UsageError(f"{message}（见 {self.prog} --help）")


def _int(text: str) -> int:
    """An integer option: ``--due-within 7``; anything else is a one-line Chinese error."""
    try:
        return int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} 不是整数") from None


def _common_options(suppress: bool) -> argparse.ArgumentParser:
    """Options accepted before or after the sub-command (``tracker --db x list`` or ``tracker list --db x``)."""
    default = argparse.SUPPRESS if suppress else None
    p = argparse.ArgumentParser(add_help=False, formatter_class=HelpFormatter)
    g = p.add_argument_group("通用选项")
    g.add_argument("--config", metavar="文件", default=default,
                   help="配置文件（默认依次找 TRACKER_CONFIG、./config.toml、用户配置目录）")
    g.add_argument("--db", metavar="路径", default=default,
                   help="SQLite 文件或数据库地址，如 postgresql://…（默认 TRACKER_DB、配置 database_url）")
    g.add_argument("--today", metavar="YYYY-MM-DD", default=default,
                   help="计算逾期所依据的“今天”（默认 TRACKER_TODAY、配置 today，否则为真实日期）")
    return p


def _who_option(suppress: bool) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False, formatter_class=HelpFormatter)
    p.add_argument("--by", metavar="姓名", default=argparse.SUPPRESS if suppress else None,
                   help="修改人（默认配置 user、TRACKER_USER、系统用户名）")
    return p


def _filter_options() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False, formatter_class=HelpFormatter)
    g = p.add_argument_group("筛选（可任意组合）")
    g.add_argument("--unit", action="append", default=[], metavar="单位",
                   help="单位名称（可重复；别名与“各街镇”等集合会展开；唯一的部分名称亦可）")
    g.add_argument("--kind", action="append", default=[], metavar="类别", help="单位类别：部门|街镇|集合|企业（逗号分隔）")
    g.add_argument("--status", metavar="状态", help="状态（逗号分隔）：未启动,推进中,受阻,待销号,已完成,不适用 或 todo,doing…；open = 未办结")
    g.add_argument("--doc", metavar="编号", help="文件编号（见 tracker summary）")
    g.add_argument("--chapter", metavar="部分", help="部分，如 三（或 第三部分）")
    g.add_argument("--measure", metavar="措施", help="措施编号，如 三（一）、三(一) 或 #12")
    g.add_argument("--role", metavar="角色", help="牵头|配合（lead|support）")
    g.add_argument("--overdue", action="store_true", help="已逾期、未办结的任务")
    g.add_argument("--due-within", type=_int, metavar="天数", help="N 天内到期、未办结的任务")
    g.add_argument("--stale", type=_int, metavar="天数", help="N 天没有更新、未办结的任务")
    g.add_argument("--text", metavar="文字", help="措施内容、单位名称或进展中含有的文字")
    return p


def _examples(*lines: str) -> str:
    return "示例：\n" + "\n".join(f"  {line}" for line in lines)


DESCRIPTION = """督查督办任务跟踪：把文件中的每项措施 × 责任单位变成一项任务，跟踪进展、催办逾期、导出报告。
不带命令时打开终端界面（首次运行自动导入 seeds/ 中的文件）。"""

MAIN_EXAMPLES = _examples(
    "tracker                                     # 打开终端界面",
    "tracker import 实施意见.txt                 # 导入文件",
    "tracker list --overdue --unit 夏阳街道      # 夏阳街道的逾期任务",
    "tracker set 12 13 done --note 已完成招聘    # 两项任务报完成（开启销号时为待销号）",
    "tracker verify --list                       # 待销号的任务；tracker verify 12 销号",
    "tracker extend --list                       # 待审批的延期申请",
    "tracker export -o 报告.md                   # 导出落实情况报告",
    "tracker 命令 --help                         # 某个命令的说明和更多示例",
)


class _Unbuilt:
    """Stands for the parser of a sub-command that is not about to run: what is added to it is dropped."""

    def add_argument(self, *args: object, **kwargs: object) -> None:
        return None

    def add_mutually_exclusive_group(self, *args: object, **kwargs: object) -> _Unbuilt:
        return self


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's grammar. ``command``: only that sub-command (the one about to run) is built;
    argparse's work on the other two dozen is most of its cost at every start, and they are then unknown."""
    common, common_sub = _common_options(False), _common_options(True)
    who_sub = _who_option(True)
    filters = _filter_options()
    evidence = evidence_options()

    parser = _Parser(prog="tracker", description=DESCRIPTION, epilog=MAIN_EXAMPLES,
                     parents=[common, _who_option(False)])
    parser.add_argument("--version", action="version", version=f"tracker {_version()}", help="显示版本号并退出")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser, title="命令",
                                help="不带命令时打开终端界面")

    def add(name: str, help_: str, examples: tuple[str, ...], *parents: argparse.ArgumentParser) -> argparse.ArgumentParser:
        if command is not None and name != command:
            return _Unbuilt()  # type: ignore[return-value]
        return sub.add_parser(name, help=help_, description=help_, epilog=_examples(*examples),
                              parents=[common_sub, *parents])

    p = add("init", "写一份默认配置文件（默认 ./config.toml）", ("tracker init", "tracker init ~/督办/config.toml --force"))
    p.add_argument("path", nargs="?", default="config.toml", metavar="路径")
    p.add_argument("--force", action="store_true", help="覆盖已有文件")

    p = add("import", "导入政策文件（先全部解析，任何错误都不保存）",
            ("tracker import 实施意见.txt", "tracker import seeds/", "tracker import 新文件.txt --dry-run"), who_sub)
    p.add_argument("paths", nargs="+", metavar="文件")
    p.add_argument("--dry-run", action="store_true", help="只解析并报告，不保存")
    p.add_argument("--replace", type=_int, metavar="编号",
                   help="用这个文件替换已导入的文件（措施按代码对应，保留状态和历史），如 --replace 3 新版.txt")
    p.add_argument("--json", action="store_true", help="输出 JSON（--dry-run 时为解析结果，否则为导入结果）")

    p = add("list", "列出任务（加 --unassigned 列出尚无责任单位的措施）",
            ("tracker list --overdue", "tracker list --unit 夏阳街道 --status open",
             "tracker list --kind 街镇 --due-within 14 --sort late", "tracker list --json | jq '.tasks[].id'"), filters)
    p.add_argument("--unassigned", action="store_true", help="列出尚无责任单位的措施")
    p.add_argument("--sort", choices=("due", "measure", "unit", "updated", "late"), default="due",
                   help="排序：due 截止日期（默认）、measure 措施、unit 单位、updated 更新时间、late 逾期优先")
    p.add_argument("--limit", type=_int, metavar="N", help="最多显示 N 项")
    p.add_argument("--json", action="store_true", help="输出 JSON")

    p = add("show", "查看一项任务：措施原文、同一措施的其他单位、指标、历史", ("tracker show 12", "tracker show '#12' --json"))
    p.add_argument("task", metavar="任务", help="任务编号（12 或 #12）")
    p.add_argument("--json", action="store_true", help="输出 JSON")

    p = add("set", "修改一项或多项任务的状态（全部成功或全部不改）",
            ("tracker set 12 done", "tracker set 12 13 14 推进中 --note 已召开推进会",
             "tracker set 12 blocked --note 等待资金 --due 2023-03-31",
             "tracker set 12 已完成 --note 已验收 --evidence 验收报告.pdf --caption 区级验收报告  # 开启销号时进入待销号"),
            who_sub, evidence)
    p.add_argument("items", nargs="+", metavar="任务… 状态", help="任务编号，最后是状态（代码或名称）")
    p.add_argument("--note", default="", help="随状态记录的进展说明")
    p.add_argument("--due", metavar="日期", help="同时修改截止日期")
    p.add_argument("--version", type=_int, metavar="N", help="你读到的任务版本；任务已被他人修改则拒绝")
    p.add_argument("--json", action="store_true", help="输出 JSON")

    p = add("due", "修改任务的截止日期（日期：2022-12-31、2022/12/31、2022年12月31日、eom 月底、eoy 年底、+2w、+10d、none）",
            ("tracker due 12 2023-03-31", "tracker due 12 +2w --note 同意延期", "tracker due 12 none"), who_sub)
    p.add_argument("task", metavar="任务")
    p.add_argument("date", metavar="日期")
    p.add_argument("--note", default="", help="说明")
    p.add_argument("--version", type=_int, metavar="N", help="你读到的任务版本")
    p.add_argument("--json", action="store_true", help="输出 JSON")

    p = add("assign", "为措施指定责任单位（“各街镇”等集合会展开；一个参数一个单位，或用、分隔）",
            ("tracker assign 三（一） 区民政局", "tracker assign '#12' 区财政局、各街镇 --lead",
             "tracker assign 四（二） 区新设机构 --new --due 2023-06-30"), who_sub)
    p.add_argument("measure", metavar="措施", help="措施编号（#12）或代码（三（一））")
    p.add_argument("units", nargs="+", metavar="单位")
    p.add_argument("--lead", action="store_true", help="第一个单位为牵头单位")
    p.add_argument("--doc", metavar="编号", help="文件编号（同一措施代码出现在多个文件中时）")
    p.add_argument("--due", metavar="日期", help="新任务的截止日期（默认取措施的）")
    p.add_argument("--new", action="store_true", help="允许从未出现过的单位名称（否则视为笔误）")
    p.add_argument("--json", action="store_true", help="输出 JSON")

    p = add("unassign", "从措施中移除一个单位的任务（连同其历史）", ("tracker unassign 三（一） 区民政局",), who_sub)
    p.add_argument("measure", metavar="措施")
    p.add_argument("unit", metavar="单位")
    p.add_argument("--doc", metavar="编号", help="文件编号")

    p = add("note", "记录任务进展", ("tracker note 12 '已完成第一批培训 320 人'",
                                "tracker note 12 '召开推进会' --evidence https://example.gov.cn/news/1.html --caption 新闻报道"),
            who_sub, evidence)
    p.add_argument("task", metavar="任务")
    p.add_argument("text", metavar="进展")
    p.add_argument("--version", type=_int, metavar="N", help="你读到的任务版本")
    p.add_argument("--json", action="store_true", help="输出 JSON")

    p = add("targets", "量化指标及其最新实际值", ("tracker targets", "tracker targets --doc 1 --json"))
    p.add_argument("--doc", metavar="编号", help="文件编号")
    p.add_argument("--json", action="store_true", help="输出 JSON")

    p = add("actual", "记录指标的实际值（数值：390000、39万、85%%、none）",
            ("tracker actual 2 39.5万", "tracker actual 2 38万 --as-of 2022-09-30"))
    p.add_argument("target", metavar="指标", help="指标编号（见 tracker targets）")
    p.add_argument("value", metavar="数值")
    p.add_argument("--as-of", metavar="日期", help="数值对应的日期（默认今天）")
    p.add_argument("--json", action="store_true", help="输出 JSON")

    p = add("units", "所有单位及其类别、任务数、已完成、逾期", ("tracker units", "tracker units --kind 街镇 --json"))
    p.add_argument("--kind", action="append", default=[], metavar="类别", help="单位类别：部门|街镇|集合|企业")
    p.add_argument("--json", action="store_true", help="输出 JSON")

    p = add("summary", "按文件和单位类别汇总：措施、任务、各状态、逾期", ("tracker summary", "tracker summary --json"))
    p.add_argument("--archived", action="store_true", help="同时列出已归档的文件")
    p.add_argument("--json", action="store_true", help="输出 JSON")

    p = add("archive", "归档文件：不再出现在任务列表和报告中，任务与历史保留", ("tracker archive 2",))
    p.add_argument("document", metavar="文件", help="文件编号（见 tracker summary）")

    p = add("unarchive", "恢复已归档的文件", ("tracker unarchive 2", "tracker summary --archived"))
    p.add_argument("document", metavar="文件", help="文件编号（见 tracker summary --archived）")

    p = add("export", "导出落实情况报告或工作台账（Markdown 到屏幕；-o 文件按扩展名：.md 报告、.docx Word 报告、.xlsx 台账）",
            ("tracker export -o 报告.md", "tracker export -o 报告.docx", "tracker export -o 台账.xlsx",
             "tracker export --unit 夏阳街道 -o 夏阳街道.xlsx", "tracker export --by unit --overdue",
             "tracker export --period 2022-11 -o 十一月报告.md"),
            filters, period_options())
    p.add_argument("--by", dest="group_by", choices=("measure", "unit"), default="measure",
                   help="明细按措施（默认）或按单位分组")
    p.add_argument("-o", "--output", metavar="文件", help="写入文件而不是屏幕")
    p.add_argument("--format", dest="export_format", choices=("md", "xlsx", "docx"),
                   help="输出格式（默认按 -o 文件的扩展名）")

    p = add("collect", "收集各单位交回的台账（.xlsx），采用其中修改的状态和进展情况",
            ("tracker collect 夏阳街道.xlsx --dry-run", "tracker collect 反馈/*.xlsx", "tracker collect 台账.xlsx --partial"))
    p.add_argument("paths", nargs="+", metavar="文件")
    p.add_argument("--dry-run", action="store_true", help="只显示将要做的修改，不保存")
    p.add_argument("--json", action="store_true", help="以 JSON 输出修改、冲突和问题")
    p.add_argument("--partial", action="store_true", help="文件中有冲突或问题时，仍采用无误的行（默认整个文件不采用）")
    p.add_argument("--allow-due", action="store_true", help="同时采用单位修改的截止日期")

    add_cycle_commands(add, who_sub, _int, evidence)
    add_remind_command(add)

    db = add("db", "数据库维护：升级结构、查看版本、备份、检查",
             ("tracker db current", "tracker db backup 备份/tracker.db", "tracker db check"))
    if command in (None, "db"):
        from tracker.cli.db import add_arguments as db_arguments

        db_arguments(db)
    return parser


def _version() -> str:
    from tracker import __version__

    return __version__

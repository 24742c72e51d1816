"""``tracker db upgrade|current|backup|check``: the database's schema version and its upkeep."""

from __future__ import annotations

import argparse

from tracker.cli.errors import EXIT_OK, EXIT_RUNTIME, UsageError

ACTIONS = ("upgrade", "current", "backup", "check")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=ACTIONS, metavar="操作",
                   help="upgrade 升级结构到本程序的版本；current 显示结构版本；backup 路径 备份（SQLite）；"
                        "check 检查完整性与外键")
    p.add_argument("path", nargs="?", metavar="路径", help="backup 的目标文件")
    p.add_argument("--force", action="store_true", help="backup 时覆盖已有文件")


def cmd_db(ctx, args: argparse.Namespace) -> int:  # noqa: ANN001
    from tracker.store.engine import make_engine
    from tracker.store.schema import code_head

    action = args.action
    if action != "backup" and args.path:
        raise UsageError(f"db {action} 不需要路径参数：{args.path}")
    if action == "upgrade":
        ctx._engine = make_engine(ctx.url)  # upgrades (and says so) when needed
        print(f"数据库结构为最新版本 {code_head()}")
        return EXIT_OK
    engine = make_engine(ctx.url, create=False, upgrade=False)
    try:
        if action == "current":
            return _current(engine)
        if action == "check":
            return _check(engine)
        return _backup(engine, args)
    finally:
        engine.dispose()


def _current(engine) -> int:  # noqa: ANN001
    from tracker.store import schema
    from tracker.store.engine import read_tx
    from tracker.store.migrate import state_of

    with read_tx(engine) as conn:
        state = state_of(conn)
    head = schema.code_head()
    if state.kind == schema.CURRENT:
        print(f"数据库结构版本 {state.label}（最新）")
    elif state.kind == schema.EMPTY:
        print(f"数据库为空：首次使用时建立结构版本 {head}")
    else:
        print(f"数据库结构版本 {state.label}，本程序为 {head}：打开时自动升级（或运行 tracker db upgrade）")
    return EXIT_OK


def _check(engine) -> int:  # noqa: ANN001
    from tracker.store.migrate import check
    from tracker.store.schema import code_head

    problems = check(engine)
    if problems:
        print("发现问题：" + "；".join(problems))
        return EXIT_RUNTIME
    print(f"正常：完整性与外键检查均通过（结构版本 {code_head()}）")
    return EXIT_OK


def _backup(engine, args: argparse.Namespace) -> int:  # noqa: ANN001
    from pathlib import Path

    from tracker.store.migrate import backup_sqlite
    from tracker.store.urls import sqlite_path

    if not args.path:
        raise UsageError("db backup 需要目标文件路径，如 tracker db backup 备份/tracker-2022-11-15.db")
    source = sqlite_path(str(engine.url))
    if source is None:
        raise UsageError("PostgreSQL 数据库请用 pg_dump 备份，如 pg_dump -Fc -f tracker.dump 'postgresql://…'")
    dest = Path(args.path).expanduser()
    if dest.is_dir():
        dest = dest / source.name
    if dest.exists() and not args.force:
        raise UsageError(f"{dest}：已存在（加 --force 覆盖）")
    if dest.resolve() == source.resolve():
        raise UsageError(f"{dest}：不能备份到数据库文件本身")
    backup_sqlite(source, dest)
    print(f"已备份到 {dest}")
    return EXIT_OK

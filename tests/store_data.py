"""Small hand-built documents for store tests (no parser involved)."""

from __future__ import annotations

import hashlib
import multiprocessing as mp
from datetime import date

from tracker.config import QINGPU_TOWNS
from tracker.ingest.model import ParsedDocument, ParsedMeasure, ParsedTarget, ParsedUnit


def unit(name: str, role: str = "support", kind: str = "agency") -> ParsedUnit:
    return ParsedUnit(name=name, kind=kind, role=role, raw=name)


def towns() -> list[ParsedUnit]:
    return [unit(t, "support", "town") for t in QINGPU_TOWNS]


def measure(code: str, units: list[ParsedUnit], *, due: date | None = date(2022, 12, 31), order: int = 1,
            title: str = "", text: str = "", targets: list[ParsedTarget] | None = None,
            is_context: bool = False) -> ParsedMeasure:
    chapter = code[0]
    return ParsedMeasure(
        code=code, chapter_code=chapter, chapter=f"第{chapter}章", title=title or f"措施{code}",
        text=text or f"{code}的正文。", order=order, line=order * 3, units=units,
        targets=targets or [], due=due, due_phrase="2022年" if due else None, is_context=is_context,
    )


def document(measures: list[ParsedMeasure], *, path: str = "doc.txt", number: str | None = "测试〔2022〕1号",
             version: str = "v1") -> ParsedDocument:
    digest = hashlib.sha256(f"{path}{number}{version}".encode()).hexdigest()
    return ParsedDocument(
        path=path, content_hash=digest, title="测试实施意见", doc_number=number, issuer="测试区人民政府",
        issued=date(2022, 8, 29), has_clauses=any(m.units for m in measures), measures=measures,
    )


def sample_document(version: str = "v1") -> ParsedDocument:
    """Three measures: 2 agencies + 11 towns, one agency, and a group; a context paragraph."""
    return document(
        [
            measure("二（一）", [], is_context=True, order=1, due=None),
            measure("三（一）", [unit("区人力资源社会保障局", "lead"), unit("区财政局")] + towns(), order=2,
                    targets=[ParsedTarget("正规就业不少于40万人", ">=", 400000, "人", 2022, date(2022, 12, 31), "正规就业")]),
            measure("三（二）", [unit("区经委", "lead")], order=3, due=date(2022, 10, 31)),
            measure("四（一）", [unit("各区属公司", "lead", "group"), unit("区科委")], order=4, due=date(2022, 11, 20)),
        ],
        version=version,
    )


def open_via(url: str, via: str):  # noqa: ANN201
    """The database as a write service takes it: the engine (``via="engine"``), or the bare connections
    the app and the command line use (anything else)."""
    from tracker.store.database import open_database
    from tracker.store.engine import make_engine

    return make_engine(url) if via == "engine" else open_database(url)


def close_db(db) -> None:  # noqa: ANN001
    """Close what :func:`open_via` opened."""
    from tracker.store.database import DirectDatabase

    db.close() if isinstance(db, DirectDatabase) else db.dispose()


def run_together(target, url: str, count: int, *, numbered: bool = True) -> None:  # noqa: ANN001
    """``count`` spawned processes run ``target(url, [n,] start, errors)`` at once (released together by
    ``start``); each puts what went wrong on ``errors``. Fails unless all ran cleanly."""
    ctx = mp.get_context("spawn")
    start, errors = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=target, args=(url, *((n,) if numbered else ()), start, errors)) for n in range(count)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(timeout=120)
    found = []
    while not errors.empty():
        found.append(errors.get())
    assert found == [] and [p.exitcode for p in procs] == [0] * count, found

"""Storage figures on SQLite and PostgreSQL (printed; not a timed test).

    python bench/bench_storage.py                 # everything (a few minutes on 2 cores)
    python bench/bench_storage.py --only writers --updates 100

- writers: 2/4/8/16 processes each recording UPDATES notes on the same few tasks while a reader
  lists tasks in a loop: failed calls and lost updates (expected version bumps − actual);
- imports: 8 processes importing different documents that share new units (PostgreSQL and SQLite);
- first runs: 4 processes opening one empty database at once;
- held lock: `show` and `export` while another process holds a write transaction for --hold seconds;
- kill -9: `tracker db upgrade` of a pre-migration database killed at random moments; afterwards the
  file must pass `integrity_check`, be at the old or the new version, and the next run completes it.

PostgreSQL comes from the ``pgserver`` wheel, started in a temporary directory.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.conftest import build_document  # noqa: E402
from tests.store_data import sample_document  # noqa: E402

TODAY = "2022-11-15"
CLI = [sys.executable, "-c", "import sys; from tracker.cli import main; sys.exit(main())"]


# --------------------------------------------------------------------------- databases


class Databases:
    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
        self.server = None
        self.count = 0

    def sqlite(self) -> str:
        self.count += 1
        return f"sqlite:///{self.tmp / f'db{self.count}.db'}"

    def postgres(self) -> str:
        import pgserver
        import psycopg

        if self.server is None:
            self.server = pgserver.get_server(tempfile.mkdtemp(prefix="tracker-bench-pg-"), cleanup_mode="delete")
        self.count += 1
        admin = self.server.get_uri()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE b{self.count}")
        base, _, query = admin.partition("?")
        return f"{base.rsplit('/', 1)[0]}/b{self.count}?{query}"

    def new(self, backend: str) -> str:
        return self.sqlite() if backend == "sqlite" else self.postgres()

    def close(self) -> None:
        if self.server is not None:
            self.server.cleanup()
        shutil.rmtree(self.tmp, ignore_errors=True)


# --------------------------------------------------------------------------- workers (module level: spawned)


def _writer(url: str, n: int, updates: int, start, results) -> None:  # noqa: ANN001
    from tracker.store import services as s
    from tracker.store.engine import make_engine

    engine = make_engine(url)
    start.wait()
    failed = 0
    for k in range(updates):
        try:
            s.add_note(engine, 1 + k % 3, f"w{n}-{k}", by=f"w{n}")
        except Exception as exc:  # noqa: BLE001 - counted
            failed += 1
            results.put(("error", f"{type(exc).__name__}: {exc}"))
    results.put(("failed", failed))
    engine.dispose()


def _reader(url: str, stop, results) -> None:  # noqa: ANN001
    from tracker.store import sql as fast
    from tracker.store.engine import make_engine, read_tx
    from tracker.store.filters import TaskFilter

    engine = make_engine(url)
    reads = failed = 0
    while not stop.is_set():
        try:
            with read_tx(engine) as conn:
                fast.list_tasks(conn, TaskFilter(), date(2022, 11, 15), limit=50)
            reads += 1
        except Exception:  # noqa: BLE001
            failed += 1
    results.put(("reads", reads, failed))
    engine.dispose()


def _importer(url: str, n: int, start, results) -> None:  # noqa: ANN001
    from tracker.store import services as s
    from tracker.store.engine import make_engine

    engine = make_engine(url)
    doc = build_document([("三（一）", [(f"共享单位{k}", "lead" if k == 0 else "support", "agency") for k in range(8)],
                           date(2022, 12, 31))], path=f"{n}.txt", title=f"文件{n}", doc_number=f"测试〔2022〕{n}号")
    start.wait()
    try:
        s.import_document(engine, doc, by=f"p{n}")
        results.put(("ok",))
    except Exception as exc:  # noqa: BLE001
        results.put(("error", f"{type(exc).__name__}: {exc}"))
    engine.dispose()


def _first_run(url: str, n: int, start, results) -> None:  # noqa: ANN001
    from tracker.store.engine import make_engine

    start.wait()
    try:
        make_engine(url).dispose()
        results.put(("ok",))
    except Exception as exc:  # noqa: BLE001
        results.put(("error", f"{type(exc).__name__}: {exc}"))


def _spawn(target, args_list):  # noqa: ANN001, ANN202
    ctx = mp.get_context("spawn")
    start, results = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=target, args=(*args, start, results)) for args in args_list]
    for p in procs:
        p.start()
    return ctx, procs, start, results


# --------------------------------------------------------------------------- figures


def writers(dbs: Databases, backends: list[str], updates: int) -> None:
    from tracker.store import queries as q
    from tracker.store import services as s
    from tracker.store.engine import make_engine, read_tx

    print(f"\n## {updates} notes per writer on 3 shared tasks, a reader listing alongside")
    print("backend     writers  seconds  failed calls  lost updates  reads (failed)")
    for backend in backends:
        for count in (2, 4, 8, 16):
            url = dbs.new(backend)
            engine = make_engine(url)
            s.import_document(engine, sample_document(), by="bench")
            ctx, procs, start, results = _spawn(_writer, [(url, n, updates) for n in range(count)])
            stop = ctx.Event()
            reader = ctx.Process(target=_reader, args=(url, stop, results))
            reader.start()
            time.sleep(1.0 + 0.25 * count)  # let every process import and connect
            began = time.monotonic()
            start.set()
            for p in procs:
                p.join()
            elapsed = time.monotonic() - began
            stop.set()
            reader.join()
            failed, errors, reads = 0, [], (0, 0)
            while not results.empty():
                item = results.get()
                if item[0] == "failed":
                    failed += item[1]
                elif item[0] == "error":
                    errors.append(item[1])
                elif item[0] == "reads":
                    reads = item[1:]
            with read_tx(engine) as conn:
                bumps = sum(q.get_task(conn, tid).version - 1 for tid in (1, 2, 3))
            engine.dispose()
            lost = count * updates - failed - bumps
            print(f"{backend:<11} {count:>7}  {elapsed:7.1f}  {failed:>12}  {lost:>12}  {reads[0]} ({reads[1]})")
            for e in sorted(set(errors))[:3]:
                print(f"    {e}")


def together(dbs: Databases, backends: list[str], target, count: int, title: str, prepare: bool) -> None:  # noqa: ANN001
    from tracker.store.engine import make_engine

    print(f"\n## {title}")
    for backend in backends:
        url = dbs.new(backend)
        if prepare:
            make_engine(url).dispose()
        ctx, procs, start, results = _spawn(target, [(url, n) for n in range(count)])
        time.sleep(1.0 + 0.25 * count)
        start.set()
        for p in procs:
            p.join()
        outcomes = [results.get() for _ in range(count)]
        ok = sum(1 for o in outcomes if o[0] == "ok")
        print(f"{backend:<11} {ok}/{count} succeeded")
        for o in outcomes:
            if o[0] != "ok":
                print(f"    {o[1]}")


def held_lock(dbs: Databases, backends: list[str], hold: float) -> None:
    from tracker.store import services as s
    from tracker.store.engine import make_engine

    print(f"\n## read commands while another process holds a write transaction ({hold:g} s)")
    for backend in backends:
        url = dbs.new(backend)
        engine = make_engine(url)
        s.import_document(engine, sample_document(), by="bench")
        engine.dispose()
        holder_code = (
            "import sys, time; from tracker.store.engine import make_engine, write_tx; from sqlalchemy import text; "
            "e = make_engine(sys.argv[1]); "
            "cm = write_tx(e); c = cm.__enter__(); c.execute(text(\"UPDATE task SET note = 'held' WHERE id = 1\")); "
            "print('holding', flush=True); time.sleep(float(sys.argv[2]))"
        )
        holder = subprocess.Popen([sys.executable, "-c", holder_code, url, str(hold)], cwd=REPO,
                                  stdout=subprocess.PIPE, text=True)
        assert holder.stdout.readline().strip() == "holding"
        for command in (["show", "1"], ["export"], ["list"], ["targets"]):
            began = time.monotonic()
            done = subprocess.run([*CLI, "--db", url, "--today", TODAY, *command],
                                  cwd=REPO, capture_output=True, text=True)
            print(f"{backend:<11} {' '.join(command):<8} exit {done.returncode}  {time.monotonic() - began:5.2f} s"
                  + (f"  {done.stderr.strip()}" if done.returncode else ""))
        holder.kill()
        holder.wait()


def kill_upgrade(dbs: Databases, rounds: int) -> None:
    from tracker.store.schema import code_head

    print(f"\n## kill -9 during `tracker db upgrade` of a pre-migration database ({rounds} rounds)")
    ddl = (REPO / "tests/fixtures/store/schema_e25b5cc.sql").read_text(encoding="utf-8")
    template = dbs.tmp / "legacy-template.db"
    conn = sqlite3.connect(template)
    conn.executescript(ddl)
    conn.execute("DROP INDEX ix_task_unit_status_due")
    conn.execute("INSERT INTO document VALUES (1, 't', NULL, NULL, NULL, 'p', 'h', 1, '2022-09-01 00:00:00')")
    conn.executemany("INSERT INTO unit VALUES (?, ?, 'agency')", [(u, f"单位{u}") for u in range(1, 51)])
    conn.executemany("INSERT INTO measure VALUES (?, 1, ?, '三', '', '', '', ?, 0, NULL, NULL, 0)",
                     [(m, f"m{m}", m) for m in range(1, 2001)])
    conn.executemany(
        "INSERT INTO task VALUES (?, ?, ?, 'support', 'todo', NULL, '', '2022-09-01 00:00:00', "
        "'2022-09-01 00:00:00', '', 1)", [(t, 1 + t // 50, 1 + t % 50) for t in range(100_000)])
    conn.commit()
    conn.close()
    timed = dbs.tmp / "timed.db"
    shutil.copy(template, timed)
    began = time.monotonic()
    subprocess.run([*CLI, "--db", str(timed), "db", "upgrade"], cwd=REPO, capture_output=True, check=True)
    full = time.monotonic() - began
    print(f"a whole run of `tracker db upgrade` (start-up included): {full:.2f} s; kills spread over 0.1–{full:.2f} s")
    outcomes = {"old": 0, "new": 0, "broken": 0}
    completed = 0
    rng = random.Random(1)
    for _ in range(rounds):
        db = dbs.tmp / "killed.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        shutil.copy(template, db)
        proc = subprocess.Popen([*CLI, "--db", str(db), "db", "upgrade"], cwd=REPO,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.1, full))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        check = sqlite3.connect(db)
        try:
            ok = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            has = check.execute("SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'").fetchone()
            version = check.execute("SELECT version_num FROM alembic_version").fetchone()[0] if has else None
            tasks = check.execute("SELECT COUNT(*) FROM task").fetchone()[0]
        except sqlite3.DatabaseError:
            ok, version, tasks = False, None, 0
        finally:
            check.close()
        state = "broken" if not ok or tasks != 100_000 else ("new" if version == code_head() else "old")
        outcomes[state] += 1
        again = subprocess.run([*CLI, "--db", str(db), "db", "current"], cwd=REPO,
                               capture_output=True, text=True)
        redo = subprocess.run([*CLI, "--db", str(db), "db", "upgrade"], cwd=REPO,
                              capture_output=True, text=True)
        completed += redo.returncode == 0 and again.returncode == 0
    print(f"after the kill: old version {outcomes['old']}, new version {outcomes['new']}, broken {outcomes['broken']}; "
          f"next run completed {completed}/{rounds}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=("writers", "imports", "first", "held", "kill"), action="append")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), action="append")
    parser.add_argument("--updates", type=int, default=200)
    parser.add_argument("--hold", type=float, default=30.0)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    only = set(args.only or ("writers", "imports", "first", "held", "kill"))
    backends = args.backend or ["sqlite", "postgresql"]
    dbs = Databases()
    try:
        if "writers" in only:
            writers(dbs, backends, args.updates)
        if "imports" in only:
            together(dbs, backends, _importer, 8, "8 imports at once of different documents sharing new units", True)
        if "first" in only:
            together(dbs, backends, _first_run, 4, "4 first runs at once on one empty database", False)
        if "held" in only:
            held_lock(dbs, backends, args.hold)
        if "kill" in only:
            kill_upgrade(dbs, args.rounds)
    finally:
        dbs.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

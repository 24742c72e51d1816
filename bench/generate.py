"""Build realistic tracker databases for benchmarks.

    python bench/generate.py --tasks 100000 --out bench/out/tasks-100000.db
    python bench/generate.py --tasks 100000 --out bench/out/tasks-100000.db --taskwarrior bench/out/tw-100000.json
    python bench/generate.py --document bench/out/synthetic-200.txt --measures 200
    python bench/generate.py --tasks 1000000 --out bench/out/tasks-1000000.db   # ~2 minutes, ~4 GiB RAM, 600 MB file

The database is created through the store's own schema (``make_engine``) and filled
with bulk ``insert()`` calls (lists of dicts). Everything is derived from ``--seed``,
so the same arguments always give the same data.

Shape (see docs/performance.md):
- ~50 units: the 11 街镇 of the shipped config, 34 bureaus, 2 collectives, 3 companies;
- documents of 20-120 measures; each measure goes to one lead bureau, 0-4 supporting
  bureaus and, in about half of the measures, all 11 街镇 (the seed document averages
  15 tasks a measure; these average ~9);
- statuses mixed and correlated with the deadline; due dates spread around "today"
  (a third or so of the open tasks overdue); ``updated_at`` spread over months;
- 1-3 history events per task; targets on about a fifth of the measures;
- progress notes on about 40% of the tasks.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sqlite3
import sys
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

#: bump when the generated data changes shape: bench/run.py rebuilds its cached databases
DATA_VERSION = 1

CN_NUM = "一二三四五六七八九十"

TOWNS = (
    "夏阳街道", "盈浦街道", "香花桥街道", "朱家角镇", "练塘镇", "金泽镇",
    "赵巷镇", "徐泾镇", "华新镇", "重固镇", "白鹤镇",
)
AGENCIES = (
    "区发展改革委", "区经委", "区商务委", "区科委", "区建设管理委", "区国资委",
    "区住房保障房屋管理局", "区民政局", "区水务局", "区文化旅游局", "区绿化市容局",
    "区市场监管局", "区财政局", "区税务局", "区医保局", "区社保中心", "区公积金中心",
    "区人力资源社会保障局", "区体育局", "区邮政管理局", "区总工会", "区区域办",
    "区公务员局", "区教育局", "区卫生健康委", "团区委", "区征兵办", "区残联",
    "区政府合作交流办", "区农业农村委", "区公安局", "区退役军人事务局", "区妇联", "区邮政局",
)
GROUPS = ("各区属公司", "区促进就业创业工作领导小组各成员单位")
COMPANIES = ("青浦发展集团有限公司", "青浦城市建设投资有限公司", "青浦新城发展集团有限公司")

# the busy bureaus lead most measures
LEAD_WEIGHTS = [12, 10, 8, 6, 6, 4] + [1] * (len(AGENCIES) - 6)
LEAD_WEIGHTS[AGENCIES.index("区人力资源社会保障局")] = 15

TOPICS = (
    "稳就业", "营商环境", "乡村振兴", "数字化转型", "生态环境保护", "安全生产", "城市更新",
    "科技创新", "民生保障", "长三角一体化", "新城建设", "养老服务", "教育优质均衡", "公共卫生",
)
VERBS = ("加大", "强化", "优化", "完善", "推进", "深化", "落实", "健全", "提升", "扩大", "做好", "支持")
OBJECTS = (
    "纾困减负力度", "稳岗专项政策", "企业规范用工", "联动性岗位供给", "创业担保贷款", "职业技能培训",
    "重点群体就业帮扶", "公共就业服务", "农村富余劳动力转移", "数字经济发展", "政务服务效能",
    "中小微企业融资", "高校毕业生就业", "社区养老服务", "河道综合治理", "老旧小区改造",
    "安全隐患排查", "营商环境监测", "人才引进服务", "招商引资工作", "产业结构升级", "基层治理体系",
)
SENTENCES = (
    "全面、准确、快速落实上级决策部署，做好{obj}各项工作的落地执行，切实降低企业运营成本。",
    "充分发挥区、街镇两级联动作用，用好各类{topic}政策，进一步加大{obj}的推进力度。",
    "建立工作台账，明确时间节点，实行挂图作战，对{obj}情况按月跟踪督办。",
    "聚焦{topic}重点领域，优先安排带动作用强、社会效益好的项目，确保{obj}取得实效。",
    "加强部门协同和信息共享，通过动态监测、预警研判，及时发现和化解{topic}工作中的突出问题。",
    "鼓励街镇结合实际开展{obj}试点，形成可复制、可推广的经验做法。",
    "加大政策宣传解读力度，提高{obj}政策知晓率和覆盖面，做到应享尽享。",
    "对工作推进缓慢、措施落实不力的单位进行通报，将{obj}纳入年度绩效考核。",
)
TARGETS = (
    ("{year}年全区正规就业不少于{n}万人", ">=", 10_000, "人", (30, 45)),
    ("{year}年新增就业岗位不少于{n}个", ">=", 1, "个", (500, 2000)),
    ("帮助长期失业青年就业创业不少于 {n} 人", ">=", 1, "人", (300, 1500)),
    ("覆盖比例大于{n}%", ">", 1, "%", (60, 95)),
    ("加快{n}亿元金融助企纾困融资额度落地", ">=", 100_000_000, "元", (10, 120)),
    ("面向高校毕业生的岗位比例不低于{n}%", ">=", 1, "%", (30, 70)),
)
NOTES = (
    "已召开专题推进会，完成任务分解。", "正在梳理企业名单，预计下月完成摸底。", "政策已发布，进入受理阶段。",
    "因疫情影响，部分工作推迟。", "已完成阶段性目标，持续推进中。", "资金已拨付到位。",
    "等待市级部门政策口径。", "已上报月度进展。", "已完成，待销号。", "与相关街镇对接中。",
)
PEOPLE = ("王敏", "李强", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "周婷", "coordinator")
ISSUERS = ("上海市青浦区人民政府", "上海市青浦区人民政府办公室", "青浦区促进就业创业工作领导小组")


def units() -> list[dict]:
    rows = [dict(name=n, kind="town") for n in TOWNS]
    rows += [dict(name=n, kind="agency") for n in AGENCIES]
    rows += [dict(name=n, kind="group") for n in GROUPS]
    rows += [dict(name=n, kind="company") for n in COMPANIES]
    for i, r in enumerate(rows, start=1):
        r["id"] = i
    return rows


def chapter_code(i: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (enough for documents here)."""
    if i <= 10:
        return CN_NUM[i - 1]
    tens, ones = divmod(i, 10)
    return ("" if tens == 1 else CN_NUM[tens - 1]) + "十" + (CN_NUM[ones - 1] if ones else "")


def measure_text(rng: random.Random, topic: str, obj: str) -> str:
    k = rng.randint(3, 6)
    return "".join(rng.choice(SENTENCES).format(topic=topic, obj=obj) for _ in range(k))


def pick_units(rng: random.Random, unit_rows: list[dict]) -> list[tuple[int, str]]:
    """(unit id, role) pairs for one measure; the first is the lead."""
    by_name = {u["name"]: u["id"] for u in unit_rows}
    lead = rng.choices(AGENCIES, weights=LEAD_WEIGHTS)[0]
    others = rng.sample([a for a in AGENCIES if a != lead], rng.choice((0, 1, 1, 2, 2, 3, 4)))
    chosen = [lead, *others]
    r = rng.random()
    if r < 0.08:
        chosen.append(rng.choice(GROUPS))
    elif r < 0.12:
        chosen.append(rng.choice(COMPANIES))
    if rng.random() < 0.5:
        chosen.extend(TOWNS)
    return [(by_name[n], "lead" if i == 0 else "support") for i, n in enumerate(chosen)]


def _status(rng: random.Random, due: date | None, today: date) -> str:
    if due is not None and due < today:
        weights = (10, 20, 8, 57, 5)  # late: mostly done, a fair share still open (red)
    elif due is not None and (due - today).days < 60:
        weights = (25, 45, 7, 20, 3)
    else:
        weights = (45, 40, 4, 8, 3)
    return rng.choices(("todo", "doing", "blocked", "done", "dropped"), weights=weights)[0]


def _at(day: date, rng: random.Random) -> datetime:
    return datetime(day.year, day.month, day.day, rng.randint(1, 10), rng.randint(0, 59), rng.randint(0, 59),
                    tzinfo=timezone.utc)


def build(tasks: int, today: date, seed: int) -> dict[str, list[dict]]:
    """All rows, table by table, with explicit ids (so no read-back is needed)."""
    rng = random.Random(seed)
    unit_rows = units()
    unit_name = {u["id"]: u["name"] for u in unit_rows}
    documents: list[dict] = []
    measures: list[dict] = []
    task_rows: list[dict] = []
    events: list[dict] = []
    targets: list[dict] = []
    doc_id = measure_id = 0
    while len(task_rows) < tasks:
        doc_id += 1
        issued = today - timedelta(days=rng.randint(20, 700))
        imported = _at(issued + timedelta(days=rng.randint(1, 10)), rng)
        topic = rng.choice(TOPICS)
        year = issued.year
        documents.append(dict(
            id=doc_id, title=f"关于进一步做好{topic}工作的实施意见（{doc_id}）",
            doc_number=f"青府规发〔{year}〕{doc_id}号", issuer=rng.choice(ISSUERS), issued=issued,
            source_path=f"docs/{year}/doc-{doc_id:04d}.txt",
            content_hash=hashlib.sha256(f"{seed}-{doc_id}".encode()).hexdigest(),
            has_clauses=True, imported_at=imported,
        ))
        n_measures = rng.randint(20, 120)
        n_chapters = max(2, n_measures // 12)
        end_of_year = date(year, 12, 31)
        in_chapter = {}
        for order in range(1, n_measures + 1):
            if len(task_rows) >= tasks:
                break
            measure_id += 1
            ch = (order - 1) * n_chapters // n_measures + 3  # chapters 一、二 are context
            ch_code = chapter_code(ch)
            in_chapter[ch] = in_chapter.get(ch, 0) + 1
            code = f"{ch_code}（{chapter_code(in_chapter[ch])}）"
            obj = rng.choice(OBJECTS)
            r = rng.random()
            if r < 0.05:
                due, phrase = None, None
            elif r < 0.55:
                due, phrase = end_of_year, f"{year}年底前"
            else:
                due = issued + timedelta(days=rng.randint(30, 540))
                phrase = f"{due.year}年{due.month}月底前"
            measures.append(dict(
                id=measure_id, document_id=doc_id, code=code, chapter_code=ch_code, chapter=f"推进{topic}",
                title=rng.choice(VERBS) + obj, text=measure_text(rng, topic, obj), order=order, line=order * 4 + 10,
                due=due, due_phrase=phrase, is_context=False,
            ))
            if rng.random() < 0.2:
                tpl, comp, scale, uom, (lo, hi) = rng.choice(TARGETS)
                n = rng.randint(lo, hi)
                targets.append(dict(
                    measure_id=measure_id, phrase=tpl.format(year=year, n=n), label=obj, comparator=comp,
                    value=float(n * scale), uom=uom, year=year, due=end_of_year,
                    actual=float(n * scale * rng.uniform(0.3, 1.2)) if rng.random() < 0.5 else None,
                    actual_at=today - timedelta(days=rng.randint(1, 60)) if rng.random() < 0.5 else None,
                ))
            for uid, role in pick_units(rng, unit_rows):
                if len(task_rows) >= tasks:
                    break
                tid = len(task_rows) + 1
                tdue = due
                if due is not None and rng.random() < 0.1:
                    tdue = due + timedelta(days=rng.randint(-60, 60))
                status = _status(rng, tdue, today)
                span = max(1, (today - imported.date()).days)
                updated_day = imported.date() + timedelta(days=rng.randint(0, span))
                updated = max(_at(updated_day, rng), imported)
                who = rng.choice(PEOPLE)
                note = rng.choice(NOTES) if (status != "todo" and rng.random() < 0.6) else ""
                task_rows.append(dict(
                    id=tid, measure_id=measure_id, unit_id=uid, role=role, status=status, due=tdue, note=note,
                    created_at=imported, updated_at=updated if status != "todo" else imported,
                    updated_by=who if status != "todo" else "import", version=1 + (status != "todo") + bool(note),
                ))
                events.append(dict(task_id=tid, at=imported, by="import", field="assign", old=None,
                                   new=unit_name[uid], note=""))
                if status != "todo":
                    if status in ("done", "blocked") and rng.random() < 0.5:
                        mid_at = imported + (updated - imported) / 2
                        events.append(dict(task_id=tid, at=mid_at, by=who, field="status", old="todo",
                                           new="doing", note=""))
                        old = "doing"
                    else:
                        old = "todo"
                    events.append(dict(task_id=tid, at=updated, by=who, field="status", old=old, new=status,
                                       note=note))
    for i, e in enumerate(events, start=1):
        e["id"] = i
    for i, t in enumerate(targets, start=1):
        t["id"] = i
    return dict(unit=unit_rows, document=documents, measure=measures, task=task_rows, taskevent=events,
                target=targets)


def write_db(data: dict[str, list[dict]], out: Path) -> None:
    from sqlalchemy import insert

    from tracker.store.engine import make_engine, write_tx
    from tracker.store.models import Document, Measure, Target, Task, TaskEvent, Unit

    for suffix in ("", "-wal", "-shm"):
        Path(str(out) + suffix).unlink(missing_ok=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(f"sqlite:///{out}")
    tables = ((Unit, "unit"), (Document, "document"), (Measure, "measure"), (Task, "task"),
              (TaskEvent, "taskevent"), (Target, "target"))
    with write_tx(engine) as conn:
        for model, key in tables:
            rows = data[key]
            for start in range(0, len(rows), 20_000):
                conn.execute(insert(model), rows[start:start + 20_000])
    engine.dispose()
    raw = sqlite3.connect(out)
    raw.execute("ANALYZE")  # what a long-lived database would have; also lets the planner pick indexes
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()


# --------------------------------------------------------------------------- Taskwarrior


def _tw_time(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def write_taskwarrior(data: dict[str, list[dict]], out: Path, today: date, tw_today: date | None = None,
                      seed: int = 1) -> None:
    """The same tasks as Taskwarrior JSON lines, for ``task import``.

    Taskwarrior has no injectable "today", so every date is shifted by ``tw_today - today``
    (``tw_today`` defaults to the real date): the same tasks are overdue on both sides. A due
    date D becomes D 23:59:59 local time, so "due before today" means the same thing.
    ``project`` is the unit name (dots and spaces replaced: they mean something to Taskwarrior);
    todo/doing/blocked → pending (doing has ``start``, blocked the tag ``blocked``), done →
    completed, dropped → deleted. A progress note becomes an annotation.
    """
    shift = (tw_today or date.today()) - today
    rng = random.Random(seed + 7)
    measures = {m["id"]: m for m in data["measure"]}
    docs = {d["id"]: d for d in data["document"]}
    unit_name = {u["id"]: project_name(u["name"]) for u in data["unit"]}
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for t in data["task"]:
            m = measures[t["measure_id"]]
            entry = t["created_at"] + shift
            modified = t["updated_at"] + shift
            obj = {
                "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "description": f"{docs[m['document_id']]['doc_number']} {m['code']} {m['title']}",
                "project": unit_name[t["unit_id"]],
                "entry": _tw_time(entry),
                "modified": _tw_time(modified),
                "tags": [t["role"]],
            }
            if t["due"] is not None:
                d = t["due"] + shift
                obj["due"] = _tw_time(datetime(d.year, d.month, d.day, 23, 59, 59).astimezone())
            status = t["status"]
            if status in ("done", "dropped"):
                obj["status"] = "completed" if status == "done" else "deleted"
                obj["end"] = _tw_time(modified)
            else:
                obj["status"] = "pending"
                if status == "doing":
                    obj["start"] = _tw_time(modified)
                elif status == "blocked":
                    obj["tags"].append("blocked")
            if t["note"]:
                obj["annotations"] = [{"entry": _tw_time(modified), "description": t["note"]}]
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")


def project_name(unit: str) -> str:
    return unit.replace(".", "_").replace(" ", "_")


# --------------------------------------------------------------------------- a synthetic document


def synthetic_document(measures: int, seed: int = 1, year: int = 2022) -> tuple[str, list[dict]]:
    """A policy document in the seed's markdown shape with ``measures`` measures, each closing with a
    responsibility clause (lead bureau first, sometimes ``各街镇``); and the tasks it should yield
    (``code``, ``title``, ``unit``, ``due``) for the Taskwarrior side."""
    rng = random.Random(seed + 200)
    per_chapter = 20
    n_chapters = (measures + per_chapter - 1) // per_chapter
    lines = [
        "# 上海市青浦区人民政府文件", "", f"青府规发〔{year}〕99号", "", "---", "",
        "## 上海市青浦区人民政府关于全面推进重点工作的实施意见", "",
        "各镇人民政府、街道办事处，区政府各委、办、局，各有关单位：", "",
        "为贯彻落实市委、市政府决策部署，结合我区实际，现提出如下意见：", "",
        "## **一、总体要求**", "", "坚持稳中求进工作总基调，完整、准确、全面贯彻新发展理念。", "",
        "## **二、基本原则**", "", "坚持问题导向，坚持系统观念，坚持底线思维。", "",
    ]
    done = 0
    tasks: list[dict] = []
    for c in range(n_chapters):
        topic = rng.choice(TOPICS)
        lines += [f"## **{chapter_code(c + 3)}、推进{topic}**", ""]
        for i in range(min(per_chapter, measures - done)):
            obj = rng.choice(OBJECTS)
            title = rng.choice(VERBS) + obj
            lines += [f"### **（{chapter_code(i + 1)}）{title}**", ""]
            lead = rng.choices(AGENCIES, weights=LEAD_WEIGHTS)[0]
            others = rng.sample([a for a in AGENCIES if a != lead], rng.choice((0, 1, 2, 3)))
            with_towns = rng.random() < 0.5
            names = [lead, *others] + (["各街镇"] if with_towns else [])
            month = rng.randint(6, 12) if rng.random() < 0.6 else None
            phrase = f"{year}年{month}月底前完成。" if month else ""
            lines += [measure_text(rng, topic, obj) + phrase + "（责任单位：" + "、".join(names) + "）", ""]
            due = (date(year, month + 1, 1) - timedelta(days=1)) if month and month < 12 else date(year, 12, 31)
            code = f"{chapter_code(c + 3)}（{chapter_code(i + 1)}）"
            for unit in [lead, *others, *(TOWNS if with_towns else ())]:
                tasks.append(dict(code=code, title=title, unit=unit, due=due))
            done += 1
    lines += ["上海市青浦区人民政府", "", f"{year}年9月1日", ""]
    return "\n".join(lines), tasks


def write_synthetic_taskwarrior(tasks: list[dict], out: Path, today: date, tw_today: date | None = None) -> None:
    """The synthetic document's tasks as Taskwarrior JSON lines (dates shifted as in ``write_taskwarrior``)."""
    shift = (tw_today or date.today()) - today
    rng = random.Random(99)
    entry = _tw_time(datetime.combine(today + shift, datetime.min.time()).astimezone())
    with out.open("w", encoding="utf-8") as fh:
        for t in tasks:
            d = t["due"] + shift
            fh.write(json.dumps({
                "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "description": f"青府规发〔2022〕99号 {t['code']} {t['title']}",
                "project": project_name(t["unit"]), "status": "pending", "entry": entry, "modified": entry,
                "due": _tw_time(datetime(d.year, d.month, d.day, 23, 59, 59).astimezone()),
            }, ensure_ascii=False) + "\n")


# --------------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, help="number of tasks")
    parser.add_argument("--out", type=Path, help="SQLite file to create (replaced if present)")
    parser.add_argument("--today", type=date.fromisoformat, default=date(2022, 11, 15))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--taskwarrior", type=Path, help="also write the tasks as Taskwarrior JSON lines")
    parser.add_argument("--tw-today", type=date.fromisoformat, default=None,
                        help="the date Taskwarrior will run on (default: the real date)")
    parser.add_argument("--document", type=Path, help="write a synthetic policy document instead")
    parser.add_argument("--measures", type=int, default=200)
    parser.add_argument("--document-taskwarrior", type=Path, help="with --document: its tasks as Taskwarrior JSON")
    args = parser.parse_args(argv)
    if args.document:
        args.document.parent.mkdir(parents=True, exist_ok=True)
        text, tasks = synthetic_document(args.measures, args.seed)
        args.document.write_text(text, encoding="utf-8")
        if args.document_taskwarrior:
            write_synthetic_taskwarrior(tasks, args.document_taskwarrior, args.today, args.tw_today)
        print(f"{args.document}: {args.measures} measures, {len(tasks)} tasks")
        if not args.tasks:
            return 0
    if not args.tasks or not (args.out or args.taskwarrior):
        parser.error("--tasks and --out (or --taskwarrior) are required")
    started = time.perf_counter()
    data = build(args.tasks, args.today, args.seed)
    if args.out:
        write_db(data, args.out)
    if args.taskwarrior:
        write_taskwarrior(data, args.taskwarrior, args.today, args.tw_today, args.seed)
    counts = ", ".join(f"{k} {len(v)}" for k, v in data.items())
    print(f"{args.out or args.taskwarrior}: {counts} ({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    raise SystemExit(main())

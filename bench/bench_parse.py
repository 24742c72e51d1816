"""Time the importer: seed 002 (or PATH), a 100-row task table, and long inputs.

Prints the median of several runs, in milliseconds. Targets: seed 002 under 50 ms, the
100-row table document under 200 ms; a 1 MB paragraph and a run of 30,000 spaces stay
linear (well under a second).

Usage: python bench/bench_parse.py [PATH] [--runs N] [--large MB]

``--large 10`` also parses four inputs of that many megabytes (UTF-8), once each: seed 002
repeated, one paragraph of sentences with targets and deadlines, short measures each with a
clause naming a bureau and 各街镇 (every 12 characters a task), and short measures whose clauses
(nearly) all differ (three of forty bureaus in turn, four shapes of clause);
parsing grows linearly, so the figures scale with MB. ``--only WORD`` parses only the large
inputs whose name holds WORD.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tracker.config import load_config  # noqa: E402
from tracker.ingest import parse_bytes  # noqa: E402


def table_document(rows: int = 100) -> bytes:
    """A 任务分工表 with items over two rows, section rows, a 完成时限 column."""
    lines = ["# 重点任务分工表", "", "| 序号 | 重点任务 | 具体措施 | 牵头单位 | 配合单位 | 完成时限 |", "|---|---|---|---|---|---|"]
    for k in range(1, rows // 2 + 1):
        if k % 10 == 1:
            lines.append(f"| {'一二三四五六七八九十'[(k // 10) % 10]}、第{k // 10 + 1}方面（共10项） |  |  |  |  |  |")
        lines.append(f"| {k} | 推进第{k}项改革 | 建立工作机制，2023年完成试点 | 区发展改革委 | 区财政局、各街镇 | 2023年6月底前 |")
        lines.append("|  |  | 开展专项督查，形成评估报告 | 区政府办公室、区司法局 | / | 2023年12月底前 |")
    return ("\n".join(lines) + "\n").encode()


def long_inputs() -> dict[str, bytes]:
    sentence = (
        "深化重点领域改革，健全工作机制，加强部门协同，完善政策体系，强化要素保障，"
        "2023年底前完成试点不少于5个，形成可复制可推广的经验。"
    )
    paragraph = "（一）做好工作。" + sentence * (1_000_000 // len(sentence)) + "（责任单位：区财政局）\n"
    spaces = "（一）做好工作" + " " * 30_000 + "确保落实。（责任单位：区财政局）\n"
    return {"1 MB paragraph": paragraph.encode(), "30,000 spaces": spaces.encode()}


def large_inputs(megabytes: float) -> dict[str, bytes]:
    size = int(megabytes * 1_000_000)

    def repeat(unit: str) -> str:
        return unit * max(1, size // len(unit.encode()))

    seed = next((REPO / "seeds").glob("002_*.txt")).read_text(encoding="utf-8")
    sentence = "深化重点领域改革，健全工作机制，加强部门协同，2023年底前完成试点不少于5个，形成可复制可推广的经验。"
    measure = "（一）推进改革，加强保障，2023年底前完成。（责任单位：区财政局、各街镇）\n"
    return {
        f"{megabytes:g} MB: seed 002 repeated": repeat(seed + "\n").encode(),
        f"{megabytes:g} MB: one paragraph": ("（一）做好工作。" + repeat(sentence) + "（责任单位：区财政局）\n").encode(),
        f"{megabytes:g} MB: short measures": repeat(measure).encode(),
        f"{megabytes:g} MB: short measures, every clause different": varied_measures(size).encode(),
    }


BUREAUS = [
    f"区{name}" for name in (
        "发展改革委 经委 商务委 教育局 科委 民政局 司法局 财政局 人力资源社会保障局 规划资源局 生态环境局 建设管理委 "
        "交通委 农业农村委 水务局 文化旅游局 卫生健康委 退役军人事务局 应急管理局 审计局 国资委 市场监管局 体育局 "
        "统计局 医保局 绿化市容局 城管执法局 民防办 机管局 信访办 大数据中心 融媒体中心 税务局 公安分局 消防救援支队 "
        "总工会 团区委 妇联 残联 工商联"
    ).split()
]
CLAUSE_SHAPES = ["（责任单位：{0}、{1}、{2}）", "（{0}牵头，{1}、{2}配合）", "（牵头单位：{0}；配合单位：{1}、{2}、各街镇）",
                 "（{0}、{1}、{2}负责）"]


def varied_measures(size: int) -> str:
    """Short measures whose clauses (nearly) all differ: three distinct bureaus chosen by the digits of k."""
    out: list[str] = []
    total = k = 0
    n = len(BUREAUS)
    while total < size:
        first = k % n
        second = (first + 1 + (k // n) % (n - 1)) % n
        third = (first + 1 + (k // n // (n - 1)) % (n - 1)) % n
        while third in (first, second):
            third = (third + 1) % n
        names = (BUREAUS[first], BUREAUS[second], BUREAUS[third])
        line = "（一）推进改革，加强保障，2023年底前完成。" + CLAUSE_SHAPES[k % len(CLAUSE_SHAPES)].format(*names) + "\n"
        out.append(line)
        total += len(line.encode())
        k += 1
    return "".join(out)


def timed(data: bytes, path: str, config, runs: int) -> tuple[object, list[float]]:
    parse_bytes(data, path, config)  # warm up imports and regex caches
    times = []
    doc = None
    for _ in range(max(1, runs)):
        start = time.perf_counter()
        doc = parse_bytes(data, path, config)
        times.append((time.perf_counter() - start) * 1000)
    return doc, times


def report(name: str, doc, times: list[float]) -> None:
    print(
        f"{name}: {len(doc.measures)} measures, {doc.task_count} tasks; "
        f"median {statistics.median(times):.2f} ms, min {min(times):.2f} ms, max {max(times):.2f} ms "
        f"over {len(times)} runs"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=str(next((REPO / "seeds").glob("002_*.txt"))))
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--large", type=float, default=0, help="also parse inputs of this many MB, once each")
    parser.add_argument("--only", default="", help="with --large: only the inputs whose name holds this word")
    args = parser.parse_args()
    config = load_config(REPO / "config.toml")
    doc, times = timed(Path(args.path).read_bytes(), args.path, config, args.runs)
    report(Path(args.path).name, doc, times)
    doc, times = timed(table_document(), "table.md", config, args.runs)
    report("100-row task table", doc, times)
    for name, data in long_inputs().items():
        doc, times = timed(data, "long.txt", config, max(1, args.runs // 10))
        report(name, doc, times)
    for name, data in (large_inputs(args.large) if args.large else {}).items():
        if args.only not in name:
            continue
        start = time.perf_counter()
        doc = parse_bytes(data, "large.txt", config)
        print(f"{name}: {len(doc.measures)} measures, {doc.task_count} tasks; {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()

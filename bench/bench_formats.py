"""Time the format readers and the 台账 writer.

- Importing a 20-page .docx (about 600 paragraphs with Word list numbering and a 100-row
  merged-cell task table): target under 1 s.
- Exporting the 台账 of a generated database (default 100,000 tasks, built by
  bench/generate.py into bench/out/): target under 30 s and 300 MiB peak, measured in a
  child process (``tracker export -o 台账.xlsx``).

Usage: python bench/bench_formats.py [--tasks N] [--runs N]
"""

from __future__ import annotations

import argparse
import io
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tracker.config import load_config
from tracker.ingest import parse_bytes

_NUMBERING = """<w:abstractNum {ns} w:abstractNumId="90">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
</w:abstractNum>"""


def twenty_pages() -> bytes:
    from docx import Document
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(_NUMBERING.format(ns=nsdecls("w"))))
    num_id = numbering.add_num(90).numId

    def numbered(text: str, level: int) -> None:
        num_pr = document.add_paragraph(text)._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = level
        num_pr.get_or_add_numId().val = num_id

    document.add_paragraph("青浦区人民政府关于做好稳就业工作的实施意见")
    for chapter in range(8):
        numbered(f"第{chapter + 1}部分重点工作", 0)
        for section in range(10):
            numbered(f"推进第{section + 1}项工作", 1)
            for _ in range(6):
                document.add_paragraph("加强统筹协调，落实工作责任，确保各项政策措施落地见效，" * 3)
            document.add_paragraph("（责任单位：区人社局、区财政局、各街镇）")
    table = document.add_table(rows=101, cols=5)
    for col, title in enumerate(["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]):
        table.cell(0, col).text = title
    for row in range(1, 101):
        for col, value in enumerate([str(row), f"第{row}项重点任务", "区人社局", "区财政局、各街镇", "2022年12月31日前"]):
            if col == 2 and row % 2 == 0:
                continue
            table.cell(row, col).text = value
        if row % 2 == 0:
            table.cell(row - 1, 2).merge(table.cell(row, 2))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    config = load_config(REPO / "config.toml")

    data = twenty_pages()
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        doc = parse_bytes(data, "二十页.docx", config)
        times.append(time.perf_counter() - start)
    print(f"docx 20 pages ({len(data) // 1024} KiB, {len(doc.measures)} measures, {doc.task_count} tasks): "
          f"median {statistics.median(times) * 1000:.0f} ms (target < 1000 ms)")

    out_dir = REPO / "bench" / "out"
    db = out_dir / f"tasks-{args.tasks}.db"
    if not db.exists():
        out_dir.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "--tasks", str(args.tasks), "--out", str(db)],
                       check=True)
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "台账.xlsx"
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import sys; from tracker.cli import main; sys.exit(main())", "--db", str(db), "--today", "2022-11-15", "export", "-o", str(target)],
                       check=True, capture_output=True)
        elapsed = time.perf_counter() - start
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak = usage.ru_maxrss / 1024
        cpu = usage.ru_utime + usage.ru_stime  # the figure that does not depend on other load
        print(f"台账 export, {args.tasks} tasks: {elapsed:.1f} s wall, {cpu:.1f} s CPU, peak {peak:.0f} MiB, "
              f"{target.stat().st_size / 1e6:.1f} MB (targets < 30 s, < 300 MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

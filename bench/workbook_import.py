"""Workbook import throughput and peak memory.

    python bench/workbook_import.py [--rows 100000] [--store PATH_OR_DSN]

Writes a workbook of N rows (openpyxl write-only mode: each row a hazard found, graded
and, for two in three rows, assigned, rectified, verified and closed), imports it into a
fresh ledger (SQLite, or the empty PostgreSQL schema ``--store`` names) through
``WorkbookImporter`` (every row judged once, the events written once the last row has
passed), and prints one line of JSON: ``events_per_s`` (events recorded over the
import's wall time, reading and judging included), ``rows_per_s``,
``target_events_per_s`` and ``ratio_to_target``, ``cpu_us_per_event`` (this process's
CPU time per event: the figure to compare runs by on a busy machine; the PostgreSQL
server's own CPU is not in it) and the process's ``peak_rss_mib``. Figures are printed,
never asserted.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402

from api.workbook.columns import COLUMNS, SHEET  # noqa: E402
from api.workbook.importer import WorkbookImporter  # noqa: E402
from ledger.application import HazardLedger  # noqa: E402
from ledger.codes import make_credit_code  # noqa: E402
from ledger.identity import Actor, Role  # noqa: E402

TARGET_EVENTS_PER_S = 20_000  # issue #19: reading, judging and writing together


def write_workbook(path: Path, rows: int) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    headers = [c.header for c in COLUMNS]
    ws.append(headers)
    codes = [make_credit_code(f"9162082{i % 10}MA7{i:06d}0"[:17]) for i in range(500)]
    start = datetime(2025, 1, 1, 9, 0)
    for i in range(rows):
        found = start + timedelta(minutes=5 * i)
        row = {
            "隐患编号": f"B-{i:06d}",
            "统一社会信用代码": codes[i % len(codes)],
            "企业名称": f"基准企业{i % len(codes):03d}",
            "行政区划代码": f"62082{i % 10 if i % 10 in (1, 2, 3, 5, 6) else 6}",
            "主要负责人": "负责人",
            "行业领域": "城镇燃气",
            "隐患来源": "网格排查",
            "发现人": "检查员甲",
            "发现时间": found,
            "隐患部位": "后厨",
            "隐患描述": "燃气软管老化",
            "隐患等级": "一般",
        }
        if i % 3:
            row.update(
                {
                    "整改方式": "限期整改",
                    "责任部门": "县住建局",
                    "整改期限": found + timedelta(days=15),
                    "整改要求": "更换软管",
                    "整改措施": "已更换为金属波纹管",
                    "整改完成时间": found + timedelta(days=5),
                    "复查人": "复查员乙",
                    "复查时间": found + timedelta(days=6),
                    "复查结论": "通过",
                    "销号人": "复查员乙",
                    "销号时间": found + timedelta(days=6, hours=1),
                }
            )
        ws.append([row.get(h) for h in headers])
    wb.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--store", default="", help="SQLite path or PostgreSQL DSN (empty)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    book = tmp / "ledger.xlsx"
    t0 = time.perf_counter()
    write_workbook(book, args.rows)
    written = time.perf_counter() - t0
    store = args.store or str(tmp / "ledger.db")
    now = datetime(2026, 11, 1, tzinfo=UTC)
    ledger = HazardLedger(store, clock=lambda: now)
    importer = WorkbookImporter(ledger, Actor("bench", "基准", Role.ADMIN), book.name)
    t0, cpu0 = time.perf_counter(), time.process_time()
    report = importer.run(book)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    ledger.close()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert report.ok, report.problems[:5]
    events_per_s = report.events_recorded / elapsed
    print(
        f"workbook: {args.rows} rows, {book.stat().st_size / 1e6:.1f} MB, "
        f"written in {written:.1f}s",
        file=sys.stderr,
    )
    result = {
        "rows": args.rows,
        "events": report.events_recorded,
        "seconds": elapsed,
        "rows_per_s": args.rows / elapsed,
        "events_per_s": events_per_s,
        "target_events_per_s": TARGET_EVENTS_PER_S,
        "ratio_to_target": events_per_s / TARGET_EVENTS_PER_S,
        "target_met": events_per_s >= TARGET_EVENTS_PER_S,
        "cpu_us_per_event": 1e6 * cpu / report.events_recorded,
        "peak_rss_mib": peak_mib,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()

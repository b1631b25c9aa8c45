"""Turn ``bench/results/figures.json`` into ``README.md`` tables and a PNG plot.

    python bench/report.py [RESULTS_DIR]

Every ratio is computed here from figures measured in the same run of the suite; the
targets are the ones the ledger is held to (``docs/performance.md`` says why).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

STORES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def n(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def sizes_of(figures: dict[str, Any], kind: str) -> list[tuple[int, dict[str, Any]]]:
    found = figures.get(kind, {}).get("sizes", {})
    return sorted(((int(k), v) for k, v in found.items()), key=lambda kv: kv[0])


def get(d: dict[str, Any], *path: str) -> Any:
    for key in path:
        if not isinstance(d, dict) or key not in d:
            return None
        d = d[key]
    return d


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def targets(figures: dict[str, Any]) -> list[str]:
    rows = ["| target | store | measured | met |", "|---|---|---|---|"]

    def add(name: str, kind: str, text: str, ok: bool | None) -> None:
        mark = "–" if ok is None else ("yes" if ok else "**no**")
        rows.append(f"| {name} | {STORES[kind]} | {text} | {mark} |")

    for kind in STORES:
        if kind not in figures:
            continue
        compare = get(figures, kind, "write_compare")
        if compare:
            r = compare["time_ratio"]
            add("write, 1 command/tx, ≤ 1.5× bare eventsourcing time", kind, f"{r:.2f}×", r <= 1.5)
        bulk = get(figures, kind, "bulk_compare")
        if bulk:
            r = bulk["time_ratio"]
            add("write, bulk saves, ≤ 1.5× bare eventsourcing time", kind, f"{r:.2f}×", r <= 1.5)
        imported = get(figures, kind, "import")
        if imported and kind == "sqlite":
            v = imported["events_per_s"]
            add("bulk import ≥ 20,000 events/s", kind, f"{n(v)} events/s", v >= 20_000)
        for size, at in sizes_of(figures, kind):
            decode, rebuild = get(at, "decode", "seconds"), get(at, "rebuild", "seconds")
            if decode and rebuild:
                r = rebuild / decode
                add(
                    f"rebuild ≤ 3× read-and-decode time, {n(size)} events",
                    kind,
                    f"{r:.2f}×",
                    r <= 3,
                )
        for size, at in sizes_of(figures, kind):
            v = get(at, "verify", "events_per_s")
            if v:
                add(f"verify ≥ 200,000 events/s, {n(size)} events", kind, f"{n(v)}", v >= 200_000)
        timeline = [
            (s, get(at, "reads", "timeline", "p99_ms")) for s, at in sizes_of(figures, kind)
        ]
        timeline = [(s, v) for s, v in timeline if v is not None]
        if timeline:
            largest, p99 = timeline[-1]
            text = ", ".join(f"{n(s)}: {v:.2f} ms" for s, v in timeline)
            ok = p99 < 20 if kind == "postgres" and largest >= 10_000_000 else None
            add("case timeline p99 < 20 ms at 10M (PostgreSQL), flat", kind, text, ok)
        for row in get(figures, kind, "http") or []:
            r = row["read"]["rps"] / row["trivial"]["rps"]
            add(
                f"HTTP timeline ≥ 0.5× trivial req/s, {row['workers']} worker(s)",
                kind,
                f"{r:.2f}×",
                r >= 0.5,
            )
    return rows


def size_table(figures: dict[str, Any], kind: str) -> list[str]:
    rows = [
        "| events | grow events/s | decode events/s | rebuild events/s (÷ decode time) "
        "| verify events/s | write events/s (1 command/tx) | timeline p50 / p99 ms "
        "| as-of p50 / p99 ms | inclusion proof p50 / p99 ms | bundle bytes (events) "
        "| disk bytes/event |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for size, at in sizes_of(figures, kind):
        events = next(
            (at[s]["ledger_events"] for s in ("grow", "decode", "reads") if s in at), size
        )
        decode_s, rebuild_s = get(at, "decode", "seconds"), get(at, "rebuild", "seconds")
        rr = ratio(rebuild_s, decode_s)
        rows.append(
            f"| {n(events)} "
            f"| {n(get(at, 'grow', 'events_per_s'))} "
            f"| {n(get(at, 'decode', 'events_per_s'))} "
            f"| {n(get(at, 'rebuild', 'events_per_s'))} ({n(rr, 2)}×) "
            f"| {n(get(at, 'verify', 'events_per_s'))} "
            f"| {n(get(at, 'write', 'events_per_s'))} "
            f"| {n(get(at, 'reads', 'timeline', 'p50_ms'), 2)} / "
            f"{n(get(at, 'reads', 'timeline', 'p99_ms'), 2)} "
            f"| {n(get(at, 'reads', 'state_as_of', 'p50_ms'), 2)} / "
            f"{n(get(at, 'reads', 'state_as_of', 'p99_ms'), 2)} "
            f"| {n(get(at, 'proofs', 'inclusion_proof', 'p50_ms'), 2)} / "
            f"{n(get(at, 'proofs', 'inclusion_proof', 'p99_ms'), 2)} "
            f"| {n(get(at, 'proofs', 'bundle_bytes_median'))} "
            f"({n(get(at, 'proofs', 'bundle_events_median'))}) "
            f"| {n(get(at, 'disk', 'bytes_per_event'))} |"
        )
    return rows


def memory_table(figures: dict[str, Any], kind: str) -> list[str]:
    steps = ["grow", "decode", "rebuild", "verify", "proofs", "reads", "write"]
    rows = ["| events | " + " | ".join(steps) + " |", "|---" * (len(steps) + 1) + "|"]
    for size, at in sizes_of(figures, kind):
        cells = [n(get(at, s, "peak_rss_mib")) for s in steps]
        rows.append(f"| {n(size)} | " + " | ".join(cells) + " |")
    return rows


def baseline_table(figures: dict[str, Any]) -> list[str]:
    rows = [
        "| store | ledger, 1 command/tx | bare eventsourcing | raw insert, 1 row/tx "
        "| ledger ÷ bare time | ledger ÷ raw time | ledger, bulk saves | bare, bulk saves "
        "| bulk ÷ bare time | bulk import | export | raw inserts, 1,000 rows/tx "
        "| import ÷ raw time |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for kind, label in STORES.items():
        c, raw = get(figures, kind, "write_compare"), get(figures, kind, "raw")
        imp, exp = get(figures, kind, "import"), get(figures, kind, "export")
        if not (c or raw or imp):
            continue
        ledger = get(c or {}, "ledger_events_per_s")
        per_tx = get(raw or {}, "per_transaction_rows_per_s")
        batched = get(raw or {}, "batched_rows_per_s")
        imported = get(imp or {}, "events_per_s")
        bulk = get(figures, kind, "bulk_compare") or {}
        rows.append(
            f"| {label} | {n(ledger)} | {n(get(c or {}, 'bare_events_per_s'))} | {n(per_tx)} "
            f"| {n(get(c or {}, 'time_ratio'), 2)}× | {n(ratio(per_tx, ledger), 2)}× "
            f"| {n(get(bulk, 'ledger_events_per_s'))} | {n(get(bulk, 'bare_events_per_s'))} "
            f"| {n(get(bulk, 'time_ratio'), 2)}× "
            f"| {n(imported)} | {n(get(exp or {}, 'events_per_s'))} | {n(batched)} "
            f"| {n(ratio(batched, imported), 2)}× |"
        )
    return rows


def http_table(figures: dict[str, Any]) -> list[str]:
    rows = [
        "| store | workers | endpoint | req/s | p50 ms | p99 ms | ÷ trivial req/s "
        "| server peak RSS MiB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for kind, label in STORES.items():
        for row in get(figures, kind, "http") or []:
            for name, key in (
                ("trivial", "trivial"),
                ("timeline GET", "read"),
                ("report POST", "write"),
            ):
                r = row[key]
                rows.append(
                    f"| {label} | {row['workers']} | {name} | {n(r['rps'])} | {r['p50']:.2f} "
                    f"| {r['p99']:.2f} | {r['rps'] / row['trivial']['rps']:.2f} "
                    f"| {n(r.get('server_peak_rss_mib'))} |"
                )
    return rows


def plot(figures: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (cost, latency) = plt.subplots(1, 2, figsize=(12, 4.8))
    styles = {"sqlite": "-", "postgres": "--"}
    for kind, label in STORES.items():
        points = sizes_of(figures, kind)
        if not points:
            continue
        xs = [s for s, _ in points]
        for step, colour in (
            ("write", "C0"),
            ("decode", "C1"),
            ("rebuild", "C2"),
            ("verify", "C3"),
        ):
            ys = [get(at, step, "events_per_s") for _, at in points]
            pairs = [(x, 1e6 / y) for x, y in zip(xs, ys, strict=True) if y]
            if pairs:
                cost.plot(
                    *zip(*pairs, strict=True),
                    styles[kind],
                    color=colour,
                    marker="o",
                    label=f"{step} ({label})",
                )
        for path_, name, colour in (
            (("reads", "timeline", "p99_ms"), "timeline", "C4"),
            (("reads", "state_as_of", "p99_ms"), "state as of", "C5"),
            (("proofs", "inclusion_proof", "p99_ms"), "inclusion proof", "C6"),
        ):
            pairs = [(x, get(at, *path_)) for x, (_, at) in zip(xs, points, strict=True)]
            pairs = [(x, y) for x, y in pairs if y]
            if pairs:
                latency.plot(
                    *zip(*pairs, strict=True),
                    styles[kind],
                    color=colour,
                    marker="o",
                    label=f"{name} p99 ({label})",
                )
    for ax, unit, title in (
        (cost, "µs per event", "Cost per event as the ledger grows"),
        (latency, "ms (p99)", "Per-case read latency as the ledger grows"),
    ):
        ax.set(xscale="log", yscale="log", xlabel="events in the ledger", ylabel=unit, title=title)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(out: Path) -> Path:
    figures = json.loads((out / "figures.json").read_text())
    m = figures.get("machine", {})
    lines = [
        "# Benchmark figures",
        "",
        "Written by `python bench/suite.py report` from `figures.json`; measured by "
        "`python bench/suite.py run` (see `docs/performance.md` for the reading of them).",
        "",
        f"Machine: {m.get('cpus')} CPUs, {m.get('memory_gib')} GiB, Python {m.get('python')}, "
        f"eventsourcing {m.get('eventsourcing')}, {m.get('platform')}.",
        "",
        "## Targets",
        "",
        *targets(figures),
        "",
        "## Writes against the bare library and the storage engine",
        "",
        *baseline_table(figures),
        "",
    ]
    for kind, label in STORES.items():
        if not sizes_of(figures, kind):
            continue
        lines += [f"## {label}: each path as the ledger grows", "", *size_table(figures, kind), ""]
        lines += [f"Peak resident memory (MiB) of each step's process, {label}:", ""]
        lines += [*memory_table(figures, kind), ""]
    http = http_table(figures)
    if len(http) > 2:
        lines += ["## HTTP", "", *http, ""]
    lines += ["![cost against ledger size](cost-by-size.png)", ""]
    plot(figures, out / "cost-by-size.png")
    target = out / "README.md"
    target.write_text("\n".join(lines))
    print(f"wrote {target} and {out / 'cost-by-size.png'}")
    return target


if __name__ == "__main__":
    write_report(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "results")

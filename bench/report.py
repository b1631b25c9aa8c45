"""Turn ``bench/results/figures.json`` into ``README.md`` tables and a PNG plot.

    python bench/report.py [RESULTS_DIR]

Every ratio is computed here from figures measured in the same run of the suite; the
targets are the ones the ledger is held to (``docs/performance.md`` says why). Each
target is read from its step's figures (``figures.json``, per store), and a target
whose figures are missing is shown as "not measured":

- rebuild: ``sizes/<N>/rebuild``: ``ratio`` (median of ``ratios``), ``cpu_ratio``,
  ``peak_rss_mib`` (``bench/rebuild.py --rounds --json``);
- write: ``write_compare/time_ratio`` (the median of ``rounds``);
- group commit: ``http``: rows of ``workers`` with the report POSTs under ``write``
  (``rps``, ``p99``, ``connections`` or ``clients``);
- verify: ``sizes/10000000/verify/events_per_s`` (median of ``verify_runs``), the
  hashing limit as ``limit_events_per_s`` and ``ratio_to_limit``;
- import: ``import``: ``events_per_s`` with ``raw_batched_rows_per_s`` or
  ``import_to_raw_ratio`` (else ``raw/batched_rows_per_s``); ``workbook/events_per_s``;
- timeline: ``timeline`` (``bench/timeline_ratio.py``): rows with ``workers`` and
  ``ratio``, or keyed by the worker count; else the ``http`` rows one after the other.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

STORES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def n(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def sizes_of(figures: dict[str, Any], kind: str) -> list[tuple[int, dict[str, Any]]]:
    found = get(figures, kind, "sizes", default={})
    if not isinstance(found, dict):
        return []
    sized = ((int(k), v) for k, v in found.items() if k.isdigit() and isinstance(v, dict))
    return sorted(sized, key=lambda kv: kv[0])


def get(d: Any, *path: str, default: Any = None) -> Any:
    """``d[path[0]][path[1]]...``, or ``default`` where a key is missing: figures come
    from steps measured at different times by scripts that change."""
    for key in path:
        if not isinstance(d, dict) or key not in d:
            return default
        d = d[key]
    return d


# ---- the targets (issue #19), each beside what was measured ---------------------------

MIB_LIMIT = 512
REBUILD_RATIO = 2.0
WRITE_RATIO = 1.2
POSTS_PER_S = {"sqlite": 3_000, "postgres": 1_500}
POST_P99_MS = 50.0
POST_CLIENTS = 16
VERIFY_PER_S = {"sqlite": 500_000, "postgres": 300_000}
IMPORT_OF_RAW = 0.5
WORKBOOK_PER_S = 20_000
TIMELINE_OF_TRIVIAL = 0.5
MILLION, TEN_MILLION = 1_000_000, 10_000_000
NOT_MEASURED = "not measured"


@dataclass(frozen=True)
class Target:
    """One target of the ledger, on one store, beside the figure measured for it."""

    name: str
    kind: str
    measured: str | None  # None: nothing measured yet
    met: bool | None  # None with a figure: a row that informs, with no target of its own
    step: str  # the ``bench/suite.py run --only`` step that measures it
    score: float | None = None  # measured ÷ target, > 1 when met (for the plot)

    @property
    def verdict(self) -> str:
        if self.measured is None:
            return NOT_MEASURED
        return "–" if self.met is None else ("yes" if self.met else "**no**")


def at_size(figures: dict[str, Any], kind: str, size: int, *path: str) -> Any:
    return get(figures, kind, "sizes", str(size), *path)


def first_number(d: Any, *keys: str) -> float | None:
    """The first of ``keys`` that ``d`` holds as a number: steps measured by scripts
    that changed over time name the same figure differently."""
    for key in keys:
        value = get(d, *key.split("/"))
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return None


def rounds_note(d: Any) -> str:
    """How many interleaved rounds a ratio is the median of."""
    found = get(d, "rounds")
    count = len(found) if isinstance(found, list) else found if isinstance(found, int) else 0
    return f"median of {count}" if count > 1 else "1 round" if count else "1 run, not interleaved"


def rebuild_figures(at: Any) -> tuple[float | None, float | None, str]:
    """(rebuild ÷ decode time, peak MiB, how measured) of one size, in either shape: the
    interleaved rounds of ``bench/rebuild.py --rounds``, or older single runs."""
    rebuild = get(at, "rebuild")
    ratio = first_number(rebuild, "ratio")
    if ratio is None:
        ratio = ratio_of(get(at, "rebuild", "seconds"), get(at, "decode", "seconds"))
    how = rounds_note(rebuild)
    cpu = first_number(rebuild, "cpu_ratio")
    if cpu is not None:
        how += f"; CPU time {cpu:.2f}×"
    return ratio, first_number(rebuild, "peak_rss_mib"), how


def ratio_of(a: Any, b: Any) -> float | None:
    if isinstance(a, int | float) and isinstance(b, int | float) and b:
        return a / b
    return None


def http_rows(figures: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    found = get(figures, kind, "http")
    if isinstance(found, dict):
        found = found.get("rows")
    return [r for r in found or [] if isinstance(r, dict)]


def post_figures(row: dict[str, Any]) -> dict[str, Any] | None:
    """The concurrent report POSTs of one HTTP row (named ``write`` by http_bench)."""
    for key in ("group_commit", "write_concurrent", "write"):
        if isinstance(row.get(key), dict) and "rps" in row[key]:
            return dict(row[key])
    return None


def clients_of(row: dict[str, Any], post: dict[str, Any]) -> int | None:
    for value in (post.get("connections"), post.get("clients"), row.get("clients")):
        if isinstance(value, int):
            return value
    return None


def rebuild_targets(figures: dict[str, Any], kind: str) -> list[Target]:
    rows = []
    for size in (MILLION, TEN_MILLION):
        ratio, _, how = rebuild_figures(at_size(figures, kind, size))
        rows.append(
            Target(
                f"rebuild ≤ {REBUILD_RATIO:g}× read-and-decode time, {n(size)} events",
                kind,
                None if ratio is None else f"{ratio:.2f}× ({how})",
                None if ratio is None else ratio <= REBUILD_RATIO,
                "rebuild",
                None if ratio is None else REBUILD_RATIO / ratio,
            )
        )
    _, peak, _ = rebuild_figures(at_size(figures, kind, TEN_MILLION))
    rows.insert(
        0,
        Target(
            f"rebuild peak memory ≤ {MIB_LIMIT} MiB, {n(TEN_MILLION)} events",
            kind,
            None if peak is None else f"{n(peak)} MiB",
            None if peak is None else peak <= MIB_LIMIT,
            "rebuild",
            None if peak is None else MIB_LIMIT / peak,
        ),
    )
    return rows


def write_target(figures: dict[str, Any], kind: str) -> Target:
    compare = get(figures, kind, "write_compare")
    ratio = first_number(compare, "time_ratio_median", "time_ratio")
    text = None
    if ratio is not None:
        found = get(compare, "rounds")
        each = [r.get("time_ratio") if isinstance(r, dict) else r for r in found or []]
        detail = ", ".join(f"{r:.2f}" for r in each if isinstance(r, int | float))
        text = f"{ratio:.2f}× ({rounds_note(compare)}{': ' + detail if detail else ''})"
    return Target(
        f"write ≤ {WRITE_RATIO:g}× the bare library's time per command",
        kind,
        text,
        None if ratio is None else ratio <= WRITE_RATIO,
        "write_compare",
        None if ratio is None else WRITE_RATIO / ratio,
    )


def group_commit_target(figures: dict[str, Any], kind: str) -> Target:
    goal = POSTS_PER_S[kind]
    best: tuple[float, str, bool] | None = None
    for row in http_rows(figures, kind):
        post, workers = post_figures(row), row.get("workers")
        if post is None or not isinstance(workers, int) or workers > 2:
            continue
        clients = clients_of(row, post)
        ok = post["rps"] >= goal and post.get("p99", 1e9) <= POST_P99_MS
        ok = ok and clients in (None, POST_CLIENTS)
        text = f"{n(post['rps'])}/s, p99 {n(post.get('p99'), 1)} ms, {workers} worker(s)" + (
            f", {clients} clients" if clients is not None else ", clients not recorded"
        )
        runs = post.get("runs")
        if isinstance(runs, list) and len(runs) > 1:
            text += (
                f" (the run of median rate of {len(runs)}: "
                + ", ".join(f"{n(r['rps'])}/s" for r in runs if isinstance(r, dict) and "rps" in r)
                + ")"
            )
        if best is None or post["rps"] > best[0]:
            best = (post["rps"], text, ok)
    return Target(
        f"report POSTs ≥ {n(goal)}/s, {POST_CLIENTS} clients, ≤ 2 workers, "
        f"p99 ≤ {POST_P99_MS:g} ms (group commit)",
        kind,
        None if best is None else best[1],
        None if best is None else best[2],
        "http",
        None if best is None else best[0] / goal,
    )


def verify_note(verify: Any) -> str:
    runs = get(verify, "verify_runs")
    if isinstance(runs, list) and len(runs) > 1:
        return f"median of {len(runs)}, alternating with the hashing limit"
    return "1 run"


def verify_targets(figures: dict[str, Any], kind: str) -> list[Target]:
    goal = VERIFY_PER_S[kind]
    verify = at_size(figures, kind, TEN_MILLION, "verify")
    rate = first_number(verify, "events_per_s")
    limit = first_number(
        verify,
        "limit_events_per_s",
        "hashing_limit_events_per_s",
        "hash_limit_events_per_s",
        "baseline_events_per_s",
        "scan_events_per_s",
        "hashing_limit/events_per_s",
        "baseline/events_per_s",
    )
    of_limit = first_number(verify, "ratio_to_limit")
    if of_limit is None:
        of_limit = ratio_of(rate, limit)
    return [
        Target(
            f"verify ≥ {n(goal)} events/s, {n(TEN_MILLION)} events",
            kind,
            None if rate is None else f"{n(rate)} events/s ({verify_note(verify)})",
            None if rate is None else rate >= goal,
            "verify",
            None if rate is None else rate / goal,
        ),
        Target(
            f"verify ÷ hashing limit (a plain scan hashing the same rows), {n(TEN_MILLION)} events",
            kind,
            None
            if of_limit is None
            else f"{of_limit:.2f}×" + (f" of {n(limit)} events/s" if limit else ""),
            None,
            "verify",
        ),
    ]


def import_targets(figures: dict[str, Any], kind: str) -> list[Target]:
    imported = get(figures, kind, "import")
    rate = first_number(imported, "events_per_s")
    raw = first_number(imported, "raw_batched_rows_per_s") or first_number(
        get(figures, kind, "raw"), "batched_rows_per_s"
    )
    share = first_number(imported, "import_to_raw_ratio") or ratio_of(rate, raw)
    samples = get(imported, "import_samples")
    how = (
        f"median of {len(samples)}, alternating with raw inserts"
        if isinstance(samples, list) and len(samples) > 1
        else "1 run, not interleaved"
    )
    workbook = first_number(get(figures, kind, "workbook"), "events_per_s")
    return [
        Target(
            f"import-ledger ≥ {IMPORT_OF_RAW:.0%} of raw batched inserts",
            kind,
            None
            if share is None
            else f"{share:.0%} ({n(rate)} events/s, raw {n(raw)} rows/s; {how})",
            None if share is None else share >= IMPORT_OF_RAW,
            "transfer",
            None if share is None else share / IMPORT_OF_RAW,
        ),
        Target(
            f"workbook import ≥ {n(WORKBOOK_PER_S)} events/s",
            kind,
            None if workbook is None else f"{n(workbook)} events/s",
            None if workbook is None else workbook >= WORKBOOK_PER_S,
            "workbook",
            None if workbook is None else workbook / WORKBOOK_PER_S,
        ),
    ]


def interleaved_timeline(node: Any, workers: int) -> tuple[float | None, str]:
    """The median timeline ÷ trivial ratio at ``workers`` from ``bench/timeline_ratio.py``
    (rows per worker count, as a list or keyed by the count), and how it was measured."""
    entry: Any = get(node, str(workers)) or get(node, "workers", str(workers))
    if isinstance(node, dict):
        node = node.get("rows", node.get("runs"))
    for row in node if isinstance(node, list) else []:
        if isinstance(row, dict) and row.get("workers") == workers:
            entry = row
    ratio = first_number(entry, "ratio", "median_ratio", "timeline_ratio", "median")
    return ratio, rounds_note(entry if isinstance(entry, dict) else {})


def timeline_target(figures: dict[str, Any]) -> Target:
    ratio, how = interleaved_timeline(get(figures, "postgres", "timeline"), 1)
    if ratio is None:
        for row in http_rows(figures, "postgres"):
            if row.get("workers") == 1:
                ratio = ratio_of(get(row, "read", "rps"), get(row, "trivial", "rps"))
                how = "http step, runs one after the other"
    return Target(
        f"timeline GET ≥ {TIMELINE_OF_TRIVIAL:g}× the trivial endpoint's req/s, 1 worker",
        "postgres",
        None if ratio is None else f"{ratio:.2f}× ({how})",
        None if ratio is None else ratio >= TIMELINE_OF_TRIVIAL,
        "timeline",
        None if ratio is None else ratio / TIMELINE_OF_TRIVIAL,
    )


def target_list(figures: dict[str, Any]) -> list[Target]:
    """Every target on every store, measured or not (never silently left out)."""
    found: list[Target] = []
    for kind in STORES:
        found += rebuild_targets(figures, kind)
        found.append(write_target(figures, kind))
        found.append(group_commit_target(figures, kind))
        found += verify_targets(figures, kind)
        found += import_targets(figures, kind)
    found.append(timeline_target(figures))
    return found


def targets(figures: dict[str, Any]) -> list[str]:
    rows = ["| target | store | measured | met | step |", "|---|---|---|---|---|"]
    for t in target_list(figures):
        rows.append(
            f"| {t.name} | {STORES[t.kind]} | {t.measured or NOT_MEASURED} | {t.verdict} "
            f"| `{t.step}` |"
        )
    return rows


def print_targets(figures: dict[str, Any]) -> None:
    """The targets as a plain table on stdout."""
    table = [("target", "store", "measured", "met")]
    for t in target_list(figures):
        table.append(
            (t.name, STORES[t.kind], t.measured or NOT_MEASURED, t.verdict.replace("*", ""))
        )
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    for i, row in enumerate(table):
        print(" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if i == 0:
            print("-+-".join("-" * w for w in widths))
    if figures.get("label"):
        print(f"(figures labelled: {figures['label']})")


def decode_rate(at: Any) -> float | None:
    return first_number(at, "rebuild/decode_events_per_s", "decode/events_per_s")


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
            (
                at[s]["ledger_events"]
                for s in ("grow", "rebuild", "decode", "reads", "verify")
                if isinstance(get(at, s, "ledger_events"), int)
            ),
            size,
        )
        rr, _, _ = rebuild_figures(at)
        rows.append(
            f"| {n(events)} "
            f"| {n(get(at, 'grow', 'events_per_s'))} "
            f"| {n(decode_rate(at))} "
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


def rebuild_table(figures: dict[str, Any], kind: str) -> list[str]:
    """Each interleaved round of decode and rebuild, where they were measured so."""
    rows = [
        "| events | round | decode s | rebuild s | rebuild ÷ decode | ÷ in CPU time "
        "| rebuild peak MiB | decode peak MiB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for size, at in sizes_of(figures, kind):
        rebuild = get(at, "rebuild", default={})
        decodes, rebuilds = get(rebuild, "decode_seconds"), get(rebuild, "seconds")
        if not isinstance(decodes, list) or not isinstance(rebuilds, list):
            continue
        cpu = get(rebuild, "cpu_ratios", default=[])
        for i, (d, r) in enumerate(zip(decodes, rebuilds, strict=False)):
            rows.append(
                f"| {n(rebuild.get('events', size))} | {i + 1} | {n(d, 1)} | {n(r, 1)} "
                f"| {n(ratio_of(r, d), 2)}× | {n(cpu[i] if i < len(cpu) else None, 2)}× "
                f"| {n(rebuild.get('peak_rss_mib'))} (highest) "
                f"| {n(rebuild.get('decode_peak_rss_mib'))} (highest) |"
            )
    return rows if len(rows) > 2 else []


def memory_table(figures: dict[str, Any], kind: str) -> list[str]:
    steps = ["grow", "decode", "rebuild", "verify", "proofs", "reads", "write"]
    rows = ["| events | " + " | ".join(steps) + " |", "|---" * (len(steps) + 1) + "|"]
    for size, at in sizes_of(figures, kind):
        cells = [
            n(
                first_number(at, "rebuild/decode_peak_rss_mib", "decode/peak_rss_mib")
                if s == "decode"
                else get(at, s, "peak_rss_mib")
            )
            for s in steps
        ]
        rows.append(f"| {n(size)} | " + " | ".join(cells) + " |")
    return rows


def baseline_table(figures: dict[str, Any]) -> list[str]:
    rows = [
        "| store | ledger, 1 command/tx | bare eventsourcing | raw insert, 1 row/tx "
        "| ledger ÷ bare time | ledger ÷ raw time | ledger, bulk saves | bare, bulk saves "
        "| bulk ÷ bare time | bulk import | export | raw inserts, 1,000 rows/tx "
        "| import ÷ raw time | workbook import events/s (rows/s) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for kind, label in STORES.items():
        c, raw = get(figures, kind, "write_compare"), get(figures, kind, "raw")
        imp, exp = get(figures, kind, "import"), get(figures, kind, "export")
        book, bulk = get(figures, kind, "workbook"), get(figures, kind, "bulk_compare")
        if not (c or raw or imp or book or bulk):
            continue
        ledger = get(c, "ledger_events_per_s")
        per_tx = get(raw, "per_transaction_rows_per_s")
        batched = first_number(imp, "raw_batched_rows_per_s") or get(raw, "batched_rows_per_s")
        imported = get(imp, "events_per_s")
        rows.append(
            f"| {label} | {n(ledger)} | {n(get(c, 'bare_events_per_s'))} | {n(per_tx)} "
            f"| {n(get(c, 'time_ratio'), 2)}× | {n(ratio_of(per_tx, ledger), 2)}× "
            f"| {n(get(bulk, 'ledger_events_per_s'))} | {n(get(bulk, 'bare_events_per_s'))} "
            f"| {n(get(bulk, 'time_ratio'), 2)}× "
            f"| {n(imported)} | {n(get(exp, 'events_per_s'))} | {n(batched)} "
            f"| {n(ratio_of(batched, imported), 2)}× "
            f"| {n(get(book, 'events_per_s'))} ({n(get(book, 'rows_per_s'))}) |"
        )
    return rows


def http_table(figures: dict[str, Any]) -> list[str]:
    rows = [
        "| store | workers | endpoint | clients | req/s | p50 ms | p99 ms | ÷ trivial req/s "
        "| server peak RSS MiB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for kind, label in STORES.items():
        for row in http_rows(figures, kind):
            trivial = get(row, "trivial", "rps")
            for key, r in row.items():
                if not isinstance(r, dict) or "rps" not in r:
                    continue
                name = {"read": "timeline GET", "write": "report POST"}.get(key, key)
                clients = r.get("connections", r.get("clients"))
                rows.append(
                    f"| {label} | {row.get('workers', '–')} | {name} | {n(clients)} "
                    f"| {n(r['rps'])} | {n(r.get('p50'), 2)} | {n(r.get('p99'), 2)} "
                    f"| {n(ratio_of(r['rps'], trivial), 2)} "
                    f"| {n(r.get('server_peak_rss_mib'))} |"
                )
    return rows


def plot(figures: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    goals = target_list(figures)
    height = 0.26 * len(goals) + 1.0
    fig = plt.figure(figsize=(12, 4.8 + height), layout="constrained")
    rows = fig.add_gridspec(2, 1, height_ratios=[4.8, height])
    top, bottom = fig.add_subfigure(rows[0]), fig.add_subfigure(rows[1])
    cost, latency = top.subplots(1, 2)
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
            if step == "decode":
                ys = [decode_rate(at) for _, at in points]
            else:
                ys = [first_number(at, f"{step}/events_per_s") for _, at in points]
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
        if ax.lines:
            ax.legend(fontsize=7)
    plot_targets(bottom.subplots(), goals)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_targets(ax: Any, goals: list[Target]) -> None:
    """Each target as a bar: how far the measured figure is from it (right of 1: met)."""
    scored = [t.score for t in goals if t.score]
    low = min([0.5, *scored]) / 1.5
    high = max([2.0, *scored]) * 1.5
    for y, t in enumerate(goals):
        if t.score:
            # The verdict, not the score: a rate met with its p99 missed is not met.
            colour = "C2" if t.met else "C3"
            ax.barh(y, t.score - low, left=low, color=colour, height=0.6)
            ax.text(t.score * 1.03, y, t.measured or "", va="center", fontsize=7)
        elif t.measured:
            ax.text(low * 1.05, y, t.measured, va="center", fontsize=7, color="0.3")
        else:
            ax.text(low * 1.05, y, NOT_MEASURED, va="center", fontsize=7, color="C1")
    ax.axvline(1, color="black", linewidth=1)
    ax.set(
        xscale="log",
        xlim=(low, high),
        ylim=(len(goals) - 0.5, -0.5),
        yticks=range(len(goals)),
        xlabel="measured ÷ target (right of the line: met)",
        title="Targets (issue #19)",
    )
    ax.set_yticklabels([f"{t.name} ({STORES[t.kind]})" for t in goals], fontsize=7)
    ax.grid(True, axis="x", which="both", alpha=0.3)


def write_report(out: Path) -> Path:
    figures = json.loads((out / "figures.json").read_text())
    m = figures.get("machine", {})
    loads = sorted(load_averages(figures))
    lines = [
        "# Benchmark figures",
        "",
        "Written by `python bench/suite.py report` from `figures.json`; measured by "
        "`python bench/suite.py run` (see `docs/performance.md` for the reading of them).",
        "",
        f"Machine: {m.get('cpus')} CPUs, {m.get('memory_gib')} GiB, Python {m.get('python')}, "
        f"eventsourcing {m.get('eventsourcing')}, {m.get('platform')}."
        + (
            f" Load average (1 min) when the steps started: {loads[0]:.1f}–{loads[-1]:.1f}."
            if loads
            else ""
        ),
        "",
    ]
    if figures.get("label"):
        lines += [f"**These figures are labelled: {figures['label']}**", ""]
    lines += [
        "## Targets",
        "",
        "Ratios are measured A/B in one run, interleaved, the median of the rounds "
        "(`--rounds`); `step` is what `python bench/suite.py run --only STEP` measures "
        "again. A target with no figure says so.",
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
        rounds = rebuild_table(figures, kind)
        if rounds:
            lines += [f"Rebuild and read-and-decode, alternating rounds, {label}:", ""]
            lines += [*rounds, ""]
        lines += [f"Peak resident memory (MiB) of each step's process, {label}:", ""]
        lines += [*memory_table(figures, kind), ""]
    http = http_table(figures)
    if len(http) > 2:
        lines += ["## HTTP", "", *http, ""]
    lines += ["![cost against ledger size, and the targets](cost-by-size.png)", ""]
    plot(figures, out / "cost-by-size.png")
    target = out / "README.md"
    target.write_text("\n".join(lines))
    print(f"wrote {target} and {out / 'cost-by-size.png'}\n")
    print_targets(figures)
    return target


def load_averages(figures: Any) -> list[float]:
    """Every step's ``load_before``: how busy the machine was when it was measured."""
    if isinstance(figures, dict):
        found = [float(v) for k, v in figures.items() if k == "load_before" and v is not None]
        return found + [x for v in figures.values() for x in load_averages(v)]
    if isinstance(figures, list):
        return [x for v in figures for x in load_averages(v)]
    return []


if __name__ == "__main__":
    write_report(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "results")

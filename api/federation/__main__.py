"""``python -m api.federation``: run the national feed.

    python -m api.federation --national postgresql://nation/db \\
        --province 62=postgresql://gansu-replica/ledger?schema=prov_62 \\
        --province 44=postgresql://guangdong-replica/ledger?schema=prov_44 [--once] [--lang en]

Each ``--province CODE=DSN`` names a province by its two-digit code and the DSN of its
streaming replica (its primary where it has none). Every pass prints, per province, the
events fed, their rate and the distance to that province's log. ``--once`` stops after
the first pass (a cron job); otherwise it follows until interrupted.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from types import FrameType

from api.composition import load_configured_sectors, read_models

from .feeder import FeedFigures, NationalFeed, Province
from .national import NationalStore

LINE = {
    "zh": "省份 {p}：接入事件 {n} 条，{rate:,.0f} 条/秒，落后 {lag} 条",
    "en": "province {p}: {n} events fed, {rate:,.0f} events/s, {lag} events behind",
}


def _province(text: str) -> Province:
    code, sep, dsn = text.partition("=")
    if not sep or not dsn:
        raise argparse.ArgumentTypeError(
            f"应为 代码=地址，如 62=postgresql://… / expected CODE=DSN, got {text!r}"
        )
    try:
        return Province(code, dsn)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def describe(figures: FeedFigures, lang: str) -> str:
    return LINE[lang].format(
        p=figures.province, n=figures.events, rate=figures.events_per_second, lag=figures.lag_events
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m api.federation", description=__doc__)
    parser.add_argument("--national", required=True, help="DSN of the national database")
    parser.add_argument("--province", type=_province, action="append", required=True)
    parser.add_argument(
        "--schema-prefix", default="", help="before every national schema name (shared databases)"
    )
    parser.add_argument("--plugins", help="comma-separated sector plugins (default: all)")
    parser.add_argument("--once", action="store_true", help="one pass, then stop")
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between idle passes")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    args = parser.parse_args(argv)
    plugins = args.plugins.split(",") if args.plugins else None
    feed = NationalFeed(
        NationalStore(args.national, prefix=args.schema_prefix),
        args.province,
        read_models(load_configured_sectors(plugins)),
    )
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while True:
            passed = feed.feed_once()
            for figures in passed:
                if figures.events or args.once:
                    print(describe(figures, args.lang), flush=True)
            if args.once or stopping:
                return 0
            if not any(f.events for f in passed):
                time.sleep(args.interval)  # a standby cannot LISTEN: poll
    finally:
        feed.close()


if __name__ == "__main__":
    sys.exit(main())

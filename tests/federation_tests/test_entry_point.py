"""``python -m api.federation``: one pass of the feed from the command line."""

from __future__ import annotations

import pytest

from api.composition import Ledger
from api.federation.__main__ import main
from ledger.scope import Scope
from tests.conftest import FakeClock, postgres_dsn
from tests.support import register_restaurant

from .test_national_register import national_case_ids, report_case

pytestmark = pytest.mark.postgres


def test_one_pass_feeds_the_province_and_says_so(
    provinces: dict[str, Ledger],
    province_urls: dict[str, str],
    run_prefix: str,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from api.federation import NationalStore

    register_restaurant(provinces["62"].ledger, clock.now)
    case = report_case(provinces["62"].ledger, clock.now)
    dsn = postgres_dsn()
    assert dsn is not None
    argv = ["--national", dsn, "--schema-prefix", run_prefix, "--once", "--lang", "en"]
    assert main([*argv, "--province", f"62={province_urls['62']}"]) == 0
    assert capsys.readouterr().out.startswith("province 62: 2 events fed")
    national = NationalStore(dsn, prefix=run_prefix)
    assert national_case_ids(national, Scope.everything()) == {str(case)}


def test_a_province_is_named_by_two_digits(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--national", "postgresql://x/y", "--province", "gansu=postgresql://x/y"])
    assert "a province code is two digits" in capsys.readouterr().err

"""What people read — CLI output, exported workbooks, ``GET /labels`` — names codes
through the catalogue: no internal code where a person reads."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from typer.testing import CliRunner

from api.app import Settings, create_app
from api.cli import app as cli
from ledger.application import HazardLedger
from ledger.enforcement import ActionKind
from ledger.hazard import Grade, ListingLevel, Source, Status
from ledger.identity import Role
from plugins import Sectors
from tests.conftest import FakeClock
from tests.label_tests.test_catalogue import event_type_names
from tests.support import ENTERPRISE_USER, INSPECTOR, PLAN, RESTAURANT_CODE, register_restaurant

runner = CliRunner()
PLUGINS = "chemicals,city_gas,construction,fire,special_equipment"
AT = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)


def internal_codes(sectors: Sectors) -> set[str]:
    """Codes no person should read: sectors, statuses, grades, sources, listing levels,
    enforcement kinds, roles and event type names."""
    codes: set[str] = set(sectors.specs) | event_type_names()
    for enum in (Status, Grade, Source, ListingLevel, ActionKind, Role):
        codes |= {m.value for m in enum}
    return codes


def leaked(text: str, codes: set[str]) -> list[str]:
    return sorted(c for c in codes if re.search(rf"(?<![A-Za-z0-9_]){c}(?![A-Za-z0-9_])", text))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, UUID]]:
    """A small ledger: a major city-gas case reported, graded, planned, assigned and
    reported rectified, and a penalty, with the read models built."""
    path = str(tmp_path_factory.mktemp("labels") / "ledger.db")
    clock = FakeClock(AT + timedelta(minutes=5))
    app = HazardLedger(path, sectors=Sectors.load(load_entry_points=False), clock=clock)
    register_restaurant(app, AT)
    case_id = app.report_hazard(
        INSPECTOR,
        AT,
        enterprise_code=RESTAURANT_CODE,
        sector="city_gas",
        location="后厨",
        description="燃气软管穿墙敷设",
        source="grid_patrol",
        details={"premises": "restaurant", "leak_alarm_installed": False},
    )
    app.grade_hazard(INSPECTOR, AT, case_id, grade="major", criteria=["GAS-06"])
    app.file_plan(ENTERPRISE_USER, AT, case_id, plan=PLAN)
    app.assign_rectification(
        INSPECTOR,
        AT,
        case_id,
        department="县住建局",
        deadline=AT + timedelta(days=15),
        requirements="改金属管",
    )
    clock.advance(days=2)
    app.report_rectification(
        ENTERPRISE_USER,
        AT + timedelta(days=2),
        case_id,
        measures="更换金属管道",
        completed_at=AT + timedelta(days=2),
    )
    app.close()
    result = runner.invoke(cli, ["--plugins", PLUGINS, "--store", path, "project"])
    assert result.exit_code == 0, result.output
    yield path, case_id


def run(store: str, *args: str) -> str:
    result = runner.invoke(cli, ["--plugins", PLUGINS, "--store", store, *args])
    assert result.exit_code == 0, result.output
    return result.output


COMMANDS: dict[str, Callable[[str], list[str]]] = {
    "case show": lambda case: ["case", "show", case],
    "case history": lambda case: ["case", "history", case],
    "register": lambda case: ["register"],
    "report monthly": lambda case: [
        "report",
        "monthly",
        "--region",
        "6208",
        "--month",
        "2025-03",
        "--valid-at",
        "2025-03-20T00:00:00+08:00",
    ],
    "report ranking": lambda case: [
        "report",
        "ranking",
        "--region",
        "6208",
        "--month",
        "2025-03",
        "--by",
        "department",
    ],
    "enterprise show": lambda case: ["enterprise", "show", RESTAURANT_CODE],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_cli_output_names_no_internal_code(command: str, store: tuple[str, UUID]) -> None:
    path, case_id = store
    output = run(path, *COMMANDS[command](str(case_id)))
    codes = internal_codes(Sectors.load(load_entry_points=False))
    assert not leaked(output, codes), (leaked(output, codes), output)
    assert re.search(r"[\u4e00-\u9fff]", output)


def test_cli_shows_times_in_beijing_time_to_the_minute(store: tuple[str, UUID]) -> None:
    path, case_id = store
    output = run(path, "case", "show", str(case_id))
    assert "发现时间：2025-03-01 10:00" in output  # 02:00 UTC
    assert "+00:00" not in output and ".000" not in output
    monthly = run(path, *COMMANDS["report monthly"](""))
    assert "整改率：0.0%" in monthly


def test_cli_english_comes_from_the_same_catalogue(store: tuple[str, UUID]) -> None:
    path, case_id = store
    result = runner.invoke(
        cli, ["--plugins", PLUGINS, "--store", path, "--lang", "en", "case", "show", str(case_id)]
    )
    assert result.exit_code == 0, result.output
    assert "status: awaiting verification" in result.output
    assert "sector: City gas" in result.output


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_exported_register_names_no_internal_code(
    suffix: str, store: tuple[str, UUID], tmp_path: Path
) -> None:
    path, _ = store
    out = tmp_path / f"register{suffix}"
    run(path, "export", "register", str(out))
    if suffix == ".csv":
        text = out.read_text(encoding="utf-8-sig")
    else:
        sheet = load_workbook(out).active
        assert sheet is not None
        text = "\n".join(
            " ".join("" if v is None else str(v) for v in row)
            for row in sheet.iter_rows(values_only=True)
        )
    codes = internal_codes(Sectors.load(load_entry_points=False))
    assert not leaked(text, codes), (leaked(text, codes), text)
    assert "城镇燃气" in text and "待复查" in text and "重大" in text


def test_labels_route_serves_the_catalogue_cacheably(tmp_path: Path) -> None:
    store = str(tmp_path / "ledger.db")
    ledger = HazardLedger(store, sectors=Sectors.load(load_entry_points=False))
    app = create_app(Settings(store=store, follow=False), ledger=ledger)
    with TestClient(app) as client:
        zh = client.get("/labels")
        assert zh.status_code == 200
        body = zh.json()
        assert body["lang"] == "zh"
        assert body["labels"]["sector"]["city_gas"] == "城镇燃气"
        assert body["labels"]["status"]["rectification_reported"] == "待复查"
        assert "max-age" in zh.headers["cache-control"]
        again = client.get("/labels", headers={"If-None-Match": zh.headers["etag"]})
        assert again.status_code == 304
        en = client.get("/labels?lang=en")
        assert en.json()["labels"]["sector"]["city_gas"] == "City gas"
        assert en.headers["etag"] != zh.headers["etag"]
        assert client.get("/labels?lang=fr").status_code in (400, 422)
    ledger.close()

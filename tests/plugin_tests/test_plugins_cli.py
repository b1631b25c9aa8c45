"""``ledger plugins``: what is loaded, in both languages, and a clear refusal."""

from __future__ import annotations

import orjson
from typer.testing import CliRunner

from api.cli import app as cli

BUILTIN = ["chemicals", "city_gas", "construction", "fire", "special_equipment"]


def test_lists_built_in_sectors_with_hooks_and_editions() -> None:
    result = CliRunner().invoke(cli, ["--plugins", ",".join(BUILTIN), "plugins"])
    assert result.exit_code == 0, result.output
    assert "特种设备" in result.stdout and "GB 45067-2024" in result.stdout
    assert "判定标准 47 条" in result.stdout
    assert "组合规则 4 条（涉及 14 项要素）" in result.stdout
    english = CliRunner().invoke(cli, ["--lang", "en", "--plugins", "fire", "plugins"])
    assert "sector: Fire safety · department: Fire and rescue service" in english.stdout
    assert "criteria" in english.stdout


def test_json_describes_each_catalogue() -> None:
    result = CliRunner().invoke(cli, ["--json", "--plugins", ",".join(BUILTIN), "plugins"])
    body = orjson.loads(result.stdout)
    assert [p["name"] for p in body["plugins"]] == BUILTIN
    counts = {
        (s["code"], c["document"]): c["count"] for s in body["sectors"] for c in s["catalogues"]
    }
    assert counts[("construction", "房屋市政工程生产安全重大事故隐患判定标准（2024版）")] == 53
    assert counts[("city_gas", "城镇燃气经营安全重大隐患判定标准")] == 22
    assert sum(n for (code, _), n in counts.items() if code == "chemicals") == 40


def test_an_unknown_plugin_name_is_refused_by_name() -> None:
    result = CliRunner().invoke(cli, ["--plugins", "fire,no_such_sector", "plugins"])
    assert result.exit_code == 5
    assert "no_such_sector" in result.stderr and "未找到" in result.stderr

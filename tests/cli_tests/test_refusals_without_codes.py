"""A refused command prints, in Chinese by default and in English with ``--lang en``, what
was wrong in words: no line shows a field's code (``enterprise_code: …``,
``known_at``), while ``--json`` still gives programs the field's path."""

from __future__ import annotations

import sys
from pathlib import Path

import orjson
import pytest

from api.cli import main
from tests.core_tests.test_no_codes_in_messages import SNAKE

USAGE = ("用法：", "Usage:")
NO_CASE = "00000000-0000-0000-0000-000000000000"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    old = sys.argv
    sys.argv = ["ledger", "--plugins", "city_gas", *args]
    try:
        with pytest.raises(SystemExit) as exited:
            main()
    finally:
        sys.argv = old
    captured = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 1), captured.out, captured.err


@pytest.fixture
def store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    url = str(tmp_path / "ledger.db")
    assert run(capsys, "--store", url, "init")[0] == 0
    assert run(capsys, "--store", url, "users", "add", "zhang", "--name", "张建国", "--role",
               "inspector")[0] == 0  # fmt: skip
    return url


#: Refused commands, the words each must print in Chinese and English, and the field
#: ``--json`` names (None: not a broken rule of the ledger but a bad option value).
REFUSED: list[tuple[list[str], str, str, str | None]] = [
    (
        ["users", "add", "wang", "--name", "王芳", "--role", "enterprise"],
        "企业用户必须绑定统一社会信用代码",
        "an enterprise user is bound to its credit code",
        "enterprise_code",
    ),
    (
        ["users", "add", "zhang", "--name", "张建国", "--role", "inspector"],
        "用户“zhang”已存在",
        "user 'zhang' already exists",
        "username",
    ),
    (["users", "revoke", "nobody"], "用户“nobody”不存在", "no user 'nobody'", "username"),
    (
        ["case", "show", NO_CASE, "--known-at", "1900-01-01T00:00"],
        "须在 1949-10-01 至 2100-01-01 之间",
        "must lie between 1949-10-01 and 2100-01-01",
        None,
    ),
]


@pytest.mark.parametrize(("args", "zh", "en", "field"), REFUSED)
def test_a_refusal_is_printed_without_codes(
    capsys: pytest.CaptureFixture[str],
    store: str,
    args: list[str],
    zh: str,
    en: str,
    field: str | None,
) -> None:
    for lang, words in (("zh", zh), ("en", en)):
        code, out, err = run(capsys, "--store", store, "--lang", lang, *args)
        assert code == 2, out + err
        assert words in err, err
        # the usage line under a bad option value is the command's syntax ({case_id})
        said = [line for line in (out + err).splitlines() if not line.startswith(USAGE)]
        codes = SNAKE.findall("\n".join(said))
        assert not codes, f"({lang}) shows {codes}:\n{out + err}"
        assert field is None or field not in out + err, f"({lang}) shows {field}:\n{err}"
    if field is not None:
        code, out, _ = run(capsys, "--store", store, "--json", *args)
        assert code == 2
        (violation,) = orjson.loads(out)["violations"]
        assert violation["field"] == field and violation["message_zh"] == zh

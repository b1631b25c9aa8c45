"""A mistyped command line is told in Chinese by default, in English with ``--lang en``,
naming what was wrong and where the help is; never click's English on a Chinese screen
and never a traceback."""

from __future__ import annotations

import contextlib
import io
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    old = sys.argv
    sys.argv = ["ledger", "--plugins", "city_gas,fire", *args]
    try:
        with pytest.raises(SystemExit) as exited:
            main()
    finally:
        sys.argv = old
    captured = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 1), captured.out + captured.err


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (["verify", "--bogus"], "错误：没有这个选项：--bogus", "No such option: --bogus"),
        (["verif"], "没有这个命令：verif（是否想用：verify）", "No such command 'verif'"),
        (["verify", "extra"], "多余的参数：extra", "unexpected extra argument"),
        (["case", "show"], "缺少参数：case_id", "Missing argument 'case_id'"),
        (["demo", "--seed", "abc"], "--seed 的值无效：应为整数", "Invalid value for '--seed'"),
        (["verify", "--workers", "0"], "--workers 的值无效：应不小于 1", "greater than or equal"),
        (
            ["import-ledger", "/nonexistent/x.jsonl"],
            "文件不存在：/nonexistent/x.jsonl",
            "not exist",
        ),
    ],
)
def test_mistakes_are_told_in_the_persons_language(
    capsys: pytest.CaptureFixture[str], args: list[str], zh: str, en: str
) -> None:
    code, text = run(capsys, *args)
    assert code == 2
    assert zh in text, text
    assert "用法：ledger" in text and "查看帮助：ledger" in text and "--help" in text
    assert not re.search(r"\b(Usage|Error|Invalid|Missing|No such)\b", text), text
    code, text = run(capsys, "--lang", "en", *args)
    assert code == 2
    assert en in text, text
    assert "Usage: ledger" in text


def test_a_directory_where_a_file_belongs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, text = run(capsys, "import-ledger", str(tmp_path))
    assert code == 2
    assert f"应为文件，却是目录：{tmp_path}" in text


def test_help_and_a_bare_group_are_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run(capsys, "verify", "--help")
    assert code == 0 and "verify" in text
    code, text = run(capsys, "case")
    assert code == 2 and "show" in text  # the group's help, listing its commands


@settings(max_examples=40, deadline=None)
@given(
    command=st.sampled_from(["verify", "demo", "import-ledger", "rebuild", "case show"]),
    option=st.from_regex(r"--zz[a-z-]{0,20}", fullmatch=True),
)
def test_any_unknown_option_is_told_in_chinese(command: str, option: str) -> None:
    old, err = sys.argv, io.StringIO()
    sys.argv = ["ledger", *command.split(), option]
    try:
        with pytest.raises(SystemExit) as exited, contextlib.redirect_stderr(err):
            main()
    finally:
        sys.argv = old
    assert exited.value.code == 2
    assert err.getvalue().startswith(f"错误：没有这个选项：{option}"), err.getvalue()
    assert "Traceback" not in err.getvalue()

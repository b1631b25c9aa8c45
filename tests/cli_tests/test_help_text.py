"""Every ``--help`` a person reads is Chinese first, English after " / ".

The walk covers every registered command, so a new command or option cannot forget
its Chinese; and no flag shows a value placeholder it does not take.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import typer
from typer.core import TyperArgument, TyperGroup, TyperOption
from typer.testing import CliRunner

from api.cli import app

CJK = re.compile(r"[\u4e00-\u9fff]")
SEPARATOR = re.compile(r"\s/\s")  # " / ", or " /" ending a docstring's line


def commands() -> Iterator[tuple[str, typer.core.TyperCommand | TyperGroup]]:
    """Every command and group under ``ledger``, by its full name."""

    def walk(
        path: str, command: typer.core.TyperCommand | TyperGroup
    ) -> Iterator[tuple[str, typer.core.TyperCommand | TyperGroup]]:
        yield path, command
        if isinstance(command, TyperGroup):
            for name, child in sorted(command.commands.items()):
                assert isinstance(child, typer.core.TyperCommand | TyperGroup)
                yield from walk(f"{path} {name}", child)

    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)
    yield from walk("ledger", root)


ALL = list(commands())


def chinese_first(text: str | None) -> bool:
    """Chinese, then the English after " / " (the Chinese part holds CJK characters)."""
    parts = SEPARATOR.split(text or "", maxsplit=1)
    return len(parts) == 2 and CJK.search(parts[0]) is not None and bool(parts[1].strip())


def shown(help_text: str | None) -> str | None:
    """What typer shows of a docstring: the part before ``\\f``."""
    return None if help_text is None else help_text.split("\f", 1)[0]


def test_the_walk_reaches_nested_commands() -> None:
    names = {name for name, _ in ALL}
    assert {"ledger case show", "ledger users add", "ledger report sources"} <= names
    assert len(ALL) > 40


@pytest.mark.parametrize(("name", "command"), ALL, ids=[name for name, _ in ALL])
def test_every_command_says_what_it_does_in_chinese_first(
    name: str, command: typer.core.TyperCommand | TyperGroup
) -> None:
    assert chinese_first(shown(command.help)), f"{name}: {command.help!r}"


@pytest.mark.parametrize(("name", "command"), ALL, ids=[name for name, _ in ALL])
def test_every_option_and_argument_is_explained_in_chinese_first(
    name: str, command: typer.core.TyperCommand | TyperGroup
) -> None:
    untranslated = [
        f"{param.name}: {param.help!r}"
        for param in command.params
        if isinstance(param, TyperOption | TyperArgument) and not chinese_first(param.help)
    ]
    assert not untranslated, f"{name}: {untranslated}"


@pytest.mark.parametrize(("name", "command"), ALL, ids=[name for name, _ in ALL])
def test_no_flag_shows_a_value_it_does_not_take(
    name: str, command: typer.core.TyperCommand | TyperGroup
) -> None:
    """typer's help table prints every option's type, ``<bool>`` for a flag too, as if
    ``--force`` wanted a value; our flags hide it (typer's own ``--help`` still shows it)."""
    args = [*name.split()[1:], "--help"]
    result = CliRunner().invoke(app, args, terminal_width=200)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "<bool>" in line]
    assert all("--help" in line for line in lines), f"{name}: {lines}"

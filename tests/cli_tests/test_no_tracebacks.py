"""Ordinary mistakes get a clear message and a non-zero exit, never a traceback; read
commands neither create a store nor need to write to one."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest
from typer.testing import CliRunner, Result

from api.cli import app as cli
from ledger.application import HazardLedger
from ledger.store import mask_password, read_only, resolve_store
from tests.conftest import FakeClock, postgres_dsn
from tests.support import register_restaurant, report_case
from tests.unwritable import unwritable

runner = CliRunner()
PLUGINS = ["--plugins", "city_gas,fire"]  # the built-in sectors: no installed extras


def invoke(*args: str, cwd: Path | None = None) -> Result:
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return runner.invoke(cli, [*PLUGINS, *args])
    finally:
        os.chdir(old)


def assert_refused(result: Result, *expected: str) -> None:
    """Exited non-zero on purpose (SystemExit), with a message and no traceback."""
    assert result.exit_code not in (0, None)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    for text in expected:
        assert text in result.output, result.output


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "台账.csv").write_text("a,b\n1,2\n")
    (tmp_path / "empty.xlsx").write_bytes(b"")
    (tmp_path / "text.xlsx").write_text("hello")
    (tmp_path / "notdb.db").write_text("not a database")
    (tmp_path / "folder").mkdir()
    other = sqlite3.connect(tmp_path / "other.db")  # some other program's database
    other.execute("CREATE TABLE things (x)")
    other.commit()
    other.close()
    return tmp_path


@pytest.mark.parametrize(
    ("name", "zh", "en"),
    [
        ("台账.csv", "不是 Excel 工作簿", "not an Excel workbook"),
        ("empty.xlsx", "空文件", "empty file"),
        ("text.xlsx", "不是有效的 .xlsx", "not a valid .xlsx"),
    ],
)
def test_import_refuses_a_file_that_is_not_a_workbook(
    files: Path, name: str, zh: str, en: str
) -> None:
    store = str(files / "l.db")
    assert_refused(invoke("--store", store, "import", str(files / name)), zh)
    assert_refused(invoke("--store", store, "--lang", "en", "import", str(files / name)), en)


def test_a_blank_workbook_is_refused_and_records_nothing(files: Path) -> None:
    template = files / "t.xlsx"
    assert invoke("template", str(template)).exit_code == 0
    store = files / "l.db"
    assert_refused(invoke("--store", str(store), "import", str(template)), "没有任何数据行")
    ledger = HazardLedger(str(store))
    assert (ledger.recorder.max_notification_id() or 0) == 0
    ledger.close()


@pytest.mark.parametrize(
    ("store", "zh", "en"),
    [
        ("folder", "是一个目录", "is a directory"),
        ("notdb.db", "不是 SQLite 数据库", "is not a SQLite database"),
        ("nothing.db", "此处没有台账", "no ledger here"),
        ("other.db", "没有台账的事件表", "without a ledger's events table"),
    ],
)
@pytest.mark.parametrize(
    "command",
    [["verify"], ["register"], ["case", "show", "00000000-0000-0000-0000-000000000001"], ["init"]],
)
def test_a_store_that_is_not_a_ledger_is_named(
    files: Path, store: str, zh: str, en: str, command: list[str]
) -> None:
    if command == ["init"] and store in ("nothing.db", "other.db"):
        return  # init creates it (or its tables): covered below
    assert_refused(invoke("--store", str(files / store), *command), zh)
    assert_refused(invoke("--store", str(files / store), "--lang", "en", *command), en)


def test_a_read_where_no_ledger_is_creates_nothing(tmp_path: Path) -> None:
    for command in (
        ["verify"],
        ["register"],
        ["report", "monthly", "--region", "62", "--month", "2026-01"],
        ["users", "list"],
        ["quarantine"],
    ):
        assert_refused(invoke(*command, cwd=tmp_path), "此处没有台账")
    assert list(tmp_path.iterdir()) == []
    assert invoke("init", cwd=tmp_path).exit_code == 0
    assert (tmp_path / "ledger.db").exists()


BAD_DSNS = [
    ("postgresql://postgres@bad host/test", "无法解析主机名", "cannot resolve host"),
    ("postgresql://postgres:pw@127.0.0.1:1/test", "拒绝连接", "refused the connection"),
    ("postgresql://postgres@127.0.0.1:99999/test", "无法解析数据库地址", "cannot parse"),
    ("postgresql://postgres@[::1/test", "无法解析数据库地址", "cannot parse"),
]


@pytest.mark.parametrize(("dsn", "zh", "en"), BAD_DSNS)
def test_a_bad_dsn_is_one_clear_line(dsn: str, zh: str, en: str) -> None:
    for command in (["verify"], ["init"], ["serve"]):
        result = invoke("--store", dsn, *command)
        assert_refused(result, zh)
        assert ":pw@" not in result.output
        assert_refused(invoke("--store", dsn, "--lang", "en", *command), en)


@pytest.mark.postgres
def test_a_missing_database_or_schema_is_named() -> None:
    dsn = postgres_dsn()
    if dsn is None:
        pytest.skip("PostgreSQL case skipped: set LEDGER_TEST_POSTGRES_DSN to run it")
    server = dsn.rsplit("/", 1)[0]
    assert_refused(invoke("--store", f"{server}/no_such_db_here", "verify"), "no_such_db_here")
    sep = "&" if "?" in dsn else "?"
    assert_refused(invoke("--store", f"{dsn}{sep}schema=nobody_here", "verify"), "此处没有台账")


def test_passwords_are_masked() -> None:
    assert mask_password("postgresql://u:s3cr@t@h:5432/d?schema=x") == (
        "postgresql://u:***@h:5432/d?schema=x"
    )
    assert mask_password("postgresql://u@h/d") == "postgresql://u@h/d"
    assert resolve_store("postgresql://u:pw@h/d").masked_url == "postgresql://u:***@h/d"


@pytest.fixture
def sqlite_ledger(tmp_path: Path, clock: FakeClock) -> Iterator[Path]:
    path = tmp_path / "src" / "ledger.db"
    path.parent.mkdir()
    ledger = HazardLedger(str(path), clock=clock)
    register_restaurant(ledger, clock.now)
    report_case(ledger, clock.now)
    ledger.close()
    yield path


def case_id(store: Path) -> str:
    with sqlite3.connect(store) as conn:
        [(originator,)] = conn.execute(
            "SELECT originator_id FROM stored_events WHERE topic LIKE '%HazardCase%'"
        ).fetchall()
    return str(UUID(originator))


def test_verify_and_reads_work_on_a_read_only_copy(sqlite_ledger: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy" / "ledger.db"
    copy.parent.mkdir()
    shutil.copy(sqlite_ledger, copy)
    before = hashlib.sha256(copy.read_bytes()).hexdigest()
    commands = (["verify"], ["register"], ["case", "history", str(case_id(copy))])
    with unwritable(copy):  # 0444, and immutable for root (whom 0444 does not stop)
        for command in commands:
            result = invoke("--store", str(copy), *command)
            assert result.exit_code in (0, 3), result.output  # 3: read model not built here
            assert "Traceback" not in result.output
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == before
    # What makes it safe: the store a read command gets cannot be written through.
    store = read_only(resolve_store(str(copy)))
    conn = store.connect_sqlite()
    with pytest.raises(Exception, match="readonly"):
        conn.execute("CREATE TABLE t (x)")
    conn.close()


def test_reads_work_on_a_ledger_left_in_rollback_journal_mode(
    sqlite_ledger: Path, tmp_path: Path
) -> None:
    """A copy in rollback-journal mode (as some backup tools leave a file) is read as it
    is: a read command opens it read-only, which cannot switch it to WAL."""
    copy = tmp_path / "copy.db"
    shutil.copy(sqlite_ledger, copy)
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA journal_mode=DELETE").fetchone() == ("delete",)
    conn.close()
    before = hashlib.sha256(copy.read_bytes()).hexdigest()
    for store in (str(copy), f"file:{copy}?mode=ro"):
        for command in (["verify"], ["case", "history", str(case_id(copy))]):
            result = invoke("--store", store, *command)
            assert result.exit_code in (0, 3), (command, result.output)
            assert "Traceback" not in result.output and "内部错误" not in result.output
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == before


def test_main_turns_an_unexpected_error_into_one_line(tmp_path: Path) -> None:
    """Through the installed entry point: a store the check passes but the ledger
    cannot open (a damaged file with a valid header) gives no traceback."""
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    code = "from api.cli import main; main()"
    env = {**os.environ, "LEDGER_STORE": str(broken)}
    env.pop("LEDGER_DEBUG", None)
    for lang, text in (("zh", "命令未完成"), ("en", "did not finish")):
        done = subprocess.run(
            [sys.executable, "-c", code, *PLUGINS, "--lang", lang, "verify"],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert done.returncode != 0
        assert "Traceback" not in done.stderr
        assert text in done.stderr, done.stderr


def test_verify_print_names_a_missing_file(tmp_path: Path) -> None:
    """A paper that is not there is named, not reported as an internal error."""
    key = tmp_path / "k.vkey"
    key.write_text("ledger+00000000+AQ==\n")
    result = runner.invoke(
        cli, ["verify-print", str(tmp_path / "nothere.pdf"), "--trusted-key", str(key)]
    )
    assert result.exit_code == 2, result.output
    assert "找不到文件" in result.output

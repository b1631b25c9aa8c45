"""Where a ledger lives: one setting, a SQLite file path or a PostgreSQL DSN.

``--store`` on every command, else ``LEDGER_STORE``, else ``ledger.db`` in the current
directory. Events, the integrity log and the read models all live in that one store, so
a ledger is one file (or one database schema) to back up. Secrets such as signing keys
never live in it.

SQLite runs in WAL mode with ``synchronous=FULL``: an acknowledged command survives a
power cut. PostgreSQL DSNs may carry ``?schema=NAME`` so that several ledgers (or test
runs) share one database without seeing each other.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from .errors import LedgerError

DEFAULT_STORE = "ledger.db"
STORE_ENV_VAR = "LEDGER_STORE"
SQLITE_HEADER = b"SQLite format 3\x00"
#: The table the events live in, on SQLite (the event-sourcing library's name for it).
EVENTS_TABLE = "stored_events"
CONNECT_TIMEOUT_SECONDS = 10


class StoreUnusable(LedgerError):
    """The store setting names nothing a ledger can be opened on (no traceback: a
    person mistyped a path or a DSN, or the database is down)."""

    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en

    def message(self, lang: str = "zh") -> str:
        return self.message_en if lang.startswith("en") else self.message_zh


_PASSWORD = re.compile(r"(://[^:/@\s]*:)[^\s/]*(@)")


@dataclass(frozen=True, slots=True)
class Store:
    """A parsed store setting."""

    url: str
    kind: str  # "sqlite" or "postgres"
    path: str = ""
    host: str = ""
    port: int = 5432
    user: str = ""
    password: str = ""
    dbname: str = ""
    schema: str = "public"
    read_only: bool = False
    """Open SQLite read-only (a ``file:PATH?mode=ro`` setting): nothing can be written,
    so a copy on read-only media or a read-only file can still be verified and read."""

    @property
    def is_postgres(self) -> bool:
        return self.kind == "postgres"

    @property
    def sqlite_target(self) -> str:
        """What ``sqlite3.connect(..., uri=True)`` opens: the path, or a read-only URI.

        A read-only open of a WAL database needs its ``-shm`` file; where the directory
        cannot hold one (read-only media) the file is opened as immutable instead.
        """
        if not self.read_only:
            return self.path
        absolute = Path(self.path).resolve()
        target = f"file:{quote(str(absolute))}?mode=ro"
        if not os.access(absolute.parent, os.W_OK) and not Path(f"{absolute}-shm").exists():
            target += "&immutable=1"
        return target

    def connect_sqlite(self, **options: Any) -> sqlite3.Connection:
        """A new connection to this SQLite store, read-only if the store is."""
        conn: sqlite3.Connection = sqlite3.connect(
            self.sqlite_target, uri=self.read_only, **options
        )
        return conn

    def connect_postgres(self) -> Any:
        """A new autocommit connection to this PostgreSQL store (the caller closes it)."""
        import psycopg

        return psycopg.connect(**self._postgres_options())

    async def connect_postgres_async(self) -> Any:
        """A new asynchronous autocommit connection to this PostgreSQL store."""
        import psycopg

        return await psycopg.AsyncConnection.connect(**self._postgres_options())

    def _postgres_options(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "port": self.port,
            "user": self.user,
            "password": self.password or None,
            "dbname": self.dbname,
            "autocommit": True,
        }

    @property
    def event_channel(self) -> str:
        """PostgreSQL's LISTEN/NOTIFY channel announcing new events in this schema."""
        return f"hazard_ledger_events_{self.schema}"[:63]

    def describe(self) -> str:
        """Where the store is, for people: never with its password."""
        if self.is_postgres:
            where = f"{self.user}@{self.host}:{self.port}/{self.dbname}"
            return f"postgresql://{where} (schema {self.schema})"
        return str(Path(self.path).resolve())

    @property
    def masked_url(self) -> str:
        """The setting as given, with any password replaced by ``***``."""
        return mask_password(self.url)

    def check(self, *, create: bool) -> None:
        """Raise ``StoreUnusable`` unless a ledger can be opened here.

        ``create``: a missing store is fine (the command creates it); otherwise the
        ledger must already exist, so that a read in the wrong directory or schema says
        so instead of creating an empty store.
        """
        if self.is_postgres:
            self._check_postgres(create=create)
            return
        path = Path(self.path)
        if path.is_dir():
            raise StoreUnusable(
                "STORE_IS_DIRECTORY",
                f"台账存储“{path}”是一个目录，应为 SQLite 文件或 postgresql:// 地址",
                f"the store {str(path)!r} is a directory; give a SQLite file or a "
                "postgresql:// DSN",
            )
        if not path.exists():
            if not create:
                raise StoreUnusable(
                    "NO_LEDGER_HERE",
                    f"此处没有台账：{path.resolve()} 不存在（用 --store 指定台账，"
                    "或先运行 ledger init）",
                    f"no ledger here: {path.resolve()} does not exist (name one with "
                    "--store, or run ledger init first)",
                )
            if not path.parent.resolve().is_dir():
                raise StoreUnusable(
                    "STORE_DIRECTORY_MISSING",
                    f"无法创建台账：目录“{path.parent}”不存在",
                    f"cannot create the ledger: directory {str(path.parent)!r} does not exist",
                )
            return
        try:
            with path.open("rb") as f:
                header = f.read(len(SQLITE_HEADER))
        except OSError as e:
            raise StoreUnusable(
                "STORE_UNREADABLE",
                f"无法读取台账文件“{path}”：{e.strerror}",
                f"cannot read the ledger file {str(path)!r}: {e.strerror}",
            ) from None
        if header and header != SQLITE_HEADER:
            raise StoreUnusable(
                "NOT_A_DATABASE",
                f"“{path}”不是 SQLite 数据库文件，不能作为台账打开",
                f"{str(path)!r} is not a SQLite database; it cannot be opened as a ledger",
            )
        if not header and not create:
            raise StoreUnusable(
                "NO_LEDGER_HERE",
                f"此处没有台账：{path.resolve()} 是空文件",
                f"no ledger here: {path.resolve()} is an empty file",
            )
        if header and not create and not self._holds_events():
            raise StoreUnusable(
                "NO_LEDGER_HERE",
                f"此处没有台账：{path.resolve()} 是 SQLite 数据库，但没有台账的事件表",
                f"no ledger here: {path.resolve()} is a SQLite database without a "
                "ledger's events table",
            )

    def _holds_events(self) -> bool:
        """Whether the SQLite file has the events table (read-only; a file that cannot
        be asked is left to the opening, which says what is wrong with it)."""
        try:
            conn = read_only(self).connect_sqlite()
            try:
                found = conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                    (EVENTS_TABLE,),
                ).fetchone()
            finally:
                conn.close()
        except sqlite3.Error:
            return True
        return found is not None

    def _check_postgres(self, *, create: bool) -> None:
        import psycopg

        where = self.masked_url
        try:
            with psycopg.connect(
                host=self.host,
                port=self.port,
                user=self.user,
                password=self.password or None,
                dbname=self.dbname,
                connect_timeout=CONNECT_TIMEOUT_SECONDS,
                autocommit=True,
            ) as conn:
                found = conn.execute(
                    "SELECT 1 FROM information_schema.tables WHERE table_schema = %s LIMIT 1",
                    (self.schema,),
                ).fetchone()
        except psycopg.Error as e:
            reason = _postgres_reason(e, self)
            raise StoreUnusable(
                "STORE_UNREACHABLE",
                f"无法连接台账数据库 {where}：{reason[0]}",
                f"cannot connect to the ledger database {where}: {reason[1]}",
            ) from None
        if found is None and not create:
            raise StoreUnusable(
                "NO_LEDGER_HERE",
                f"此处没有台账：{where} 的模式“{self.schema}”中没有台账表（先运行 ledger init）",
                f"no ledger here: schema {self.schema!r} of {where} holds no ledger tables "
                "(run ledger init first)",
            )


def _postgres_reason(error: Exception, store: Store) -> tuple[str, str]:
    """Why a connection failed, in both languages, without the server's internals."""
    text = str(error)
    if "does not exist" in text and "database" in text:
        return (f"数据库“{store.dbname}”不存在", f"database {store.dbname!r} does not exist")
    if "resolve host" in text or "Name or service not known" in text:
        return (f"无法解析主机名“{store.host}”", f"cannot resolve host {store.host!r}")
    if "refused" in text:
        return (
            f"{store.host}:{store.port} 拒绝连接（数据库未运行或端口错误）",
            f"{store.host}:{store.port} refused the connection (server down or wrong port)",
        )
    if "password" in text or "authentication" in text:
        return (f"用户“{store.user}”认证失败", f"authentication failed for user {store.user!r}")
    if "timeout" in text.lower():
        return ("连接超时", "the connection timed out")
    first = text.strip().splitlines()[0] if text.strip() else type(error).__name__
    return (first, first)


def mask_password(text: str) -> str:
    """``text`` with the password of every ``scheme://user:password@`` replaced by ***."""
    return _PASSWORD.sub(r"\1***\2", text)


def resolve_store(setting: str | None = None) -> Store:
    """Parse ``setting`` (or ``$LEDGER_STORE``, or the default) into a ``Store``."""
    url = setting or os.environ.get(STORE_ENV_VAR) or DEFAULT_STORE
    if url.startswith(("postgresql://", "postgres://")):
        try:
            parts = urlsplit(url)
            query = parse_qs(parts.query)
            port = parts.port or 5432
        except ValueError as e:  # a port out of range or not a number, a bad IPv6 host
            masked = mask_password(url)
            raise StoreUnusable(
                "BAD_DSN",
                f"无法解析数据库地址 {masked}：{e}",
                f"cannot parse the database DSN {masked}: {e}",
            ) from None
        return Store(
            url=url,
            kind="postgres",
            host=parts.hostname or "127.0.0.1",
            port=port,
            user=unquote(parts.username or "postgres"),
            password=unquote(parts.password or ""),
            dbname=(parts.path or "/").lstrip("/") or "postgres",
            schema=query.get("schema", ["public"])[0],
        )
    if url.startswith("file:"):  # an SQLite URI: only ``mode=ro`` is understood
        parts = urlsplit(url)
        read_only = parse_qs(parts.query).get("mode", [""])[0] == "ro"
        return Store(url=url, kind="sqlite", path=unquote(parts.path), read_only=read_only)
    path = url.removeprefix("sqlite:///").removeprefix("sqlite://")
    return Store(url=url, kind="sqlite", path=path)


def read_only(store: Store) -> Store:
    """The same store opened read-only (SQLite; a PostgreSQL role decides for itself)."""
    if store.is_postgres or store.read_only:
        return store
    absolute = Path(store.path).resolve()
    url = f"file:{quote(str(absolute))}?mode=ro"
    return Store(url=url, kind="sqlite", path=str(absolute), read_only=True)


def eventsourcing_env(store: Store) -> dict[str, str]:
    """The eventsourcing environment that puts an application on ``store``."""
    if store.is_postgres:
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "APPLICATION_RECORDER_TOPIC": "ledger.recorders:LedgerPostgresRecorder",
            "POSTGRES_DBNAME": store.dbname,
            "POSTGRES_HOST": store.host,
            "POSTGRES_PORT": str(store.port),
            "POSTGRES_USER": store.user,
            "POSTGRES_PASSWORD": store.password,
            "POSTGRES_SCHEMA": store.schema,
            "POSTGRES_POOL_SIZE": "2",
            "POSTGRES_MAX_OVERFLOW": "8",
            "POSTGRES_LOCK_TIMEOUT": "10",
        }
    return {
        "PERSISTENCE_MODULE": "ledger.sqlite_persistence:LedgerSQLiteFactory",
        "APPLICATION_RECORDER_TOPIC": "ledger.recorders:LedgerSQLiteRecorder",
        "SQLITE_DBNAME": store.sqlite_target,
        "SQLITE_LOCK_TIMEOUT": "30",
    }


def _create_private(store: Store) -> None:
    """Create a new SQLite file readable by its owner only (0600) before SQLite does.

    The ledger holds personal data (names, phone numbers in details): a store made with
    the default umask would be world-readable. SQLite gives its ``-wal`` and ``-shm``
    files the database file's permissions, so they follow.
    """
    if store.read_only or store.path in ("", ":memory:") or "mode=memory" in store.path:
        return
    try:
        fd = os.open(store.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except (FileExistsError, FileNotFoundError, IsADirectoryError):
        return  # there already, or nowhere to put it: opening says what is wrong
    os.close(fd)


@contextmanager
def setup_lock(store: Store) -> Iterator[Any]:
    """Hold a store-wide lock while a process creates the ledger's schema and tables.

    Several API processes or workers starting at once on a new PostgreSQL schema would
    otherwise race on ``CREATE TYPE`` and ``CREATE TABLE``; a session advisory lock keyed
    by the schema makes them take turns. SQLite needs nothing (its DDL is serialised by
    the file lock), but a new SQLite file is created here, private to its owner.
    Yields the PostgreSQL connection holding the lock (None on SQLite), for setup work
    that belongs under it.
    """
    if not store.is_postgres:
        _create_private(store)
        yield None
        return
    from psycopg import sql

    with store.connect_postgres() as conn:
        key = f"hazard-ledger setup {store.schema}"
        conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (key,))
        try:
            if store.schema != "public":
                conn.execute(
                    sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(store.schema))
                )
            yield conn
        finally:
            conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (key,))


class Lease:
    """A store-wide role held by one process at a time, until released or until that
    process ends (a crash frees it: nothing is left to clean up).

    SQLite: an exclusive ``flock`` of a file beside the store (``<store>.<name>.lock``),
    which the kernel drops with the process. PostgreSQL: a session advisory lock on a
    connection of the lease's own, which the server drops with the connection. An
    in-memory store lives in one process, so its lease is always granted.
    """

    def __init__(self, release: Any) -> None:
        self._release = release

    def release(self) -> None:
        """Give the role up (idempotent)."""
        release, self._release = self._release, None
        if release is not None:
            release()


def try_lease(store: Store, name: str) -> Lease | None:
    """The lease called ``name`` on ``store`` if no other process holds it, else None.

    Never waits. The holder keeps the returned object and calls ``release``. A store
    that cannot be reached raises its driver's error (it is not "held by another")."""
    if store.is_postgres:
        key = f"hazard-ledger lease {name} {store.schema}"
        conn = store.connect_postgres()
        try:
            granted = conn.execute("SELECT pg_try_advisory_lock(hashtext(%s))", (key,)).fetchone()
        except BaseException:
            conn.close()
            raise
        if not (granted and granted[0]):
            conn.close()
            return None
        return Lease(conn.close)
    if store.path in ("", ":memory:") or "mode=memory" in store.path:
        return Lease(lambda: None)
    import fcntl

    path = Path(f"{store.path}.{name}.lock")
    try:
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    except OSError:
        return None  # a directory it cannot write to (read-only media): no lease
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return Lease(lambda: os.close(fd))

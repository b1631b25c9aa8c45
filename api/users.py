"""People who may use the service, and their bearer tokens.

Tokens are random (256 bits) and shown once; the store keeps only their SHA-256, so a
copy of the store does not let anyone act as a user. A token expires and can be
revoked; either takes effect at the next request on every API process, because every
process reads the same table. The actor recorded on events comes from the user found
here, never from a request body.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ledger.application import HazardLedger
from ledger.errors import refuse
from ledger.identity import Actor, Role
from ledger.scope import Scope
from ledger.sqlstore import SqlStore

TOKEN_PREFIX = "hl_"

_DDL = [
    "CREATE TABLE IF NOT EXISTS {schema}.ledger_users ("
    " username TEXT PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " role TEXT NOT NULL,"
    " organisation TEXT NOT NULL,"
    " region_prefix TEXT NOT NULL,"
    " sectors TEXT NOT NULL,"
    " enterprise_code TEXT NOT NULL,"
    " token_hash TEXT NOT NULL UNIQUE,"
    " created_at TEXT NOT NULL,"
    " expires_at TEXT NOT NULL,"
    " revoked_at TEXT)",
]


@dataclass(frozen=True, slots=True)
class User:
    """An authenticated user with a role and a jurisdiction (scope)."""

    username: str
    name: str
    role: Role
    organisation: str = ""
    region_prefix: str = ""
    sectors: frozenset[str] = field(default_factory=frozenset)
    enterprise_code: str = ""

    @property
    def actor(self) -> Actor:
        org = self.enterprise_code if self.role is Role.ENTERPRISE else self.organisation
        return Actor(self.username, self.name, self.role, org)

    @property
    def scope(self) -> Scope:
        """The user's jurisdiction, as every read and command takes it."""
        return Scope(
            region_prefix=self.region_prefix,
            sectors=self.sectors,
            enterprise_code=self.enterprise_code if self.role is Role.ENTERPRISE else "",
        )

    def sees(self, *, region_code: str, sector: str, enterprise_code: str) -> bool:
        """Whether something in this region, sector and enterprise is in scope."""
        return self.scope.sees(
            region_code=region_code, sector=sector, enterprise_code=enterprise_code
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "name": self.name,
            "role": self.role.value,
            "organisation": self.organisation,
            "region_prefix": self.region_prefix,
            "sectors": sorted(self.sectors),
            "enterprise_code": self.enterprise_code,
        }


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class UserDirectory:
    """The users table on the ledger's store."""

    def __init__(self, sql: SqlStore) -> None:
        self.sql = sql
        self.sql.script(_DDL)

    def add(
        self,
        user: User,
        *,
        now: datetime,
        valid_for: timedelta = timedelta(days=90),
    ) -> str:
        """Create the user and return its token (shown once, stored hashed)."""
        if user.role is Role.ENTERPRISE and not user.enterprise_code:
            raise refuse(
                "ENTERPRISE_USER_NEEDS_CODE",
                "enterprise_code",
                "企业用户必须绑定统一社会信用代码",
                "an enterprise user is bound to its credit code",
            )
        if self.sql.fetchone(
            "SELECT username FROM {schema}.ledger_users WHERE username = ?", [user.username]
        ):
            raise refuse(
                "USER_EXISTS",
                "username",
                f"用户“{user.username}”已存在",
                f"user {user.username!r} already exists",
            )
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.sql.execute(
            "INSERT INTO {schema}.ledger_users VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [
                user.username,
                user.name,
                user.role.value,
                user.organisation,
                user.region_prefix,
                ",".join(sorted(user.sectors)),
                user.enterprise_code,
                hash_token(token),
                now.isoformat(),
                (now + valid_for).isoformat(),
                None,
            ],
        )
        return token

    def reissue(self, username: str, *, now: datetime, valid_for: timedelta) -> str:
        """A new token for an existing user; the old one stops working at once."""
        self._require(username)
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.sql.execute(
            "UPDATE {schema}.ledger_users SET token_hash = ?, expires_at = ?, revoked_at = NULL"
            " WHERE username = ?",
            [hash_token(token), (now + valid_for).isoformat(), username],
        )
        return token

    def revoke(self, username: str, *, now: datetime) -> None:
        self._require(username)
        self.sql.execute(
            "UPDATE {schema}.ledger_users SET revoked_at = ? WHERE username = ?",
            [now.isoformat(), username],
        )

    def authenticate(self, token: str, *, now: datetime) -> User | None:
        """The user holding ``token``, if it is known, unexpired and not revoked.

        Looked up on every request (one indexed read): a revocation or a reissued token
        takes effect at the very next request on every API process. A per-process cache
        would let a revoked token act until the cache heard of the revocation, and
        hearing of it (PostgreSQL NOTIFY) arrives after the commit, not with it. The
        service's hot path asks the same question on a connection of its own
        (``api.hot_reads.Lookups``), with the same rule (``holder``).
        """
        columns = ", ".join(HOLDER_COLUMNS)
        row = self.sql.fetchone(
            f"SELECT {columns} FROM {{schema}}.ledger_users WHERE token_hash = ?",
            [hash_token(token)],
        )
        return holder(None if row is None else tuple(row.values()), now=now)

    def list(self) -> list[dict[str, Any]]:
        rows = self.sql.fetchall("SELECT * FROM {schema}.ledger_users ORDER BY username")
        return [
            {**_user(r).as_dict(), "expires_at": r["expires_at"], "revoked_at": r["revoked_at"]}
            for r in rows
        ]

    def _require(self, username: str) -> None:
        if not self.sql.fetchone(
            "SELECT username FROM {schema}.ledger_users WHERE username = ?", [username]
        ):
            raise refuse(
                "USER_UNKNOWN", "username", f"用户“{username}”不存在", f"no user {username!r}"
            )


def _user(row: dict[str, Any]) -> User:
    return User(
        username=row["username"],
        name=row["name"],
        role=Role(row["role"]),
        organisation=row["organisation"],
        region_prefix=row["region_prefix"],
        sectors=frozenset(s for s in row["sectors"].split(",") if s),
        enterprise_code=row["enterprise_code"],
    )


#: The columns ``holder`` judges a token by, in its order.
HOLDER_COLUMNS = (
    "username",
    "name",
    "role",
    "organisation",
    "region_prefix",
    "sectors",
    "enterprise_code",
    "expires_at",
    "revoked_at",
)


def holder(row: tuple[Any, ...] | None, *, now: datetime) -> User | None:
    """The rule for a token's row (``HOLDER_COLUMNS``): its user, unless there is no
    row, or the token is revoked or expired at ``now``."""
    if row is None or row[0] is None or row[8] is not None:
        return None
    user, expires_at = _parsed(row[:8])
    return user if expires_at > now else None


@functools.lru_cache(maxsize=1024)
def _parsed(row: tuple[Any, ...]) -> tuple[User, datetime]:
    """A row's user and expiry, built once per distinct row (the hot path sees the
    same few rows thousands of times a second)."""
    return _user(dict(zip(HOLDER_COLUMNS, row, strict=False))), datetime.fromisoformat(row[7])


def directory_for(ledger: HazardLedger) -> UserDirectory:
    """The user directory on ``ledger``'s store."""
    datastore = ledger.recorder.datastore  # type: ignore[attr-defined]
    return UserDirectory(SqlStore(datastore, read_only=ledger.store.read_only))

"""How each command may use the store: the one place the CLI decides it.

Some commands create a ledger (``init``, ``import``, ``demo``, ...), some need none
(``template``, ``plugins``, ``verify-bundle``, ...), and the rest work on a ledger that
must already exist; of those, the ones that only read open a SQLite store read-only,
so that a copy on read-only media can be verified and nothing can change it. The store
is checked before any command runs, so a mistyped path, a directory, a file that is not
a database or an unreachable DSN is one clear message instead of a traceback, and a
read in the wrong directory never leaves an empty ``ledger.db`` behind.
"""

from __future__ import annotations

from enum import Enum

from ledger.store import Store, read_only, resolve_store


class Access(Enum):
    NONE = "none"
    CREATE = "create"
    WRITE = "write"
    READ = "read"


CREATES = frozenset({"init", "import", "import-ledger", "demo", "serve"})
STORELESS = frozenset({"template", "plugins", "verify-bundle", "verify-print", "keys", "witness"})
READS = frozenset(
    {
        "verify",
        "proof",
        "case",
        "enterprise",
        "history",
        "register",
        "report",
        "review",
        "export",
        "export-ledger",
    }
)


def access_of(command: str | None) -> Access:
    """The store access a top-level command needs; unknown ones write to an existing
    ledger (the safe default: nothing is created by a command that should not)."""
    if command is None or command in STORELESS:
        return Access.NONE
    if command in CREATES:
        return Access.CREATE
    if command in READS:
        return Access.READ
    return Access.WRITE


def checked_store(setting: str | None, access: Access) -> Store | None:
    """The store a command may open with ``access``; raises ``StoreUnusable``."""
    if access is Access.NONE:
        return None
    store = resolve_store(setting)
    store.check(create=access is Access.CREATE)
    return read_only(store) if access is Access.READ else store

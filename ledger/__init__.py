"""The domain, its store, integrity and audit."""

from . import protocol_checks

protocol_checks.install()

"""The API client of the API tests (both stores, one user per role)."""

from tests.api_tests.conftest import api

__all__ = ["api"]

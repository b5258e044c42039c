"""Fixtures of the security tests: the API app of tests/api, reused."""

from tests.api.conftest import api, api_app  # noqa: F401

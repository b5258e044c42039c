"""Fixtures of the authoring tests."""

from __future__ import annotations

import pytest

from tests.conftest import TEST_PASSWORD


@pytest.fixture
def login(client):
    """Log in as `email`, logging out whoever was logged in first."""

    def _login(email: str):
        client.post("/auth/logout")
        response = client.post("/auth/login", data={"email": email, "password": TEST_PASSWORD})
        assert response.status_code == 302
        return response

    return _login

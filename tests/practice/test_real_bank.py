"""Every template of the shipped problem bank opens as a practice page."""

from __future__ import annotations

import pytest

from app import create_app
from app.config import DEFAULTS
from app.extensions import db
from tests.conftest import base_config


@pytest.fixture
def real_bank_client(sqlite_url):
    app = create_app(base_config(sqlite_url, PROBLEMS_DIR=DEFAULTS["PROBLEMS_DIR"],
                                 CHECK_TIMEOUT_SECONDS=10))
    with app.app_context():
        db.create_all()
    client = app.test_client()
    client.post("/auth/register", data={"display_name": "Kim", "email": "kim@example.org",
                                        "password": "kim-password-1",
                                        "confirm": "kim-password-1"})
    yield app, client
    with app.app_context():
        db.engine.dispose()


def test_every_template_opens(real_bank_client):
    from app.bank import load_bank

    app, client = real_bank_client
    topics = client.get("/practice/")
    assert topics.status_code == 200
    for template_id in load_bank(app.config["PROBLEMS_DIR"]).ids:
        assert f'data-testid="family-{template_id}"' in topics.get_data(as_text=True)
        page = client.get(f"/practice/{template_id}/1")
        assert page.status_code == 200, template_id
        html = page.get_data(as_text=True)
        assert "<math" in html and 'data-testid="answer-input"' in html, template_id

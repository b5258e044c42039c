from app.web.security import CSP


def test_home_and_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == CSP
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_html_errors(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert client.get("/auth/logout").status_code == 405


def test_json_errors_under_api(client):
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response.get_json() == {"error": {"code": "not_found", "message": response.get_json()["error"]["message"]}}


def test_oversized_form_is_413(client, app):
    response = client.post("/auth/login", data={"email": "x" * (app.config["MAX_CONTENT_LENGTH"] + 10)})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_unexpected_error_is_a_500_page_not_a_crash(app, client):
    @app.route("/boom")
    def boom():
        raise RuntimeError("kaboom")

    response = client.get("/boom")
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
    assert "kaboom" not in response.get_data(as_text=True)


def test_healthz_ok(any_db_app):
    response = any_db_app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_database_down(tmp_path):
    from app import create_app
    from tests.conftest import base_config

    app = create_app(base_config("postgresql://nobody@127.0.0.1:1/none"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"

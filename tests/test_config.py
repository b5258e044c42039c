import stat

import pytest

from app import create_app
from app.config import ConfigError, load_settings


def test_defaults_use_instance_sqlite_and_generated_secret(tmp_path):
    settings = load_settings({}, None, tmp_path)
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'gradwork.sqlite3'}"
    key_file = tmp_path / "secret_key"
    assert settings["SECRET_KEY"] == key_file.read_text()
    assert len(settings["SECRET_KEY"]) >= 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    # Kept: a restart must not log everybody out.
    assert load_settings({}, None, tmp_path)["SECRET_KEY"] == settings["SECRET_KEY"]


def test_environment_is_parsed(tmp_path):
    settings = load_settings({
        "DATABASE_URL": "postgres://u:p@db:5432/gw",
        "SECRET_KEY": "s" * 32,
        "GRADWORK_LOG_LEVEL": "debug",
        "GRADWORK_SECURE_COOKIES": "true",
        "GRADWORK_CHECK_TIMEOUT_SECONDS": "1.5",
        "GRADWORK_CHECK_WORKERS": "3",
    }, None, tmp_path)
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db:5432/gw"
    assert settings["LOG_LEVEL"] == "DEBUG"
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["CHECK_TIMEOUT_SECONDS"] == 1.5
    assert settings["CHECK_WORKERS"] == 3


@pytest.mark.parametrize(("env", "named"), [
    ({"GRADWORK_CHEK_WORKERS": "2"}, "GRADWORK_CHEK_WORKERS"),
    ({"GRADWORK_CHECK_WORKERS": "two"}, "GRADWORK_CHECK_WORKERS"),
    ({"GRADWORK_CHECK_WORKERS": "0"}, "GRADWORK_CHECK_WORKERS"),
    ({"GRADWORK_CHECK_TIMEOUT_SECONDS": "-1"}, "GRADWORK_CHECK_TIMEOUT_SECONDS"),
    ({"GRADWORK_SECURE_COOKIES": "maybe"}, "GRADWORK_SECURE_COOKIES"),
    ({"GRADWORK_LOG_LEVEL": "LOUD"}, "GRADWORK_LOG_LEVEL"),
    ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
    ({"DATABASE_URL": "mysql://u@h/db"}, "DATABASE_URL"),
    ({"SECRET_KEY": "short"}, "SECRET_KEY"),
])
def test_bad_settings_fail_at_start_naming_them(tmp_path, env, named):
    with pytest.raises(ConfigError, match=named):
        load_settings(env, None, tmp_path)


def test_create_app_refuses_bad_environment(monkeypatch):
    monkeypatch.setenv("GRADWORK_CHECK_WORKERS", "lots")
    with pytest.raises(ConfigError, match="GRADWORK_CHECK_WORKERS"):
        create_app()


def test_create_app_does_not_touch_the_database():
    # An unreachable server: building the app must still work (no queries at start).
    app = create_app({"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
                      "SECRET_KEY": "x" * 32})
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")


def test_cookie_flags(app):
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["SESSION_COOKIE_SECURE"] is False


def test_workers_starting_together_agree_on_one_secret(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: load_settings({}, None, tmp_path)["SECRET_KEY"], range(32)))
    assert len(keys) == 1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".secret_key")] == []


def test_the_test_suites_own_switches_are_not_settings(tmp_path, monkeypatch):
    # The browser tests read GRADWORK_TEST_CHROMIUM; an app built beside them must start.
    monkeypatch.setenv("GRADWORK_TEST_CHROMIUM", "/usr/bin/chromium")
    settings = load_settings({"GRADWORK_TEST_CHROMIUM": "/usr/bin/chromium"}, None, tmp_path)
    assert "GRADWORK_TEST_CHROMIUM" not in settings
    create_app({"SECRET_KEY": "s" * 32, "DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}"})
    with pytest.raises(ConfigError, match="GRADWORK_TESTS"):
        load_settings({"GRADWORK_TESTS": "1"}, None, tmp_path)


def test_postgresql_keeps_a_connection_for_each_web_server_thread(tmp_path):
    # A pool smaller than the threads sharing it closes the connections it cannot keep, so
    # under load requests would open connections of their own.
    from app import gunicorn_conf

    settings = load_settings({"DATABASE_URL": "postgresql://u@db/gw"}, None, tmp_path)
    options = settings["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["pool_size"] == settings["DB_POOL_SIZE"] >= gunicorn_conf.threads
    assert options["connect_args"]["connect_timeout"] > 0
    chosen = load_settings({"DATABASE_URL": "postgresql://u@db/gw",
                            "GRADWORK_DB_POOL_SIZE": "12"}, None, tmp_path)
    assert chosen["SQLALCHEMY_ENGINE_OPTIONS"]["pool_size"] == 12
    with pytest.raises(ConfigError, match="GRADWORK_DB_POOL_SIZE"):
        load_settings({"GRADWORK_DB_POOL_SIZE": "0"}, None, tmp_path)

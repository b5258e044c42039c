"""docker-compose.yml, checked without a Docker engine.

One test reads the compose file and checks its services, commands and variables; another runs
the `app` service's exact command natively (migrations, then gunicorn) against PostgreSQL and
asks /healthz, so a broken deployment recipe fails CI here rather than in production.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from app.config import SETTINGS
from tests.conftest import REDIS_ENV, redis_test_url

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _app_command() -> str:
    command = COMPOSE["services"]["app"]["command"]
    assert command[:2] == ["sh", "-c"]
    return command[2]


def test_compose_services_and_settings():
    services = COMPOSE["services"]
    assert set(services) == {"db", "app", "redis", "worker"}
    db = services["db"]
    assert db["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert any(v.endswith(":/var/lib/postgresql/data") for v in db["volumes"])
    assert "db-data" in COMPOSE["volumes"]

    app = services["app"]
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    env = app["environment"]
    known = {s.env for s in SETTINGS}
    assert set(env) <= known, f"compose sets unknown settings: {set(env) - known}"
    assert env["DATABASE_URL"].startswith("postgresql://gradwork:")
    assert env["DATABASE_URL"].endswith("@db:5432/gradwork")
    # No secret baked into the file: both must come from the operator's environment.
    assert "${SECRET_KEY:?" in env["SECRET_KEY"]
    assert "${POSTGRES_PASSWORD:?" in db["environment"]["POSTGRES_PASSWORD"]

    command = _app_command()
    upgrade, serve = command.split(" && ")
    assert upgrade == "flask --app app db upgrade"
    assert serve.startswith("exec gunicorn ")
    assert "'app:create_app()'" in serve
    port = app["ports"][0].split(":")[-1]
    assert f"--bind 0.0.0.0:{port}" in serve
    assert "/healthz" in " ".join(app["healthcheck"]["test"])
    assert env["GRADWORK_REDIS_URL"] == "redis://redis:6379/0"
    assert app["depends_on"]["redis"]["condition"] == "service_healthy"


def test_compose_redis_and_worker():
    services = COMPOSE["services"]
    redis = services["redis"]
    assert redis["image"].startswith("redis:")
    assert "ping" in " ".join(redis["healthcheck"]["test"])
    worker = services["worker"]
    assert worker["command"] == ["sh", "-c", "exec flask --app app jobs worker"]
    assert worker["depends_on"]["redis"]["condition"] == "service_healthy"
    # The app's healthy state means the migrations ran: the worker needs the tables.
    assert worker["depends_on"]["app"]["condition"] == "service_healthy"
    env, app_env = worker["environment"], services["app"]["environment"]
    assert set(env) <= {s.env for s in SETTINGS}
    for name in ("DATABASE_URL", "SECRET_KEY", "GRADWORK_REDIS_URL", "GRADWORK_BASE_URL"):
        assert env[name] == app_env[name], name


def test_dockerfile_installs_the_package_and_ships_migrations_and_problems():
    dockerfile = (ROOT / "Dockerfile").read_text()
    stages = [line for line in dockerfile.splitlines() if line.startswith("FROM ")]
    assert stages[-1].startswith("FROM python:3.11")  # the image that runs; Node only builds
    # The formula editor's files are built from the lock file, not taken from the build context.
    assert "npm ci" in dockerfile and "COPY --from=assets" in dockerfile
    for folder in ("app", "migrations", "problems"):
        assert f"COPY {folder} ./{folder}" in dockerfile
    assert "pip install ." in dockerfile
    assert "USER gradwork" in dockerfile


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_compose_app_command_serves_healthz_on_postgres(postgres_url, tmp_path):
    port = _free_port()
    command = _app_command().replace("0.0.0.0:8000", f"127.0.0.1:{port}")
    assert command != _app_command()
    env = _native_env("app", postgres_url, tmp_path)
    proc = subprocess.Popen(["sh", "-c", command], cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    status = r.status
                    break
            except OSError:
                time.sleep(0.3)
        assert status == 200, f"gunicorn did not answer /healthz; output:\n{_drain(proc)}"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
            assert r.status == 200
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def _native_env(service: str, postgres_url: str, tmp_path) -> dict[str, str]:
    """The service's compose environment, run here: defaults of ${X:-default} applied, the
    test's PostgreSQL, and the test's Redis (or none) in place of the compose host names."""
    bin_dir = Path(sys.executable).parent
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(tmp_path),
        "DATABASE_URL": postgres_url.replace("postgresql+psycopg://", "postgresql://"),
        "SECRET_KEY": "compose-test-secret-key-0123456789",
        **{k: re.sub(r"^\$\{\w+:-(.*)\}$", r"\1", str(v))
           for k, v in COMPOSE["services"][service]["environment"].items()
           if k not in {"DATABASE_URL", "SECRET_KEY"}},
    }
    if os.environ.get(REDIS_ENV):
        # A database of its own: a worker here must not take the job tests' jobs.
        env["GRADWORK_REDIS_URL"] = redis_test_url("compose_worker")
    else:
        env.pop("GRADWORK_REDIS_URL", None)
    return env


@pytest.mark.slow
def test_compose_worker_command_runs_a_job(postgres_url, tmp_path):
    """The worker service's command, natively: it picks up a job queued through the app."""
    from app import create_app
    from app.extensions import db
    from app.models import Job, JobStatus
    from app.services.jobs import queue

    env = _native_env("worker", postgres_url, tmp_path)
    migrate = subprocess.run(["flask", "--app", "app", "db", "upgrade"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
    assert migrate.returncode == 0, migrate.stderr
    overrides = {"DATABASE_URL": env["DATABASE_URL"], "SECRET_KEY": env["SECRET_KEY"],
                 "REDIS_URL": env.get("GRADWORK_REDIS_URL"), "JOBS_EMBEDDED_THREAD": False}
    app = create_app(overrides)
    proc = subprocess.Popen(["sh", "-c", COMPOSE["services"]["worker"]["command"][2]], cwd=ROOT,
                            env=env, start_new_session=True, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        with app.app_context():
            job = queue.enqueue("export", {"course_id": 424242, "format": "gradebook"}, None)
            db.session.commit()
            deadline, status = time.monotonic() + 60, None
            while time.monotonic() < deadline and proc.poll() is None:
                db.session.expire_all()
                status = db.session.get(Job, job.id).status
                if status.finished:
                    break
                time.sleep(0.3)
            # It ran: the course does not exist, and the job says so.
            assert status == JobStatus.FAILED, f"worker output:\n{_drain(proc)}"
            db.engine.dispose()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def _drain(proc: subprocess.Popen) -> str:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
    out, _ = proc.communicate(timeout=15)
    return out[-4000:]


def test_compose_command_is_valid_shell():
    assert shlex.split(_app_command())[0] == "flask"

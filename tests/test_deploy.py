"""docker-compose.yml, checked without a Docker engine.

One test reads the compose file and checks its services, commands and variables; others run
the `app` service's exact command natively (migrations, then gunicorn) against PostgreSQL and
ask /healthz, run the proxy's nginx config with Debian's nginx in front of two such app
servers, and kill -9 gunicorn's master to check that the service restarts at once on the same
port, so a broken deployment recipe fails CI here rather than in production.
"""

from __future__ import annotations

import gc
import http.client
import os
import re
import shlex
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from app import gunicorn_conf
from app.config import SETTINGS
from tests.native_service import (
    COMPOSE,
    NGINX_CONF,
    ROOT,
    NativeApp,
    NativeNginx,
    app_command,
    native_environment,
    nginx_binary,
    wait_for,
)


def test_compose_services_and_settings():
    services = COMPOSE["services"]
    assert set(services) == {"db", "app", "redis", "worker", "proxy"}
    db = services["db"]
    assert db["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert any(v.endswith(":/var/lib/postgresql/data") for v in db["volumes"])
    assert "db-data" in COMPOSE["volumes"]
    assert "ports" not in db
    # Room for several app containers' connections (one per gunicorn thread at most).
    setting = next(a for a in db["command"] if a.startswith("max_connections="))
    per_app = gunicorn_conf.workers * gunicorn_conf.threads
    assert int(setting.split("=")[1]) >= 8 * per_app + 20

    app = services["app"]
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    env = app["environment"]
    known = {s.env for s in SETTINGS}
    assert set(env) <= known, f"compose sets unknown settings: {set(env) - known}"
    assert env["DATABASE_URL"].startswith("postgresql://gradwork:")
    assert env["DATABASE_URL"].endswith("@db:5432/gradwork")
    # No secret baked into the file: both must come from the operator's environment, and every
    # app container gets the same key (sessions signed by one are read by the others).
    assert "${SECRET_KEY:?" in env["SECRET_KEY"]
    assert "${POSTGRES_PASSWORD:?" in db["environment"]["POSTGRES_PASSWORD"]
    assert env["GRADWORK_TRUSTED_PROXIES"] == "1"

    command = app_command()
    upgrade, serve = command.split(" && ")
    assert upgrade == "flask --app app db upgrade"
    assert serve.startswith("exec gunicorn --config python:app.gunicorn_conf ")
    assert "'app:create_app()'" in serve
    # Scaled out behind the proxy: the app port is on the compose network only.
    assert "ports" not in app and "container_name" not in app
    port = str(app["expose"][0])
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


def test_compose_proxy_fronts_the_app_service():
    proxy = COMPOSE["services"]["proxy"]
    assert proxy["image"].startswith("nginx:1.27")  # `server ... resolve` needs 1.27.3+
    assert proxy["depends_on"]["app"]["condition"] == "service_healthy"
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in proxy["volumes"]
    assert [p.rsplit(":", 1)[1] for p in proxy["ports"]] == ["80"]
    assert "/healthz" in " ".join(proxy["healthcheck"]["test"])
    conf = NGINX_CONF.read_text()
    port = COMPOSE["services"]["app"]["expose"][0]
    assert re.search(rf"^\s*server app:{port} resolve\b", conf, re.M)
    assert re.search(r"^\s*resolver 127\.0\.0\.11\b", conf, re.M)  # Docker's DNS
    assert re.search(r"^\s*listen 80;", conf, re.M)
    assert "proxy_pass http://gradwork_app;" in conf
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in conf
    assert conf.count("{") == conf.count("}")


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
    assert '"python:app.gunicorn_conf"' in dockerfile


def test_compose_command_is_valid_shell():
    assert shlex.split(app_command())[0] == "flask"


@pytest.mark.slow
def test_compose_app_command_serves_healthz_on_postgres(postgres_url, tmp_path):
    app = NativeApp(postgres_url, tmp_path).start()
    try:
        app.wait_healthy()
        with urllib.request.urlopen(f"{app.url}/", timeout=5) as reply:
            assert reply.status == 200
        assert len(app.worker_pids()) == gunicorn_conf.workers  # as app/gunicorn_conf.py says
        # A connection per request, even for a client that would keep it (app/gunicorn_conf.py
        # says why): each request goes to whichever process is free.
        connection = http.client.HTTPConnection("127.0.0.1", app.port, timeout=5)
        connection.request("GET", "/healthz")
        reply = connection.getresponse()
        reply.read()
        assert reply.status == 200 and reply.getheader("Connection") == "close"
        connection.close()
    finally:
        app.stop()


def _gunicorn_settings():
    """app/gunicorn_conf.py read as gunicorn reads a `python:` config: only names gunicorn
    knows become settings (a misspelt hook would be left out)."""
    from gunicorn.config import Config

    config = Config()
    for name in dir(gunicorn_conf):
        if name in config.settings:
            config.set(name, getattr(gunicorn_conf, name))
    return config


def test_gunicorn_takes_the_hooks_and_closes_connections_after_each_response():
    config = _gunicorn_settings()
    assert config.post_fork is gunicorn_conf.post_fork
    assert config.post_worker_init is gunicorn_conf.post_worker_init
    assert config.keepalive == 0
    # Nor does the proxy keep connections to the apps (it would pin them to a process).
    upstream = re.search(r"upstream gradwork_app \{(.*?)\}", NGINX_CONF.read_text(), re.S)
    assert upstream and "keepalive" not in upstream.group(1)


def test_gunicorn_workers_leave_the_loaded_application_out_of_collections():
    gc.unfreeze()
    try:
        gunicorn_conf.post_worker_init(None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


@pytest.mark.slow
def test_compose_worker_command_runs_a_job(postgres_url, tmp_path):
    """The worker service's command, natively: it picks up a job queued through the app."""
    from app import create_app
    from app.extensions import db
    from app.models import Job, JobStatus
    from app.services.jobs import queue

    env = native_environment("worker", postgres_url, tmp_path)
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


@pytest.mark.slow
def test_restart_right_after_kill_9_of_the_master(postgres_url, tmp_path):
    """The workers die with the master, so nothing keeps the port and a new master binds it
    at once, even while a request is in flight (gunicorn alone lets the orphan finish its
    requests first, holding the port, and a new master gives up after five tries)."""
    first = NativeApp(postgres_url, tmp_path).start()
    second = None
    try:
        first.wait_healthy()
        workers = first.worker_pids()
        # A request whose body is still arriving: a worker thread is busy with it.
        in_flight = socket.create_connection(("127.0.0.1", first.port))
        in_flight.sendall(b"POST /api/v1/check HTTP/1.1\r\nHost: test\r\n"
                          b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
        time.sleep(0.5)
        os.kill(first.master_pid, signal.SIGKILL)
        first.proc.wait(timeout=10)
        second = NativeApp(postgres_url, tmp_path, port=first.port).start()
        second.wait_healthy(seconds=60)
        assert "Address already in use" not in second.output()
        assert not any(_alive(p) for p in workers), "an orphaned worker outlived the master"
        in_flight.close()
    finally:
        first.stop()
        if second is not None:
            second.stop()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


needs_nginx = pytest.mark.skipif(nginx_binary() is None,
                                 reason="nginx is not installed (apt-get install nginx-light)")


@needs_nginx
def test_proxy_config_is_valid_for_nginx(tmp_path):
    result = NativeNginx(tmp_path, [8001, 8002]).check()
    assert result.returncode == 0, result.stderr


@needs_nginx
@pytest.mark.slow
def test_proxy_spreads_requests_and_survives_an_app_server(postgres_url, tmp_path):
    apps = [NativeApp(postgres_url, tmp_path / f"app{i}") for i in (1, 2)]
    for app in apps:
        app.tmp_path.mkdir()
    apps[0].start().wait_healthy()  # runs the migrations first
    apps[1].start().wait_healthy()
    proxy = NativeNginx(tmp_path, [a.port for a in apps]).start()
    try:
        assert [wait_for(f"{proxy.url}/healthz", 10) for _ in range(6)] == [200] * 6
        page = urllib.request.urlopen(f"{proxy.url}/auth/login", timeout=5)
        assert page.status == 200 and b"csrf_token" in page.read()
        apps[0].stop()
        # The proxy marks the stopped server failed and sends everything to the other.
        assert [wait_for(f"{proxy.url}/healthz", 10) for _ in range(6)] == [200] * 6
    finally:
        proxy.stop()
        for app in apps:
            app.stop()

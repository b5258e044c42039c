"""The service under test, started exactly as docker-compose.yml's `app` service starts it
(the same shell command and environment, bound to a free loopback port), against a
PostgreSQL database of the benchmark's own."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
SECRET_KEY = "load-benchmark-secret-key-0123456789"


def compose_app() -> dict:
    return yaml.safe_load(COMPOSE.read_text())["services"]["app"]


def app_command(port: int) -> str:
    command = compose_app()["command"]
    assert command[:2] == ["sh", "-c"], "the app service's command is no longer sh -c"
    bound = command[2].replace("0.0.0.0:8000", f"127.0.0.1:{port}")
    assert bound != command[2], "the app command no longer binds 0.0.0.0:8000"
    return bound


def compose_environment() -> dict[str, str]:
    """The app service's environment with compose's ${VAR:-default} resolved to defaults."""
    env = {}
    for key, value in compose_app()["environment"].items():
        env[key] = re.sub(r"^\$\{\w+:-(.*)\}$", r"\1", str(value))
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Database:
    """A fresh database on the PostgreSQL server of ``admin_url``, dropped on close."""

    admin_url: str
    name: str = field(default_factory=lambda: f"gw_load_{uuid.uuid4().hex[:10]}")

    def __post_init__(self):
        self._admin = create_engine(make_url(self.admin_url).set(drivername="postgresql+psycopg"),
                                    isolation_level="AUTOCOMMIT")
        with self._admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.name}"'))

    @property
    def url(self) -> str:
        url = make_url(self.admin_url).set(database=self.name)
        return url.render_as_string(hide_password=False)

    @property
    def sqlalchemy_url(self) -> str:
        return self.url.replace("postgresql://", "postgresql+psycopg://", 1)

    def backend_pids(self) -> list[int]:
        with self._admin.connect() as conn:
            return [row[0] for row in conn.execute(
                text("SELECT pid FROM pg_stat_activity WHERE datname = :name "
                     "AND pid <> pg_backend_pid()"), {"name": self.name})]

    def close(self) -> None:
        with self._admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self._admin.dispose()


@dataclass
class Service:
    database_url: str
    extra_env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    log_path: Path | None = None

    def environment(self) -> dict[str, str]:
        bin_dir = Path(sys.executable).parent
        return {
            "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
            "HOME": os.environ.get("HOME", "/tmp"),
            **compose_environment(),
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": SECRET_KEY,
            **self.extra_env,
        }

    def migrate(self) -> None:
        """The command's first half (`flask db upgrade`), so seeding can run before serving."""
        upgrade = app_command(self.port).split(" && ")[0]
        subprocess.run(["sh", "-c", upgrade], cwd=ROOT, env=self.environment(), check=True,
                       stdout=subprocess.DEVNULL)

    def start(self) -> None:
        self.log_path = Path(f"/tmp/gradwork-load-{self.port}.log")
        log = self.log_path.open("w")
        self.process = subprocess.Popen(["sh", "-c", app_command(self.port)], cwd=ROOT,
                                        env=self.environment(), stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the service exited; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz",
                                            timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"the service did not answer /healthz; see {self.log_path}")

    @property
    def master_pid(self) -> int:
        assert self.process is not None
        # `exec gunicorn` in the command: the shell's pid is the master's.
        return self.process.pid

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

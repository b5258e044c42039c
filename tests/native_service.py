"""docker-compose.yml's services run natively (no Docker engine in CI): the `app` command
bound to a loopback port, and the proxy's nginx config in front of such app servers."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import yaml

from tests.conftest import REDIS_ENV, redis_test_url

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
SECRET_KEY = "compose-test-secret-key-0123456789"


def native_environment(service: str, database_url: str, tmp_path: Path) -> dict[str, str]:
    """A compose service's environment, run here: defaults of ${X:-default} applied, the
    test's PostgreSQL, and the test's Redis (or none) in place of the compose host names."""
    compose_env = {k: re.sub(r"^\$\{\w+:-(.*)\}$", r"\1", str(v))
                   for k, v in COMPOSE["services"][service]["environment"].items()
                   if k not in {"DATABASE_URL", "SECRET_KEY"}}
    bin_dir = Path(sys.executable).parent
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(tmp_path),
        "DATABASE_URL": database_url.replace("postgresql+psycopg://", "postgresql://"),
        "SECRET_KEY": SECRET_KEY,
        **compose_env,
    }
    if os.environ.get(REDIS_ENV):
        # A database of its own: a worker here must not take the job tests' jobs.
        env["GRADWORK_REDIS_URL"] = redis_test_url("compose_worker")
    else:
        env.pop("GRADWORK_REDIS_URL", None)
    return env


def app_command() -> str:
    command = COMPOSE["services"]["app"]["command"]
    assert command[:2] == ["sh", "-c"]
    return command[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, deadline_seconds: float = 60, proc: subprocess.Popen | None = None):
    """The status of the first answer from `url` (None if nothing answered in time)."""
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline and (proc is None or proc.poll() is None):
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                return reply.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            time.sleep(0.2)
    return None


class NativeApp:
    """The `app` service's exact command (migrations, then gunicorn) on a loopback port."""

    def __init__(self, database_url: str, tmp_path: Path, port: int | None = None,
                 **extra_env: str):
        self.port = port or free_port()
        self.tmp_path = tmp_path
        self.database_url = database_url.replace("postgresql+psycopg://", "postgresql://")
        self.extra_env = extra_env
        self.proc: subprocess.Popen | None = None

    def environment(self) -> dict[str, str]:
        return {**native_environment("app", self.database_url, self.tmp_path),
                **self.extra_env}

    def command(self) -> str:
        command = app_command().replace("0.0.0.0:8000", f"127.0.0.1:{self.port}")
        assert command != app_command(), "the app command no longer binds 0.0.0.0:8000"
        return command

    def start(self) -> NativeApp:
        self.log = self.tmp_path / f"gunicorn-{self.port}-{time.monotonic_ns()}.log"
        with self.log.open("w") as out:
            self.proc = subprocess.Popen(["sh", "-c", self.command()], cwd=ROOT,
                                         env=self.environment(), start_new_session=True,
                                         stdout=out, stderr=subprocess.STDOUT)
        return self

    def wait_healthy(self, seconds: float = 90) -> None:
        status = wait_for(f"{self.url}/healthz", seconds, self.proc)
        assert status == 200, f"gunicorn did not answer /healthz; output:\n{self.output()}"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def master_pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid  # `exec gunicorn`: the shell became the master

    def worker_pids(self) -> list[int]:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.master_pid)],
                             capture_output=True, text=True).stdout
        return [int(p) for p in out.split()]

    def output(self) -> str:
        """What the service printed so far (the end of it)."""
        if self.proc is None:
            return ""
        return self.log.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        with _suppress_lookup():
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with _suppress_lookup():
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)


class _suppress_lookup:
    def __enter__(self):
        return self

    def __exit__(self, kind, _value, _tb):
        return kind is ProcessLookupError


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


def native_nginx_conf(listen_port: int, app_ports: list[int]) -> str:
    """deploy/nginx.conf pointed at native app servers: the upstream's `server app:...` line
    becomes one line per app server, and the dynamic resolution that needs Docker's DNS
    (and nginx 1.27.3; Debian's is older) is left out. Everything else is the file as is."""
    conf = NGINX_CONF.read_text()
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;"
                        for p in app_ports)
    conf, replaced = re.subn(r"^\s*server app:\d+ resolve[^;]*;$", servers, conf, flags=re.M)
    assert replaced == 1, "deploy/nginx.conf no longer has one `server app:PORT resolve` line"
    conf = re.sub(r"^\s*(resolver|zone) [^;]*;$", "", conf, flags=re.M)
    conf = re.sub(r"^(\s*)listen 80;$", rf"\1listen 127.0.0.1:{listen_port};", conf,
                  flags=re.M)
    return conf


class NativeNginx:
    def __init__(self, tmp_path: Path, app_ports: list[int]):
        self.port = free_port()
        self.prefix = tmp_path / "nginx"
        self.prefix.mkdir(exist_ok=True)
        self.conf = self.prefix / "nginx.conf"
        self.conf.write_text(native_nginx_conf(self.port, app_ports).replace(
            "pid /tmp/nginx.pid;", f"pid {self.prefix / 'nginx.pid'};"))
        self.proc: subprocess.Popen | None = None

    def check(self) -> subprocess.CompletedProcess:
        return subprocess.run([nginx_binary(), "-t", "-p", str(self.prefix), "-c",
                               str(self.conf)], capture_output=True, text=True)

    def start(self) -> NativeNginx:
        self.proc = subprocess.Popen([nginx_binary(), "-p", str(self.prefix), "-c",
                                      str(self.conf), "-g", "daemon off;"],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True)
        status = wait_for(f"http://127.0.0.1:{self.port}/nginx-not-there", 20, self.proc)
        assert status is not None, self.proc.communicate(timeout=5)[0]
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=15)

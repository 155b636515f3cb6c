"""A client made before os.fork() refuses to run in the child, naming the fix.

Its pool's connections belong to the parent: two processes writing on one socket mix their
requests and answers. A client made in the child works.
"""

from __future__ import annotations

import os
import sys

import pytest

from smsc import SMSCClient
from smsc.testing import ThreadedEmulator

pytestmark = pytest.mark.skipif(
    sys.platform != "linux" or not hasattr(os, "fork"), reason="os.fork on Linux"
)


def _in_child(work: object) -> str:
    """Run ``work()`` in a forked child; its one-line report (or the error's text)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report through the pipe, never return into pytest
        os.close(read)
        try:
            text = f"ok {work()}"  # type: ignore[operator]
        except BaseException as exc:
            text = f"{type(exc).__name__}: {exc}"
        os.write(write, text.encode()[:4000])
        os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 4096):
        chunks.append(chunk)
    os.close(read)
    os.waitpid(pid, 0)
    return b"".join(chunks).decode()


def test_a_client_made_before_fork_refuses_in_the_child_and_names_the_fix(
    smsc_sync_client: SMSCClient,
) -> None:
    smsc_sync_client.balance()  # the parent's pool now holds a live connection
    report = _in_child(smsc_sync_client.balance)
    assert report.startswith("SMSCError: ")
    assert "os.fork()" in report
    assert "Create the client in the child process" in report
    assert smsc_sync_client.balance().currency == "RUR"  # the parent's client still works


def test_a_with_options_copy_made_in_the_child_refuses_too(smsc_sync_client: SMSCClient) -> None:
    report = _in_child(lambda: smsc_sync_client.with_options(timeout=5.0).balance())
    assert report.startswith("SMSCError: ")
    assert "os.fork()" in report


def test_a_client_made_in_the_child_works(smsc_sync_emulator: ThreadedEmulator) -> None:
    def work() -> str:
        with SMSCClient(
            login="demo", password="demo", host=smsc_sync_emulator.url, allow_http=True
        ) as client:
            return str(client.balance().currency)

    assert _in_child(work) == "ok RUR"

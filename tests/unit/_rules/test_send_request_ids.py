"""Assigned message ids: unique across calls, threads and forked workers."""

from __future__ import annotations

import os
import re
import sys
import threading

import pytest

from smsc._rules.send_request import new_message_id

_ID = re.compile(r"s-[0-9a-f]{32}")


def test_ids_have_the_documented_form_and_do_not_repeat_across_refills() -> None:
    ids = [new_message_id() for _ in range(5000)]  # many batches of the CSPRNG buffer
    assert all(_ID.fullmatch(i) for i in ids)
    assert len(set(ids)) == len(ids)


def test_threads_drawing_at_once_never_get_the_same_id() -> None:
    drawn: list[list[str]] = [[] for _ in range(8)]
    start = threading.Barrier(8)

    def draw(out: list[str]) -> None:
        start.wait()
        out.extend(new_message_id() for _ in range(2000))

    threads = [threading.Thread(target=draw, args=(out,)) for out in drawn]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = [i for out in drawn for i in out]
    assert len(set(everything)) == len(everything) == 16000


@pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "win32", reason="needs fork")
# Python 3.12+ warns about fork in a process with threads: the child only draws ids and exits.
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_forked_worker_does_not_repeat_the_parents_next_ids() -> None:
    new_message_id()  # the buffer now holds unused random bytes that a child would inherit
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        os.close(read)
        os.write(write, ",".join(new_message_id() for _ in range(3)).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        in_child = pipe.read().split(",")
    os.waitpid(child, 0)
    in_parent = [new_message_id() for _ in range(3)]
    assert len(in_child) == 3
    assert not set(in_child) & set(in_parent)

"""``python -m benchmarks``: the loopback scenarios, then the latency model."""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

import aiohttp
import httpx
import httpx2

from . import latency, loopback
from ._server import far_side


def _machine() -> str:
    """Python, httpx, aiohttp and httpx2 versions, CPUs and load: a noisy machine shows here."""
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"Python {platform.python_version()}, httpx {httpx.__version__}, "
        f"aiohttp {aiohttp.__version__}, httpx2 {httpx2.__version__}, "
        f"{os.cpu_count()} CPUs, load average {load}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    loopback.add_arguments(parser)
    latency.add_arguments(parser)
    args = parser.parse_args()
    started = time.perf_counter()
    print(_machine())
    settings = latency.settings_from(args)
    with far_side(settings.rtt) as far:  # its plain HTTP port has no delay: loopback's
        loopback.run(loopback.settings_from(args), far.ports.http)
        print()
        latency.run(settings, far)
    print(f"\n(benchmarks took {time.perf_counter() - started:.0f} s; {_machine()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``python -m benchmarks``: the loopback scenarios, then the latency model."""

from __future__ import annotations

import argparse
import sys
import time

from . import latency, loopback
from ._server import far_side


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    loopback.add_arguments(parser)
    latency.add_arguments(parser)
    args = parser.parse_args()
    started = time.perf_counter()
    settings = latency.settings_from(args)
    with far_side(settings.rtt) as far:  # its plain HTTP port has no delay: loopback's
        loopback.run(loopback.settings_from(args), far.ports.http)
        print()
        latency.run(settings, far)
    print(f"\n(benchmarks took {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

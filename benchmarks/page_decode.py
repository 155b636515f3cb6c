"""How fast a legitimate 1,000-record history page decodes: this tree against another.

``python -m benchmarks.page_decode [OTHER_SRC]`` times ``HISTORY.read`` on one realistic page
(1,000 records of every documented field, texts with commas and Cyrillic, as the service
writes them with ``\\uXXXX`` escapes) in this tree's ``src`` and, when given, in another
checkout's ``src`` (for example the code before the answer bounds), alternating one process
of each per round so that both see the same machine. Prints the median per tree and the
ratio. Each process keeps its best of 30 decodes (the least disturbed by other work on the
machine); the median over the rounds is printed. Also times the answer-bounds pre-scan alone.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

_ROUNDS = 5
_CHILD = r"""
import json, sys, time
from datetime import date
from smsc._wire.reports import HISTORY, HistoryQuery
text = "Привет, это сообщение номер {n}: ваш код 1234, не сообщайте его никому, спасибо!"
records = [
    {"id": n, "int_id": 900000 - n, "phone": "79991234567", "status": 1,
     "status_name": "Доставлено", "err": 0, "last_date": "01.01.2024 12:00:00",
     "last_timestamp": 1704099600, "send_date": "01.01.2024 11:59:58",
     "send_timestamp": 1704099598, "cost": "3.50", "sender_id": "Shop",
     "message": text.format(n=n) * 3, "sms_cnt": 3, "format": 0, "crc": 3313730941,
     "mccmnc": "25001", "country": "Россия", "operator": "МТС", "region": "Москва"}
    for n in range(1000)
]
body = json.dumps(records).encode()  # ensure_ascii: \\uXXXX escapes, as PHP writes
query = HistoryQuery(date(2024, 1, 1), date(2024, 1, 1))
for _ in range(3):
    HISTORY.read(body, query)
times = []
for _ in range(30):
    start = time.perf_counter()
    HISTORY.read(body, query)
    times.append(time.perf_counter() - start)
scan = None
try:
    from smsc._wire.bounds import count_items
    scan_times = []
    for _ in range(30):
        start = time.perf_counter()
        count_items(body, 96064)
        scan_times.append(time.perf_counter() - start)
    scan = min(scan_times)
except ImportError:
    pass
print(json.dumps({"best": min(times), "bytes": len(body), "scan": scan}))
"""


def _time(src: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run(
        [sys.executable, "-c", _CHILD], env=env, capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(out.stdout)
    return result


def main() -> None:
    here = Path(__file__).resolve().parents[1] / "src"
    other = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    mine: list[float] = []
    theirs: list[float] = []
    scans: list[float] = []
    size = 0.0
    for _ in range(_ROUNDS):
        if other is not None:
            theirs.append(_time(other)["best"])
        result = _time(here)
        mine.append(result["best"])
        scans.append(result["scan"] or 0.0)
        size = result["bytes"]
    print(f"page of 1,000 records, {size / 1024:.0f} KiB")
    print(
        f"this tree: {statistics.median(mine) * 1000:.2f} ms per page (median of {_ROUNDS} bests)"
    )
    print(f"  of which the bounds pre-scan: {statistics.median(scans) * 1000:.2f} ms")
    if other is not None:
        base = statistics.median(theirs)
        print(f"other tree: {base * 1000:.2f} ms per page")
        print(f"ratio this/other: {statistics.median(mine) / base:.3f}")


if __name__ == "__main__":
    main()

"""``make bench``: the SDK against raw clients, on loopback and over a latency model.

Run everything with ``python -m benchmarks`` (``--help`` lists the knobs), or one part with
``python -m benchmarks.loopback`` / ``python -m benchmarks.latency``.
"""

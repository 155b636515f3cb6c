"""Groups of commands as namespaces of the client (``client.jobs``, ``client.senders``, ...)."""

from __future__ import annotations

from .jobs import Jobs

__all__ = ["Jobs"]

"""Groups of commands as namespaces of the client (``client.jobs``, ...)."""

from __future__ import annotations

from .jobs import Jobs

__all__ = ["Jobs"]

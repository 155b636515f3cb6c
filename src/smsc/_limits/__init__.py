"""Per-login limits of the SMSC service, for one process or for a fleet sharing a Redis.

``InProcessLimiter`` needs nothing; ``RedisLimiter`` and ``RedisSeenSet`` need the ``redis``
extra and are imported only when first used, so ``import smsc`` never imports redis.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._errors import IdenticalRequestError, LimitExceededError
from .._extras import raise_missing_extra
from ._base import (
    DEFAULT_MAX_CONCURRENCY,
    DEFAULT_RULES,
    SERVICE_CONCURRENCY_CEILING,
    Hit,
    Limiter,
    SeenSet,
    WindowRule,
    fingerprint,
)
from .local import InProcessLimiter

if TYPE_CHECKING:
    from ._redis import RedisLimiter
    from .seen import RedisSeenSet

__all__ = [
    "DEFAULT_MAX_CONCURRENCY",
    "DEFAULT_RULES",
    "SERVICE_CONCURRENCY_CEILING",
    "Hit",
    "IdenticalRequestError",
    "InProcessLimiter",
    "LimitExceededError",
    "Limiter",
    "RedisLimiter",
    "RedisSeenSet",
    "SeenSet",
    "WindowRule",
    "fingerprint",
]


def __getattr__(name: str) -> Any:
    # Without the extra: an error that says which one to install, not a bare "no module".
    try:
        if name == "RedisLimiter":
            from ._redis import RedisLimiter

            return RedisLimiter
        if name == "RedisSeenSet":
            from .seen import RedisSeenSet

            return RedisSeenSet
    except ModuleNotFoundError as exc:
        raise_missing_extra(exc, f"smsc.{name}", "redis")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

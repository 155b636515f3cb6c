"""Names backed by an optional extra say which extra to install when it is missing."""

from __future__ import annotations

from typing import NoReturn

__all__ = ["EXTRA_MODULES", "MissingExtraError", "raise_missing_extra"]


class MissingExtraError(ModuleNotFoundError):
    """A name of ``smsc`` needs an optional extra that is not installed.

    A ``ModuleNotFoundError`` (so ``except ImportError`` still catches it) whose message says
    which extra to install: ``pip install "smsc-async[redis]"``.

    Attributes:
        extra: the extra to install (``"redis"``).
        name: the module that is missing (``"redis"``), as for any ``ModuleNotFoundError``.
    """

    def __init__(self, feature: str, extra: str, missing: str) -> None:
        super().__init__(
            f"{feature} needs the {extra!r} extra ({missing} is not installed): "
            f'pip install "smsc-async[{extra}]"',
            name=missing,
        )
        self.extra = extra


EXTRA_MODULES: dict[str, frozenset[str]] = {
    "redis": frozenset({"redis"}),
    "aiohttp": frozenset({"aiohttp", "aiohappyeyeballs", "aiosignal", "multidict", "yarl"}),
}
"""The top-level modules each extra brings that the SDK imports (directly or through them)."""


def raise_missing_extra(exc: ModuleNotFoundError, feature: str, extra: str) -> NoReturn:
    """Raise :class:`MissingExtraError` when ``exc`` is about a module of ``extra``, else
    ``exc`` itself (a broken install of something else is not hidden behind a hint)."""
    missing = (exc.name or "").partition(".")[0]
    if missing in EXTRA_MODULES[extra]:
        raise MissingExtraError(feature, extra, missing) from exc
    raise exc

"""``CommandSpec``: everything the SDK knows about one command of the service, in one value."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import ValidationError

from .._errors import InvalidResponseError
from .bounds import AnswerBounds, bounds_for
from .errors import ErrorTable, api_error
from .values import excerpt, integer, is_whole_json, load_json, message_id

__all__ = ["CommandSpec", "LimitKeys", "no_limits", "raise_for_error"]

_A = TypeVar("_A")
_R = TypeVar("_R")

_MAX_TEXT_IN_ERROR = 200

LimitKeys = Sequence[tuple[str, str]]
"""``(rule, key)`` pairs: the per-login limit rules one request counts against."""


def no_limits(_: object) -> LimitKeys:
    """A command with no per-login window rule (only the in-flight cap applies)."""
    return ()


@dataclass(frozen=True, eq=False)
class CommandSpec(Generic[_A, _R]):
    """One command: where it goes, whether it may be repeated, its errors, encode and decode.

    ``_A`` is the command's validated arguments (a request model), ``_R`` its result model.
    The request pipeline (``smsc._base_client``) needs nothing else to run a command.

    Attributes:
        name: the command's name in errors, logs and failover events (``"send"``).
        path: the path under the site's base URL (``"/sys/send.php"``).
        may_repeat: True when repeating the request after it may have reached the service
            does no harm (a query). False for a command with an effect (a send): it is
            repeated only when it provably never left, and a failure after it may have left
            is reported as an unknown outcome.
        errors: the command's error-code table (required: never another command's).
        encode: the arguments as form fields (credentials and ``fmt`` are added by the
            pipeline).
        decode: the answer's JSON value (already checked not to be an error answer), the raw
            body (for error excerpts) and the arguments -> the result model.
        check: true for a body that looks whole (the failover transport repeats a repeatable
            request that got a bad one).
        secrets: the secrets the arguments carry besides the account's (a sub-client's
            password), kept out of the command's errors like the account's own.
        sends: for a command that may not be repeated: True when it sends messages (a send,
            a list send, a mailing), whose unknown outcome is a ``SendOutcomeUnknownError``
            naming the request's ``id`` and ``phones``; False for any other write (an
            ``OutcomeUnknownError`` naming the command).
        limits: the arguments -> the ``(rule, key)`` pairs of the per-login window rules the
            request counts against (rule names of ``smsc._limits.DEFAULT_RULES``); a client
            with a ``limiter`` counts them before the request is written.
        bounds: the arguments -> what the answer may hold (:class:`AnswerBounds`: bytes once
            decoded, JSON items), checked before any object is built from it. ``None``: the
            command's row of ``smsc._wire.bounds.ANSWER_BOUNDS``, else one small object.
    """

    name: str
    path: str
    may_repeat: bool
    errors: ErrorTable
    encode: Callable[[_A], dict[str, str]]
    decode: Callable[[Any, bytes, _A], _R]
    check: Callable[[bytes], bool] = is_whole_json
    secrets: Callable[[_A], tuple[str, ...]] | None = None
    sends: bool = True
    limits: Callable[[_A], LimitKeys] = no_limits
    bounds: Callable[[_A], AnswerBounds] | None = None

    def __post_init__(self) -> None:
        if self.bounds is None:
            object.__setattr__(self, "bounds", bounds_for(self.name))
        if not self.errors:
            raise TypeError(f"command {self.name!r} has no error table")
        if not self.path.startswith("/"):
            raise TypeError(f"command {self.name!r}: path must start with '/'")

    def answer_bounds(self, args: _A) -> AnswerBounds:
        """What the answer to a request with ``args`` may hold."""
        rule = self.bounds
        assert rule is not None  # set by __post_init__
        return rule(args)

    def read(self, body: bytes, args: _A) -> _R:
        """Decode an answer: its result, or the typed error it carries.

        Total on any bytes: the result, an :class:`APIError` or an
        :class:`InvalidResponseError`, nothing else. An answer beyond the command's
        :attr:`bounds` is refused before any object is built from it.
        """
        limit = self.answer_bounds(args)
        if len(body) > limit.bytes:
            raise InvalidResponseError(
                f"{self.name}: the answer is larger than {limit.bytes} bytes",
                body_excerpt=excerpt(body),
            )
        try:
            data = load_json(body, self.name, limit.items)
            raise_for_error(data, self.name, self.errors, body)
            return self.decode(data, body, args)
        except (ValidationError, ArithmeticError, ValueError, TypeError):
            raise InvalidResponseError(f"{self.name}: the answer holds unusable values") from None


def raise_for_error(data: Any, command: str, table: ErrorTable, body: bytes) -> None:
    """Raise the typed error an error answer (``error_code``/``error``) carries."""
    if isinstance(data, dict) and ("error_code" in data or "error" in data):
        code = integer(data.get("error_code"), 0)
        if code is None:
            raise InvalidResponseError(
                f"{command}: error answer with an unreadable code", body_excerpt=excerpt(body)
            )
        description = data.get("error")
        raise api_error(
            command,
            table,
            code,
            str(description)[:_MAX_TEXT_IN_ERROR] if description is not None else None,
            message_id=message_id(data.get("id"), command, body),
        )

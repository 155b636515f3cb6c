"""The keyword options of ``AsyncSMSCClient(...)`` and ``with_options(...)``, typed.

They are the fields of :class:`~smsc.SMSCConfig`, so that an editor lists them and mypy
refuses a misspelt one (``timout=5``) instead of accepting ``**Any``; at run time the
config refuses unknown names too (``ConfigurationError``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

from pydantic import SecretStr

__all__ = ["ClientOptions", "ClientOverrides"]


class ClientOptions(TypedDict, total=False):
    """Settings ``AsyncSMSCClient(...)`` takes as keywords besides its named arguments.

    Each is the :class:`~smsc.SMSCConfig` field of the same name (see
    [Configuration](configuration.md) for what it means and its default).
    """

    mirrors: Sequence[str] | None
    failover: bool
    timeout: float
    connect_timeout: float
    max_concurrency: int
    max_retries: int
    retry_deadline: float
    mirror_cooldown: float
    assign_ids: bool
    smtp_host: str | None
    smtp_port: int
    smtp_sender: str
    smtp_recipient: str | None
    smtp_timeout: float
    smtp_starttls: bool | None


class ClientOverrides(ClientOptions, total=False):
    """What ``with_options(...)`` takes: every :class:`ClientOptions` and the credentials.

    ``max_concurrency``, and with the SDK's own pool ``host``, ``mirrors``, ``failover`` and
    ``mirror_cooldown``, belong to the pool the copy shares: changing them raises
    ``ConfigurationError``.
    """

    login: str | None
    password: str | SecretStr | None
    api_key: str | SecretStr | None
    host: str
    allow_http: bool

"""Client configuration: credentials, site, transport and SMTP settings."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)

from ._errors import ConfigurationError

__all__ = ["KNOWN_SITES", "SMSCConfig"]

KNOWN_SITES: tuple[str, ...] = ("smsc.ru", "smscentre.com", "smsc.kz", "smsc.ua")
"""Sites whose documented mirrors (``www2`` and the libraries' ``www3``..``www5``) are known."""

DEFAULT_MAX_CONCURRENCY = 10
"""Below the service's limit: error 9 at 15 or more simultaneous requests per login."""

MAX_CONCURRENCY = 14
"""The highest ``max_concurrency``: the service answers error 9 to a 15th simultaneous request."""


def _describe(error: ValidationError) -> str:
    # Only field names and pydantic's message: never the input value, which may be a secret.
    parts = []
    for item in error.errors(include_url=False, include_input=False):
        where = ".".join(str(p) for p in item["loc"]) or "config"
        parts.append(f"{where}: {item['msg']}")
    return "invalid SMSC configuration: " + "; ".join(parts)


class SMSCConfig(BaseModel):
    """Everything an :class:`~smsc.AsyncSMSCClient` needs to reach the service.

    Give exactly one credential: ``login`` with ``password``, or ``api_key``.

    Attributes:
        login: account login.
        password: an API password of the account (kept as ``SecretStr``).
        api_key: an API key, used instead of login and password.
        host: ``"smsc.ru"`` (default), ``"smscentre.com"``, ``"smsc.kz"``, ``"smsc.ua"``, any other
            host name, or a full base URL such as ``"https://smsc.example"``.
        allow_http: allow a plain ``http://`` base URL. Off by default: the password travels in
            the request body, which only HTTPS protects.
        mirrors: explicit ordered list of fallback base URLs. ``None`` means the documented
            ``www2``..``www5`` mirrors of a known site (none for other hosts).
        failover: try the mirrors when the primary site cannot be reached.
        timeout: overall seconds for reading an answer (and writing / pool waits).
        connect_timeout: seconds to establish a connection.
        max_concurrency: requests in flight at once from one client; further calls queue.
        max_retries: extra attempts for calls that are safe to repeat (status, balance, cost).
        retry_deadline: seconds one call may take in all, retries and failover included.
        mirror_cooldown: seconds a failed site is skipped before it is tried again.
        assign_ids: give every send a unique ``id`` when the caller gives none, so that an
            unknown outcome can be checked with ``status``.

    Raises:
        ConfigurationError: both or neither credential, a bad host, plain HTTP without opt-in.
    """

    model_config = ConfigDict(
        frozen=True, extra="forbid", hide_input_in_errors=True, defer_build=True
    )

    login: str | None = None
    password: SecretStr | None = None
    api_key: SecretStr | None = None
    host: str = "smsc.ru"
    allow_http: bool = False
    mirrors: tuple[str, ...] | None = None
    failover: bool = True
    timeout: float = Field(default=30.0, gt=0, allow_inf_nan=False)
    connect_timeout: float = Field(default=5.0, gt=0, allow_inf_nan=False)
    max_concurrency: int = Field(default=DEFAULT_MAX_CONCURRENCY, ge=1)
    max_retries: int = Field(default=3, ge=0, le=10)
    retry_deadline: float = Field(default=60.0, gt=0, allow_inf_nan=False)
    mirror_cooldown: float = Field(default=30.0, ge=0, allow_inf_nan=False)
    assign_ids: bool = True
    smtp_host: str | None = None
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_sender: str = "smsc-async@localhost"
    smtp_recipient: str | None = None
    smtp_timeout: float = Field(default=30.0, gt=0, allow_inf_nan=False)
    smtp_starttls: bool | None = None
    """``None``: use STARTTLS when the server offers it; ``True``: require it; ``False``: never."""

    @model_validator(mode="wrap")
    @classmethod
    def _typed_errors(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        try:
            return handler(data)
        except ValidationError as exc:
            raise ConfigurationError(_describe(exc)) from None

    @field_validator("login")
    @classmethod
    def _login(cls, value: str | None) -> str | None:
        if value is not None:
            value = value.strip()
            if not value:
                return None
        return value

    @field_validator("max_concurrency")
    @classmethod
    def _max_concurrency(cls, value: int) -> int:
        if value > MAX_CONCURRENCY:
            raise ConfigurationError(
                f"max_concurrency={value} refused: the service answers error 9 (too many "
                f"concurrent requests) at 15 or more simultaneous requests per login, so at "
                f"most {MAX_CONCURRENCY} may be in flight; further calls queue in the client"
            )
        return value

    @field_validator("login", "password", "api_key", mode="before")
    @classmethod
    def _encodable(cls, value: object) -> object:
        # A lone surrogate cannot be sent as UTF-8: refused here, not when the request is built.
        raw = value.get_secret_value() if isinstance(value, SecretStr) else value
        if isinstance(raw, str) and any("\ud800" <= c <= "\udfff" for c in raw):
            raise ConfigurationError(
                "login, password and api_key must be text UTF-8 can carry (no lone surrogate)"
            )
        return value

    @field_validator("api_key")
    @classmethod
    def _api_key(cls, value: SecretStr | None) -> SecretStr | None:
        # A key read from a file or a secret store often ends in a newline; keys hold none.
        if value is not None and value.get_secret_value() != value.get_secret_value().strip():
            return SecretStr(value.get_secret_value().strip())
        return value

    @field_validator("host")
    @classmethod
    def _host(cls, value: str) -> str:
        value = _strip_sys(value.strip())
        if not value:
            raise ConfigurationError("host must not be empty")
        return value

    @field_validator("mirrors")
    @classmethod
    def _mirrors(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        return None if value is None else tuple(_strip_sys(m.strip()) for m in value)

    @model_validator(mode="after")
    def _check(self) -> SMSCConfig:
        has_password = self.login is not None or self.password is not None
        if self.api_key is not None and has_password:
            raise ConfigurationError("give either login and password, or api_key, not both")
        if self.api_key is None:
            if self.login is None or self.password is None:
                raise ConfigurationError(_missing_credentials(self.login, self.password))
            if not self.password.get_secret_value():
                raise ConfigurationError("password must not be empty")
        elif not self.api_key.get_secret_value():
            raise ConfigurationError("api_key must not be empty")
        for url in (self.base_url, *(self.mirrors or ())):
            _check_url(url, allow_http=self.allow_http)
        return self

    # ------------------------------------------------------------------ derived values

    @property
    def base_url(self) -> str:
        """The primary site's base URL, e.g. ``https://smsc.ru``."""
        if "://" in self.host:
            return self.host
        return f"https://{self.host}"

    @property
    def domain(self) -> str:
        """The primary site's host name without port, e.g. ``smsc.ru``."""
        return urlsplit(self.base_url).hostname or self.host

    @property
    def sites(self) -> tuple[str, ...]:
        """Base URLs in failover order: the primary first, then its mirrors."""
        if not self.failover:
            return (self.base_url,)
        if self.mirrors is not None:
            extra = tuple(m.rstrip("/") for m in self.mirrors)
        else:
            extra = _documented_mirrors(self.base_url)
        return (self.base_url, *(m for m in extra if m != self.base_url))

    @property
    def http_timeout(self) -> httpx.Timeout:
        """The default :class:`httpx.Timeout` built from ``timeout`` and ``connect_timeout``."""
        return httpx.Timeout(self.timeout, connect=self.connect_timeout)

    @property
    def smtp_gateway_host(self) -> str:
        """The SMTP gateway host: ``smtp_host`` or ``send.<domain>``."""
        return self.smtp_host or f"send.{_site_domain(self.domain)}"

    @property
    def smtp_gateway_recipient(self) -> str:
        """The gateway's recipient address: ``smtp_recipient`` or ``send@send.<domain>``."""
        return self.smtp_recipient or f"send@send.{_site_domain(self.domain)}"

    # ------------------------------------------------------------------ constructors

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> SMSCConfig:
        """Build a config from ``SMSC_LOGIN``, ``SMSC_PASSWORD``, ``SMSC_API_KEY``, ``SMSC_HOST``.

        Keyword arguments override the environment. ``SMSC_ALLOW_HTTP=1`` allows plain HTTP.
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        readers: dict[str, tuple[str, Callable[[str], Any]]] = {
            "login": ("SMSC_LOGIN", str),
            "password": ("SMSC_PASSWORD", str),
            "api_key": ("SMSC_API_KEY", str),
            "host": ("SMSC_HOST", str),
            "allow_http": ("SMSC_ALLOW_HTTP", _env_flag),
        }
        for field, (name, convert) in readers.items():
            raw = env.get(name)
            if raw:
                values[field] = convert(raw)
        values.update(overrides)
        return cls(**values)


def _missing_credentials(login: str | None, password: SecretStr | None) -> str:
    """Which credential is missing, named as an argument and as a variable."""
    if login is not None:
        return (
            "password missing: login is set (login= or SMSC_LOGIN) but no password; give "
            "password= or set SMSC_PASSWORD (or use api_key= / SMSC_API_KEY instead of both)"
        )
    if password is not None:
        return (
            "login missing: password is set (password= or SMSC_PASSWORD) but no login; give "
            "login= or set SMSC_LOGIN (or use api_key= / SMSC_API_KEY instead of both)"
        )
    return (
        "credentials missing: give login and password, or api_key "
        "(or set SMSC_LOGIN and SMSC_PASSWORD, or SMSC_API_KEY)"
    )


def _strip_sys(url: str) -> str:
    # "https://smsc.ru/sys/" -> "https://smsc.ru": the SDK adds /sys/<command>.php itself,
    # and the documentation's URLs invite copying the folder with the host.
    url = url.rstrip("/")
    if url.lower().endswith("/sys"):
        url = url[: -len("/sys")].rstrip("/")
    return url


_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def _env_flag(value: str) -> bool:
    """An environment switch; anything but the usual spellings is refused, not read as off."""
    word = value.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ConfigurationError("SMSC_ALLOW_HTTP must be one of 1/0, true/false, yes/no, on/off")


def _site_domain(hostname: str) -> str:
    # www2.smsc.ru -> smsc.ru ; smsc.ru -> smsc.ru
    for known in KNOWN_SITES:
        if hostname == known or hostname.endswith("." + known):
            return known
    return hostname


def _documented_mirrors(base_url: str) -> tuple[str, ...]:
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    known = _site_domain(host)
    if known not in KNOWN_SITES or host not in (known, "www." + known):
        return ()
    port = f":{parts.port}" if parts.port else ""
    return tuple(f"{parts.scheme}://www{n}.{known}{port}" for n in range(2, 6))


def _check_url(url: str, *, allow_http: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(f"not a usable base URL: {parts.scheme}://{parts.hostname}")
    if parts.username or parts.password:
        raise ConfigurationError("credentials must not be put in the base URL")
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not 0..65535
    except ValueError:
        raise ConfigurationError(f"not a usable port in the base URL of {parts.hostname}") from None
    if parts.query or parts.fragment or "?" in url or "#" in url:
        raise ConfigurationError(f"a base URL takes no query or fragment (site {parts.hostname})")
    if parts.scheme == "http" and not allow_http:
        raise ConfigurationError(
            f"plain HTTP to {parts.hostname} refused (the password would travel unencrypted): "
            "pass allow_http=True or set SMSC_ALLOW_HTTP=1 to opt in (smsc: --allow-http)"
        )

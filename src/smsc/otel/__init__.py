"""OpenTelemetry for the SDK: spans and metrics made from a client's events.

Needs the ``otel`` extra (``pip install "smsc-async[otel]"``: ``opentelemetry-api`` only; the
SDK, exporters and providers are the application's choice)::

    from smsc import AsyncSMSCClient
    from smsc.otel import instrument

    client = AsyncSMSCClient()
    instrument(client)  # the global tracer and meter providers, or pass your own

Each SDK call becomes a span ``smsc <command>`` with one child span per HTTP attempt (OTel's
HTTP client conventions; ``url.full`` is scheme, host and path only), and the metrics of the
"Observability" guide are recorded. The generic HTTP instrumentations are suppressed for the
SDK's own requests. No phone, text, login, password, key or message id is recorded.
``import smsc`` never imports this module or OpenTelemetry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ._telemetry import SCOPE, Telemetry

if TYPE_CHECKING:
    from opentelemetry.metrics import MeterProvider
    from opentelemetry.trace import TracerProvider

    from .._base_client import BaseClient

__all__ = ["SCOPE", "Telemetry", "instrument"]


def instrument(
    client: BaseClient,
    *,
    tracer_provider: TracerProvider | None = None,
    meter_provider: MeterProvider | None = None,
) -> Callable[[], None]:
    """Record ``client``'s calls as spans and metrics (and its ``with_options`` copies').

    Args:
        client: an :class:`~smsc.AsyncSMSCClient`.
        tracer_provider, meter_provider: the providers to use; the global ones when omitted.

    Returns:
        A function that stops the recording again.
    """
    return client.events.on(Telemetry(tracer_provider, meter_provider))

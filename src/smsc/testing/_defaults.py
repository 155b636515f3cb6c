"""The demo account the pytest fixtures create, importable without pytest."""

from __future__ import annotations

from decimal import Decimal

__all__ = ["DEMO_API_KEY", "DEMO_BALANCE", "DEMO_LOGIN", "DEMO_PASSWORD", "EMULATOR_BASE_URL"]

DEMO_LOGIN = "demo"
DEMO_PASSWORD = "demo"
DEMO_API_KEY = "demo-api-key"
DEMO_BALANCE = Decimal("1000.00")
EMULATOR_BASE_URL = "https://emulator.smsc.test"
"""The base URL the in-process client uses (never resolved: the transport is the app)."""

"""Statuses and delivery errors in words, for people and for ``--json`` alike."""

from __future__ import annotations

from smsc import DeliveryError, MessageStatus, StatusCode

__all__ = ["error_words", "status_record", "status_words"]


def status_words(status: StatusCode | int) -> str:
    """``"Delivered (1)"``; a code the SDK does not know yet stays a number."""
    if isinstance(status, StatusCode):
        return f"{status.description} ({int(status)})"
    return f"unknown status ({status})"


def error_words(error: DeliveryError | int | None) -> str | None:
    """``"Subscriber does not exist (error 1)"``, or ``None`` when there is no error."""
    if error is None or error == DeliveryError.NONE:
        return None
    if isinstance(error, DeliveryError):
        return f"{error.description} (error {int(error)})"
    return f"unknown delivery error ({error})"


def status_record(status: MessageStatus) -> dict[str, object]:
    """A status as a JSON-ready mapping, with its code and error also in words."""
    record: dict[str, object] = status.model_dump(mode="json", exclude_defaults=True)
    record["status"] = int(status.status)
    record["status_text"] = status_words(status.status)
    record["final"] = status.is_final
    record["delivered"] = status.is_delivered
    record["error_text"] = error_words(status.error)
    return record

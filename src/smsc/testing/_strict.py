"""Strict mode: the emulator holds every HTTP request to the conformance corpus.

The corpus (``smsc/_wire/conformance/corpus.json``) is written from the service's pages. In
strict mode (the default) a request naming a parameter the corpus does not document for the
action it asks (``get=1`` of ``senders.php``, ``get_stat=1`` of ``get.php``...), or giving a
parameter whose values the page lists a value outside them (``all=3``), is answered error 1;
and a handler's error answer must carry a code the pages list for that action (or one the
corpus assumes, with its reason): any other code is a defect of the emulator and raises
:class:`ConformanceViolation`, so a test that meets it fails loudly.

The pages do not say what the service does with a parameter it does not know: answering
error 1 is the emulator's choice (an assumption, deliberately stricter than the service may
be), made so that an SDK reading the documentation wrongly fails its own tests.
``SMSCEmulator(strict=False)`` (CLI ``--lenient``) turns both checks off. SMTP requests are not
checked: the e-mail gateway's body has its own fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .._wire.conformance import Corpus, corpus
from ._answers import Answer, ErrorAnswer

__all__ = ["ConformanceViolation", "StrictCheck"]


class ConformanceViolation(AssertionError):
    """The emulator answered an error code the pages do not list for the action (strict mode):
    a defect of the emulator, never an answer of the service."""


@dataclass(frozen=True)
class Refusal:
    """Why strict mode answered a request error 1."""

    path: str
    action: str | None
    parameters: tuple[str, ...]

    def __str__(self) -> str:
        names = ", ".join(self.parameters)
        return f"{self.path} ({self.action or 'no documented action'}): undocumented {names}"


class StrictCheck:
    """The two checks of strict mode, against one corpus."""

    def __init__(self, book: Corpus | None = None) -> None:
        self._book = book or corpus()

    def _endpoint_path(self, path: str) -> str | None:
        """The corpus's spelling of ``path`` (``/rest/send`` is ``/rest/send/``), or None."""
        endpoints = self._book.endpoints
        for candidate in (path, path.rstrip("/") + "/"):
            if candidate in endpoints:
                return candidate
        return None

    def refusal(self, path: str, params: Mapping[str, str]) -> Refusal | None:
        """Why ``params`` sent to ``path`` are refused, or None when every one is documented
        (an unknown path is not this check's business)."""
        book = self._book
        found = self._endpoint_path(path)
        if found is None:
            return None
        path, endpoint = found, book.endpoints[found]
        action = endpoint.action_for(params)
        if action is None:
            return Refusal(path, None, tuple(sorted(params.keys() - book.common.keys())))
        documented = book.documented_params(path, action)
        unknown = sorted(params.keys() - documented.keys())
        for key, value in params.items():
            values = documented[key].values if key in documented else None
            if values is not None and value not in values:
                unknown.append(f"{key}={value}")
        return Refusal(path, action.name if action else None, tuple(unknown)) if unknown else None

    def check_answer(self, path: str, params: Mapping[str, str], answer: Answer) -> None:
        """Raise :class:`ConformanceViolation` for an error code not listed for the action."""
        if not isinstance(answer, ErrorAnswer):
            return
        found = self._endpoint_path(path)
        if found is None:
            return
        path, endpoint = found, self._book.endpoints[found]
        action = endpoint.action_for(params)
        if answer.code not in endpoint.errors_of(action).allowed:
            raise ConformanceViolation(
                f"emulator answered error {answer.code} on {path}"
                f" ({action.name if action else 'no action'}), which the pages do not list"
            )

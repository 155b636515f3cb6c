"""Every ``CommandSpec`` held to the conformance corpus (``smsc/_wire/conformance/corpus.json``).

The corpus is written from the service's pages, not from the SDK, so these tests catch a
misreading that the SDK and the emulator share. Four rules:

(a) every command of :data:`smsc._wire.COMMANDS` has a corpus entry on its own path;
(b) every field a spec can encode is documented for its action (or its endpoint's shared
    table), with a value the page lists where it lists the values;
(c) every documented parameter of an offered endpoint is offered by some spec, or listed by
    the corpus as not offered, with why;
(d) every error code a spec's table maps is one the pages list for its action (or an
    assumption with its reason).

Where today's SDK disagrees with the pages in a way the ``account`` engineer is fixing (issue
22 items 1-7), the disagreement is written in :data:`PENDING_ACCOUNT_FIXES`, not hidden by
weakening the corpus. The list must equal what the rules find: a fixed item left in it fails
(so the list cannot go stale), and so does a new disagreement not in it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import httpx
import pytest
import respx

from smsc import AsyncSMSCClient, RequestValidationError
from smsc._errors import InsufficientFundsError
from smsc._wire import COMMANDS, COMMON_FIELDS
from smsc._wire.conformance import Corpus, corpus, parse
from smsc.testing import SMSCEmulator

from .spec_fields import argument_variants, encodable_fields, encoded_forms

Disagreement = tuple[Any, ...]

PENDING_ACCOUNT_FIXES: dict[Disagreement, int] = {}
"""Disagreements between the SDK (or emulator) and the pages that wait for a fix, with the
item of issue 22 that fixes them. Empty since the ``account`` fixes of items 1-7 were merged
and reconciled: the tests below fail while it differs from what they find, so a fixed item
cannot stay listed and a new disagreement cannot pass unlisted."""

OTHER_DISAGREEMENTS: dict[Disagreement, str] = {}
"""Disagreements found here outside issue 22's items 1-7, each with what it is. Held to the
same rule: the tests fail when one is fixed and still listed. Empty: the one found
(``client.history(type=...)`` sending any MessageType as ``format``) is fixed, the history
page's two values being the only ones the SDK sends (``smsc._wire.reports.HISTORY_TYPES``)."""


# ----------------------------------------------------------------------------- the rules


def _pipeline_fields() -> frozenset[str]:
    """Fields the request pipeline adds to every command (credentials, fmt, charset)."""
    return frozenset({"login", "psw", "apikey", *COMMON_FIELDS})


def missing_entries(book: Corpus) -> set[str]:
    """(a) Commands of ``COMMANDS`` without a corpus entry on their own path."""
    return {
        name
        for name, spec in COMMANDS.items()
        if name not in book.commands or book.commands[name][0] != spec.path
    }


def undocumented_fields(book: Corpus) -> set[Disagreement]:
    """(b) Fields a spec can encode that the corpus does not document for its action."""
    found: set[Disagreement] = set()
    for name in COMMANDS:
        endpoint, action = book.command(name)
        if action is None:
            found.add(("undocumented_action", name))
            continue
        documented = book.documented_params(endpoint.path, action)
        for key in encodable_fields(name) - documented.keys():
            found.add(("undocumented_field", name, key))
        for form in encoded_forms(COMMANDS[name]):
            for key, value in form.items():
                values = documented[key].values if key in documented else None
                if values is not None and value not in values:
                    found.add(("undocumented_value", name, key, value))
    return found


def _offered_by_path(book: Corpus) -> dict[str, set[str]]:
    offered: dict[str, set[str]] = {}
    for name in COMMANDS:
        offered.setdefault(book.commands[name][0], set()).update(encodable_fields(name))
    return offered


def options_not_offered(book: Corpus) -> set[Disagreement]:
    """(c) Documented parameters and actions of an offered endpoint that no spec sends and
    the corpus does not list as not offered; and "not offered" entries that are offered."""
    offered = _offered_by_path(book)
    used_actions = {(path, action) for path, action in book.commands.values()}
    found: set[Disagreement] = set()
    for path, endpoint in book.endpoints.items():
        if not endpoint.offered:
            continue
        sent = offered.get(path, set())
        documented = set(endpoint.params)
        for action in endpoint.actions.values():
            documented |= set(action.params)
            if (path, action.name) not in used_actions:
                found.add(("action_not_offered", path, action.name))
        for key in documented - sent - set(endpoint.not_offered):
            found.add(("not_offered", path, key))
        for key in set(endpoint.not_offered) & sent:
            found.add(("listed_not_offered_but_offered", path, key))
        for key in set(endpoint.not_offered) - documented:
            found.add(("listed_not_offered_but_undocumented", path, key))
    return found


def undocumented_errors(book: Corpus) -> set[Disagreement]:
    """(d) Codes a spec's error table maps that the pages do not list for its action."""
    found: set[Disagreement] = set()
    for name, spec in COMMANDS.items():
        endpoint, action = book.command(name)
        if action is None:
            continue  # counted once as an undocumented action
        allowed = endpoint.errors_of(action).allowed
        for code in set(spec.errors) - allowed:
            found.add(("undocumented_error", name, code))
    return found


# ----------------------------------------------------------------------------- probes


def _statistics_reads_balance2_as_a_balance() -> bool:
    """Item 2: ``balance2`` selects the electronic balance's messages, so plain statistics
    must not send it, and the answer has no balance for the SDK to read."""
    from smsc._models.reports import Statistics
    from smsc._wire.reports import STATISTICS, StatisticsQuery

    plain = STATISTICS.encode(StatisticsQuery(date(2030, 1, 1), date(2030, 1, 2)))
    return "balance2" in plain or "balance" in Statistics.model_fields


def _operator_templates_list_is_a_bare_get() -> bool:
    """Item 1: the documented ``get=1`` looks one template up by ``sender`` and ``msg``."""
    from smsc._wire.templates import OPERATOR_TEMPLATE_GET, OperatorTemplateArgs

    form = OPERATOR_TEMPLATE_GET.encode(OperatorTemplateArgs(sender="SHOP", message="Code %s"))
    return form.get("get") == "1" and not {"sender", "msg"} <= form.keys()


def _jobs_error_3_is_read_as_no_money() -> bool:
    return COMMANDS["job_create"].errors.get(3) is InsufficientFundsError


async def _weak_subclient_password_is_accepted() -> bool:
    with respx.mock(assert_all_called=False) as router:
        router.post("https://smsc.ru/sys/users.php").respond(json={"id": 5})
        async with AsyncSMSCClient(login="alex", password="Secret-Pa55") as client:
            try:
                await client.users.add("shop-2", password="a")
            except RequestValidationError:
                return False
    return True


async def _fmt1_unknown_status_has_an_empty_timestamp() -> bool:
    async with SMSCEmulator() as emulator:
        emulator.add_account("alex", "secret-pass")
        transport = httpx.ASGITransport(app=emulator.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://smsc.test") as http:
            response = await http.post(
                "/sys/status.php",
                data={
                    "login": "alex",
                    "psw": "secret-pass",
                    "fmt": "1",
                    "id": "999",
                    "phone": "79991234567",
                },
            )
    fields = response.text.strip().split(",")
    return fields[0] == "-3" and len(fields) > 1 and fields[1] == ""


SYNC_PROBES: dict[Disagreement, Callable[[], bool]] = {
    ("balance2_read_as_with_balance", "statistics"): _statistics_reads_balance2_as_a_balance,
    ("bare_get_lists_operator_templates", "operator_templates.list"): (
        _operator_templates_list_is_a_bare_get
    ),
    ("error_3_read_as_no_money", "job_create"): _jobs_error_3_is_read_as_no_money,
}
"""Disagreements of meaning, which no field comparison sees: True while still present."""


async def _probed() -> set[Disagreement]:
    found = {key for key, probe in SYNC_PROBES.items() if probe()}
    if await _weak_subclient_password_is_accepted():
        found.add(("weak_subclient_password_accepted", "users.add"))
    if await _fmt1_unknown_status_has_an_empty_timestamp():
        found.add(("fmt1_unknown_status_has_empty_timestamp", "status"))
    return found


def _known() -> set[Disagreement]:
    return set(PENDING_ACCOUNT_FIXES) | set(OTHER_DISAGREEMENTS)


def _pending(kind: str) -> set[Disagreement]:
    return {key for key in _known() if key[0] == kind}


def _explain(found: set[Disagreement], kinds: tuple[str, ...]) -> str:
    pending = {key for key in _known() if key[0] in kinds}
    new = sorted(map(str, found - pending))
    fixed = sorted(map(str, pending - found))
    return (
        f"new disagreements with the pages (fix the SDK, or document an assumption in the "
        f"corpus): {new}; fixed items still in PENDING_ACCOUNT_FIXES (remove them): {fixed}"
    )


# ----------------------------------------------------------------------------- tests


def test_every_command_has_a_corpus_entry_on_its_own_path() -> None:
    book = corpus()
    assert missing_entries(book) == set()
    assert set(book.commands) - set(COMMANDS) == set(), "corpus entries of removed commands"


def test_a_spec_added_without_a_corpus_entry_is_found() -> None:
    data = json.loads(json.dumps(_raw_corpus()))
    del data["commands"]["balance"]
    assert missing_entries(parse(data)) == {"balance"}


def test_every_command_has_representative_arguments_for_its_encoder() -> None:
    for name in COMMANDS:
        assert list(argument_variants(name)), name


def test_every_field_a_spec_can_encode_is_documented_for_its_action() -> None:
    kinds = ("undocumented_field", "undocumented_action", "undocumented_value")
    found = undocumented_fields(corpus())
    assert found == set().union(*(_pending(kind) for kind in kinds)), _explain(found, kinds)


def test_the_pipeline_fields_of_every_request_are_documented() -> None:
    book = corpus()
    assert _pipeline_fields() <= set(book.common)


def test_every_documented_option_is_offered_or_listed_as_not_offered_with_why() -> None:
    book = corpus()
    kinds = (
        "not_offered",
        "action_not_offered",
        "listed_not_offered_but_offered",
        "listed_not_offered_but_undocumented",
    )
    found = options_not_offered(book)
    assert found == set().union(*(_pending(kind) for kind in kinds)), _explain(found, kinds)
    for endpoint in book.endpoints.values():
        for key, why in endpoint.not_offered.items():
            assert why.strip(), f"{endpoint.path} {key}: not offered without a reason"
        if not endpoint.offered:
            assert endpoint.reason, f"{endpoint.path}: not offered without a reason"


def test_every_error_code_a_spec_maps_is_listed_for_its_action() -> None:
    found = undocumented_errors(corpus())
    assert found == _pending("undocumented_error"), _explain(found, ("undocumented_error",))


async def test_disagreements_of_meaning_are_exactly_the_recorded_ones() -> None:
    kinds = tuple(
        {key[0] for key in PENDING_ACCOUNT_FIXES}
        - {
            "undocumented_field",
            "undocumented_action",
            "undocumented_value",
            "not_offered",
            "action_not_offered",
            "undocumented_error",
        }
    )
    found = await _probed()
    expected = {key for key in PENDING_ACCOUNT_FIXES if key[0] in kinds}
    assert found == expected, _explain(found, kinds)


def test_every_assumption_and_every_entry_names_its_evidence() -> None:
    book = corpus()
    for endpoint in book.endpoints.values():
        tables = [endpoint.params, *(action.params for action in endpoint.actions.values())]
        for table in tables:
            for param in table.values():
                assert param.evidence in book.evidence, (endpoint.path, param.name)
                if param.evidence != "third-party":
                    assert param.source, (endpoint.path, param.name)
                assert param.meaning or param.note, (endpoint.path, param.name)
                if param.evidence == "assumption":
                    assert param.note, f"{endpoint.path} {param.name}: an assumption needs why"
        for action in endpoint.actions.values():
            assert action.documented or action.assumption, (endpoint.path, action.name)
            errors = endpoint.errors_of(action)
            assert all(why.strip() for why in errors.assumed.values()), endpoint.path


@pytest.mark.parametrize(("planted", "caught"), [("name", True), ("cur", False)])
def test_a_field_planted_in_an_encoder_is_caught_unless_documented(
    monkeypatch: pytest.MonkeyPatch, planted: str, caught: bool
) -> None:
    from dataclasses import replace

    import smsc._wire.commands as commands_module

    spec = COMMANDS["balance"]
    original = spec.encode
    planted_spec = replace(spec, encode=lambda args: {**original(args), planted: "1"})
    monkeypatch.setitem(commands_module.COMMANDS, "balance", planted_spec)
    found = {item for item in undocumented_fields(corpus()) if item[1] == "balance"}
    assert found == ({("undocumented_field", "balance", planted)} if caught else set())


def _raw_corpus() -> Any:
    from importlib import resources

    text = resources.files("smsc._wire.conformance").joinpath("corpus.json").read_text("utf-8")
    return json.loads(text)

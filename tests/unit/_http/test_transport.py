"""FailoverTransport policy, site selection and bookkeeping, over scripted mock transports."""

from __future__ import annotations

import asyncio
import gzip
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from smsc import ConfigurationError, FailoverEvent, FailoverTransport, SMSCConfig, build_transport
from smsc._wire import COMMANDS

PRIMARY = "http://primary.test"
MIRROR = "http://mirror.test"
THIRD = "http://third.test"
GOOD = b'{"id": "m-1", "cnt": 1}'

Action = Callable[[httpx.Request], Awaitable[httpx.Response]]


def answer(status: int = 200, body: bytes = GOOD) -> Action:
    async def act(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body)

    return act


def fail(kind: type[httpx.TransportError]) -> Action:
    async def act(request: httpx.Request) -> httpx.Response:
        raise kind(f"scripted {kind.__name__}", request=request)

    return act


def wait_for(gate: asyncio.Event, then: Action) -> Action:
    async def act(request: httpx.Request) -> httpx.Response:
        await gate.wait()
        return await then(request)

    return act


class Script:
    """Answers each site from its list of actions; the last action repeats."""

    def __init__(self, **sites: list[Action]) -> None:
        self._sites = {f"{name}.test": list(actions) for name, actions in sites.items()}
        self.calls: list[httpx.Request] = []
        self.timeouts: list[dict[str, float]] = []  # each attempt's, as the transport saw it
        self._arrived = asyncio.Event()

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        self.timeouts.append(dict(request.extensions.get("timeout") or {}))
        self._arrived.set()
        actions = self._sites[request.url.host]
        action = actions.pop(0) if len(actions) > 1 else actions[0]
        return await action(request)

    async def until_calls(self, count: int) -> None:
        """Return once ``count`` requests have arrived (no polling: woken by each arrival)."""
        while len(self.calls) < count:
            self._arrived.clear()
            await self._arrived.wait()

    def hits(self, site: str) -> int:
        host = httpx.URL(site).host
        return sum(1 for call in self.calls if call.url.host == host)


class Clock:
    def __init__(self, now: float = 100.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class Sleeps:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


def looks_like_json(body: bytes) -> bool:
    """A stand-in for the client's body check: a JSON object or array."""
    return body.lstrip()[:1] in (b"{", b"[")


def make(script: Script, *sites: str, **options: Any) -> FailoverTransport:
    options.setdefault("sleep", Sleeps())
    return FailoverTransport(httpx.MockTransport(script), sites or (PRIMARY, MIRROR), **options)


async def call(
    transport: FailoverTransport,
    operation: str | None = "status",
    *,
    url: str = f"{PRIMARY}/sys/x.php",
    deadline: float | None = None,
    body_check: Callable[[bytes], bool] | None = looks_like_json,
    timeout: httpx.Timeout | None = None,
) -> httpx.Response:
    extensions: dict[str, Any] = {}
    if operation is not None:
        # As the client does: the command's name labels events, its spec's mark decides.
        extensions["smsc_operation"] = operation
        extensions["smsc_may_repeat"] = COMMANDS[operation].may_repeat
    if deadline is not None:
        extensions["smsc_deadline"] = deadline
    if body_check is not None:
        extensions["smsc_body_check"] = body_check
    async with httpx.AsyncClient(transport=transport, timeout=timeout or 5.0) as client:
        return await client.post(url, data={"psw": "s3cret"}, extensions=extensions)


# --------------------------------------------------------------------------- back-off


def test_backoff_doubles_from_the_base() -> None:
    transport = make(Script(), backoff_base=0.25, backoff_cap=100.0, random=lambda: 1.0)
    assert [transport.backoff_delay(n) for n in (1, 2, 3, 4)] == [0.25, 0.5, 1.0, 2.0]


def test_backoff_never_exceeds_the_cap() -> None:
    transport = make(Script(), backoff_base=0.25, backoff_cap=4.0, random=lambda: 1.0)
    assert transport.backoff_delay(10) == 4.0
    assert transport.backoff_delay(60) == 4.0


def test_backoff_jitter_keeps_between_half_and_all_of_the_delay() -> None:
    low = make(Script(), backoff_base=1.0, random=lambda: 0.0)
    middle = make(Script(), backoff_base=1.0, random=lambda: 0.5)
    assert low.backoff_delay(2) == 1.0
    assert middle.backoff_delay(2) == 1.5


async def test_repeats_on_one_site_wait_the_backoff_schedule() -> None:
    sleeps = Sleeps()
    script = Script(primary=[answer(500)])
    transport = make(script, PRIMARY, max_retries=3, sleep=sleeps, random=lambda: 1.0)
    response = await call(transport)
    assert response.status_code == 500
    assert script.hits(PRIMARY) == 4
    assert sleeps.delays == [0.25, 0.5, 1.0]


async def test_failover_to_a_fresh_mirror_does_not_wait() -> None:
    sleeps = Sleeps()
    script = Script(primary=[answer(500)], mirror=[answer()])
    await call(make(script, sleep=sleeps))
    assert sleeps.delays == []


# --------------------------------------------------------------------------- rewriting


async def test_request_goes_to_the_chosen_site_with_its_host_header() -> None:
    script = Script(primary=[fail(httpx.ConnectError)], mirror=[answer()])
    await call(make(script, PRIMARY, "http://mirror.test:8081"), url=f"{PRIMARY}/sys/send.php?a=1")
    sent = script.calls[-1]
    assert str(sent.url) == "http://mirror.test:8081/sys/send.php?a=1"
    assert sent.headers["Host"] == "mirror.test:8081"
    assert sent.content == b"psw=s3cret"


async def test_path_prefix_of_the_primary_is_replaced_by_the_mirrors() -> None:
    script = Script(primary=[fail(httpx.ConnectError)], mirror=[answer()])
    transport = make(script, f"{PRIMARY}/api", f"{MIRROR}/v2")
    await call(transport, url=f"{PRIMARY}/api/sys/send.php")
    assert [c.url.path for c in script.calls] == ["/api/sys/send.php", "/v2/sys/send.php"]


async def test_response_names_the_site_that_answered() -> None:
    script = Script(primary=[answer(500)], mirror=[answer()])
    response = await call(make(script))
    assert response.extensions["smsc_site"] == MIRROR


async def test_gzip_answer_reaches_the_caller_decoded() -> None:
    class Gzipped(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            return httpx.Response(
                200,
                headers={"Content-Encoding": "gzip"},
                stream=httpx.ByteStream(gzip.compress(GOOD)),
            )

    transport = FailoverTransport(Gzipped(), [PRIMARY])
    response = await call(transport)
    assert response.json() == {"id": "m-1", "cnt": 1}


# --------------------------------------------------------------------------- deadline


async def test_timeouts_are_clamped_to_what_is_left_of_the_deadline() -> None:
    script = Script(primary=[answer()])
    clock = Clock(10.0)
    transport = make(script, deadline_clock=clock)
    await call(transport, deadline=12.5, timeout=httpx.Timeout(30.0, connect=1.0))
    assert script.timeouts[0] == {
        "connect": 1.0,
        "read": 2.5,
        "write": 2.5,
        "pool": 2.5,
    }


async def test_no_attempt_starts_after_the_deadline() -> None:
    script = Script(primary=[answer()])
    transport = make(script, deadline_clock=Clock(10.0))
    with pytest.raises(httpx.ConnectTimeout):
        await call(transport, deadline=9.0)
    assert script.calls == []


async def test_backoff_that_would_overrun_the_deadline_ends_the_call_with_the_last_answer() -> None:
    sleeps = Sleeps()
    script = Script(primary=[answer(502)])
    clock = Clock(10.0)
    transport = make(script, PRIMARY, sleep=sleeps, deadline_clock=clock, backoff_base=5.0)
    response = await call(transport, deadline=12.0)
    assert response.status_code == 502
    assert script.hits(PRIMARY) == 1
    assert sleeps.delays == []


class StallingHTTPTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport, stalled before or after the connection takes the body."""

    def __init__(self, *, take_body: bool) -> None:
        super().__init__()
        self.take_body = take_body

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.take_body:
            assert isinstance(request.stream, httpx.AsyncByteStream)
            async for _ in request.stream:
                pass
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


async def test_attempt_stalled_after_the_body_was_taken_ends_as_read_timeout() -> None:
    transport = FailoverTransport(StallingHTTPTransport(take_body=True), [PRIMARY])
    with pytest.raises(httpx.ReadTimeout):
        await call(transport, "send", deadline=time.monotonic() + 0.05)


async def test_attempt_stalled_before_the_body_was_taken_ends_as_connect_timeout() -> None:
    # Phases that add up past the deadline (a pool wait, then a slow connect): the backstop
    # ends the attempt before the connection took the body, so nothing left.
    transport = FailoverTransport(StallingHTTPTransport(take_body=False), [PRIMARY])
    with pytest.raises(httpx.ConnectTimeout):
        await call(transport, "send", deadline=time.monotonic() + 0.05)


async def test_stalled_attempt_in_another_transport_is_assumed_to_have_left() -> None:
    transport = make(Script(primary=[wait_for(asyncio.Event(), answer())]), PRIMARY)
    with pytest.raises(httpx.ReadTimeout):
        await call(transport, "send", deadline=time.monotonic() + 0.05)


async def test_callers_own_trace_hook_still_sees_events() -> None:
    seen: list[str] = []

    async def user_trace(event: str, info: dict[str, Any]) -> None:
        seen.append(event)

    async def traced(request: httpx.Request) -> httpx.Response:
        await request.extensions["trace"]("http11.send_request_headers.started", {})
        return httpx.Response(200, content=GOOD)

    transport = make(Script(primary=[traced]), PRIMARY)
    async with httpx.AsyncClient(transport=transport) as client:
        await client.post(f"{PRIMARY}/sys/x.php", extensions={"trace": user_trace})
    assert seen == ["http11.send_request_headers.started"]


async def test_timeout_of_a_repeat_cut_short_by_the_deadline_does_not_mark_the_site_down(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    script = Script(primary=[fail(httpx.ConnectError)], mirror=[fail(httpx.ReadTimeout)])
    transport = make(script, clock=clock, deadline_clock=clock)
    caplog.set_level(logging.WARNING, logger="smsc.transport")
    with pytest.raises(httpx.ReadTimeout):
        await call(transport, "send", deadline=clock.now + 1.0)
    assert f"site {PRIMARY} failed" in caplog.text
    assert f"site {MIRROR} failed" not in caplog.text


async def test_timeout_of_a_first_attempt_within_a_short_deadline_marks_the_site_down(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    script = Script(primary=[fail(httpx.ReadTimeout)])
    transport = make(script, clock=clock, deadline_clock=clock)
    caplog.set_level(logging.WARNING, logger="smsc.transport")
    with pytest.raises(httpx.ReadTimeout):
        await call(transport, "send", deadline=clock.now + 1.0)
    assert f"site {PRIMARY} failed (ReadTimeout)" in caplog.text


# --------------------------------------------------------------------------- send policy


@pytest.mark.parametrize(
    "failure",
    [httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError, httpx.WriteError],
)
async def test_send_is_not_repeated_once_it_may_have_left(
    failure: type[httpx.TransportError],
) -> None:
    script = Script(primary=[fail(failure)], mirror=[answer()])
    with pytest.raises(failure):
        await call(make(script), "send")
    assert (script.hits(PRIMARY), script.hits(MIRROR)) == (1, 0)


@pytest.mark.parametrize("failure", [httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout])
async def test_send_moves_to_the_mirror_when_it_never_left(
    failure: type[httpx.TransportError],
) -> None:
    script = Script(primary=[fail(failure)], mirror=[answer()])
    response = await call(make(script), "send")
    assert response.extensions["smsc_site"] == MIRROR
    assert (script.hits(PRIMARY), script.hits(MIRROR)) == (1, 1)


async def test_pool_timeout_does_not_mark_the_site_down() -> None:
    script = Script(primary=[fail(httpx.PoolTimeout), answer()], mirror=[answer()])
    transport = make(script)
    await call(transport, "send")
    response = await call(transport, "send")
    assert response.extensions["smsc_site"] == PRIMARY


async def test_request_without_an_operation_is_treated_like_a_send() -> None:
    script = Script(primary=[answer(500)], mirror=[answer()])
    response = await call(make(script), None)
    assert response.status_code == 500
    assert script.hits(MIRROR) == 0


async def test_a_query_named_without_the_may_repeat_mark_is_not_repeated() -> None:
    # The transport reads the mark the request carries, never the command's name.
    script = Script(primary=[answer(500)], mirror=[answer()])
    async with httpx.AsyncClient(transport=make(script)) as client:
        response = await client.post(
            f"{PRIMARY}/sys/status.php", extensions={"smsc_operation": "status"}
        )
    assert response.status_code == 500
    assert script.hits(MIRROR) == 0


async def test_an_unnamed_request_marked_may_repeat_is_repeated_on_the_mirror() -> None:
    script = Script(primary=[answer(500)], mirror=[answer()])
    async with httpx.AsyncClient(transport=make(script)) as client:
        response = await client.post(f"{PRIMARY}/sys/x.php", extensions={"smsc_may_repeat": True})
    assert response.status_code == 200
    assert script.hits(MIRROR) == 1


async def test_send_answered_with_error_9_is_returned_once() -> None:
    busy = b'{"error": "duplicate request, wait a minute", "error_code": 9}'
    script = Script(primary=[answer(200, busy)], mirror=[answer()])
    response = await call(make(script), "send")
    assert response.content == busy
    assert (script.hits(PRIMARY), script.hits(MIRROR)) == (1, 0)


async def test_send_tries_each_site_at_most_once() -> None:
    script = Script(primary=[fail(httpx.ConnectError)], mirror=[fail(httpx.ConnectError)])
    with pytest.raises(httpx.ConnectError):
        await call(make(script, max_retries=5), "send")
    assert (script.hits(PRIMARY), script.hits(MIRROR)) == (1, 1)


async def test_send_with_no_retries_allowed_makes_one_attempt() -> None:
    script = Script(primary=[fail(httpx.ConnectError)], mirror=[answer()])
    with pytest.raises(httpx.ConnectError):
        await call(make(script, max_retries=0), "send")
    assert script.hits(MIRROR) == 0


# --------------------------------------------------------------------------- idempotent calls


@pytest.mark.parametrize("operation", ["status", "balance", "cost"])
async def test_idempotent_call_with_a_good_answer_is_not_repeated(operation: str) -> None:
    script = Script(primary=[answer()], mirror=[answer()])
    await call(make(script), operation)
    assert (script.hits(PRIMARY), script.hits(MIRROR)) == (1, 0)


@pytest.mark.parametrize(
    "failure",
    [httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError, httpx.ConnectError],
)
async def test_status_is_repeated_on_the_mirror_after_a_transport_failure(
    failure: type[httpx.TransportError],
) -> None:
    script = Script(primary=[fail(failure)], mirror=[answer()])
    response = await call(make(script), "status")
    assert response.extensions["smsc_site"] == MIRROR


async def test_without_a_body_check_a_non_json_answer_is_accepted() -> None:
    script = Script(primary=[answer(200, b"OK - 1 SMS, ID - 5")], mirror=[answer()])
    response = await call(make(script), "balance", body_check=None)
    assert response.text == "OK - 1 SMS, ID - 5"


async def test_without_a_body_check_an_empty_answer_is_repeated() -> None:
    script = Script(primary=[answer(200, b"")], mirror=[answer()])
    response = await call(make(script), "balance", body_check=None)
    assert response.extensions["smsc_site"] == MIRROR


async def test_body_check_that_raises_counts_as_a_malformed_answer() -> None:
    def broken(body: bytes) -> bool:
        if b"primary" in body:
            raise RuntimeError("bug in the check")
        return True

    script = Script(primary=[answer(200, b'{"from": "primary"}')], mirror=[answer()])
    response = await call(make(script), "balance", body_check=broken)
    assert response.extensions["smsc_site"] == MIRROR
    assert script.hits(PRIMARY) == 1


async def test_4xx_answer_with_a_well_formed_body_is_returned_as_it_is() -> None:
    script = Script(primary=[answer(403, b'{"error": "forbidden"}')], mirror=[answer()])
    response = await call(make(script), "status")
    assert response.status_code == 403
    assert script.hits(MIRROR) == 0


# --------------------------------------------------------------------------- health


async def test_first_contact_is_made_by_one_request_while_the_others_wait() -> None:
    gate = asyncio.Event()
    script = Script(primary=[wait_for(gate, fail(httpx.ConnectError))], mirror=[answer()])
    transport = make(script)
    crowd = [asyncio.create_task(call(transport, "send")) for _ in range(20)]
    await script.until_calls(1)
    assert script.hits(PRIMARY) == 1
    gate.set()
    responses = await asyncio.gather(*crowd)
    assert {r.extensions["smsc_site"] for r in responses} == {MIRROR}
    assert (script.hits(PRIMARY), script.hits(MIRROR)) == (1, 20)


async def test_requests_behind_a_slow_first_contact_wait_for_it_rather_than_use_a_mirror() -> None:
    gate = asyncio.Event()
    script = Script(primary=[wait_for(gate, answer()), answer()], mirror=[answer()])
    transport = make(script)
    crowd = [asyncio.create_task(call(transport, "send")) for _ in range(5)]
    await script.until_calls(1)
    gate.set()
    responses = await asyncio.gather(*crowd)
    assert {r.extensions["smsc_site"] for r in responses} == {PRIMARY}
    assert script.hits(MIRROR) == 0


async def test_recovery_probe_runs_alone_while_other_requests_use_the_mirror() -> None:
    clock = Clock()
    gate = asyncio.Event()
    script = Script(primary=[answer(500), wait_for(gate, answer())], mirror=[answer()])
    transport = make(script, clock=clock, cooldown=30.0)
    await call(transport)
    clock.now += 30.0
    probe = asyncio.create_task(call(transport))
    await script.until_calls(3)  # the first call, its retry on the mirror, the probe
    others = [await call(transport) for _ in range(3)]
    assert {r.extensions["smsc_site"] for r in others} == {MIRROR}
    gate.set()
    assert (await probe).extensions["smsc_site"] == PRIMARY
    assert (await call(transport)).extensions["smsc_site"] == PRIMARY


async def test_site_recovery_is_reported_as_an_event_and_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    events: list[FailoverEvent] = []
    script = Script(primary=[answer(500), answer()], mirror=[answer()])
    transport = make(script, clock=clock, on_event=events.append)
    await call(transport)
    clock.now += 30.0
    caplog.set_level(logging.WARNING, logger="smsc.transport")
    await call(transport)
    assert events[-1] == FailoverEvent(PRIMARY, "status", "recovered")
    assert f"site {PRIMARY} recovered" in caplog.text


async def test_when_every_site_cools_down_one_request_probes_and_a_second_send_fails_fast() -> None:
    gate = asyncio.Event()
    script = Script(
        primary=[answer(500), wait_for(gate, answer())],
        mirror=[answer(500), wait_for(gate, answer())],
    )
    transport = make(script, max_retries=1)
    await call(transport)  # both sites fail and start cooling down
    probes = [asyncio.create_task(call(transport, "send")) for _ in range(2)]
    await script.until_calls(4)
    with pytest.raises(httpx.ConnectError, match="no site available"):
        await call(transport, "send")
    gate.set()
    await asyncio.gather(*probes)
    assert (script.hits(PRIMARY), script.hits(MIRROR)) == (2, 2)


async def test_cancelled_probe_lets_the_next_request_probe_the_site() -> None:
    script = Script(primary=[wait_for(asyncio.Event(), answer()), answer()], mirror=[answer()])
    transport = make(script)
    first = asyncio.create_task(call(transport, "send"))
    await script.until_calls(1)
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    response = await call(transport, "send")
    assert response.extensions["smsc_site"] == PRIMARY


async def test_waiting_for_a_first_contact_ends_at_the_deadline() -> None:
    script = Script(primary=[wait_for(asyncio.Event(), answer())])
    transport = make(script, PRIMARY)
    prober = asyncio.create_task(call(transport, "send"))
    await script.until_calls(1)
    with pytest.raises(httpx.ConnectTimeout):
        await call(transport, "status", deadline=time.monotonic() + 0.05)
    prober.cancel()
    with pytest.raises(asyncio.CancelledError):
        await prober
    assert script.hits(PRIMARY) == 1


# --------------------------------------------------------------------------- reporting


async def test_events_describe_a_failover_in_order() -> None:
    events: list[FailoverEvent] = []
    script = Script(primary=[fail(httpx.ConnectError)], mirror=[answer()])
    await call(make(script, on_event=events.append), "send")
    assert [(e.site, e.kind) for e in events] == [
        (PRIMARY, "attempt"),
        (PRIMARY, "failure"),
        (MIRROR, "switch"),
        (MIRROR, "attempt"),
    ]
    assert events[1].reason == "ConnectError: scripted ConnectError"


async def test_hook_that_raises_does_not_break_the_call() -> None:
    def hook(event: FailoverEvent) -> None:
        raise RuntimeError("hook bug")

    response = await call(make(Script(primary=[answer()]), on_event=hook))
    assert response.status_code == 200


async def test_stats_count_attempts_and_failures_per_site() -> None:
    script = Script(primary=[answer(500)], mirror=[answer()])
    transport = make(script)
    await call(transport)
    await call(transport)
    assert {site: (s.requests, s.failures) for site, s in transport.stats.items()} == {
        PRIMARY: (1, 1),
        MIRROR: (2, 0),
    }


async def test_warnings_name_the_site_and_reason_but_never_the_body(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="smsc.transport")
    script = Script(primary=[answer(503)], mirror=[answer()])
    await call(make(script), url=f"{PRIMARY}/sys/status.php?phone=79990001122")
    assert f"site {PRIMARY} failed (HTTP 503)" in caplog.text
    for private in ("s3cret", "psw", "79990001122", "/sys/"):
        assert private not in caplog.text


# --------------------------------------------------------------------------- construction


def test_sites_are_reduced_to_scheme_host_and_port_without_duplicates() -> None:
    transport = make(Script(), "https://smsc.ru/", "https://www2.smsc.ru", "https://smsc.ru")
    assert transport.sites == ("https://smsc.ru", "https://www2.smsc.ru")


@pytest.mark.parametrize(
    "sites",
    [[], ["ftp://smsc.ru"], ["https://user:pw@smsc.ru"], ["not a url"]],
    ids=["empty", "ftp", "userinfo", "garbage"],
)
def test_unusable_sites_are_a_configuration_error(sites: list[str]) -> None:
    with pytest.raises(ConfigurationError) as info:
        FailoverTransport(httpx.MockTransport(Script()), sites)
    assert "pw" not in str(info.value)


def test_negative_settings_are_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError):
        make(Script(), cooldown=-1.0)


async def test_aclose_closes_the_inner_transport() -> None:
    class Inner(httpx.AsyncBaseTransport):
        closed = False

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            raise AssertionError("not used")

        async def aclose(self) -> None:
            self.closed = True

    inner = Inner()
    await FailoverTransport(inner, [PRIMARY]).aclose()
    assert inner.closed


async def test_build_transport_follows_the_configuration() -> None:
    config = SMSCConfig(
        login="alice",
        password=SecretStr("pw"),
        host="http://127.0.0.1:8081",
        mirrors=("http://127.0.0.1:8082",),
        allow_http=True,
        max_retries=1,
        mirror_cooldown=5.0,
    )
    script = Script()
    transport = build_transport(config, inner=httpx.MockTransport(script))
    assert isinstance(transport, FailoverTransport)
    assert transport.sites == ("http://127.0.0.1:8081", "http://127.0.0.1:8082")
    assert transport.max_retries == 1
    assert transport.cooldown == 5.0


async def test_build_transport_defaults_to_a_real_httpx_transport() -> None:
    config = SMSCConfig(api_key=SecretStr("key"))
    transport = build_transport(config)
    assert isinstance(transport, FailoverTransport)
    assert isinstance(transport._inner, httpx.AsyncHTTPTransport)
    assert transport.sites[:2] == ("https://smsc.ru", "https://www2.smsc.ru")
    await transport.aclose()

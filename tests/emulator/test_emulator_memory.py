"""A long-running emulator forgets rate-rule entries whose window has passed."""

from __future__ import annotations

from smsc.testing._guards import SlidingCounter


def test_counter_forgets_keys_whose_window_has_passed() -> None:
    counter = SlidingCounter()
    for second in range(5000):  # one new key a second, a one-minute window
        assert counter.allow(("status", second), float(second), 60.0, 5)
    assert len(counter) <= 60 + 1024


def test_counter_still_counts_within_the_window_across_a_sweep() -> None:
    counter = SlidingCounter()
    for index in range(1023):
        counter.allow(("other", index), 0.0, 60.0, 5)
    assert counter.allow("polled", 1.0, 60.0, 2)  # call 1024 triggers a sweep
    assert counter.allow("polled", 2.0, 60.0, 2)
    assert not counter.allow("polled", 3.0, 60.0, 2)

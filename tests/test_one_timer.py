"""One timer for a batch's rows (issue 12): every step is bounded as time_limit bounds it."""

from __future__ import annotations

import signal
import time

import pytest

from invitepack.errors import LimitExceededError
from invitepack.pack.schemas import variables_validator
from invitepack.render.renderer import one_timer, time_limit


def _spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_a_step_that_runs_past_its_bound_fails_with_time_limits_message():
    with (
        one_timer(0.05),
        pytest.raises(LimitExceededError) as caught,
        time_limit(0.1, "rendering the template", "render_seconds"),
    ):
        _spin(2)
    assert caught.value.message == "limit exceeded: rendering the template took longer than 0.1 s"
    assert "limits.render_seconds" in (caught.value.hint or "")
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0  # the timer is gone afterwards


def test_steps_within_their_bound_survive_the_ticks_and_the_time_between_them():
    with one_timer(0.02):
        for _ in range(5):
            with time_limit(0.2, "checking the values", "render_seconds"):
                _spin(0.03)  # longer than a tick, shorter than the bound
            _spin(0.03)  # between steps: nothing is bounded
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_a_nested_step_keeps_the_outer_bound():
    with (
        one_timer(0.05),
        pytest.raises(LimitExceededError, match="parsing"),
        time_limit(0.1, "parsing the template", "compile_seconds"),
        time_limit(10, "rendering the template", "render_seconds"),
    ):
        _spin(2)


def test_outside_one_timer_time_limit_works_as_before():
    with (
        pytest.raises(LimitExceededError, match=r"took longer than 0\.05 s"),
        time_limit(0.05, "rendering the template", "render_seconds"),
    ):
        _spin(2)


SCHEMA = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 5, "description": "x"},
        "tone": {"type": "string", "enum": ["warm", "plain"]},
    },
    "required": ["name"],
    "additionalProperties": False,
}


@pytest.mark.parametrize(
    "values",
    [
        {"name": "Ada"},
        {"name": "Ada", "tone": "warm"},
        {"name": ""},
        {"name": "Adalbert"},
        {"name": "Ada", "tone": "loud"},
        {"tone": "warm"},
        {"name": "Ada", "other": "x"},
        {"name": 3},
    ],
)
def test_the_plain_variables_check_agrees_with_jsonschema(values):
    from jsonschema import Draft202012Validator

    ours = [(e.validator, list(e.path)) for e in variables_validator(SCHEMA).iter_errors(values)]
    theirs = [(e.validator, list(e.path)) for e in Draft202012Validator(SCHEMA).iter_errors(values)]
    assert ours == theirs


def test_a_schema_outside_the_plain_subset_goes_to_jsonschema():
    schema = {
        "type": "object",
        "properties": {"mail": {"type": "string", "format": "email"}},
        "additionalProperties": False,
    }
    validator = variables_validator(schema)
    assert not validator.plainly_valid({"mail": "not-an-address"})  # type: ignore[attr-defined]
    assert [e.validator for e in validator.iter_errors({"mail": "not-an-address"})] == ["format"]

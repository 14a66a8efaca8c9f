"""The batch writes, byte for byte, and reports, line for line, what it did before the speed-ups
of issue 12: tests/data/batch-golden/expected.json was recorded by the code before them (first
fee292a; again with the v0.2.0 judgement, before the batch speed-ups were merged; see
tests/batch_golden.py). 320 varied rows: invalid and missing values, over-length
notes, values that look like placeholders or that the rules react to, repeated and absent ids."""

from __future__ import annotations

import json

import batch_golden
import pytest
from conftest import console_script


def _expected() -> dict[str, object]:
    return json.loads(batch_golden.EXPECTED.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


# --jobs 2: two worker processes judge the 320 rows (five chunks), this one writes them.
@pytest.mark.parametrize("jobs", [1, 2])
def test_every_batch_run_writes_and_reports_what_it_did_before(jobs):
    expected = _expected()
    for name, result in batch_golden.run_all(console_script(), jobs=jobs).items():
        assert result == expected[name], name


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_batch_api_reports_findings_as_json_as_it_did_before(jobs):
    assert batch_golden.api_run(jobs) == _expected()["api-json-report"]

"""The planted set (``tests/data/pii_planted.jsonl``): every planted item masked, nothing else.

Hand-written lines, written and spoken, one per item type the redactor must
catch: street addresses, names given without "my name is", card numbers read
in two pieces, NHS numbers, National Insurance numbers, passport numbers,
IBANs, and customer ids that are bare names. ``keep`` lists text that must
come out as it went in (order numbers, durations, the KB's helpline).
"""

from __future__ import annotations

import json

import pytest

from consistency.redact import Redactor
from consistency.redact.spans import MASK_CHAR, masked_regions
from tests.conftest import DATA

CASES = [json.loads(line) for line in (DATA / "pii_planted.jsonl").read_text("utf-8").splitlines()]
KINDS = {"address", "name", "card", "nhs", "nino", "passport", "iban", "customer_id"}


@pytest.fixture(scope="module")
def redactor(sample_kb) -> Redactor:  # type: ignore[no-untyped-def]
    return Redactor(sample_kb)


def _redact(redactor: Redactor, case: dict) -> str:  # type: ignore[type-arg]
    if case["kind"] == "customer_id":
        return redactor.redact_id(case["text"])
    return redactor.redact_text(case["text"])


def _leaks(text: str, out: str, items: list[str]) -> list[str]:
    """Items with a letter or digit left outside every mask of ``out``."""
    regions = masked_regions(out)
    leaked = []
    for item in items:
        start = text.index(item)
        shown = [
            i
            for i in range(start, start + len(item))
            if text[i].isalnum() and not any(a <= i < b for a, b in regions)
        ]
        if shown:
            leaked.append(item)
    return leaked


def test_the_set_covers_every_type_written_and_spoken() -> None:
    seen = {(c["kind"], c["style"]) for c in CASES}
    for kind in KINDS - {"customer_id"}:
        assert {(kind, "written"), (kind, "spoken")} <= seen, kind
    assert ("customer_id", "field") in seen
    assert any(c["keep"] for c in CASES)


def test_no_planted_item_leaks(redactor: Redactor) -> None:
    leaked = {}
    for case in CASES:
        out = _redact(redactor, case)
        assert len(out) == len(case["text"])
        found = _leaks(case["text"], out, case["pii"])
        if found:
            leaked[case["id"]] = (found, out)
    assert leaked == {}, f"{len(leaked)} cases leak: {leaked}"


def test_nothing_else_is_masked(redactor: Redactor) -> None:
    for case in CASES:
        out = _redact(redactor, case)
        for kept in case["keep"]:
            assert kept in out, (case["id"], out)
        if not case["pii"]:
            assert MASK_CHAR not in out, (case["id"], out)


def test_the_leak_check_can_fail() -> None:
    """An unmasked item, or one masked only in part, is counted as a leak."""
    text = "send it to 14 Acacia Avenue"
    assert _leaks(text, text, ["14 Acacia Avenue"]) == ["14 Acacia Avenue"]
    half = text.replace("14 Acacia", "█" * 9)
    assert _leaks(text, half, ["14 Acacia Avenue"]) == ["14 Acacia Avenue"]

"""Overlapping readings of one stretch of text resolve to the one a policy means."""

from __future__ import annotations

from consistency.facts import facts_for


def _values(text: str) -> list[tuple[str, str, str | None]]:
    return [(f.kind, str(f.value), f.unit) for f in facts_for(text) if f.kind != "polarity"]


def test_a_frequency_holds_its_period() -> None:
    assert _values("You can claim three times in a year.") == [("count", "3", "per_year")]
    assert _values("we pay you within a year") == [("duration", "12", "month")]


def test_a_limit_is_a_bound() -> None:
    (fact,) = [f for f in facts_for("there's a limit of two boosters per account")]
    assert (fact.kind, str(fact.value), fact.modifier) == ("count", "2", "up_to")

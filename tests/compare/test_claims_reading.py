"""What a denial reaches, read on unseen companies' answers (invented sentences): an option
set against a claim, the customer's own case, a denial that says which things, a spoken
filler between two claims, the KB's own choice."""

from __future__ import annotations

import pytest

from consistency.compare import compare_answer
from consistency.facts.polarity import EXTRACTOR


def _polarity(answer: str, kb: str) -> list[str]:
    return [c.answer_value for c in compare_answer(answer, kb).conflicts if c.kind == "polarity"]


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        # "X only, not Y": the option set against the claim denies nothing of it
        ("We only take tokens at the kiosk, so bring some with you.",
         "At the kiosk we take tokens only, not coins."),
        # "from X not from Y" in speech: the denial reaches the place it names
        ("um so the night bus actually goes from the quay not from town the day bus is the "
         "one from the square",
         "The night bus runs from the quay to the airport. The day bus runs from the square."),
        # the customer's case, said as the reason
        ("As you're not a British citizen, please bring your passport to travel to Jersey.",
         "British citizens can travel to Jersey on a photo ID card."),
        # a denial that says which things the claim is about
        ("We keep them in the cold store; anything not claimed by Friday is given away.",
         "We keep found items in the cold store and give away anything not claimed by Friday."),
        ("Your grant covers part of the fee and the remaining amount is paid by card.",
         "Any amount the grant doesn't cover is paid by card."),
        # a spoken filler ends one claim and starts the next
        ("so you can swap a ticket within a day of buying it um after that it's locked and "
         "can't be swapped",
         "You can swap a ticket within a day of buying it. After that it's locked and can't be "
         "swapped."),
        # the answer sets aside what the KB itself replaces
        ("At the small pier there's a tea hut rather than the full canteen.",
         "Every large pier has the full canteen; at the small pier there's a tea hut instead."),
    ],
)  # fmt: skip
def test_no_opposite_claim(answer: str, kb: str) -> None:
    assert _polarity(answer, kb) == []


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        ("We take coins at the kiosk too.", "At the kiosk we take tokens only, not coins."),
        ("so you can swap a ticket any time um even after it's locked",
         "Once a ticket is locked it can't be swapped."),
        ("British citizens can't travel to Jersey on a photo ID card.",
         "British citizens can travel to Jersey on a photo ID card."),
    ],
)  # fmt: skip
def test_the_opposite_is_still_caught(answer: str, kb: str) -> None:
    assert compare_answer(answer, kb).status == "contradiction"


def test_charging_a_battery_is_no_charge() -> None:
    assert [f for f in EXTRACTOR.extract("Charging it fully before you travel helps.")] == []
    assert [f for f in EXTRACTOR.extract("Charge your phone at the desk.")] == []
    charged = EXTRACTOR.extract("There is a charge for parking.")
    assert [(f.value, f.subject) for f in charged] == [(True, "fee park")]

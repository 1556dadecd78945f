"""Where a policy applies, read as sets of areas (invented sentences)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.compare import compare_answer
from consistency.compare.regions import AREAS, region_conflicts
from tests.timing import per_char

GRANT = "To qualify you must own the home, and it must be in England or Wales."
DELIVERY = (
    "We deliver to mainland England, Wales and Scotland. We don't deliver to Northern Ireland, "
    "the Channel Islands or the Scottish islands."
)
TRAVEL = "It covers your bags anywhere in the UK and for up to 30 days a year abroad."


@pytest.mark.parametrize(
    ("answer", "kb", "said", "areas"),
    [
        ("Yes, it's available anywhere in the UK.", GRANT, "UK", ["Northern Ireland", "Scotland"]),
        ("We deliver across the UK, Northern Ireland included.", DELIVERY, "UK",
         ["Northern Ireland"]),
        ("We cover the whole of Great Britain.", DELIVERY, "Great Britain", ["Scottish islands"]),
        ("It's for homes in England only.", GRANT, "England", ["Wales"]),
        ("Sorry, homes in Wales aren't covered.", GRANT, "Wales", ["Wales"]),
        ("It only covers bags you take out within the UK.", TRAVEL, "UK", ["abroad"]),
    ],
)  # fmt: skip
def test_another_area_is_a_scope_conflict(
    answer: str, kb: str, said: str, areas: list[str]
) -> None:
    conflicts = region_conflicts(answer, kb, entry_id="e")
    assert [c.kind for c in conflicts] == ["scope"]
    c = conflicts[0]
    assert c.answer_value == said
    assert answer[c.answer_span[0] : c.answer_span[1]] == said
    assert kb[c.kb_span[0] : c.kb_span[1]] == c.kb_text
    assert c.kb_value in c.kb_text
    assert all(a in c.explanation for a in areas)
    assert c.explanation.startswith('The KB (e) says "')


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        # the same areas said another way
        ("We deliver anywhere on mainland UK.", DELIVERY),
        ("We deliver to England, Wales and Scotland, but not the Scottish islands.", DELIVERY),
        ("Homes in England or Wales qualify if you own them.", GRANT),
        # the answer leaves the islands out itself
        ("Anywhere in Great Britain except the Scottish islands.", DELIVERY),
        # the customer's case, a loose "abroad", a KB that limits nothing
        ("If you live in Scotland, we can look at other schemes.", GRANT),
        ("Ring our overseas claims line if anything happens.", TRAVEL),
        ("We post orders anywhere in the UK.", "Orders are posted from our warehouse in Wales."),
        # no "only": a partial answer is not a narrowing
        ("Homes in England qualify if you own them.", GRANT),
        # a country code at the end of an address, written or spoken, is no area
        ("Email them to claims at harbourtrust dot co dot uk.",
         "Only homes in Wales qualify. Email claims@harbourtrust.co.uk."),
        ("Email them to claims@harbourtrust.co.uk.",
         "Only homes in Wales qualify. Email claims@harbourtrust.co.uk."),
        # a negation ends where a new clause starts after a comma
        ("No need to travel far, Newcastle is one of our UK airports.",
         "We fly from 6 UK airports: Gatwick, Luton, Bristol, Manchester, Newcastle and Glasgow."),
    ],
)  # fmt: skip
def test_no_region_conflict(answer: str, kb: str) -> None:
    assert region_conflicts(answer, kb, entry_id="e") == []


def test_the_uk_holds_great_britain_and_northern_ireland() -> None:
    assert AREAS["great britain"] < AREAS["uk"]
    assert AREAS["mainland uk"] < AREAS["great britain"]
    assert "the Channel Islands" not in AREAS["uk"]


def test_compare_answer_reports_the_widening() -> None:
    result = compare_answer("Yes, it's available anywhere in the UK.", GRANT, entry_id="e")
    assert result.status == "contradiction"
    assert [c.kind for c in result.conflicts] == ["scope"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.text(max_size=300))
def test_never_crashes_on_arbitrary_text(answer: str, kb: str) -> None:
    for c in region_conflicts(answer, kb):
        assert c.answer_span is not None
        assert answer[c.answer_span[0] : c.answer_span[1]] == c.answer_value


def test_time_is_linear_in_the_answer() -> None:
    answer = "we deliver to england and wales but not to scotland or the uk mainland "
    per_char(lambda t: region_conflicts(t, DELIVERY), answer * 5)
    rate = [per_char(lambda t: region_conflicts(t, DELIVERY), answer * n) for n in (100, 2000)]
    assert rate[1] < rate[0] * 4


def test_abroad_put_beside_the_kbs_uk_place_widens_it() -> None:
    kb = "Standard delivery to UK addresses costs £3.99 and takes 2 to 4 working days."
    answer = (
        "Standard delivery is £3.99 to UK and European addresses and takes 2 to 4 working days."
    )
    conflicts = region_conflicts(answer, kb, entry_id="e")
    assert [c.kind for c in conflicts] == ["scope"]
    assert conflicts[0].answer_value == "UK and European"
    assert "places outside the UK" in conflicts[0].explanation
    # the KB that names abroad itself, and the answer that keeps to the UK, are left alone
    both = "Standard delivery to UK and EU addresses costs £3.99."
    assert region_conflicts("Delivery is £3.99 to UK and European addresses.", both) == []
    assert region_conflicts("Standard delivery to UK addresses is £3.99.", kb) == []
    c = conflicts[0]
    assert answer[c.answer_span[0] : c.answer_span[1]] == c.answer_value

"""A short number and a full one are two channels, never two versions of one number."""

from __future__ import annotations

from consistency.compare import compare_answer


def test_a_short_code_against_a_full_number_is_not_a_contradiction() -> None:
    result = compare_answer(
        "To get your PAC, text PAC to 65075.", "Call us on 0333 014 2200 to cancel."
    )
    assert result.status != "contradiction"


def test_two_short_codes_that_differ_are_a_contradiction() -> None:
    result = compare_answer("Text PAC to 65057, it's free.", "Text PAC to 65075 for free.")
    assert result.status == "contradiction"
    assert "65075" in result.conflicts[0].explanation
    assert "65057" in result.conflicts[0].explanation


def test_seconds_compare_with_minutes() -> None:
    assert (
        compare_answer("the code lasts 60 seconds", "The code expires after 1 minute.").status
        == "consistent"
    )
    assert (
        compare_answer("the code lasts 30 seconds", "The code expires after 1 minute.").status
        == "contradiction"
    )


def test_open_until_the_closing_time_is_those_hours() -> None:
    from consistency.compare.values import relation
    from consistency.facts.pipeline import facts_for

    def time_of(text: str):
        return next(f for f in facts_for(text) if f.kind == "time")

    hours = time_of("Our centres are open 6am to 10pm Monday to Friday.")
    assert relation(time_of("We're open until 10pm on weekdays."), hours) == "same"
    assert relation(time_of("We're open until 9pm on weekdays."), hours) == "differ"
    assert relation(time_of("We're open until 10pm on Sundays."), hours) == "differ"


def test_a_number_whose_noun_the_kb_leaves_out_is_the_kbs() -> None:
    kb = "Standard lets you stream on 2 devices at once, and Family on 5. Downloads don't count."
    assert compare_answer("On Family it's five devices at once.", kb).conflicts == ()
    (c,) = compare_answer("On Family it's six devices at once.", kb).conflicts
    assert c.kind == "count"

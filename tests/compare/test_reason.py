"""The reason an unverified verdict gives is read by people: no claim twice, none a paragraph."""

from __future__ import annotations

from consistency.compare import compare_answer

KB = (
    "You can pay by Direct Debit, debit or credit card, or PayPal. "
    "We don't accept cash or cheques in our stores."
)


def test_a_claim_inside_a_longer_one_is_listed_once() -> None:
    reason = compare_answer("We don't sell pay as you go SIMs at the moment.", KB).reason
    assert reason.count("Direct Debit") == 1
    assert reason.count("accept cash") == 1


def test_a_long_claim_is_cut_at_a_word() -> None:
    answer = (
        "yeah so you can use relay uk just dial one eight double oh one then oh eight oh "
        "eight one five seven oh one double oh"
    )
    reason = compare_answer(answer, "Paper bills cost £1.50 a month.").reason
    quoted = [part for part in reason.split('"') if "relay" in part]
    assert quoted and all(len(q) <= 61 for q in quoted)
    assert quoted[0].endswith("…")
    assert not quoted[0][:-1].endswith(" ")

"""The trained statement reading: the shipped model, and how it changes a verdict."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from consistency.kb import KnowledgeBase
from consistency.models import Comparison, Conflict, KBEntry
from consistency.statements import StatementModel, default_statement_model
from consistency.statements.judge import StatementPolicy, review

ROOT = Path(__file__).resolve().parents[1]

KB = KBEntry(
    id="refund-method",
    questions=("Where does my refund go?",),
    answer="We refund to the card you paid with. Refunds reach your account within 5 working days.",
)


class FixedModel(StatementModel):
    """A model whose reading is set by the test: the policy logic, not the weights."""

    def __init__(self, p: float, *, only: str = "") -> None:
        self.p = p
        self.only = only
        self.calls = 0

    def contradiction(self, kb_answer: str, answers: Sequence[str]) -> np.ndarray:
        self.calls += 1
        return np.array([self.p if self.only in a else 0.0 for a in answers], dtype=np.float32)


def _conflict(kind: str) -> Conflict:
    return Conflict(
        kind=kind,
        answer_value="a",
        kb_value="b",
        answer_span=(0, 1),
        kb_span=(0, 1),
        answer_text="a",
        kb_text="b",
        explanation=f"the {kind} differs",
    )


def _auc(labels: list[bool], scores: list[float]) -> float:
    """Chance that a contradiction scores above a faithful answer (ties count half)."""
    pos = [s for y, s in zip(labels, scores, strict=True) if y]
    neg = [s for y, s in zip(labels, scores, strict=True) if not y]
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def test_shipped_model_separates_contradictions_on_a_company_it_never_saw() -> None:
    """ticketlark was held out of training: its cases measure the model, as a user's would."""
    folder = ROOT / "benchmarks" / "study" / "ticketlark"
    kb = KnowledgeBase.load(folder / "kb", cache=False)
    model = default_statement_model()
    assert model is not None
    labels, scores = [], []
    for line in (folder / "cases.jsonl").read_text().splitlines():
        case = json.loads(line)
        if not case["expected_entry_id"]:
            continue
        on = dt.date.fromisoformat(case["on"]) if case["on"] else None
        entry = kb.entry(case["expected_entry_id"], on=on)
        p = model.contradiction(entry.answer, [case["answer"]])
        assert p.shape == (1,) and 0.0 <= float(p[0]) <= 1.0
        labels.append(case["expected_status"] == "contradiction")
        scores.append(float(p[0]))
    assert len(labels) > 300
    assert _auc(labels, scores) >= 0.85  # 0.917 when shipped


def test_a_missing_model_file_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(FileNotFoundError, match="statement model not found"):
        StatementModel(tmp_path / "none.onnx")


def test_a_consistent_answer_read_as_contradicting_is_flagged_with_both_sentences() -> None:
    answer = "Hi there. We'll give you store credit for the full amount."
    model = FixedModel(0.99, only="credit")
    out = review(model, StatementPolicy(), answer, KB, Comparison(status="consistent"), 0.8)
    assert out.status == "contradiction"
    (c,) = out.conflicts
    assert c.kind == "statement"
    assert answer[c.answer_span[0] : c.answer_span[1]].startswith("We'll give you store credit")
    assert KB.answer[c.kb_span[0] : c.kb_span[1]] == "We refund to the card you paid with."
    assert "refund-method" in c.explanation and "store credit" in c.explanation


def test_a_low_reading_leaves_a_consistent_answer_alone() -> None:
    out = review(
        FixedModel(0.5), StatementPolicy(), "Yes.", KB, Comparison(status="consistent"), 0.9
    )
    assert out.status == "consistent"


def test_no_flag_against_an_entry_the_choice_is_not_sure_of() -> None:
    policy = StatementPolicy(sure_above=0.6)
    out = review(
        FixedModel(0.99), policy, "Store credit.", KB, Comparison(status="consistent"), 0.55
    )
    assert out.status == "consistent"


@pytest.mark.parametrize(
    "kind", ["polarity", "condition", "scope", "list", "categorical", "ordinal"]
)
def test_a_wording_flag_the_whole_answer_does_not_bear_out_is_held_back(kind: str) -> None:
    rules = Comparison(status="contradiction", conflicts=(_conflict(kind),))
    out = review(FixedModel(0.01), StatementPolicy(), "x", KB, rules, 0.9)
    assert out.status == "unverified" and out.conflicts == ()
    assert f"the {kind} differs" in out.reason


@pytest.mark.parametrize("kind", ["money", "duration", "percent", "phone", "count"])
def test_a_typed_value_flag_is_never_held_back(kind: str) -> None:
    model = FixedModel(0.01)
    rules = Comparison(status="contradiction", conflicts=(_conflict(kind), _conflict("polarity")))
    out = review(model, StatementPolicy(), "x", KB, rules, 0.9)
    assert out == rules and model.calls == 0


def test_disabled_policy_changes_nothing() -> None:
    model = FixedModel(0.99)
    rules = Comparison(status="consistent")
    assert review(model, StatementPolicy(enabled=False), "x", KB, rules, 0.9) == rules
    assert model.calls == 0


def test_the_model_travels_to_worker_processes_and_reads_the_same() -> None:
    import pickle

    model = default_statement_model()
    assert model is not None
    before = model.contradiction(KB.answer, ["You'll get store credit instead."])
    copy = pickle.loads(pickle.dumps(model))
    assert copy.path == model.path
    assert np.allclose(copy.contradiction(KB.answer, ["You'll get store credit instead."]), before)


def test_an_answer_that_copies_the_kb_is_left_to_the_rules() -> None:
    model = FixedModel(0.99)
    copy = "We refund to the card you paid with."
    out = review(model, StatementPolicy(), copy, KB, Comparison(status="consistent"), 0.9)
    assert out.status == "consistent" and model.calls == 0
    changed = "We refund to the PayPal account you paid with."
    assert review(
        model, StatementPolicy(), changed, KB, Comparison(status="consistent"), 0.9
    ).status == ("contradiction")


def test_a_flag_never_quotes_a_sentence_the_kb_says_word_for_word() -> None:
    """The model's surest sentence may be a quote of the KB; the difference is elsewhere."""
    model = FixedModel(0.99, only="locked")
    kb = KBEntry(
        id="returns",
        questions=("Can I return it?",),
        answer="Unlock the device first, by phone or online. We can't accept a device that's still locked.",
    )
    answer = "Unlock it in the shop first. We can't accept a device that's still locked."
    out = review(model, StatementPolicy(), answer, kb, Comparison(status="consistent"), 0.9)
    assert out.status == "contradiction"
    (c,) = out.conflicts
    assert c.answer_value == "Unlock it in the shop first"

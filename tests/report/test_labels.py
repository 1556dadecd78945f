"""Plain words for finding kinds, and quotes cut at word boundaries (report and exports)."""

from __future__ import annotations

import re

import pytest

from consistency.audit.models import FINDING_KINDS
from consistency.report import KIND_LABELS, kind_label, render_report
from consistency.report.labels import clip_quote, quote, tidy_quotes

from .helpers import ANSWER, KB_ANSWER, broken_promise, contradiction, gap, summary_of, visible_text


def test_every_kind_has_a_plain_label() -> None:
    assert set(KIND_LABELS) == set(FINDING_KINDS)
    assert kind_label("kb_contradiction") == "KB contradiction"
    assert kind_label("agent_disagreement") == "Agents disagree"
    assert kind_label("repeat_contact_conflict") == "Customer told different things"
    assert kind_label("kb_gap") == "Question the KB does not answer"
    assert kind_label("broken_promise") == "Broken promise"
    for label in KIND_LABELS.values():
        assert "_" not in label
    assert kind_label("some_new_kind") == "Some new kind"


def _mid_word(source: str, shown: str) -> bool:
    """Whether ``shown`` (a quote, "…" marking cuts) starts or ends inside a word of ``source``."""
    core = shown.strip("…")
    at = [m.start() for m in re.finditer(re.escape(core), source)]
    assert at, f"{core!r} is not in the source"

    def clean(i: int) -> bool:
        j = i + len(core)
        before = i == 0 or not (source[i - 1].isalnum() and core[0].isalnum())
        after = j == len(source) or not (source[j].isalnum() and core[-1].isalnum())
        return before and after

    return not any(clean(i) for i in at)


def test_a_snippet_cut_inside_words_loses_the_fragments() -> None:
    answer, kb = contradiction().evidence
    assert _mid_word(ANSWER, answer.snippet) and _mid_word(KB_ANSWER, kb.snippet)  # as stored
    shown = quote(answer.snippet, answer.snippet_span)
    assert shown == (
        "…and it is actually ready for collection: the store keeps it for 14 days before "
        "it is sent back to the warehouse for a full refund to your…"
    )
    assert not _mid_word(ANSWER, shown)
    shown_kb = quote(kb.snippet, kb.snippet_span)
    assert shown_kb.startswith("…ready within 2 hours") and not _mid_word(KB_ANSWER, shown_kb)


@pytest.mark.parametrize("margin", [70])
@pytest.mark.parametrize("value", ["14 days", "collection", "warehouse", "Thanks", "days."])
def test_no_cut_lands_mid_word_and_the_value_is_kept(value: str, margin: int) -> None:
    s = ANSWER.index(value)
    for shift in range(0, 40):  # the same answer with the value at every offset
        text = "x" * shift + ANSWER
        lo, hi = max(0, s + shift - margin), min(len(text), s + shift + len(value) + margin)
        snippet, span = text[lo:hi], (s + shift - lo, s + shift + len(value) - lo)
        shown, inner, before, after = clip_quote(snippet, span)
        assert inner is not None and shown[inner[0] : inner[1]] == value
        assert not _mid_word(text, shown), (shift, snippet, shown)
        assert before == (lo > 0) and (after or hi == len(text) or shown.endswith("."))


def test_a_whole_text_is_shown_whole() -> None:
    text = "you get one point for every pound you spend and it is the same in every store we"
    assert quote(text * 2, None, whole=True) == text * 2
    assert quote("Short answer, no value located", None) == "Short answer, no value located"


def test_an_answer_head_cut_at_160_characters_ends_at_a_word() -> None:
    text = ANSWER + " " + ANSWER
    shown = quote(text[:160], None)
    assert shown.endswith("…") and len(shown) <= 161
    assert not _mid_word(text, shown)


def test_shortened_quotes_in_explanations_end_at_a_word() -> None:
    f = gap()
    question = f.questions[0]
    assert f'"{question[:120]}"' in f.explanation and question[119].isalpha()  # cut mid-word
    tidied = tidy_quotes(f.explanation, f.questions)
    (quoted,) = re.findall(r'"([^"]+)"', tidied)
    assert quoted.endswith("…") and question.startswith(quoted[:-1])
    assert question[len(quoted) - 1] == " "  # the next character of the question is a space
    # a quote of a whole text is left alone, even when another text starts with it
    said = 'He said "how many points" then "how many points do I get"'
    assert tidy_quotes(said, ["how many points", "how many points do I get"]) == said
    # the audit's own "…" after a cut inside a word
    assert tidy_quotes('X ("we will refund you in full within thr…").', [
        "we will refund you in full within three working days"
    ]) == 'X ("we will refund you in full within…").'  # fmt: skip


def _report(findings):
    return render_report(findings, summary_of(findings))


def test_the_report_shows_no_raw_kind_names() -> None:
    findings = [contradiction(), gap(), broken_promise()]
    html = _report(findings)
    text = visible_text(html)
    for kind in FINDING_KINDS:
        assert kind not in text, kind
    # the cards, the per-agent table and each finding name the kinds in plain words
    assert '<div class="card"><b>1</b>KB contradiction</div>' in html
    assert '<div class="card"><b>0</b>Agents disagree</div>' in html
    assert "<th>Customer told different things</th>" in html
    assert "<th>Broken promise</th>" in html
    assert "Question the KB does not answer &middot;" in html


def test_the_report_cuts_quotes_at_words_and_keeps_the_mark() -> None:
    html = _report([contradiction(), gap()])
    assert "…and it is actually ready for collection" in html
    assert "story and" not in html and "your ori" not in html
    assert "…ready within 2 hours" in html and ">ually" not in html
    assert "<mark>14 days</mark>" in html and "<mark>7 days</mark>" in html
    question = gap().questions[0]
    assert question[:120] not in visible_text(html).replace(question, "")  # only whole, or cut

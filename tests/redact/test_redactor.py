"""The Redactor: KB facts stay, spans stay valid, context carries across findings and errors."""

from __future__ import annotations

import doctest
import importlib
import json
import logging
import re
from types import SimpleNamespace

import pytest

from consistency.audit.models import AuditSummary, Evidence, Finding, ValueCount
from consistency.ingest import IngestError
from consistency.redact import (
    MASK_CHAR,
    RedactingFilter,
    Redactor,
    RedactorUsageError,
    mask,
    redact_outputs,
)

HELPLINE = "0333 014 2200"


@pytest.fixture(scope="module")
def redactor(sample_kb) -> Redactor:  # type: ignore[no-untyped-def]
    return Redactor(sample_kb)


def _said(tid: str, answer: str, text: str, value: str, display: str) -> Evidence:
    s = answer.index(text)
    return Evidence(
        transcript_id=tid,
        turn=1,
        span=(s, s + len(text)),
        text=text,
        value=value,
        display=display,
        agent_id="a1",
        customer_id="c1",
        snippet=answer,
        snippet_span=(s, s + len(text)),
    )


def _kb(text: str, canonical: str) -> Evidence:
    s = canonical.index(text)
    return Evidence(
        transcript_id=None,
        turn=None,
        span=(s, s + len(text)),
        text=text,
        value=text,
        display=text,
        source="kb",
        entry_id="contact-phone-hours",
        snippet=canonical,
        snippet_span=(s, s + len(text)),
    )


CANONICAL = f"Call our customer service team on {HELPLINE}. We're open Monday to Friday."
READ_BACK = "Our number is the one I'll call you back on, 07911 123456, Priya."


def _phone_finding() -> Finding:
    return Finding(
        kind="kb_contradiction",
        transcript_ids=("t-1",),
        agent_ids=("a1",),
        customer_ids=("c1",),
        entry_id="contact-phone-hours",
        fact_kind="phone",
        values=("07911 123456", HELPLINE),
        evidence=(
            _said("t-1", READ_BACK, "07911 123456", "+447911123456", "07911 123456"),
            _kb(HELPLINE, CANONICAL),
        ),
        explanation=f"Agent a1 said 07911 123456; the KB (contact-phone-hours) says {HELPLINE}.",
        kb_value=HELPLINE,
        questions=("What's your phone number? My name is Priya Patel",),
    ).with_id()


def test_kb_facts_stay_and_the_customer_number_goes(redactor: Redactor) -> None:
    original = _phone_finding()
    (f,) = redactor.redact_findings([original])
    said, kb = f.evidence
    assert kb == original.evidence[1]
    assert f.kb_value == HELPLINE
    assert f.values == (mask("phone", 12), HELPLINE)
    assert HELPLINE in f.explanation and "07911" not in f.explanation
    assert said.text == mask("phone", 12)
    assert said.value == mask("phone", len("+447911123456"))
    assert said.snippet[said.snippet_span[0] : said.snippet_span[1]] == said.text  # type: ignore[index]
    assert len(said.snippet) == len(READ_BACK)
    assert "Priya" not in said.snippet  # the name given in the question, carried over
    assert f.questions == ("What's your phone number? My name is " + mask("name", 11),)
    assert f.id != original.id and f.id == f.model_copy(update={"id": ""}).with_id().id


def test_customer_ids_that_are_contact_details_are_masked(redactor: Redactor) -> None:
    finding = _phone_finding().model_copy(update={"customer_ids": ("07911 123456", "c-991")})
    (f,) = redactor.redact_findings([finding])
    assert f.customer_ids == (mask("phone", 12), "c-991")
    assert f.agent_ids == ("a1",) and f.transcript_ids == ("t-1",)


def test_customer_ids_that_are_bare_names_are_masked(redactor: Redactor) -> None:
    finding = _phone_finding().model_copy(
        update={"customer_ids": ("Jane Smith", "jane.smith", "c-991", "guest")}
    )
    (f,) = redactor.redact_findings([finding])
    assert f.customer_ids == (mask("name", 10), mask("name", 10), "c-991", "guest")
    ev = finding.evidence[0].model_copy(update={"customer_id": "Priya Shah"})
    (g,) = redactor.redact_findings([finding.model_copy(update={"evidence": (ev,)})])
    assert g.evidence[0].customer_id == mask("name", 10)
    assert redactor.redact_json({"customer_id": "Tom Baker"}) == {"customer_id": mask("name", 9)}


def test_no_repr_shows_what_is_masked() -> None:
    card = "4539 1488 0343 6467"
    r = Redactor()
    result = r.redact(f"my card is {card}")
    assert result.spans and result.spans[0].value == card.replace(" ", "")
    for shown in (repr(r), repr(result), str(result), repr(result.spans[0])):
        assert card not in shown and card.replace(" ", "") not in shown, shown
    assert "card" in repr(r)


def test_redacting_twice_changes_nothing(redactor: Redactor) -> None:
    once = redactor.redact_findings([_phone_finding()])
    assert redactor.redact_findings(once) == once


DOB_ANSWER = "I have your date of birth as 12 March 1985, and you have 30 days."


def test_a_value_said_inside_personal_data_is_masked_in_other_findings(redactor: Redactor) -> None:
    dob = Finding(
        kind="agent_disagreement",
        transcript_ids=("t-2", "t-3"),
        agent_ids=("a1", "a2"),
        customer_ids=("c2", "c3"),
        entry_id=None,
        fact_kind="date",
        values=("12 March 1985", "3 May 1990"),
        evidence=(_said("t-2", DOB_ANSWER, "12 March 1985", "1985-03-12", "12 March 1985"),),
        explanation="Agents gave different date values: 12 March 1985; 3 May 1990.",
        distribution=(ValueCount(value="12 March 1985", answers=2, agents=2),),
    )
    other = Finding(
        kind="kb_gap",
        transcript_ids=("t-9",),
        agent_ids=("a3",),
        customer_ids=("c9",),
        entry_id=None,
        fact_kind=None,
        values=("1985-03-12",),
        evidence=(),
        explanation="Agents answered 1985-03-12.",
    )
    first, second = redactor.redact_findings([dob, other])
    assert first.evidence[0].text == mask("dob", 13)
    assert first.evidence[0].value == mask("dob", 10)
    assert first.values[0] == mask("dob", 13)
    assert first.distribution[0].value == mask("dob", 13)
    assert "1985" not in first.explanation.split(";")[0]
    assert second.values == (mask("dob", 10),)
    assert "1985" not in second.explanation


def test_a_question_cut_in_an_explanation_is_masked_where_cut(redactor: Redactor) -> None:
    question = "x" * 100 + " my card is 4539 1488 0343 6467 thanks"
    gap = Finding(
        kind="kb_gap",
        transcript_ids=("t-1", "t-2"),
        agent_ids=(),
        customer_ids=(),
        entry_id=None,
        fact_kind=None,
        values=(),
        evidence=(),
        explanation=f'3 questions match no KB entry, e.g. "{question[:120]}". Agents answered.',
        questions=(question,),
    )
    (f,) = redactor.redact_findings([gap])
    assert "4539" not in f.explanation and "1488" not in f.explanation
    assert f.explanation.endswith('". Agents answered.')
    assert len(f.explanation) == len(gap.explanation)


def test_a_name_is_masked_across_its_conversation_only(redactor: Redactor) -> None:
    answer = "you have thirty days tom and we'll post it"
    records = [SimpleNamespace(transcript_id="t-5", question="my name is tom jones", facts=[])]
    findings = [
        Finding(
            kind="agent_disagreement",
            transcript_ids=(tid,),
            agent_ids=("a1",),
            customer_ids=("c1",),
            entry_id="returns-window",
            fact_kind="duration",
            values=("30 days",),
            evidence=(_said(tid, answer, "thirty days", "30 day", "30 days"),),
            explanation="",
        )
        for tid in ("t-5", "t-6")
    ]
    own, other = redactor.redact_findings(findings, records=records)
    assert own.evidence[0].snippet == "you have thirty days ███ and we'll post it"
    assert other.evidence[0].snippet == answer
    assert own.evidence[0].text == "thirty days"  # the fact itself is not personal data


def test_digits_cut_off_at_a_snippet_edge_are_masked(redactor: Redactor) -> None:
    snippet = "1488 0343 6467 and you have 30 days to return it"
    ev = _said("t-1", snippet, "30 days", "30 day", "30 days")
    f = Finding(
        kind="kb_contradiction",
        transcript_ids=("t-1",),
        agent_ids=("a1",),
        customer_ids=("c1",),
        entry_id="returns-window",
        fact_kind="duration",
        values=("30 days",),
        evidence=(ev,),
        explanation="",
    )
    (out,) = redactor.redact_findings([f])
    assert out.evidence[0].snippet == mask("number", 14) + snippet[14:]


def test_errors_quoting_input_are_masked(redactor: Redactor) -> None:
    quoted = IngestError(
        file="t.jsonl",
        line=3,
        reason="Input should be 'customer' or 'agent' (got 'Priya Patel 07911 123456')",
        type="bad-speaker",
    )
    masked = redactor.redact_error(quoted)
    assert isinstance(masked, IngestError)
    assert masked.reason.startswith("Input should be 'customer' or 'agent' (got [INPUT")
    assert "Priya" not in masked.reason and "07911" not in masked.reason
    assert len(masked.reason) == len(quoted.reason)
    plain = {"file": "t.jsonl", "line": 4, "reason": "Input should be 'customer' (got 'cust')"}
    assert redactor.redact_error(plain) == plain
    assert redactor.redact_error("card 4539 1488 0343 6467") == "card " + mask("card", 19)


def test_summary_keeps_counts_and_agents(redactor: Redactor) -> None:
    summary = AuditSummary(by_agent={"a1": 2}, out="/audits/jo.bloggs@gmail.com/out")
    masked = redactor.redact_summary(summary)
    assert masked.by_agent == {"a1": 2}
    assert masked.out == "/audits/" + mask("email", 19) + "/out"


def test_kinds_select_what_is_masked() -> None:
    only_cards = Redactor(kinds=["card"])
    text = "card 4539 1488 0343 6467, phone 07911 123456"
    assert only_cards.redact_text(text) == "card " + mask("card", 19) + ", phone 07911 123456"
    with pytest.raises(RedactorUsageError, match="known kinds: card, phone"):
        Redactor(kinds=["cards"])


def test_business_lines_and_company_addresses_stay(redactor: Redactor) -> None:
    text = "call 0800 123 4567 or 0333 014 2299, email support@voltstream.co.uk, not 07911 123456"
    assert redactor.redact_text(text) == text.replace("07911 123456", mask("phone", 12))
    assert Redactor().redact_text(HELPLINE) == HELPLINE  # an 03 number is never a person's


def test_redact_outputs_rewrites_files(redactor: Redactor, tmp_path) -> None:  # type: ignore[no-untyped-def]
    kb_side = {"source": "kb", "text": HELPLINE, "snippet": "my name is Kept Asis"}
    (tmp_path / "a.jsonl").write_text(
        json.dumps(
            {
                "kind": "macro_contradiction",
                "text": "my card is 4539 1488 0343 6467",
                "evidence": [kb_side],
            }
        )
        + "\n"
    )
    (tmp_path / "b.html").write_text(
        "<p>Hello, my name is Priya Patel</p><p>It&#x27;s Sean, I&#x27;m Sean O&#x27;Brien</p>"
    )
    (tmp_path / "c.json").write_text(json.dumps({"out": "jo.bloggs@gmail.com"}, indent=2))
    (tmp_path / "d.bin").write_bytes(b"4539 1488 0343 6467")
    changed = redact_outputs(tmp_path, redactor=redactor)
    assert sorted(p.name for p in changed) == ["a.jsonl", "b.html", "c.json"]
    row = json.loads((tmp_path / "a.jsonl").read_text())
    assert row["kind"] == "macro_contradiction" and row["evidence"] == [kb_side]
    assert row["text"] == "my card is " + mask("card", 19)
    page = (tmp_path / "b.html").read_text()
    assert "Priya" not in page and "Brien" not in page and "I'm [NAME" in page
    assert json.loads((tmp_path / "c.json").read_text()) == {"out": mask("email", 19)}
    assert (tmp_path / "d.bin").read_bytes() == b"4539 1488 0343 6467"  # not a text output


def test_logging_filter_masks_messages_and_tracebacks(redactor: Redactor) -> None:
    logger = logging.getLogger("tests.redact.filter")
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger.addHandler(handler)
    logger.addFilter(RedactingFilter(lambda: redactor))
    logger.propagate = False
    try:
        logger.warning("answer=%r", "call me on 07911 123456")
        try:
            raise ValueError("bad card 4539 1488 0343 6467")
        except ValueError:
            logger.exception("failed for %s", "Priya via jo.bloggs@gmail.com")
    finally:
        logger.removeHandler(handler)
    formatted = "\n".join(logging.Formatter().format(r) for r in records)
    assert "answer='call me on " + mask("phone", 12) + "'" in formatted
    assert "ValueError: bad card " + mask("card", 19) in formatted
    for secret in ("07911", "4539", "jo.bloggs"):
        assert secret not in formatted


def test_masks_keep_length_and_are_recognised() -> None:
    for n in range(12):
        assert len(mask("postcode", n)) == n
    assert mask("card", 19) == "[CARD" + MASK_CHAR * 13 + "]"
    assert re.fullmatch(r"█+", mask("postcode", 8))


@pytest.mark.parametrize(
    "name",
    ["consistency.redact.spans", "consistency.redact.detectors", "consistency.redact.redactor"],
)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0

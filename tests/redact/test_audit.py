"""End to end: PII planted in transcripts never reaches any file an audit writes.

Customers and agents say personal data of every kind, typed and read out; one
exchange contradicts the KB, agents disagree with evidence quoting personal
data, unmatched questions form a KB gap, bad lines quote it in errors. With
``redact_pii`` no planted item is in any output file (findings, summary,
errors, report, the history's SQLite bytes, the checkpoint), in any spelling
or encoding; the KB's helpline is still quoted.
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from consistency.audit import audit
from consistency.audit.cli import audit_command

from ..conftest import SAMPLE_KB

HELPLINE = "0333 014 2200"
RETURNS = "How long do I have to return an item?"

#: Every planted item, as written in the transcripts below.
PLANTED = [
    "Priya Patel", "Priya", "4539 1488 0343 6467", "priya.patel@gmail.com", "07911 123456",
    "tom jones", "m1 1ae", "oh seven seven double oh nine double oh one two three",
    "14/07/1983", "20-45-77", "41234567", "07922 334455", "SW1A 1AA",
    "twelfth of march nineteen eighty five",
    "five five five five five five five five five five five five four four four four",
    "tom dot jones at hotmail dot co dot uk", "four oh double two nine one",
    "three one nine two six four five eight", "John Smith", "jo.bloggs@gmail.com", "O'Brien",
    "oh seven nine two two three three four four five five", "01/02/1990", "5555555555554444",
    "Aisha Khan", "Aisha", "07933 445566",
]  # fmt: skip


def _conversation(cid: str, day: str, agent: str, customer: str, turns, channel="chat") -> str:  # type: ignore[no-untyped-def]
    return json.dumps(
        {
            "id": cid,
            "started_at": f"{day}T10:00:00Z",
            "channel": channel,
            "agent_id": agent,
            "customer_id": customer,
            "turns": [{"speaker": s, "text": t} for s, t in turns],
        }
    )


def _transcripts(path: Path) -> Path:
    c, a = "customer", "agent"
    lines = [
        _conversation("t-1", "2026-03-02", "a1", "c1", [
            (c, "Hi, my name is Priya Patel and my card 4539 1488 0343 6467 was charged."),
            (a, "Thanks Priya, how can I help?"),
            (c, RETURNS),
            (a, "Thanks Priya. You have 14 days to return it, I've noted your email "
                "priya.patel@gmail.com and your number 07911 123456."),
        ]),
        _conversation("t-2", "2026-03-03", "a2", "c2", [
            (c, "hi my name is tom jones my postcode is m1 1ae"),
            (a, "thanks tom how can i help"),
            (c, "how long do i have to return an item"),
            (a, "you have thirty days tom i'll call you back on oh seven seven double oh nine "
                "double oh one two three"),
        ], "voice"),
        _conversation("t-3", "2026-03-04", "a3", "c3", [
            (c, "My date of birth is 14/07/1983, sort code 20-45-77, account number 41234567."),
            (a, "Thank you, that's verified."),
            (c, RETURNS),
            (a, "You have 30 days from delivery. We will call you back on 07922 334455 at SW1A 1AA."),
        ]),
        _conversation("t-4", "2026-03-05", "a4", "c4", [
            (c, "how long do i have to return an item"),
            (a, "you have fourteen days i can send it to tom dot jones at hotmail dot co dot uk "
                "sort code four oh double two nine one account number three one nine two six four "
                "five eight"),
            (c, "ok and for security i was born on the twelfth of march nineteen eighty five and my "
                "card is five five five five five five five five five five five five four four four four"),
            (a, "thank you that is all verified"),
        ], "voice"),
        _conversation("t-5", "2026-03-06", "a5", "c5", [
            (c, "Hello, this is John Smith. How long do I have to return an item?"),
            (a, "Hi John, it's 30 days. Is your postcode still SW1A 1AA?"),
        ]),
        _conversation("t-6", "2026-03-07", "a6", "c6", [
            (c, "Hello, I bought a laptop from you years ago and it's broken beyond repair now, "
                "can I recycle it with you? my card is 4539 1488 0343 6467"),
            (a, "Yes, bring it to any store. I've emailed the details to jo.bloggs@gmail.com."),
        ]),
        _conversation("t-7", "2026-03-08", "a1", "c7", [
            (c, "can i recycle my old broken laptop with you my name is sam O'Brien"),
            (a, "yes sam just bring it into a store we'll text you on oh seven nine two two three "
                "three four four five five"),
        ], "voice"),
        _conversation("t-8", "2026-03-09", "a2", "c8", [
            (c, "Can I recycle my broken laptop with you? My date of birth is 01/02/1990"),
            (a, "Sure, we take old laptops in store for recycling, free of charge."),
        ]),
        _conversation("t-9", "2026-03-10", "a3", "c9", [
            (c, "What's your phone number?"),
            (a, f"Call our customer service team on {HELPLINE}. We're open Monday to Friday, "
                "9am to 5pm, Aisha."),
            (c, "Thanks. For the callback, my name is Aisha Khan and I'm on 07933 445566."),
            (a, "Noted, thank you."),
        ]),
        json.dumps({"id": "t-bad", "started_at": "my card 5555555555554444", "turns": []}),
        json.dumps({"id": "t-bad2", "started_at": "2026-03-02T10:00:00Z",
                    "turns": [{"speaker": "Priya Patel 07911 123456", "text": "x"}]}),
        "{not json, my name is Aisha Khan",
    ]  # fmt: skip
    path.write_text("\n".join(lines) + "\n")
    return path


def _forms(item: str) -> set[str]:
    """The spellings an item could leak in: as said, lower case, digits only, escaped."""
    forms = {item, item.lower(), html.escape(item), json.dumps(item)[1:-1]}
    digits = re.sub(r"\D", "", item)
    if len(digits) >= 6:
        forms.add(digits)
    return forms


def _contents(path: Path) -> bytes:
    """A file's bytes; a Parquet file's rows as JSON (its pages may be compressed)."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        rows = pq.read_table(path).to_pylist()
        return json.dumps(rows, ensure_ascii=False, default=str).encode()
    return path.read_bytes()


def _leaks(out: Path, history: Path) -> list[tuple[str, str]]:
    found = []
    for path in [*sorted(p for p in out.rglob("*") if p.is_file()), history]:
        data = _contents(path).lower()
        for item in PLANTED:
            for form in _forms(item):
                if form.lower().encode() in data:
                    found.append((path.name, form))
    return found


def _check_outputs(out: Path, history: Path) -> list[dict]:
    assert _leaks(out, history) == []
    assert not (out / "state").exists()
    findings = [json.loads(line) for line in (out / "findings.jsonl").read_text().splitlines()]
    kinds = {f["kind"] for f in findings}
    assert {"kb_contradiction", "agent_disagreement", "kb_gap"} <= kinds
    for f in findings:  # masks keep lengths: every span still points at its text
        for ev in f["evidence"]:
            if ev["snippet_span"]:
                s, e = ev["snippet_span"]
                assert ev["snippet"][s:e] == ev["text"]
    quoted = [
        ev
        for f in findings
        if f["entry_id"] == "contact-phone-hours"
        for ev in f["evidence"]
        if HELPLINE in ev["snippet"]
    ]
    assert {ev["source"] for ev in quoted} == {"answer", "kb"}
    assert HELPLINE in (out / "report.html").read_text()
    errors = (out / "errors.jsonl").read_text().splitlines()
    assert len(errors) == 3
    return findings


@pytest.mark.model
def test_audit_writes_no_planted_pii(checker, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = _transcripts(tmp_path / "t.jsonl")
    plain, out = tmp_path / "plain", tmp_path / "out"
    audit([src], checker.kb, out=plain, checker=checker, progress=False,
          history=tmp_path / "plain.sqlite")  # fmt: skip
    assert len(_leaks(plain, tmp_path / "plain.sqlite")) > 20  # the test can see a leak
    parquet = importlib.util.find_spec("pyarrow") is not None
    summary = audit(
        [src],
        checker.kb,
        out=out,
        checker=checker,
        progress=False,
        history=tmp_path / "h.sqlite",
        redact_pii=True,
        formats=("jsonl", "parquet") if parquet else ("jsonl",),
    )
    assert (out / "findings.parquet").exists() is parquet
    findings = _check_outputs(out, tmp_path / "h.sqlite")
    baseline = [json.loads(line) for line in (plain / "findings.jsonl").read_text().splitlines()]
    assert [(f["kind"], f["entry_id"], f["fact_kind"]) for f in findings] == [
        (f["kind"], f["entry_id"], f["fact_kind"]) for f in baseline
    ]  # the same findings, masked
    assert summary.findings == len(findings) and summary.errors == 3


@pytest.mark.model
def test_cli_redact_pii(checker, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import consistency.checker

    monkeypatch.setattr(consistency.checker, "Checker", lambda kb, **kw: checker)
    app = typer.Typer()
    app.command("audit")(audit_command)
    app.command("noop")(lambda: None)
    src = _transcripts(tmp_path / "t.jsonl")
    out, history = tmp_path / "out", tmp_path / "h.sqlite"
    args = ["audit", str(src), "--kb", str(SAMPLE_KB), "--out", str(out), "--no-progress"]
    result = CliRunner().invoke(app, [*args, "--history", str(history), "--redact-pii"])
    assert result.exit_code == 0, result.output
    _check_outputs(out, history)
    assert all(form.lower() not in result.output.lower() for i in PLANTED for form in _forms(i))

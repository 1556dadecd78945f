"""``check-macros --redact-pii``: personal data in macros never reaches stdout or --out files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ..conftest import SAMPLE_KB
from .test_cli import app, model_app  # noqa: F401  (fixtures)

PII = {
    "card": "4539 1488 0343 6467",
    "mobile": "07700 900123",
    "email": "jane.doe1988@gmail.com",
    "postcode": "SW1A 1AA",
}


def _macros(tmp_path: Path) -> Path:
    path = tmp_path / "macros.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "body"])
        writer.writerow(
            [
                "PII-1",
                "Returns - how long",
                f"Customer {PII['email']} {PII['mobile']} {PII['postcode']}: you can "
                f"return items within 14 days of delivery, card {PII['card']}.",
            ]
        )
        writer.writerow(
            ["PII-2", "Contact - phone", "Call our customer service team on 0333 014 2200."]
        )
    return path


@pytest.mark.model
@pytest.mark.parametrize("redact", [False, True])
def test_no_planted_item_in_any_output(model_app, tmp_path: Path, redact: bool) -> None:  # noqa: F811
    out = tmp_path / "out"
    args = [str(_macros(tmp_path)), "--kb", str(SAMPLE_KB), "--out", str(out)]
    result = CliRunner().invoke(model_app, ["check-macros", *args, *(["--redact-pii"] * redact)])
    assert result.exit_code == 1, result.output  # the 14-day window contradicts the KB
    blobs = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir() if p.is_file()}
    blobs["stdout"] = result.output
    assert {"findings.jsonl", "summary.json", "report.html"} <= set(blobs)
    leaked = {
        (kind, name)
        for kind, item in PII.items()
        for name, text in blobs.items()
        if item in text or item.replace(" ", "") in text.replace(" ", "")
    }
    if redact:
        assert leaked == set()
        assert "0333 014 2200" in blobs["results.jsonl"] or "0333 014 2200" in blobs["report.html"]
    else:
        assert {kind for kind, _ in leaked} == set(PII)  # the test can fail: it does see them


# Personal data a macro's body states with a cue, repeated bare in its title.
_RETURNS = "You can return items within 14 days of delivery."
TITLED = [
    ("T-1", "Refund for Jane Smith", f"Dear Jane Smith, thanks for asking. {_RETURNS}"),
    ("T-2", "Priya Patel - returns", f"Hello Priya Patel, thanks for asking. {_RETURNS}"),
    ("T-3", "Tom Baker returns", f"Hi, it's Tom Baker speaking. {_RETURNS}"),
    ("T-4", "Returns (Siobhan Kelly)", f"My name is Siobhan Kelly. {_RETURNS}"),
    ("T-5", "Deborah Okafor / returns", f"Thanks Deborah Okafor. {_RETURNS}"),
    ("T-6", "DOB 14/07/1983 - returns", f"Date of birth 14/07/1983 checked. {_RETURNS}"),
    ("T-7", "Returns 03/11/1990", f"We checked your DOB 03/11/1990. {_RETURNS}"),
    ("T-8", "1 2 1985 returns", f"You were born on 1 2 1985. {_RETURNS}"),
    ("T-9", "Returns, 22.09.1979", f"Birthday 22.09.1979 noted. {_RETURNS}"),
    ("T-10", "Account 41234567", f"Account number 41234567 is on file. {_RETURNS}"),
    ("T-11", "31926819 refund", f"Your account no. 31926819 is noted. {_RETURNS}"),
    ("T-12", "Returns for 55501234", f"For a/c 55501234 it is simple. {_RETURNS}"),
]
PLANTED = {
    "Jane Smith": "name", "Priya Patel": "name", "Tom Baker": "name", "Siobhan Kelly": "name",
    "Deborah Okafor": "name", "14/07/1983": "dob", "03/11/1990": "dob", "1 2 1985": "dob",
    "22.09.1979": "dob", "41234567": "account", "31926819": "account", "55501234": "account",
}  # fmt: skip


def _titled(tmp_path: Path) -> Path:
    path = tmp_path / "titled.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "body"])
        writer.writerows(TITLED)
    return path


def _leaked(blobs: dict[str, str]) -> set[tuple[str, str]]:
    """(item, where) for every planted item, or one of its names, shown anywhere."""
    out = set()
    for item in PLANTED:
        pieces = item.split() if PLANTED[item] == "name" else [item]
        for name, text in blobs.items():
            if any(p in text for p in pieces):
                out.add((item, name))
    return out


@pytest.mark.model
@pytest.mark.parametrize("redact", [False, True])
def test_titles_are_masked_like_bodies(model_app, tmp_path: Path, redact: bool) -> None:  # noqa: F811
    out = tmp_path / "out"
    args = [str(_titled(tmp_path)), "--kb", str(SAMPLE_KB), "--out", str(out)]
    for as_json in (False, True):
        flags = ["--redact-pii"] * redact + ["--json"] * as_json
        result = CliRunner().invoke(model_app, ["check-macros", *args, *flags])
        assert result.exit_code == 1, result.output
        blobs = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir() if p.is_file()}
        blobs["stdout"] = result.output
        assert {"findings.jsonl", "results.jsonl", "report.html"} <= set(blobs)
        leaked = _leaked(blobs)
        if redact:
            assert leaked == set()
            continue
        # The test can fail: unmasked, every item is in results.jsonl, and those of the
        # macros that contradict the KB in stdout and the report too.
        found = {json.loads(line)["macro_id"] for line in blobs["findings.jsonl"].splitlines()}
        shown = {item for item in PLANTED for i, title, _ in TITLED if i in found and item in title}
        assert len(found) >= 6 and len(shown) >= 6
        assert {item for item, where in leaked if where == "results.jsonl"} == set(PLANTED)
        for where in ("stdout", "report.html", "findings.jsonl"):
            assert shown <= {item for item, name in leaked if name == where}, where


def test_one_place_masks_a_macro_result_title_included() -> None:
    from consistency.macros import Macro, MacroReport, MacroResult
    from consistency.macros.models import MacroError
    from consistency.macros.redact import redact_macro_errors, redact_macro_report
    from consistency.models import Conflict
    from consistency.redact import Redactor

    body = "Dear Jane Smith, your date of birth 14/07/1983 is on file."
    macro = Macro(id="M-1", title="Jane Smith 14/07/1983", body=body)
    at = body.index("14/07/1983")
    result = MacroResult(
        macro_id="M-1",
        title=macro.title,
        status="contradiction",
        question=f"{macro.title}. {body}",
        conflicts=(
            Conflict(
                kind="date",
                answer_value="1983-07-14",
                kb_value="2026-01-01",
                answer_span=(at, at + 10),
                kb_span=None,
                answer_text="14/07/1983",
                kb_text="1 January 2026",
                explanation="the macro says 1983-07-14",
            ),
        ),
        explanation="Jane Smith's macro says 1983-07-14; the KB says 2026-01-01.",
    )
    report = MacroReport(results=(result,), findings=())
    (masked,) = redact_macro_report(report, [macro], Redactor()).results
    shown = masked.model_dump_json()
    for item in ("Jane", "Smith", "14/07/1983", "1983-07-14"):
        assert item not in shown, shown
    assert "2026-01-01" in shown and masked.macro_id == "M-1"
    assert len(masked.title) == len(macro.title)
    error = MacroError(file="m.csv", row=2, reason="bad title (got 'my name is Jane Smith')")
    (e,) = redact_macro_errors([error], Redactor())
    assert "Jane" not in str(e) and e.file == "m.csv"

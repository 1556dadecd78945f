"""``check-macros --redact-pii``: personal data in macros never reaches stdout or --out files."""

from __future__ import annotations

import csv
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

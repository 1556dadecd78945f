"""Findings and verdicts as Arrow, Parquet, pandas and polars; ``audit --format parquet``."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from typer.testing import CliRunner

from consistency import frames
from consistency.audit.cli import audit_command
from consistency.audit.models import FINDING_KINDS, Evidence, Finding, ValueCount
from consistency.audit.state import AuditUsageError
from consistency.frames import (
    FindingProblem,
    FindingsFileError,
    findings_schema,
    findings_to_arrow,
    findings_to_frame,
    read_findings,
    verdicts_schema,
    verdicts_to_arrow,
    verdicts_to_frame,
    write_findings_parquet,
)
from consistency.models import Verdict
from consistency.report.writers import write_findings, write_outputs

from .conftest import ROOT, SAMPLE_KB

SAMPLE = ROOT / "examples" / "transcripts.jsonl"

# -- generated findings -------------------------------------------------------------------

_text = st.text(max_size=20)
_opt_text = st.none() | _text
_ids = st.lists(_text, max_size=3).map(tuple)
_span = st.none() | st.tuples(st.integers(0, 10**6), st.integers(0, 10**6))

evidence = st.builds(
    Evidence,
    transcript_id=_opt_text,
    turn=st.none() | st.integers(0, 500),
    span=_span,
    text=_text,
    value=_text,
    display=_text,
    source=st.sampled_from(["answer", "kb", "question"]),
    agent_id=_opt_text,
    customer_id=_opt_text,
    started_at=_opt_text,
    entry_id=_opt_text,
    snippet=_text,
    snippet_span=_span,
)
value_counts = st.builds(
    ValueCount,
    value=_text,
    answers=st.integers(0, 10**6),
    agents=st.integers(0, 10**6),
    agent_ids=_ids,
    transcript_ids=_ids,
    kb=st.booleans(),
)
findings = st.builds(
    Finding,
    kind=st.sampled_from(FINDING_KINDS),
    transcript_ids=_ids,
    agent_ids=_ids,
    customer_ids=_ids,
    entry_id=_opt_text,
    fact_kind=_opt_text,
    values=_ids,
    evidence=st.lists(evidence, max_size=3).map(tuple),
    explanation=_text,
    id=_text,
    severity=st.sampled_from(["high", "medium", "low"]),
    topic=_opt_text,
    group=_opt_text,
    kb_value=_opt_text,
    distribution=st.lists(value_counts, max_size=2).map(tuple),
    minority=_ids,
    questions=_ids,
    answers=st.lists(evidence, max_size=2).map(tuple),
    volume=st.integers(0, 10**6),
    first_seen=_opt_text,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(findings, max_size=4))
def test_findings_round_trip_through_parquet_and_jsonl(items: list[Finding]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        parquet, jsonl = Path(tmp) / "f.parquet", Path(tmp) / "f.jsonl"
        assert write_findings_parquet(parquet, items) == len(items)
        write_findings(jsonl, items)
        assert read_findings(parquet) == items
        assert read_findings(jsonl) == items


@settings(max_examples=25, deadline=None)
@given(st.lists(findings, min_size=1, max_size=3))
def test_every_field_has_a_column_and_spans_are_split(items: list[Finding]) -> None:
    table = findings_to_arrow(items)
    assert table.num_rows == len(items)
    rows = table.to_pylist()
    for finding, row in zip(items, rows, strict=True):
        assert row["id"] == finding.id
        assert row["values"] == list(finding.values)
        for ev, cell in zip(finding.evidence, row["evidence"], strict=True):
            assert (cell["span_start"], cell["span_end"]) == (ev.span or (None, None))
            assert cell["text"] == ev.text


# -- the schema ---------------------------------------------------------------------------


def test_findings_schema_is_flat_typed_and_covers_every_field() -> None:
    schema = findings_schema()
    assert schema.names[:2] == ["id", "kind"]
    assert set(schema.names) == set(Finding.model_fields)  # no span at the top level
    types = {f.name: f.type for f in schema}
    assert types["kind"] == pa.string() and not schema.field("kind").nullable
    assert schema.field("entry_id").nullable and types["entry_id"] == pa.string()
    for name in ("transcript_ids", "agent_ids", "customer_ids", "values"):
        assert types[name] == pa.list_(pa.string())
    assert types["volume"] == pa.int64() and types["schema_version"] == pa.int64()
    item = types["evidence"].value_type
    assert pa.types.is_struct(item)
    spanless = [n for n in Evidence.model_fields if n not in ("span", "snippet_span")]
    names = [item.field(i).name for i in range(item.num_fields)]
    assert names[:6] == ["transcript_id", "turn", "span_start", "span_end", "text", "value"]
    assert set(names) == {
        *spanless,
        "span_start",
        "span_end",
        "snippet_span_start",
        "snippet_span_end",
    }
    assert item.field("turn").type == pa.int64() and item.field("turn").nullable
    assert schema.metadata[b"consistency.model"] == b"Finding"


def test_verdicts_schema_nests_conflicts_matches_and_facts() -> None:
    schema = verdicts_schema()
    assert set(schema.names) == set(Verdict.model_fields)
    conflict = schema.field("conflicts").type.value_type
    assert [conflict.field(i).name for i in range(4)] == [
        "kind", "answer_value", "kb_value", "answer_span_start",
    ]  # fmt: skip
    assert schema.field("on").type == pa.date32()
    fact = schema.field("supported").type.value_type
    assert fact.field("value").type == pa.string()  # Any: JSON text
    assert pa.types.is_struct(schema.field("matches").type.value_type.field("components").type)


class _Rules(BaseModel):
    """Every annotation rule of the module, on a model of its own."""

    when: dt.date
    at: dt.datetime | None = None
    amount: Decimal
    blob: dict[str, Any] = {}
    anything: Any = None
    pair: tuple[int, int] | None = None
    pairs: tuple[tuple[int, int], ...] = ()
    ratio: float = 0.0
    flag: bool = False


def test_columns_follow_the_documented_rules_for_any_model() -> None:
    schema = frames._schema(_Rules, "Rules")
    assert {f.name: f.type for f in schema} == {
        "when": pa.date32(),
        "at": pa.string(),
        "amount": pa.string(),
        "blob": pa.string(),
        "anything": pa.string(),
        "pair_start": pa.int64(),
        "pair_end": pa.int64(),
        "pairs": pa.list_(pa.list_(pa.int64())),
        "ratio": pa.float64(),
        "flag": pa.bool_(),
    }  # fmt: skip
    columns = frames._columns(_Rules)
    value = _Rules(
        when=dt.date(2026, 3, 2),
        at=dt.datetime(2026, 3, 2, 10, 15, tzinfo=dt.UTC),
        amount=Decimal("4.49"),
        blob={"a": [1, 2]},
        anything={"x": Decimal("1.5")},
        pair=(3, 9),
        pairs=((1, 2),),
        ratio=0.25,
        flag=True,
    )
    row = frames._encode(columns, value)
    assert row["blob"] == '{"a": [1, 2]}' and row["amount"] == "4.49"
    assert (row["pair_start"], row["pair_end"]) == (3, 9)
    back = _Rules.model_validate(frames._decode(columns, row))
    assert back.model_copy(update={"anything": None}) == value.model_copy(update={"anything": None})
    assert back.anything == {"x": "1.5"}  # Any goes through JSON


# -- frames -------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """pandas / polars cells as plain Python values, missing as None."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


@settings(max_examples=20, deadline=None)
@given(st.lists(findings, min_size=1, max_size=4))
def test_pandas_and_polars_agree(items: list[Finding]) -> None:
    pdf = findings_to_frame(items)
    plf = findings_to_frame(items, backend="polars")
    assert list(pdf.columns) == plf.columns == findings_schema().names
    assert [_plain(r) for r in pdf.to_dict("records")] == [_plain(r) for r in plf.to_dicts()]


@pytest.fixture(scope="module")
def sample_findings(checker, tmp_path_factory) -> tuple[Path, list[Finding]]:
    """A 30-conversation slice of the sample week, audited through the CLI with --format parquet."""
    import consistency.checker

    out = tmp_path_factory.mktemp("frames-audit")
    src = out / "slice.jsonl"
    src.write_text("\n".join(SAMPLE.read_text().splitlines()[:30]) + "\n")
    cli = typer.Typer()
    cli.command("audit")(audit_command)
    cli.command("noop")(lambda: None)
    mp = pytest.MonkeyPatch()
    mp.setattr(consistency.checker, "Checker", lambda kb, **kw: checker)
    try:
        args = ["audit", str(src), "--kb", str(SAMPLE_KB), "--out", str(out / "audit-out")]
        result = CliRunner().invoke(cli, [*args, "--no-progress", "--format", "parquet"])
    finally:
        mp.undo()
    assert result.exit_code == 0, result.output
    return out / "audit-out", read_findings(out / "audit-out" / "findings.jsonl")


@pytest.mark.model
def test_audit_format_parquet_writes_the_same_findings(sample_findings) -> None:
    out, from_jsonl = sample_findings
    assert {p.name for p in out.iterdir()} >= {
        "findings.jsonl", "findings.parquet", "summary.json", "report.html",
    }  # fmt: skip
    assert from_jsonl, "the slice has findings"
    assert read_findings(out / "findings.parquet") == from_jsonl
    assert read_findings(out) == from_jsonl  # a folder: its findings.jsonl
    table = pq.read_table(out / "findings.parquet")
    assert table.schema.equals(findings_schema())
    summary = json.loads((out / "summary.json").read_text())
    assert table.num_rows == summary["findings"]


@pytest.mark.model
def test_readme_dataframe_example_runs(sample_findings, monkeypatch) -> None:
    out, found = sample_findings
    text = (ROOT / "README.md").read_text()
    (block,) = re.findall(
        r'^```python title="findings_frame.py"\n(.*?)^```', text, flags=re.S | re.M
    )
    monkeypatch.chdir(out.parent)
    namespace: dict[str, Any] = {}
    exec(compile(block, "README.md", "exec"), namespace)
    contradictions = [f for f in found if f.kind == "kb_contradiction"]
    assert namespace["by_entry"].sum() == len(contradictions)
    assert namespace["by_entry"].to_dict() == {
        e: sum(1 for f in contradictions if f.entry_id == e) for e in {f.entry_id for f in contradictions}
    }  # fmt: skip
    assert namespace["quotes"].dropna().tolist() == [e.text for f in found for e in f.evidence]


@pytest.mark.model
def test_verdicts_to_frame_one_row_per_verdict(checker) -> None:
    pairs = [
        ("can I still send it back after 3 weeks?", "Sure, you have 14 days from delivery."),
        ("what's the weather like?", "sunny"),
        ("How long do I have to return an item?", "You have 30 days.", dt.date(2026, 3, 2)),
    ]
    verdicts = checker.check_many(pairs)
    df = verdicts_to_frame(verdicts)
    assert df["status"].tolist() == [v.status for v in verdicts]
    first = df["conflicts"].iloc[0][0]
    assert (first["kind"], first["answer_span_start"], first["answer_span_end"]) == (
        "duration",
        15,
        22,
    )
    assert df["on"].tolist()[2] == dt.date(2026, 3, 2)
    plf = verdicts_to_frame(verdicts, backend="polars")
    assert plf["entry_id"].to_list() == [_plain(e) for e in df["entry_id"]]
    assert plf["entry_id"].to_list() == [v.entry_id for v in verdicts]
    supported = verdicts_to_arrow(verdicts).column("supported").to_pylist()
    for verdict, facts in zip(verdicts, supported, strict=True):
        assert [json.loads(f["value"]) for f in facts] == [
            json.loads(json.dumps(f.value, default=str)) for f in verdict.supported
        ]


# -- errors -------------------------------------------------------------------------------


def test_a_missing_library_names_the_extra(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "polars", None)
    with pytest.raises(
        ImportError, match=r"polars is needed .* pip install 'consistency\[frames\]'"
    ):
        findings_to_frame([], backend="polars")
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ImportError, match=r"pyarrow is needed .*consistency\[frames\]"):
        findings_to_arrow([])


def test_importing_consistency_loads_no_dataframe_library() -> None:
    code = (
        "import sys, consistency, consistency.frames; consistency.findings_to_frame; "
        "print(sorted(m for m in ('pandas', 'polars', 'pyarrow') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_unknown_backend_and_wrong_items_are_refused() -> None:
    with pytest.raises(
        ValueError, match="unknown DataFrame backend 'spark'; known: pandas, polars"
    ):
        findings_to_frame([], backend="spark")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="item 0 is a dict, expected a Finding"):
        findings_to_arrow([{"kind": "kb_gap"}])  # type: ignore[list-item]


def _finding(n: int) -> Finding:
    return Finding(
        kind="kb_gap",
        transcript_ids=(f"t-{n}",),
        agent_ids=(),
        customer_ids=(),
        entry_id=None,
        fact_kind=None,
        values=(),
        evidence=(),
        explanation=f"gap {n}",
    ).with_id()


def test_bad_jsonl_lines_are_reported_with_file_line_and_field(tmp_path) -> None:
    path = tmp_path / "findings.jsonl"
    good = [_finding(1), _finding(2)]
    lines = [good[0].model_dump_json(), "{not json", '{"kind": "nope"}', good[1].model_dump_json()]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(FindingsFileError) as info:
        read_findings(path)
    problems = info.value.problems
    assert {p.line for p in problems} == {2, 3}
    assert any(p.line == 3 and p.loc == ("kind",) for p in problems)
    assert str(info.value).splitlines()[0].endswith("problems reading findings")
    assert f"{path}:3 kind:" in str(info.value)
    sink: list[FindingProblem] = []
    assert read_findings(path, errors=sink) == good
    assert len(sink) == len(problems)


def test_parquet_columns_unknown_or_missing_are_reported(tmp_path) -> None:
    table = findings_to_arrow([_finding(1)])
    newer = tmp_path / "newer.parquet"
    pq.write_table(table.append_column("from_the_future", pa.array(["x"])), newer)
    with pytest.raises(FindingsFileError, match=r"unknown column\(s\) from_the_future"):
        read_findings(newer)
    sink: list[FindingProblem] = []
    assert read_findings(newer, errors=sink) == [_finding(1)]
    assert sink[0].line is None
    older = tmp_path / "older.parquet"
    pq.write_table(table.drop_columns(["explanation"]), older)
    with pytest.raises(FindingsFileError, match=r"missing column\(s\) explanation"):
        read_findings(older)
    junk = tmp_path / "junk.parquet"
    junk.write_text("not parquet")
    with pytest.raises(FindingsFileError, match="not a Parquet file"):
        read_findings(junk)


def test_read_findings_refuses_unknown_extensions_and_missing_files(tmp_path) -> None:
    with pytest.raises(ValueError, match=r"expected \.jsonl, \.ndjson or \.parquet"):
        read_findings(tmp_path / "findings.csv")
    with pytest.raises(FileNotFoundError, match="no findings file at"):
        read_findings(tmp_path / "findings.parquet")


def test_write_outputs_formats(tmp_path) -> None:
    from consistency.audit.models import AuditSummary

    items = [_finding(1)]
    write_outputs(tmp_path, items, AuditSummary(), [], formats=("jsonl", "parquet"))
    assert read_findings(tmp_path / "findings.parquet") == items
    write_outputs(tmp_path, items, AuditSummary(), [])  # jsonl only: no stale parquet left
    assert not (tmp_path / "findings.parquet").exists()
    with pytest.raises(
        ValueError, match="unknown findings format 'xml'; known: jsonl, parquet, csv, xlsx"
    ):
        write_outputs(tmp_path, items, AuditSummary(), [], formats=("xml",))


def test_audit_refuses_an_unknown_format_before_any_work(tmp_path) -> None:
    from consistency.audit import audit

    with pytest.raises(AuditUsageError, match="unknown findings format 'xml'") as info:
        audit([tmp_path / "none.jsonl"], SAMPLE_KB, out=tmp_path / "out", formats=["xml"])
    assert info.value.code == "bad-option"
    assert not (tmp_path / "out").exists()


def test_cli_unknown_format_exits_2(tmp_path) -> None:
    src = tmp_path / "t.jsonl"
    src.write_text("")
    cli = typer.Typer()
    cli.command("audit")(audit_command)
    cli.command("noop")(lambda: None)
    args = ["audit", str(src), "--kb", str(SAMPLE_KB), "--out", str(tmp_path / "o")]
    result = CliRunner().invoke(cli, [*args, "--format", "xml"])
    assert result.exit_code == 2
    assert "one of jsonl, parquet" in result.output

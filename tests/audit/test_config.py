"""AuditConfig: the audit's settings checked together, before any work, as usage errors."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consistency.audit import AuditConfig, AuditOptions, AuditUsageError
from consistency.promises import WorkingCalendar

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "transcripts.jsonl"


def _refused(code: str, **settings) -> str:
    with pytest.raises(AuditUsageError) as info:
        AuditConfig(**settings)
    assert info.value.code == code
    return str(info.value)


def test_defaults_are_the_documented_ones(tmp_path):
    config = AuditConfig(out=tmp_path)
    assert config.out == tmp_path
    assert (config.engine, config.formats, config.batch_size) == ("local", ("jsonl",), 64)
    assert config.progress is True and config.resume is False and config.redact_pii is False
    assert config.options == AuditOptions()
    assert config.since is None and config.until is None and config.workers is None


def test_days_are_read_from_text_and_times(tmp_path):
    config = AuditConfig(out=str(tmp_path), since="2026-03-01", until=dt.datetime(2026, 3, 7, 9))
    assert (config.since, config.until) == (dt.date(2026, 3, 1), dt.date(2026, 3, 7))
    assert isinstance(config.out, Path)


def test_a_bad_day_names_the_setting_and_the_value(tmp_path):
    message = _refused("bad-period", out=tmp_path, until="7th March")
    assert "until" in message and "'7th March'" in message


def test_a_period_that_ends_before_it_starts_is_refused(tmp_path):
    message = _refused("bad-period", out=tmp_path, since="2026-03-08", until="2026-03-01")
    assert "2026-03-08" in message and "2026-03-01" in message


def test_an_unknown_engine_lists_the_known_ones(tmp_path):
    assert "known: local, ray" in _refused("bad-option", out=tmp_path, engine="spark")


@pytest.mark.parametrize("extra", [{"workers": 2}, {"ray_address": "auto"}])
def test_ray_settings_need_the_ray_engine(tmp_path, extra):
    assert "--engine ray" in _refused("bad-option", out=tmp_path, **extra)
    assert AuditConfig(out=tmp_path, engine="ray", **extra).engine == "ray"


def test_the_ray_engine_does_not_resume(tmp_path):
    assert "does not resume" in _refused("bad-option", out=tmp_path, engine="ray", resume=True)


def test_formats_are_checked_and_normalised(tmp_path):
    assert AuditConfig(out=tmp_path, formats=["jsonl", "CSV, csv"]).formats == ("jsonl", "csv")
    assert "unknown findings format 'xml'" in _refused("bad-option", out=tmp_path, formats=["xml"])


def test_an_unknown_setting_is_named(tmp_path):
    assert "'engnie'" in _refused("bad-option", out=tmp_path, engnie="ray")


@pytest.mark.parametrize("name", ["batch_size", "workers", "shard_bytes", "threads_per_worker"])
def test_counts_must_be_positive(tmp_path, name):
    extra = {"engine": "ray"} if name != "batch_size" else {}
    assert name in _refused("bad-option", out=tmp_path, **{name: 0}, **extra)


def test_out_is_required(tmp_path):
    assert "out" in _refused("bad-option")


def test_a_missing_fulfilment_file_is_refused(tmp_path):
    message = _refused("bad-option", out=tmp_path, fulfilment=tmp_path / "nope.csv")
    assert "fulfilment file not found" in message and "nope.csv" in message


def test_the_calendar_completes_the_options(tmp_path):
    calendar = WorkingCalendar(timezone="Europe/Paris")
    config = AuditConfig(out=tmp_path, options=AuditOptions(probes=5), calendar=calendar)
    assert config.options.calendar is calendar and config.options.probes == 5
    assert AuditConfig(out=tmp_path).options.calendar is None


def test_a_config_is_frozen_and_changed_by_copy(tmp_path):
    config = AuditConfig(out=tmp_path)
    with pytest.raises(Exception):  # noqa: B017 - pydantic's frozen-instance error
        config.engine = "ray"  # type: ignore[misc]
    ray = config.but(engine="ray", workers=2)
    assert (ray.engine, ray.workers, config.engine) == ("ray", 2, "local")
    with pytest.raises(AuditUsageError):
        config.but(workers=2)


@given(st.text(max_size=20))
def test_any_text_as_a_day_is_a_date_or_a_usage_error(text):
    try:
        config = AuditConfig(out="out", since=text)
    except AuditUsageError as exc:
        assert exc.code == "bad-period"
    else:
        assert config.since == dt.date.fromisoformat(text)


def test_audit_takes_a_config_or_its_fields_as_keywords(fake_encoder, sample_kb, tmp_path):
    from consistency import Checker
    from consistency.audit import audit

    checker = Checker(sample_kb, encoder=fake_encoder, cache_dir=tmp_path / "cache")
    src = tmp_path / "day.jsonl"
    src.write_text("".join(SAMPLE.read_text(encoding="utf-8").splitlines(True)[:40]))
    by_words = audit([src], sample_kb, out=tmp_path / "a", checker=checker, progress=False)
    config = AuditConfig(out=tmp_path / "b", progress=False)
    by_config = audit([src], sample_kb, config, checker=checker)
    assert by_config.model_dump(exclude={"out"}) == by_words.model_dump(exclude={"out"})
    findings = [(tmp_path / d / "findings.jsonl").read_bytes() for d in ("a", "b")]
    assert findings[0] == findings[1] and json.loads(findings[0].splitlines()[0])["kind"]
    with pytest.raises(AuditUsageError):
        audit([src], sample_kb, config, checker=checker, engine="spark")

"""Amazon Connect Contact Lens analysis files (voice and chat shapes)."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path
from typing import Any

from consistency.ingest import IngestError, read_contact_lens, read_transcripts

NAME = "8f3b1c2a-0000-4000-8000-000000000001_analysis_2026-03-03T14:05:09Z.json"


def _voice(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "Version": "1.1.0",
        "AccountId": "123456789012",
        "Channel": "VOICE",
        "ContentMetadata": {"Output": "Raw"},
        "CustomerMetadata": {
            "ContactId": "8f3b1c2a-0000-4000-8000-000000000001",
            "InstanceId": "instance",
            "InputS3Uri": "s3://bucket/recording.wav",
        },
        "JobStatus": "COMPLETED",
        "LanguageCode": "en-US",
        "Participants": [
            {"ParticipantId": "CUSTOMER", "ParticipantRole": "CUSTOMER"},
            {"ParticipantId": "AGENT", "ParticipantRole": "AGENT"},
        ],
        "Transcript": [
            {
                "BeginOffsetMillis": 4000,
                "EndOffsetMillis": 6000,
                "Id": "t2",
                "ParticipantId": "CUSTOMER",
                "Content": "how long does shipping take",
                "Sentiment": "NEUTRAL",
            },
            {
                "BeginOffsetMillis": 0,
                "EndOffsetMillis": 3000,
                "Id": "t1",
                "ParticipantId": "AGENT",
                "Content": "thanks for calling how can i help",
                "Sentiment": "NEUTRAL",
            },
            {
                "BeginOffsetMillis": 7000,
                "EndOffsetMillis": 9000,
                "Id": "t3",
                "ParticipantId": "AGENT",
                "Content": "standard shipping takes three to five days",
                "Sentiment": "POSITIVE",
            },
        ],
    }
    data.update(changes)
    return data


def _write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_voice_file(tmp_path: Path) -> None:
    errors: list[IngestError] = []
    (transcript,) = read_transcripts(_write(tmp_path / NAME, _voice()), errors=errors)
    assert errors == []
    assert transcript.id == "8f3b1c2a-0000-4000-8000-000000000001"
    assert transcript.channel == "voice"
    assert transcript.started_at == dt.datetime(2026, 3, 3, 14, 5, 9, tzinfo=dt.UTC)
    assert [t.speaker for t in transcript.turns] == ["agent", "customer", "agent"]
    assert transcript.turns[0].text == "thanks for calling how can i help"
    assert transcript.agent_id is None


def test_gzip_and_windows_safe_name(tmp_path: Path) -> None:
    path = tmp_path / "abc_analysis_redacted_2026-03-03T14_05_09Z.json.gz"
    path.write_bytes(gzip.compress(json.dumps(_voice()).encode()))
    (transcript,) = read_transcripts(path, errors=[])
    assert transcript.started_at.hour == 14


def test_chat_uses_roles_and_absolute_time(tmp_path: Path) -> None:
    data = _voice(
        Channel="CHAT",
        Participants=[
            {"ParticipantId": "u-1", "ParticipantRole": "CUSTOMER"},
            {"ParticipantId": "u-2", "ParticipantRole": "AGENT"},
            {"ParticipantId": "u-3", "ParticipantRole": "SYSTEM"},
        ],
        Transcript=[
            {
                "Id": "1",
                "ParticipantId": "u-3",
                "Content": "Agent joined",
                "AbsoluteTime": "2026-03-04T08:00:00.000Z",
            },
            {
                "Id": "2",
                "ParticipantId": "u-1",
                "Content": "Do you ship to Canada?",
                "AbsoluteTime": "2026-03-04T08:00:05.000Z",
            },
            {
                "Id": "3",
                "ParticipantId": "u-2",
                "ParticipantRole": "AGENT",
                "Content": "Yes, in 7 to 10 business days.",
                "AbsoluteTime": "2026-03-04T08:00:30Z",
            },
        ],
    )
    (transcript,) = read_contact_lens(_write(tmp_path / "chat.json", data), errors=[])
    assert transcript.channel == "chat"
    assert [t.speaker for t in transcript.turns] == ["customer", "agent"]
    assert transcript.started_at == dt.datetime(2026, 3, 4, 8, 0, 5, tzinfo=dt.UTC)


def test_bad_turn_is_skipped_and_reported(tmp_path: Path) -> None:
    data = _voice()
    data["Transcript"].append({"BeginOffsetMillis": 9500, "ParticipantId": "BOT", "Content": "x"})
    data["Transcript"].append({"BeginOffsetMillis": 9600, "ParticipantId": "AGENT"})
    errors: list[IngestError] = []
    (transcript,) = read_contact_lens(_write(tmp_path / NAME, data), errors=errors)
    assert len(transcript.turns) == 3
    assert [(e.type, e.loc, e.line) for e in errors] == [
        ("bad-speaker", ("Transcript", 3, "ParticipantId"), None),
        ("missing-field", ("Transcript", 4, "Content"), None),
    ]


def test_file_level_faults(tmp_path: Path) -> None:
    errors: list[IngestError] = []
    files = [
        _write(tmp_path / "no_time.json", _voice()),
        _write(tmp_path / "x_analysis_2026-03-03T14:05:09Z.json", _voice(CustomerMetadata={})),
        _write(tmp_path / "y_analysis_2026-03-03T14:05:09Z.json", {"hello": 1}),
    ]
    (tmp_path / "z_analysis_2026-03-03T14:05:09Z.json").write_text("{\n  oops", encoding="utf-8")
    files.append(tmp_path / "z_analysis_2026-03-03T14:05:09Z.json")
    assert list(read_transcripts(files, errors=errors)) == []
    assert [(e.type, e.loc) for e in errors] == [
        ("missing-field", ("started_at",)),
        ("missing-field", ("CustomerMetadata", "ContactId")),
        ("bad-record", ("Transcript",)),
        ("bad-json", ()),
    ]
    assert errors[3].line == 2

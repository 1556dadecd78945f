"""The HTTP API against the real model and the sample KB."""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.server.helpers import AUTH, BAD_KB, SAMPLE_KB, TOKEN, start

QUESTION = "how long do I have to return something"
ANSWER = "You have 14 days to return it"


def verdict_json(verdict) -> dict:  # type: ignore[no-untyped-def]
    return json.loads(verdict.model_dump_json())


# -- probes ------------------------------------------------------------------------


def test_healthz_is_open(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_the_served_kb(client: TestClient, sample_kb) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["ready"] is True
    assert body["status"] == "ready"
    assert body["entries"] == len(sample_kb)
    assert body["kb_hash"] == sample_kb.content_hash
    assert body["auth_required"] is True
    assert body["max_text_chars"] == 200


def test_not_ready_until_the_checker_is_built(encoder, checker) -> None:  # type: ignore[no-untyped-def]
    from consistency.server import create_app

    release = threading.Event()

    def slow_factory(kb, enc):  # type: ignore[no-untyped-def]
        release.wait(30)
        return checker

    app = create_app(SAMPLE_KB, encoder=encoder, checker_factory=slow_factory)
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["status"] == "loading"
        refused = client.post("/v1/check", json={"question": QUESTION, "answer": ANSWER})
        assert refused.status_code == 503
        assert refused.headers["retry-after"] == "1"
        release.set()
        assert app.state.service.wait_ready(30)
        assert client.get("/readyz").status_code == 200
        assert client.post("/v1/check", json={"question": QUESTION, "answer": ANSWER}).is_success


def test_a_bad_kb_at_start_up_is_reported_by_readyz(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(BAD_KB)
    with TestClient(app) as client:
        assert not app.state.service.wait_ready(30)
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["status"] == "failed"
        assert "error" in response.json()["detail"]
        refused = client.post("/v1/check", json={"question": QUESTION, "answer": ANSWER})
        assert refused.status_code == 503
        assert client.get("/healthz").status_code == 200


# -- checks ------------------------------------------------------------------------


def test_check_returns_the_checkers_verdict(client: TestClient, checker) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/v1/check", json={"question": QUESTION, "answer": ANSWER}, headers=AUTH)
    assert response.status_code == 200
    body = response.json()
    assert body == verdict_json(checker.check(QUESTION, ANSWER))
    assert body["status"] == "contradiction"
    assert body["entry_id"] == "returns-window"
    (conflict,) = [c for c in body["conflicts"] if c["kind"] == "duration"]
    start, end = conflict["answer_span"]
    assert ANSWER[start:end] == "14 days"
    kb_start, kb_end = conflict["kb_span"]
    assert body["canonical_answer"][kb_start:kb_end] == conflict["kb_text"]


def test_check_honours_the_date(client: TestClient, checker) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    payload = {"question": QUESTION, "answer": ANSWER, "on": "2026-03-01"}
    body = client.post("/v1/check", json=payload, headers=AUTH).json()
    assert body == verdict_json(checker.check(QUESTION, ANSWER, on=dt.date(2026, 3, 1)))
    assert body["on"] == "2026-03-01"
    assert body["valid_to"] == "2026-06-30"


def test_check_a_consistent_answer(client: TestClient, checker) -> None:  # type: ignore[no-untyped-def]
    canonical = checker.check(QUESTION, ANSWER).canonical_answer
    body = client.post(
        "/v1/check", json={"question": QUESTION, "answer": canonical}, headers=AUTH
    ).json()
    assert body["status"] == "consistent"
    assert body["conflicts"] == []


def test_batch_matches_check_many_in_order(client: TestClient, checker) -> None:  # type: ignore[no-untyped-def]
    items = [
        {"question": QUESTION, "answer": ANSWER},
        {"question": "how much is standard delivery", "answer": "It's £3.99.", "on": "2026-02-01"},
        {"question": "what's the weather like on mars", "answer": "Sunny."},
    ]
    response = client.post("/v1/check/batch", json={"items": items}, headers=AUTH)
    assert response.status_code == 200
    import datetime as dt

    expected = checker.check_many(
        [
            (i["question"], i["answer"], dt.date.fromisoformat(i["on"]) if "on" in i else None)
            for i in items
        ]
    )
    assert response.json() == {"verdicts": [verdict_json(v) for v in expected]}


# -- validation and limits ---------------------------------------------------------


# fmt: off
INVALID = [
    ({"answer": ANSWER},                                  ["body", "question"], "missing"),
    ({"question": "", "answer": ANSWER},                  ["body", "question"], "string_too_short"),
    ({"question": QUESTION, "answer": ANSWER, "on": "x"}, ["body", "on"],       "date_from_datetime_parsing"),
    ({"question": QUESTION, "answer": ANSWER, "to": ""},  ["body", "to"],       "extra_forbidden"),
    ({"question": QUESTION, "answer": 3},                 ["body", "answer"],   "string_type"),
]
# fmt: on


@pytest.mark.parametrize(("payload", "loc", "error_type"), INVALID)
def test_invalid_requests_are_422(client: TestClient, payload, loc, error_type) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/v1/check", json=payload, headers=AUTH)
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == loc
    assert error["type"] == error_type


@pytest.mark.parametrize("field", ["question", "answer"])
def test_text_over_the_limit_names_field_and_limit(client: TestClient, field: str) -> None:
    payload = {"question": QUESTION, "answer": ANSWER, field: "x" * 201}
    response = client.post("/v1/check", json=payload, headers=AUTH)
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", field]
    assert error["type"] == "string_too_long"
    assert error["ctx"] == {"max_length": 200}
    assert "200 characters" in error["msg"]
    assert "input" not in error  # the customer's text is not echoed back


def test_batch_limits(client: TestClient) -> None:
    one = {"question": "q", "answer": ""}
    too_many = client.post("/v1/check/batch", json={"items": [one] * 101}, headers=AUTH)
    assert too_many.status_code == 422
    assert too_many.json()["detail"][0]["loc"] == ["body", "items"]
    assert too_many.json()["detail"][0]["type"] == "too_long"
    empty = client.post("/v1/check/batch", json={"items": []}, headers=AUTH)
    assert empty.status_code == 422


def test_body_over_the_limit_is_413(client: TestClient) -> None:
    body = json.dumps({"question": QUESTION, "answer": "x" * 5000}).encode()
    response = client.post(
        "/v1/check", content=body, headers={**AUTH, "Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "request body too large: the limit is 4000 bytes"}


def test_body_over_the_limit_is_413_while_reading(client: TestClient) -> None:
    """No Content-Length (chunked): the limit is enforced as the body arrives."""

    def chunks():  # type: ignore[no-untyped-def]
        yield b'{"question": "q", "answer": "'
        for _ in range(10):
            yield b"x" * 1000
        yield b'"}'

    response = client.post(
        "/v1/check", content=chunks(), headers={**AUTH, "Content-Type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert "4000 bytes" in response.json()["detail"]


# -- auth --------------------------------------------------------------------------

BAD_AUTH = [
    {},
    {"Authorization": "Bearer wrong"},
    {"Authorization": f"Bearer {TOKEN}x"},
    {"Authorization": f"Basic {TOKEN}"},
    {"Authorization": TOKEN},
]


@pytest.mark.parametrize("headers", BAD_AUTH)
def test_wrong_or_missing_token_is_401(client: TestClient, headers: dict[str, str]) -> None:
    for method, path in [
        ("POST", "/v1/check"),
        ("POST", "/v1/check/batch"),
        ("GET", "/v1/entries/returns-window"),
        ("POST", "/v1/reload"),
    ]:
        response = client.request(
            method, path, json={"question": QUESTION, "answer": ANSWER}, headers=headers
        )
        assert response.status_code == 401, path
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.json() == {"detail": "missing or wrong bearer token"}


def test_without_a_token_the_api_is_open(make_app) -> None:  # type: ignore[no-untyped-def]
    client = start(make_app())
    try:
        assert client.post("/v1/check", json={"question": QUESTION, "answer": ANSWER}).is_success
        assert client.get("/readyz").json()["auth_required"] is False
    finally:
        client.__exit__(None, None, None)


# -- entries -----------------------------------------------------------------------


def test_entry_with_its_versions(client: TestClient) -> None:
    body = client.get("/v1/entries/returns-window", headers=AUTH).json()
    assert body["entry"]["id"] == "returns-window"
    assert body["entry"]["valid_from"] == "2026-07-01"
    assert [v["valid_to"] for v in body["versions"]] == ["2026-06-30", None]
    old = client.get("/v1/entries/returns-window", params={"on": "2026-03-01"}, headers=AUTH)
    assert old.json()["entry"]["valid_to"] == "2026-06-30"


def test_unknown_entry_is_404(client: TestClient) -> None:
    response = client.get("/v1/entries/no-such-entry", headers=AUTH)
    assert response.status_code == 404
    assert response.json() == {"detail": "no KB entry 'no-such-entry'"}


# -- reload ------------------------------------------------------------------------


def test_reload_refuses_a_bad_kb_and_keeps_serving(make_app, kb_copy: Path) -> None:  # type: ignore[no-untyped-def]
    client = start(make_app(kb_copy))
    try:
        before = client.post("/v1/check", json={"question": QUESTION, "answer": ANSWER}).json()
        (kb_copy / "zz-broken.yaml").write_text(
            "- id: returns-window\n  questions: []\n  answer: ''\n", encoding="utf-8"
        )
        response = client.post("/v1/reload")
        assert response.status_code == 422
        body = response.json()
        assert "error" in body["detail"]
        assert body["problems"], body
        assert all(p["file"].endswith("zz-broken.yaml") for p in body["problems"])
        assert {p["entry_id"] for p in body["problems"]} == {"returns-window"}
        assert all(p["type"] and p["msg"] for p in body["problems"])
        after = client.post("/v1/check", json={"question": QUESTION, "answer": ANSWER}).json()
        assert after == before
        assert client.get("/readyz").json()["status"] == "ready"
    finally:
        client.__exit__(None, None, None)


def test_reload_swaps_in_a_good_kb_with_the_same_encoder(  # type: ignore[no-untyped-def]
    encoder, checker_factory, kb_copy: Path
) -> None:
    from consistency.server import SerialEncoder, create_app

    seen: list[object] = []

    def recording_factory(kb, enc):  # type: ignore[no-untyped-def]
        seen.append(enc)
        return checker_factory(kb, enc)

    app = create_app(kb_copy, encoder=encoder, checker_factory=recording_factory)
    client = start(app)
    try:
        old_hash = client.get("/readyz").json()["kb_hash"]
        returns = kb_copy / "returns.yaml"
        returns.write_text(
            returns.read_text(encoding="utf-8").replace("within 28 days", "within 21 days"),
            encoding="utf-8",
        )
        (kb_copy / "zz-new.yaml").write_text(
            "- id: promo-2027\n  questions:\n    - Is there a 2027 promotion?\n"
            "  answer: From 1 January 2027 delivery is free.\n  valid_from: 2027-01-01\n",
            encoding="utf-8",
        )
        response = client.post("/v1/reload")
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["changed"] is True
        assert body["kb_hash"] != old_hash
        assert client.get("/readyz").json()["kb_hash"] == body["kb_hash"]
        verdict = client.post("/v1/check", json={"question": QUESTION, "answer": ANSWER}).json()
        assert "21 days" in [c["kb_value"] for c in verdict["conflicts"]]
        assert client.get("/v1/entries/promo-2027").status_code == 200
        early = client.get("/v1/entries/promo-2027", params={"on": "2026-12-31"})
        assert early.status_code == 404
        assert "no version valid on 2026-12-31" in early.json()["detail"]

        again = client.post("/v1/reload").json()
        assert again["changed"] is False
        assert len(seen) == 3
        assert isinstance(seen[0], SerialEncoder)
        assert seen[0].inner is encoder
        assert all(e is seen[0] for e in seen)  # the model is loaded once, reused on reloads
    finally:
        client.__exit__(None, None, None)


# -- logs, CORS, options -----------------------------------------------------------


def test_logs_hold_no_texts_unless_asked(make_app, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    secret_q = "how long do I have to return my zebra-kettle"
    for log_texts in (False, True):
        caplog.clear()
        client = start(make_app(log_texts=log_texts))
        try:
            with caplog.at_level(logging.INFO, logger="consistency.server"):
                client.post("/v1/check", json={"question": secret_q, "answer": ANSWER})
        finally:
            client.__exit__(None, None, None)
        text = "\n".join(r.getMessage() for r in caplog.records)
        assert "POST /v1/check 200" in text
        assert "verdict=contradiction" in text
        assert ("zebra-kettle" in text) is log_texts
        assert ("14 days" in text) is log_texts


def test_cors_is_off_unless_origins_are_given(make_app, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    origin = {"Origin": "https://desk.example", "Access-Control-Request-Method": "POST"}
    assert "access-control-allow-origin" not in client.options("/v1/check", headers=origin).headers
    allowed = start(make_app(cors_origins=["https://desk.example"]))
    try:
        preflight = allowed.options("/v1/check", headers=origin)
        assert preflight.headers["access-control-allow-origin"] == "https://desk.example"
        other = allowed.options("/v1/check", headers={**origin, "Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
    finally:
        allowed.__exit__(None, None, None)


@pytest.mark.parametrize(
    ("option", "value"),
    [("max_text_chars", 0), ("max_body_bytes", 0), ("max_batch_items", 0), ("token", "")],
)
def test_create_app_refuses_bad_options(option: str, value: object) -> None:
    from consistency.server import create_app

    with pytest.raises(ValueError, match=option if option != "token" else "token"):
        create_app(SAMPLE_KB, **{option: value})  # type: ignore[arg-type]


# -- page and docs -----------------------------------------------------------------


def test_page_and_assets_are_local(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    for asset in ("static/app.js", "static/app.css"):
        response = client.get(f"/{asset}")
        assert response.status_code == 200
        assert asset in page.text
        assert "://" not in response.text  # nothing fetched from a CDN
    assert "://" not in page.text
    assert 'aria-live="polite"' in page.text
    assert "innerHTML" not in client.get("/static/app.js").text


def test_openapi_documents_the_api(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {"/v1/check", "/v1/check/batch", "/v1/entries/{entry_id}", "/v1/reload"} <= set(
        schema["paths"]
    )
    request = schema["components"]["schemas"]["CheckRequest"]
    assert request["properties"]["answer"]["maxLength"] == 200
    assert request["properties"]["question"]["description"]
    assert "HTTPBearer" in schema["components"]["securitySchemes"]
    assert client.get("/docs").status_code == 200

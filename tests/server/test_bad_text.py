"""Text UTF-8 cannot encode is a 422 on its field, never a 500 from the encoder.

With a length limit pydantic itself refuses it (``string_unicode``); the request
schemas refuse it without one too (``value_error``), so no route depends on a limit.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from consistency.server.schemas import CheckRequest
from tests.server.helpers import AUTH

JSON = {**AUTH, "Content-Type": "application/json"}


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        (
            b'{"question": "how long \\ud800 to return it", "answer": "14 days"}',
            ["body", "question"],
        ),
        (b'{"question": "how long to return it", "answer": "14 days \\udfff"}', ["body", "answer"]),
    ],
)
def test_lone_surrogate_is_422(client: TestClient, body: bytes, loc: list[str]) -> None:
    response = client.post("/v1/check", content=body, headers=JSON)
    assert response.status_code == 422, response.text
    (error,) = response.json()["detail"]
    assert error["loc"] == loc
    assert error["type"] in ("string_unicode", "value_error")
    assert "input" not in error


def test_lone_surrogate_in_a_batch_item_is_422(client: TestClient) -> None:
    body = b'{"items": [{"question": "q", "answer": "a"}, {"question": "q", "answer": "\\ud800"}]}'
    response = client.post("/v1/check/batch", content=body, headers=JSON)
    assert response.status_code == 422, response.text
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "items", 1, "answer"]


def test_the_unlimited_request_schema_refuses_it_too() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="lone surrogate") as caught:
        CheckRequest.model_validate({"question": "q", "answer": "14 days \ud800"})
    assert caught.value.errors()[0]["loc"] == ("answer",)

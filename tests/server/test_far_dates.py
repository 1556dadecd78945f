"""A check dated 9999-12-31 is answered (it was an HTTP 500: OverflowError in the date facts)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.server.helpers import AUTH


def test_check_on_the_last_day_there_is(client: TestClient) -> None:
    payload = {
        "question": "How long do I have to return an item?",
        "answer": "You have 14 days, so send it back by next Monday.",
        "on": "9999-12-31",
    }
    response = client.post("/v1/check", json=payload, headers=AUTH)
    assert response.status_code == 200, response.text
    verdict = response.json()
    assert verdict["status"] == "contradiction" and verdict["entry_id"] == "returns-window"

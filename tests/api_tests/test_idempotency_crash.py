"""A process that dies after its command was recorded leaves an answer, not a second record.

The key's answer is written by the commit that records the command (``ledger.idempotency``),
so there is no moment at which the command is recorded and its key still unanswered.
Before, the answer was stored after the commit: a process dying in between left a claim
of a dead owner, the retry took it over and ran the command again, and a create recorded
a second record under a new server-chosen id.
"""

from __future__ import annotations

from typing import Any

import pytest

from ledger.application import HazardLedger
from ledger.hazard import HazardCase
from tests.core_tests.test_idempotent_answers import records

from .conftest import Api, hazard_body


class Died(Exception):
    """The request's end right there: nothing after it in the request runs (the claim
    it leaves is released, as a dead owner's claim is taken over; the real kill of a
    server is ``test_idempotency_kill``)."""


def cases(ledger: HazardLedger) -> int:
    return records(ledger, HazardCase)


def die_after_commit(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    """The process dies the moment the ledger's write has committed."""
    save = api.ledger.save

    def saved_then_died(*args: Any, **kwargs: Any) -> Any:
        save(*args, **kwargs)
        raise Died

    monkeypatch.setattr(api.ledger, "save", saved_then_died)


def test_a_retry_after_a_crash_past_the_commit_replays_and_records_nothing(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = hazard_body(api)
    key = {"Idempotency-Key": "crash-after-commit"}
    before = cases(api.ledger)
    with monkeypatch.context() as patch:
        die_after_commit(api, patch)
        with pytest.raises(Died):
            api.post("inspector", "/hazards", body, **key)
    assert cases(api.ledger) == before + 1  # recorded; the client never heard

    retry = api.post("inspector", "/hazards", body, **key)

    assert retry.status_code == 201, retry.text
    assert retry.headers.get("idempotent-replay") == "true"
    assert cases(api.ledger) == before + 1
    recorded = api.get("inspector", f"/hazards/{retry.json()['id']}")
    assert recorded.status_code == 200, recorded.text
    assert retry.headers["etag"] == '"1"'


def test_a_crash_before_the_commit_leaves_nothing_and_the_retry_records_once(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = hazard_body(api)
    key = {"Idempotency-Key": "crash-before-commit"}
    before = cases(api.ledger)

    def died(*args: Any, **kwargs: Any) -> Any:
        raise Died

    with monkeypatch.context() as patch:
        patch.setattr(api.ledger, "save", died)
        with pytest.raises(Died):
            api.post("inspector", "/hazards", body, **key)
    assert cases(api.ledger) == before

    first = api.post("inspector", "/hazards", body, **key)
    again = api.post("inspector", "/hazards", body, **key)

    assert first.status_code == again.status_code == 201, first.text
    assert "idempotent-replay" not in first.headers
    assert again.json() == first.json()
    assert cases(api.ledger) == before + 1


def test_a_key_answered_meanwhile_rolls_the_second_attempt_back(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two attempts of one request that both got to run (a lease that ran out under a
    slow owner): the one that commits second records nothing and replays the first."""
    body = hazard_body(api)
    key = {"Idempotency-Key": "answered-meanwhile"}
    first = api.post("inspector", "/hazards", body, **key)
    assert first.status_code == 201, first.text
    before = cases(api.ledger)
    keys = api.client.app.state.services.idempotency  # type: ignore[attr-defined]
    claim = keys.claim
    taken = iter([None])  # the late attempt's claim succeeded, before the first answered

    def late_claim(*args: Any, **kwargs: Any) -> Any:
        return next(taken, claim(*args, **kwargs))

    monkeypatch.setattr(keys, "claim", late_claim)

    late = api.post("inspector", "/hazards", body, **key)

    assert late.status_code == 201, late.text
    assert late.headers.get("idempotent-replay") == "true"
    assert late.json() == first.json()
    assert cases(api.ledger) == before

"""Remembered protocol members give the same isinstance answers as computed ones."""

from __future__ import annotations

import sys
import typing
from typing import Protocol, runtime_checkable

from eventsourcing.domain import CanMutateProtocol, CollectEventsProtocol, DomainEventProtocol

import ledger  # noqa: F401 - installs the remembered members
from ledger.hazard import HazardCase


@runtime_checkable
class Quacks(Protocol):
    sound: str

    def quack(self) -> str: ...


class Duck:
    sound = "quack"

    def quack(self) -> str:
        return self.sound


class Mute:
    def quack(self) -> str:
        return ""


def test_members_are_remembered_and_answers_unchanged() -> None:
    if sys.version_info < (3, 12):
        assert getattr(typing._get_protocol_attrs, "remembers", False)  # type: ignore[attr-defined]
    assert isinstance(Duck(), Quacks)
    assert not isinstance(Mute(), Quacks)
    assert not isinstance(object(), Quacks)
    assert isinstance(Duck(), Quacks)  # asked again: the remembered members
    case_type_checks = [
        isinstance(HazardCase.__new__(HazardCase), CollectEventsProtocol),
        isinstance(object(), CanMutateProtocol),
        isinstance(object(), DomainEventProtocol),
    ]
    assert case_type_checks == [True, False, False]

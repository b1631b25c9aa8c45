"""What every ledger event carries, and the base aggregate that enforces it.

Every event records who did it (``actor``), when it happened in the world
(``occurred_at``, business time, given by the caller) and when it was recorded
(``timestamp``, transaction time, set by the ledger's clock). Business time may lag
recording time — an inspection typed in three weeks late — but never run ahead of it
beyond a small clock skew, and never run backwards within one case: a step cannot
happen before the step it follows. A late entry beyond ``LATE_ENTRY_THRESHOLD`` needs a
written justification, which is kept on the event for auditors.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from eventsourcing.domain import Aggregate

from .errors import refuse
from .identity import Actor

CLOCK_SKEW = timedelta(minutes=5)
LATE_ENTRY_THRESHOLD = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Context:
    """The who and the two clocks of one command, built by the application."""

    actor: Actor
    occurred_at: datetime
    recorded_at: datetime
    justification: str | None = None

    def check_clocks(self) -> None:
        """Refuse business times in the future and unexplained late entries."""
        if self.occurred_at.tzinfo is None:
            raise refuse(
                "OCCURRED_AT_TIMEZONE",
                "occurred_at",
                "发生时间必须带时区",
                "occurred_at must carry a time zone",
            )
        # One subtraction for both rules (moments of two zones cost about 1 us to
        # compare): occurred_at > recorded_at + CLOCK_SKEW exactly when lag < -CLOCK_SKEW.
        lag = self.recorded_at - self.occurred_at
        if lag < -CLOCK_SKEW:
            raise refuse(
                "OCCURRED_AT_IN_FUTURE",
                "occurred_at",
                f"发生时间{self.occurred_at:%Y-%m-%d %H:%M}晚于当前时间，不能预先登记",
                f"occurred_at {self.occurred_at.isoformat()} is in the future",
            )
        if lag > LATE_ENTRY_THRESHOLD and not (self.justification and self.justification.strip()):
            days = lag.days
            raise refuse(
                "LATE_ENTRY_NEEDS_JUSTIFICATION",
                "justification",
                f"补录{days}天前发生的事项，必须说明补录原因",
                f"an entry recorded {days} days after it occurred needs a justification",
            )


class LedgerAggregate(Aggregate):
    """Base of the ledger's aggregates: events carry actor and both clocks."""

    class Event(Aggregate.Event):
        actor: Actor
        occurred_at: datetime
        justification: str | None

        def mutate(self, aggregate: Any) -> Any:
            # Every event moves the case's business clock forward; keeping it here,
            # not in each apply(), means no event type can forget it.
            agg: Any = super().mutate(aggregate)
            agg.last_occurred_at = self.occurred_at
            return agg

    class Created(Event, Aggregate.Created):
        pass

    if TYPE_CHECKING:
        last_occurred_at: datetime

    def _emit(self, event_class: type[LedgerAggregate.Event], ctx: Context, **fields: Any) -> None:
        """Check the clocks, then trigger the event with the context's actor and times."""
        ctx.check_clocks()
        if ctx.occurred_at < self.last_occurred_at:
            raise refuse(
                "OCCURRED_AT_BEFORE_PREVIOUS_STEP",
                "occurred_at",
                f"发生时间{ctx.occurred_at:%Y-%m-%d %H:%M}早于上一步骤"
                f"（{self.last_occurred_at:%Y-%m-%d %H:%M}）",
                f"occurred_at {ctx.occurred_at.isoformat()} is earlier than the step it "
                f"follows ({self.last_occurred_at.isoformat()})",
            )
        self.trigger_event(
            event_class,
            actor=ctx.actor,
            occurred_at=ctx.occurred_at,
            justification=ctx.justification,
            timestamp=ctx.recorded_at,
            **fields,
        )

    @classmethod
    def _create_with(
        cls, event_class: type[LedgerAggregate.Created], ctx: Context, **fields: Any
    ) -> Any:
        ctx.check_clocks()
        return cls._create(
            event_class,
            actor=ctx.actor,
            occurred_at=ctx.occurred_at,
            justification=ctx.justification,
            timestamp=ctx.recorded_at,
            **fields,
        )

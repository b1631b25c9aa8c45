"""Group commit: commands that arrive together share one durable transaction.

A durable commit costs a disk flush (SQLite ``synchronous=FULL``) or a WAL flush and a
round trip (PostgreSQL), far more than judging a command. Concurrent writers therefore
queue their commands with a ``GroupCommitter``; its one writer thread takes everything
queued (at most ``max_batch``), judges the commands one by one in ONE unit of work —
each against the state the earlier ones left, exactly as serial execution in that order
would — and commits every accepted command in one transaction. Only after that commit
returned is any caller answered.

What each caller gets is what ``HazardLedger.execute`` would have given it, run alone in
the same order (``execute_together``):

* A refused command (any ``LedgerError``: bounds, permission, scope, version, rules,
  the state machine) gets its own refusal and leaves no trace: a handler refuses before
  it changes a record (``ledger.handlers``), and the unit keeps only what a handler
  returned.
* If the shared commit fails in a way that rolled it back — a racing writer (another
  process, another worker) saved the same record first, an idempotency key was answered
  meanwhile, a listener or the event mapping failed — nothing of the group was recorded,
  and every command is executed again alone, in order, through ``HazardLedger.execute``:
  each gets exactly the answer it would have got had it never been grouped.
* If a command raises anything other than a refusal while being judged, the unit's
  state is not trusted: the whole group is executed again alone, in order, likewise.
* If the commit fails in a way that may or may not have committed (the database's
  operational or interface errors: a connection lost during COMMIT), executing again
  could record a command twice, so every accepted command gets that error, as it would
  have from its own commit. Nothing is acknowledged that was not durably committed.

There are no timers: an idle writer answers a lone command as fast as ``execute``, and
under load a group is whatever queued while the previous commit was flushing.

Commands from an event loop (``submit_async``) are answered on that loop: a group's
answers reach it in one call, and an idle writer is woken once the loop has handed over
what it had in hand (the requests it read together), not at each of them. Answering
each request by itself cost a wake-up of the loop per command, and the writer gave the
interpreter's lock away at every one.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING

from eventsourcing.persistence import InterfaceError, InternalError, OperationalError

from .commands import Command
from .errors import LedgerError
from .idempotency import ANSWER_KWARG, IdempotencyRecord
from .identity import Actor
from .scope import Scope
from .unit_of_work import EVERYTHING, Recorded, UnitOfWork

if TYPE_CHECKING:
    from .application import HazardLedger

#: Database failures after which a commit may have happened: never executed again.
UNCERTAIN = (OperationalError, InterfaceError, InternalError)

Outcome = Recorded | Exception
"""What a command got: its record's id and version, or the exception ``execute`` raises."""


@dataclass(frozen=True, slots=True)
class Submission:
    """One command as ``HazardLedger.execute`` takes it."""

    command: Command
    actor: Actor
    scope: Scope = EVERYTHING
    idempotency: IdempotencyRecord | None = None


def execute_alone(ledger: HazardLedger, submission: Submission) -> Outcome:
    """``HazardLedger.execute`` for one submission, its exception as its outcome."""
    try:
        return ledger.execute(
            submission.command,
            submission.actor,
            submission.scope,
            idempotency=submission.idempotency,
        )
    except Exception as error:
        return error


def execute_together(ledger: HazardLedger, submissions: Sequence[Submission]) -> list[Outcome]:
    """Each submission's outcome, the accepted ones recorded in one transaction (see the
    module docstring for what happens when that transaction fails)."""
    if len(submissions) == 1:
        return [execute_alone(ledger, submissions[0])]
    work = UnitOfWork(ledger)
    outcomes: list[Outcome] = []
    answers: list[tuple[IdempotencyRecord, str]] = []
    for s in submissions:
        try:
            recorded = work.execute(s.command, s.actor, s.scope)
        except LedgerError as refused:
            if work.spoiled:
                return [execute_alone(ledger, s) for s in submissions]
            outcomes.append(refused)
            continue
        except Exception:
            return [execute_alone(ledger, s) for s in submissions]
        outcomes.append(recorded)
        if s.idempotency is not None:
            answers.append((s.idempotency, s.idempotency.answer(recorded.id, recorded.version)))
    if not any(isinstance(o, Recorded) for o in outcomes):
        return outcomes
    try:
        work.commit(**{ANSWER_KWARG: answers})
    except UNCERTAIN as failed:
        return [failed if isinstance(o, Recorded) else o for o in outcomes]
    except Exception:
        return [execute_alone(ledger, s) for s in submissions]
    return outcomes


@dataclass(frozen=True, slots=True)
class _Queued:
    submission: Submission
    future: Future[Recorded] | asyncio.Future[Recorded]
    """A thread's, or an event loop's (``submit_async``): answered on that loop."""


Answer = tuple["asyncio.Future[Recorded]", Outcome]


def _settle(answers: list[Answer]) -> None:
    """On the awaiting loop: resolve a group's futures (one left by a cancelled waiter
    is already done)."""
    for future, outcome in answers:
        if future.done():
            continue
        if isinstance(outcome, Recorded):
            future.set_result(outcome)
        else:
            future.set_exception(outcome)


class Closed(RuntimeError):
    """The committer was closed: it takes no more commands."""


class GroupCommitter:
    """One writer thread per process that commits queued commands in groups.

    ``submit`` returns a ``concurrent.futures.Future`` resolved with the command's
    ``Recorded`` (or its exception) only after the transaction that recorded it
    committed; ``submit_async``, on an event loop, that loop's future. The writer starts
    on the first submission; ``close`` answers everything already queued, then stops it
    (until the next submission). The queue holds at most ``max_queue`` commands: a
    submitter beyond that waits for room (back-pressure, never a lost command).
    """

    def __init__(self, ledger: HazardLedger, *, max_batch: int = 256, max_queue: int = 4096):
        self._ledger = ledger
        self.max_batch = max_batch
        self.max_queue = max_queue
        self._queue: deque[_Queued] = deque()
        self._changed = threading.Condition()
        self._writer: threading.Thread | None = None
        self._closing = False
        # Who waits on the condition: waking a writer that is busy committing, or
        # submitters when there is no shortage of room, would only cost a switch.
        self._writer_idle = False
        self._waiting_for_room = 0
        # The loop on which a wake-up of the idle writer is pending, if any.
        self._wake_on: asyncio.AbstractEventLoop | None = None
        self.groups = 0
        """Transactions attempted so far (with ``commands``: the mean group size)."""
        self.commands = 0

    def submit(
        self,
        command: Command,
        actor: Actor,
        scope: Scope = EVERYTHING,
        *,
        idempotency: IdempotencyRecord | None = None,
    ) -> Future[Recorded]:
        """Queue ``command`` as ``HazardLedger.execute`` would take it; its answer later."""
        future: Future[Recorded] = Future()
        self._enqueue(_Queued(Submission(command, actor, scope, idempotency), future))
        return future

    def submit_async(
        self,
        command: Command,
        actor: Actor,
        scope: Scope = EVERYTHING,
        *,
        idempotency: IdempotencyRecord | None = None,
    ) -> asyncio.Future[Recorded]:
        """``submit`` from a coroutine: the answer as a future of the running loop."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Recorded] = loop.create_future()
        self._enqueue(_Queued(Submission(command, actor, scope, idempotency), future))
        return future

    def _enqueue(self, queued: _Queued) -> None:
        with self._changed:
            while len(self._queue) >= self.max_queue and not self._closing:
                self._waiting_for_room += 1
                try:
                    self._changed.wait()
                finally:
                    self._waiting_for_room -= 1
            if self._closing:
                raise Closed("the ledger's writer is closed")
            if self._writer is None:
                self._writer = threading.Thread(
                    target=self._write, name="group-commit", daemon=True
                )
                self._writer.start()
            self._queue.append(queued)
            if not self._writer_idle:
                return
            if not isinstance(queued.future, asyncio.Future):
                self._changed.notify_all()
                return
            loop = queued.future.get_loop()
            if self._wake_on is not loop:
                # After the callbacks the loop has ready: the other requests it read
                # with this one queue theirs first, and the writer takes them together.
                # Per loop: one that stopped before running its wake-up cannot be
                # submitting now, so it holds up no other loop's commands.
                self._wake_on = loop
                loop.call_soon(self._wake)

    def _wake(self) -> None:
        with self._changed:
            self._wake_on = None
            if self._writer_idle and self._queue:
                self._changed.notify_all()

    def execute(
        self,
        command: Command,
        actor: Actor,
        scope: Scope = EVERYTHING,
        *,
        idempotency: IdempotencyRecord | None = None,
    ) -> Recorded:
        """``submit`` and wait: ``HazardLedger.execute``, grouped with whatever else
        is queued."""
        return self.submit(command, actor, scope, idempotency=idempotency).result()

    def close(self) -> None:
        """Answer everything queued, then stop the writer. Submissions while it closes
        fail (``Closed``); a later one starts a new writer, as the first one did."""
        with self._changed:
            self._closing = True
            self._changed.notify_all()
            writer = self._writer
        if writer is not None and writer is not threading.current_thread():
            writer.join()
        with self._changed:
            self._writer = None
            self._closing = False

    def _take(self) -> list[_Queued] | None:
        """The next group (waiting for one), or None once closing and drained."""
        with self._changed:
            while not self._queue and not self._closing:
                self._writer_idle = True
                try:
                    self._changed.wait()
                finally:
                    self._writer_idle = False
            if not self._queue:
                return None
            n = min(len(self._queue), self.max_batch)
            group = [self._queue.popleft() for _ in range(n)]
            if self._waiting_for_room:
                self._changed.notify_all()
        return group

    def _write(self) -> None:
        while (group := self._take()) is not None:
            live = [
                q
                for q in group
                if isinstance(q.future, asyncio.Future) or q.future.set_running_or_notify_cancel()
            ]
            if not live:
                continue
            self.groups += 1
            self.commands += len(live)
            outcomes: list[Outcome]
            try:
                outcomes = execute_together(self._ledger, [q.submission for q in live])
            except Exception as error:  # the writer's own failure: no command recorded
                outcomes = [error] * len(live)
            on_loops: dict[asyncio.AbstractEventLoop, list[Answer]] = {}
            for q, outcome in zip(live, outcomes, strict=True):
                future = q.future
                if isinstance(future, asyncio.Future):
                    on_loops.setdefault(future.get_loop(), []).append((future, outcome))
                elif isinstance(outcome, Recorded):
                    future.set_result(outcome)
                else:
                    future.set_exception(outcome)
            for loop, answers in on_loops.items():
                with contextlib.suppress(RuntimeError):  # the loop has closed: nobody waits
                    loop.call_soon_threadsafe(_settle, answers)

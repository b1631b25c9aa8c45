"""Read models that rebuild: registers, statistics and rankings kept from the event log.

A projection is a small class (name, version, tables, fold). The ``Follower`` applies
events in batches, one store transaction per batch holding both the row changes and the
projection's tracking position, so every event is applied exactly once. See
``docs/decisions/0001-read-models.md``.
"""

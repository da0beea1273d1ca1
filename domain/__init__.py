"""The community's aggregates and their past-tense events.

Imports only the standard library and ``eventsourcing.domain``: no Flask, no SQL.
Everything else depends on this package; it depends on nothing of ours.
"""

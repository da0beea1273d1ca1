"""Which teams were paired in which round: what a new round must not repeat.

Reads the network view's pairings table (``projections.network``); writes nothing.
"""

from __future__ import annotations

from sqlalchemy import select

from projections.network import Network, pairings
from projections.reading import reading


def pairings_by_round(network: Network) -> list[tuple[int, str, str]]:
    """(round, first team id, second team id) of every pairing recorded, by round."""
    query = select(pairings.c.round, pairings.c.first_team_id, pairings.c.second_team_id
                   ).order_by(pairings.c.round, pairings.c.first_team_id)
    with reading(network.engine) as conn:
        return [(int(r), a, b) for r, a, b in conn.execute(query)]

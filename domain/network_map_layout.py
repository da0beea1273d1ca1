"""Where each team goes in the network map's picture (``web.network_map`` draws it).

The layout (networkx's Kamada-Kawai from a spring layout with a fixed seed, over the
nodes in id order) is the same for the same map, and the slow part of drawing one
(about 0.3 s for a national network), so it is worked out when the map is counted
and kept with it (``projections.network_map``), not in a request.
"""

from __future__ import annotations

import math

import networkx as nx

from domain.network_map import NetworkMap

WIDTH, HEIGHT, MARGIN = 640, 480, 36
ROW = 48  # the strip along the bottom for teams without a live tie
PER_ROW, ROW_STEP = 30, 26  # a national network's many untied teams wrap into rows
SEED = 12  # any fixed number: it only has to be the same every time
SPREAD_UP_TO = 32  # tied teams laid out by Kamada-Kawai (see layout): 60 took 2.4 s


def layout(found: NetworkMap) -> dict[str, tuple[float, float]]:
    """Each node's place in the picture: the teams with a live tie laid out as a graph
    and scaled into the drawing's box; the teams without one in rows along the bottom,
    where they would otherwise ring the picture and squeeze the network into its
    middle. (The edges' thickness shows the ties' weight; letting weight pull in the
    layout knotted the busiest teams together.)"""
    tied = [n.id for n in found.nodes if n.degree]
    alone = [n.id for n in found.nodes if not n.degree]
    rows = math.ceil(len(alone) / PER_ROW)
    bottom = HEIGHT - MARGIN - (ROW + (rows - 1) * ROW_STEP if alone else 0)
    spots: dict[str, tuple[float, float]] = {}
    if tied:
        graph = nx.Graph()
        graph.add_nodes_from(tied)
        graph.add_weighted_edges_from((e.source, e.target, e.weight) for e in found.edges)
        # Kamada-Kawai (no randomness at all) from a seeded spring layout: spring alone
        # drew the demo's busy core as a knot with a few teams far out around it. But
        # Kamada-Kawai grows steeply with the nodes (0.2 s for the demo's 30 teams,
        # 2.4 s for 60): spring alone (0.35 s for 200) beyond SPREAD_UP_TO.
        spread = nx.spring_layout(graph, seed=SEED, weight=None, iterations=50)
        if len(tied) <= SPREAD_UP_TO:
            spread = nx.kamada_kawai_layout(graph, pos=spread, weight=None)
        xs = [float(p[0]) for p in spread.values()]
        ys = [float(p[1]) for p in spread.values()]
        span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
        for n, p in spread.items():
            spots[n] = ((round(MARGIN + (float(p[0]) - min(xs)) / span_x * (WIDTH - 2 * MARGIN), 1),
                         round(MARGIN + (float(p[1]) - min(ys)) / span_y * (bottom - MARGIN), 1))
                        if len(spread) > 1 else (WIDTH / 2, bottom / 2))
    across = min(len(alone), PER_ROW)
    step = (WIDTH - 2 * MARGIN) / max(across - 1, 1)
    for i, n in enumerate(alone):
        row, place = divmod(i, PER_ROW)
        spots[n] = (round(MARGIN + place * step if across > 1 else WIDTH / 2, 1),
                    float(HEIGHT - MARGIN + 12 - (rows - 1 - row) * ROW_STEP))
    return spots

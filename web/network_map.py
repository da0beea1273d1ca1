"""The organisers' network map (``/sustainability/health/map``): the live network of
teams drawn on the server as SVG, with a table of the same figures for screen readers.

Nodes are sized by activity (area, not radius, grows with the acts), coloured by
region from the Okabe–Ito palette and a grey (told apart with any common colour-vision
deficiency; each region also named in the legend and in every node's title), edges
drawn thicker for stronger ties. The layout (networkx's Kamada-Kawai from a spring
layout with a fixed seed, over the nodes in id order) is the same for the same date.
The figures come from ``projections.network_map`` (``domain.network_map``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from typing import Any

from flask import Blueprint, render_template, request, url_for
from markupsafe import Markup

from domain.network_map import NetworkMap, Node, regions
from domain.network_map_layout import (
    HEIGHT,
    MARGIN,
    PER_ROW,
    ROW_STEP,
    WIDTH,
    layout,
)
from projections.network_map import live_map
from web.auth import organiser_required
from web.network_health import choices, drawn
from web.services import views

network_map_page = Blueprint("network_map", __name__)

# Okabe & Ito (2008) and a mid grey (nine regions in England's old health regions),
# dark outlines so the yellow still shows on white; beyond nine
# regions the colours repeat, the legend and titles still name each region.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442",
           "#000000", "#999999")
NO_REGION = "#FFFFFF"
EDGE, OUTLINE, TEXT = "#768692", "#212B32", "#212B32"
LABELLED = 24  # name every node up to this many teams; beyond, only the brokers


@dataclass(frozen=True)
class MapPicture:
    svg: Markup
    legend: tuple[tuple[str, str], ...]   # (region, colour)
    summary: str


def colours(found: NetworkMap) -> dict[str, str]:
    return {r: PALETTE[i % len(PALETTE)] for i, r in enumerate(regions(found.nodes))}


def radius(node: Node, busiest: int) -> float:
    return round(4 + 14 * math.sqrt(node.activity / busiest), 1) if busiest else 4.0


def draw(found: NetworkMap, laid_out: tuple[tuple[str, float, float], ...] = ()) -> MapPicture:
    """The picture (the page keeps it per kept map: ``web.network_health.drawn``);
    ``laid_out``: each node's place as kept with the map
    (``projections.network_map``), else laid out now (the slow part)."""
    spots = {n: (x, y) for n, x, y in laid_out} if laid_out else layout(found)
    fill = colours(found)
    names = {n.id: n.name for n in found.nodes}
    busiest = max((n.activity for n in found.nodes), default=0)
    strongest = max((e.weight for e in found.edges), default=1.0)
    brokers = set(found.brokers)
    tied = sum(1 for n in found.nodes if n.degree)
    summary = (f"{len(found.nodes)} teams, {tied} of them tied to another in the 90 days "
               f"to {found.as_of:%-d %B %Y}, by {len(found.edges)} links. Bigger circles "
               "did more; thicker lines are stronger ties.")
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="network-map" role="img" '
           f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
           f'aria-labelledby="network-map-title network-map-desc">',
           '<title id="network-map-title">The live network of teams</title>',
           f'<desc id="network-map-desc">{escape(summary)}</desc>',
           '<g class="network-map__edges">']
    for e in found.edges:
        (x1, y1), (x2, y2) = spots[e.source], spots[e.target]
        width = round(1 + 5 * e.weight / strongest, 1)
        out.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{EDGE}" '
                   f'stroke-opacity="0.6" stroke-width="{width}"><title>'
                   f'{escape(names[e.source])} and {escape(names[e.target])}: tie weight '
                   f'{e.weight:g}</title></line>')
    if any(not n.degree for n in found.nodes):
        rows = math.ceil(sum(1 for n in found.nodes if not n.degree) / PER_ROW)
        out.append(f'<text x="{MARGIN}" y="{HEIGHT - MARGIN - 10 - (rows - 1) * ROW_STEP}" '
                   f'font-size="12" fill="{TEXT}" '
                   'font-family="Frutiger W01, Arial, sans-serif">No live tie with another '
                   'team:</text>')
    out.append('</g><g class="network-map__nodes">')
    many = len(found.nodes) > LABELLED
    for n in sorted(found.nodes, key=lambda n: (-n.activity, n.id)):  # small ones on top
        x, y = spots[n.id]
        r = radius(n, busiest)
        title = (f"{n.name} ({n.region or 'region not known'}): {n.activity} acts, "
                 f"tied to {n.degree} teams, betweenness {n.betweenness:.0%}"
                 + (", a broker" if n.id in brokers else ""))
        out.append(f'<g class="network-map__node" data-id="{escape(n.id)}"><title>'
                   f'{escape(title)}</title><circle cx="{x}" cy="{y}" r="{r}" '
                   f'fill="{fill.get(n.region or "", NO_REGION)}" stroke="{OUTLINE}" '
                   f'stroke-width="{2.5 if n.id in brokers else 1}"/>')
        if not many or n.id in brokers:
            anchor = "end" if x > WIDTH / 2 else "start"
            dx = -(r + 3) if anchor == "end" else r + 3
            out.append(f'<text x="{round(x + dx, 1)}" y="{round(y + 4, 1)}" font-size="11" '
                       f'fill="{TEXT}" text-anchor="{anchor}" font-family="Frutiger W01, '
                       # A white halo keeps the name readable over the lines it crosses.
                       f'Arial, sans-serif" stroke="#FFFFFF" stroke-width="3" '
                       f'paint-order="stroke" aria-hidden="true">{escape(n.name)}</text>')
        out.append("</g>")
    out.append("</g></svg>")
    return MapPicture(Markup("".join(out)), tuple(fill.items()), summary)


@network_map_page.get("/sustainability/health/map")
@organiser_required
def page() -> Any:
    as_of, _, problems = choices()
    problems.pop("period", None)  # the map has no period: only the date is asked for
    kept = live_map(views().engine, as_of, "team")
    found = kept.value.found
    return render_template(
        "network_health/map.html", found=found, picture=drawn(
            kept, ("map", found.as_of, found.level), lambda: draw(found, kept.value.spots)),
        kept=kept,
        as_of_raw=request.args.get("as_of", ""), problems=problems,
        health_url=url_for("network_health.page", as_of=as_of.isoformat()),
    ), 400 if problems else 200

"""Pure decisions over plain data: routing by the responsibility catalog.

No database, no Flask, no clock reads: everything a decision needs comes in as arguments.
"""

from __future__ import annotations

from .decision import ComplaintFacts, MatterRef, Outcome, Reason, RoutingDecision, UnitRef
from .explanation import explain
from .routing import RoutingTable, route, route_on, routing_table
from .search import MatterHit, search_matters

__all__ = [
    "ComplaintFacts",
    "MatterHit",
    "MatterRef",
    "Outcome",
    "Reason",
    "RoutingDecision",
    "RoutingTable",
    "UnitRef",
    "explain",
    "route",
    "route_on",
    "routing_table",
    "search_matters",
]

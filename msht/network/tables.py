"""Names of the tables the network stage writes, and the entity types that are nodes."""

from __future__ import annotations

#: Entity types that are nodes (events such as crime reports are not: they join nodes).
NODE_TYPES = ("Person", "Address", "Premises", "Vehicle", "Phone", "IdentityDocument")
#: SQL list of `NODE_TYPES`, for `IN (…)`.
NODE_TYPES_SQL = ", ".join(f"'{t}'" for t in NODE_TYPES)

#: One row per resolved entity: id, type, number of records, sources.
NODES = "network_node"
#: One row per pair of entities and role: the links between their records that support it.
EDGES = "network_edge"
#: One row per event record: its event key, type, kind (for edge roles), date and row.
EVENTS = "network_event"
#: Addresses and premises: sector and police division (given, or inferred).
PLACES = "network_place"
#: Flagged potential victims and the flags that name them.
FLAGGED = "network_flagged"
#: Per entity and neighbour type: how many distinct neighbours.
DEGREE = "network_degree"
#: Per address with residents: residents, adults, distinct adult surnames, arrivals, dates.
ADDRESS = "network_address"
#: Per vehicle and phone: people linked, and how many of them work in at-risk sectors.
OBJECT = "network_object"
#: Per premises: sector, division, workers, and workers sharing an address or vehicle.
PREMISES = "network_premises"
#: Per person: flagged people reachable through shared addresses, vehicles, phones, documents.
REACH = "network_reach"
#: Unflagged people linked to many flagged people (R04: never part of a victim profile).
INVESTIGATE = "network_for_investigation"
#: Groups found around flagged people, and their members.
GROUPS = "network_group"
GROUP_MEMBERS = "network_group_member"

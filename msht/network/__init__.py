"""Network analysis: the graph of resolved entities, and metrics analysts read from it.

Nodes are resolved entities (people, addresses, premises, vehicles, phones, identity
documents); edges are the links between their records, typed by role, with dates and the
links (provenance) that support them. Everything is SQL on the engine, so it runs on DuckDB
and on Spark alike; the resolve stage's tables are its input, passed through the store.
"""

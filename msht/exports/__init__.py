"""Exports of the entity graph in the formats analysts already use.

Every export goes through `export.export`, which stamps it with who, when and the security
marking (and, with the serving store, will record the audit entry), whatever the format.
"""

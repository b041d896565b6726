"""Alembic migrations of the serving store."""

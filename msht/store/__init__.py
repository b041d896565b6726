"""The serving store: what reviewers, partners and the web app read and write.

SQLAlchemy 2 tables (`tables`), the database a project uses (`database`) and its Alembic
migrations (`migrations/`). SQLite in the project folder by default, PostgreSQL through
`MSHT_DATABASE_URL`.
"""

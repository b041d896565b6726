"""The JSON API (FastAPI): a thin edge over the serving store and the review workflow."""

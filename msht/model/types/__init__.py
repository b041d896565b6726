"""Normalisers, one module per property type."""

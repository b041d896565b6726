"""What the data means: the POLE schema (as YAML data) and the normalisers of its value types."""

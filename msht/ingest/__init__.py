"""Source exports → POLE store: mappings, readers, transforms, quarantine and provenance."""

"""A deployment is a project folder: `msht.yaml`, source mappings and rules."""

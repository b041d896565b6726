"""Entity resolution: the same people, places, premises, vehicles and phones across sources.

Person records are linked probabilistically with Splink (settings in the project's
`resolve/person.yaml`, trained unsupervised and saved as engine-neutral JSON); the other
entity types by normalised keys. Clusters get ids that stay stable from run to run; human
judgements override the model; every match explains itself as match weights.
"""

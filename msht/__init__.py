"""msht: find, explain and review signs of modern slavery across police and partner records."""

__version__ = "0.1.0"

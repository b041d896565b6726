"""`python -m msht.cli` runs the command line."""

from msht.cli import main

main()

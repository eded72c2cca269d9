"""`python -m peyvand.cli` runs the command line."""

from peyvand.cli import main

main()

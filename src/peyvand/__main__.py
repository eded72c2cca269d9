"""`python -m peyvand` runs the command line."""

from peyvand.cli import main

main()

"""`python -m kgtool` runs the CLI."""

from kgtool.cli import main

main()

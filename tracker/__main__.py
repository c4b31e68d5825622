"""`python -m tracker` behaves exactly like the `tracker` command."""

from tracker.cli import main

main()

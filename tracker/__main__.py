"""`python -m tracker` behaves exactly like the `tracker` command."""

from tracker.launch import main

main()

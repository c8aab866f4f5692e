"""``python -m techdiversity`` runs the command line."""

from .cli import main

main()

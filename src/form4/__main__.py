"""``python -m form4`` runs the command line."""

from form4.cli import app

app()
